import { IdentityService } from '../src/identity/identity.service';
import { formatMoney } from '../src/i18n/format';
import { translate } from '../src/i18n/translate';
import type { ExplanationParams } from '../workflows/kit';
import type { Locale } from '../workflows/localised';
import { startHarness, type Harness } from './support/harness';
import { postForm, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';
import { ROUND, reviewedRound, type Round } from './support/decisions-round';

// The manager's ranking and decision pages over HTTP, as a browser without JavaScript uses them:
// the ranking and both proposals as GET /calls/{id}/ranking computes them, decisions recorded as
// POST /calls/{id}/decisions records them, and the round closed with CONFIRM_DECISIONS.

const ORIGIN = 'http://grants.example.org';
const eur = (minor: number) => ({ money: minor, currency: 'EUR' });

/** A text as the page prints it: escaped. */
const escaped = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

describe('the ranking and decision pages', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let round: Round;
  let path: string;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
    round = await reviewedRound(h);
    path = `/manage/calls/${round.callId}/decisions`;
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  type Say = (key: string, params?: ExplanationParams) => string;

  async function manager(locale: Locale): Promise<{ agent: Agent; auth: string; say: Say }> {
    const user = await h.user('manager', { locale });
    const say: Say = (key, params = {}) => translate(locale, key, params);
    return { agent: await signedInAgent(h, smtp, user.email, ORIGIN), auth: user.auth, say };
  }

  const ranking = async () =>
    (await h.http().get(`/calls/${round.callId}/ranking`).set('authorization', h.manager).expect(200)).body as {
      entries: { applicationId: string; state: string }[];
      money: { awardedMinor: number; leftMinor: number };
    };
  const stateOf = async (key: string) =>
    (await ranking()).entries.find((e) => e.applicationId === round.id[key])?.state;
  const name = (key: string) => `${round.reference[key]} ${title(key)}`;
  const title = (key: string) => (ROUND.find((a) => a.key === key) as (typeof ROUND)[number]).title;

  it('shows the ranking with its scores and the disagreement flag, and both proposals side by side with their difference', async () => {
    const { agent, say } = await manager('en');
    const page = await agent.get(path).expect(200);
    const text = page.text;
    for (const key of ['water', 'library', 'sports', 'sewing', 'lights', 'road'])
      expect(text).toContain(escaped(round.reference[key]));
    // The water scores 100 from both reviewers; the road 100 and 20: their reviews disagree, said in words.
    expect(text).toContain(say('web.decisions.ranking.disagree'));
    expect(text.match(/govuk-tag--orange/g)).toHaveLength(1);
    const roadRow = text.slice(
      text.indexOf(round.reference.road),
      text.indexOf('</tr>', text.indexOf(round.reference.road)),
    );
    expect(roadRow).toContain(say('web.decisions.ranking.disagree'));
    expect(roadRow).toContain(`${say('web.decisions.ranking.rawValue')} 60<`);
    expect(roadRow).toContain(`${say('web.decisions.ranking.lowestValue')} 20<`);
    expect(roadRow).toContain(`${say('web.decisions.ranking.spreadValue')} 40<`);

    // By rank: the two best, EUR 4,900 and EUR 100 left; the optimal set: the next three, EUR 4,800.
    expect(text).toContain(say('web.decisions.proposals.byRank'));
    expect(text).toContain(say('web.decisions.proposals.optimal'));
    expect(text).toContain(formatMoney({ minor: 490000, currency: 'EUR' }, 'en'));
    expect(text).toContain(formatMoney({ minor: 480000, currency: 'EUR' }, 'en'));
    expect(text).toContain(
      escaped(say('web.decisions.difference.onlyByRank', { list: { list: [name('water'), name('library')] } })),
    );
    expect(text).toContain(
      escaped(
        say('web.decisions.difference.onlyOptimal', {
          list: { list: [name('sports'), name('sewing'), name('lights')] },
        }),
      ),
    );
    expect(text).toContain(escaped(say('web.decisions.difference.score', { optimal: 260, byRank: 195 })));
    expect(text).toContain(escaped(say('web.decisions.difference.left', { optimal: eur(20000), byRank: eur(10000) })));
    expect(text).toContain(`href="/manage/calls/${round.callId}/setup"`);
    // Each line links to the application, and says which proposal funds it.
    expect(text).toContain(`href="/manage/applications/${round.id.road}"`);
    expect(text.split(say('web.decisions.ranking.proposed.optimal')).length - 1).toBe(3);
    expect(text.split(say('web.decisions.ranking.proposed.byRank')).length - 1).toBe(2);
    expect(text.match(/Start from this proposal/g)).toHaveLength(2);

    // Other terms recompute both: from 89 points up only the two best are candidates, and both fund them.
    const strict = await agent.get(`${path}?minimumScore=89&rankBy=raw`).expect(200);
    expect(strict.text).toContain(escaped(say('web.decisions.difference.same', { count: 2 })));
    expect(strict.text).toContain('name="minimumScore" type="text" spellcheck="false" value="89"');
    expect(strict.text).toContain('<input type="hidden" name="minimumScore" value="89">');
    const bad = await agent.get(`${path}?minimumScore=120&maxAwardsPerMunicipality=two`).expect(422);
    expect(bad.text).toContain('govuk-error-summary');
    expect(bad.text).toContain('href="#minimumScore"');
    expect(bad.text).toContain('href="#maxAwardsPerMunicipality"');
    expect(bad.text).toContain(say('web.decisions.terms.minimumScoreInvalid'));
  });

  it('refuses awards past the money left in the reader’s language and writes none of the decisions', async () => {
    const { agent, say } = await manager('ru');
    const form = await agent.get(`${path}/record?from=byRank`).expect(200);
    // By rank starts the form: the two best awarded what they asked, the rest on the waiting list.
    expect(form.text).toContain(say('web.decisions.record.startedFrom.byRank'));
    expect(form.text).toMatch(
      new RegExp(`name="amount-${round.id.water}" type="text" spellcheck="false" value="2500.00"`),
    );
    expect(form.text).toMatch(
      new RegExp(
        `id="decision-${round.id.water}" name="decision-${round.id.water}" type="radio" value="AWARD" checked`,
      ),
    );
    expect(form.text).toMatch(new RegExp(`name="decision-${round.id.road}" type="radio" value="WAITLIST" checked`));

    const over = await postForm(agent, ORIGIN, `${path}/record`, form.text, {
      [`decision-${round.id.water}`]: 'AWARD',
      [`amount-${round.id.water}`]: '2500.00',
      [`decision-${round.id.library}`]: 'AWARD',
      [`amount-${round.id.library}`]: '2400.00',
      [`decision-${round.id.sports}`]: 'AWARD',
      [`amount-${round.id.sports}`]: '1600.00',
      [`decision-${round.id.road}`]: 'REJECT',
      [`summary-${round.id.road}`]: 'Комитет не смог оценить смету.',
    }).expect(409);
    expect(over.text).toContain('govuk-error-summary');
    expect(over.text).toContain(
      escaped(say('application.withinCallBudget', { amount: eur(650000), left: eur(500000) })),
    );
    expect(over.text).toContain(`href="#amount-${round.id.water}"`);
    // What was posted is shown again.
    expect(over.text).toContain('Комитет не смог оценить смету.</textarea>');
    const after = await ranking();
    expect(after.money.awardedMinor).toBe(0);
    expect(after.entries.map((e) => e.state)).toEqual(Array(6).fill('reviewed'));

    // Less than asked needs a reason; more than asked is refused; nothing is written either way.
    const less = await postForm(agent, ORIGIN, `${path}/record`, form.text, {
      [`decision-${round.id.water}`]: 'AWARD',
      [`amount-${round.id.water}`]: '2000.00',
      [`decision-${round.id.library}`]: 'AWARD',
      [`amount-${round.id.library}`]: '2500.00',
      [`decision-${round.id.road}`]: 'WAITLIST',
    }).expect(422);
    expect(less.text).toContain(`href="#reason-${round.id.water}"`);
    expect(less.text).toContain(
      escaped(say('web.decisions.record.reasonMissing', { reference: round.reference.water, requested: eur(250000) })),
    );
    expect(less.text).toContain(`href="#amount-${round.id.library}"`);
    expect(await stateOf('road')).toBe('reviewed');
  });

  it('records the decisions from the optimal set, then confirms them once each application has one', async () => {
    const { agent, auth, say } = await manager('en');
    const start = await agent.get(path).expect(200);
    expect(start.text).toContain(`<input type="hidden" name="from" value="optimal">`);
    const form = await agent.get(`${path}/record?from=optimal`).expect(200);
    expect(form.text).toMatch(
      new RegExp(`name="amount-${round.id.sports}" type="text" spellcheck="false" value="1600.00"`),
    );
    const fields = Object.fromEntries(
      [...form.text.matchAll(/name="(decision-[0-9a-f-]+)" type="radio" value="([A-Z]*)" checked/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    const amounts = Object.fromEntries(
      [...form.text.matchAll(/name="(amount-[0-9a-f-]+)" type="text" spellcheck="false" value="([0-9.]*)"/g)].map(
        (m) => [m[1], m[2]],
      ),
    );
    expect(fields).toMatchObject({
      [`decision-${round.id.sports}`]: 'AWARD',
      [`decision-${round.id.sewing}`]: 'AWARD',
      [`decision-${round.id.lights}`]: 'AWARD',
      [`decision-${round.id.water}`]: 'WAITLIST',
    });
    // The lights get less than asked, with the reason the group reads.
    const sent = await postForm(agent, ORIGIN, `${path}/record`, form.text, {
      ...fields,
      ...amounts,
      [`amount-${round.id.lights}`]: '1500.00',
      [`reason-${round.id.lights}`]: 'The poles are given by the aiyl okmotu.',
      [`decision-${round.id.road}`]: '',
    }).expect(303);
    expect(sent.headers.location).toBe(`${path}?done=recorded`);
    // The same form sent again: those decided since are refused by name, and nothing more is written.
    const twice = await postForm(agent, ORIGIN, `${path}/record`, form.text, { ...fields, ...amounts }).expect(409);
    expect(twice.text).toContain('href="#decided"');
    expect(twice.text).toContain(
      escaped(
        say('web.decisions.record.alreadyDecided', {
          reference: round.reference.sports,
          state: { term: 'application.state.awarded' },
        }),
      ),
    );
    const done = await agent.get(sent.headers.location as string).expect(200);
    expect(done.text).toContain(say('web.decisions.done.recorded'));
    expect(await stateOf('sports')).toBe('awarded');
    expect(await stateOf('lights')).toBe('awarded');
    expect(await stateOf('water')).toBe('waitlisted');
    expect(await stateOf('road')).toBe('reviewed');
    expect((await ranking()).money.awardedMinor).toBe(470000);
    const history = await h
      .http()
      .get(`/applications/${round.id.lights}/history`)
      .set('authorization', auth)
      .expect(200);
    expect(history.body.at(-1)).toMatchObject({ event: 'AWARD', payload: { amountMinor: 150000 } });

    // Confirming with the road still undecided: the machine's refusal, in words.
    const confirm = await agent.get(`${path}/confirm`).expect(200);
    expect(confirm.text).toContain(say('web.decisions.confirm.warning', { count: 2 }));
    const early = await postForm(agent, ORIGIN, `${path}/confirm`, confirm.text, {}).expect(409);
    expect(early.text).toContain('href="#confirm"');
    expect(early.text).toContain(say('call.everyApplicationDecided', { count: 1 }));
    expect((await h.http().get(`/calls/${round.callId}`).set('authorization', auth).expect(200)).body.state).toBe(
      'reviewing',
    );

    // The road is not funded, with the committee's summary; then the round is confirmed.
    const rest = await agent.get(`${path}/record`).expect(200);
    expect(rest.text).toContain(say('web.decisions.record.keepWaiting'));
    await postForm(agent, ORIGIN, `${path}/record`, rest.text, {
      [`decision-${round.id.road}`]: 'REJECT',
      [`summary-${round.id.road}`]: 'The reviewers could not agree that the road can be built for this sum.',
    }).expect(303);
    expect(await stateOf('road')).toBe('rejected');
    const again = await agent.get(`${path}/confirm`).expect(200);
    const confirmed = await postForm(agent, ORIGIN, `${path}/confirm`, again.text, {}).expect(303);
    expect(confirmed.headers.location).toBe(`${path}?done=confirmed`);
    const closed = await agent.get(confirmed.headers.location as string).expect(200);
    expect(closed.text).toContain(say('web.decisions.done.confirmed'));
    expect(closed.text).toContain(say('web.decisions.next.confirmed'));
    expect((await h.http().get(`/calls/${round.callId}`).set('authorization', auth).expect(200)).body.state).toBe(
      'decided',
    );
    // The waiting list became rejections.
    expect(await stateOf('water')).toBe('rejected');
    expect(await stateOf('library')).toBe('rejected');
  });

  it('is for the managers of the call’s programme alone', async () => {
    const programme = await h.app.get(IdentityService).ensureProgramme('Another programme');
    const other = await h.user('manager', { programmeId: programme.id });
    const outsider = await signedInAgent(h, smtp, other.email, ORIGIN);
    await outsider.get(path).expect(403);
    await outsider.get(`${path}/record`).expect(403);
    await outsider.get(`${path}/confirm`).expect(403);
    const member = await h.user('committee');
    const committee = await signedInAgent(h, smtp, member.email, ORIGIN);
    await committee.get(path).expect(403);
    const applicant = await signedInAgent(h, smtp, (await h.user('applicant')).email, ORIGIN);
    await applicant.get(path).expect(403);
    const { agent } = await manager('en');
    await agent.get('/manage/calls/00000000-0000-4000-8000-000000000000/decisions').expect(404);
    await h.http().get(path).expect(303);
  });
});
