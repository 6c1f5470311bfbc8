import { formatMoney } from '../i18n/format';
import { translate } from '../i18n/translate';
import type { RankingEntry, RankingView } from '../reviews/review.views';
import { decisionItems, differenceOf, prefilled, rankingTerms, termsQuery } from './decisions-form';

const eur = (minor: number) => formatMoney({ minor, currency: 'EUR' }, 'en');

const entry = (id: string, overrides: Partial<RankingEntry> = {}): RankingEntry => ({
  rank: 1,
  applicationId: id,
  reference: `KG-2026-000${id}`,
  title: `Project ${id}`,
  group: 'A group',
  municipality: 'Zhazy',
  state: 'reviewed',
  requested: '2500.00',
  requestedMinor: 250000,
  awarded: null,
  reviews: { submitted: 2, assigned: 2 },
  rawScore: 80,
  normalisedScore: 80,
  score: 80,
  lowestReview: 80,
  spread: 0,
  disagreement: false,
  submittedAt: '2027-03-01T08:00:00.000Z',
  proposedByRank: false,
  proposedOptimal: false,
  ...overrides,
});

const plan = (ids: string[], totalScore: number, leftMinor: number) => ({
  applicationIds: ids,
  total: '',
  totalMinor: 500000 - leftMinor,
  totalScore,
  left: '',
  leftMinor,
});

function ranking(proposals: Partial<RankingView['proposals']>, limit: number | null = null): RankingView {
  return {
    currency: 'EUR',
    maxAwardsPerMunicipality: limit,
    proposals: {
      byRank: plan([], 0, 500000),
      optimal: plan([], 0, 500000),
      difference: { onlyByRank: [], onlyOptimal: [], explanation: '' },
      ...proposals,
    },
  } as unknown as RankingView;
}

describe('the terms of the proposals', () => {
  it('leave out what is blank, and read a limit of 0 as no limit, as the API does', async () => {
    expect((await rankingTerms({})).query).toEqual({});
    const terms = await rankingTerms({ rankBy: 'normalised', minimumScore: '62,5', maxAwardsPerMunicipality: '0' });
    expect(terms.query).toEqual({ rankBy: 'normalised', minimumScore: 62.5, maxAwardsPerMunicipality: null });
    expect(termsQuery(terms.values)).toBe('rankBy=normalised&minimumScore=62%2C5&maxAwardsPerMunicipality=0');
  });

  it('refuse a score above 100, a limit that is not a whole number and an unknown ranking, each by field', async () => {
    const bad = await rankingTerms({ rankBy: 'loudest', minimumScore: '101', maxAwardsPerMunicipality: '1.5' });
    expect(bad.query).toEqual({});
    expect(bad.errors.map((e) => e.field).sort()).toEqual(['maxAwardsPerMunicipality', 'minimumScore', 'rankBy']);
    expect((await rankingTerms({ minimumScore: '100.5' })).errors).toEqual([
      { field: 'minimumScore', key: 'web.decisions.terms.minimumScoreInvalid' },
    ]);
  });
});

describe('the difference between the proposals', () => {
  const names = new Map([
    ['1', 'KG-1 Water'],
    ['2', 'KG-2 Road'],
    ['3', 'KG-3 Library'],
  ]);

  it('says when both fund the same, and when the optimal set could not be worked out', () => {
    const same = ranking({ byRank: plan(['1', '2'], 160, 0), optimal: plan(['1', '2'], 160, 0) });
    expect(differenceOf(same, names)).toEqual([{ key: 'web.decisions.difference.same', params: { count: 2 } }]);
    expect(differenceOf(ranking({ optimal: null }), names)).toEqual([
      { key: 'web.decisions.difference.noOptimal', params: {} },
    ]);
  });

  it('names what only each funds, and compares their scores and the money they leave', () => {
    const differ = ranking(
      {
        byRank: plan(['1'], 95, 250000),
        optimal: plan(['2', '3'], 170, 10000),
        difference: { onlyByRank: ['1'], onlyOptimal: ['2', '3'], explanation: '' },
      },
      2,
    );
    const sentences = differenceOf(differ, names).map((s) =>
      translate('en', s.key, s.params as Parameters<typeof translate>[2]),
    );
    expect(sentences).toEqual([
      translate('en', 'web.decisions.difference.why', { limited: 'yes', limit: 2 }),
      'Only the proposal by rank funds KG-1 Water.',
      'Only the optimal set funds KG-2 Road and KG-3 Library.',
      'The scores of the optimal set add up to 170, against 95 by rank.',
      `The optimal set leaves ${eur(10000)} unspent; by rank, ${eur(250000)}.`,
    ]);
  });
});

describe('the decision form', () => {
  const entries = [entry('1'), entry('2', { rank: 2 }), entry('3', { rank: 3, state: 'waitlisted' })];

  it('starts from a proposal: what it funds awarded the amount asked, the rest on the waiting list', () => {
    expect(prefilled(entries, plan(['2'], 80, 250000))).toEqual({
      'decision-1': 'WAITLIST',
      'amount-1': '',
      'decision-2': 'AWARD',
      'amount-2': '2500.00',
      'decision-3': '',
      'amount-3': '',
    });
  });

  it('becomes the API’s decision items, with the total awarded', async () => {
    const form = await decisionItems(
      {
        'decision-1': 'AWARD',
        'amount-1': '2000,50',
        'reason-1': 'The tools are lent by the school.',
        'decision-2': 'REJECT',
        'summary-2': '',
        'decision-3': '',
      },
      entries,
      'EUR',
      'en',
    );
    expect(form.errors).toEqual([]);
    expect(form.awardedMinor).toBe(200050);
    expect(form.items).toEqual([
      { applicationId: '1', type: 'AWARD', amount: '2000.50', reason: 'The tools are lent by the school.' },
      { applicationId: '2', type: 'REJECT' },
    ]);
  });

  it('refuses each line on its own field: less than asked without a reason, more than asked, a waiting list twice', async () => {
    const form = await decisionItems(
      {
        'decision-1': 'AWARD',
        'amount-1': '2000.00',
        'decision-2': 'AWARD',
        'amount-2': '2600.00',
        'decision-3': 'WAITLIST',
      },
      entries,
      'EUR',
      'ru',
    );
    expect(form.items).toEqual([]);
    expect(form.errors.map((e) => [e.field, e.key])).toEqual([
      ['reason-1', 'web.decisions.record.reasonMissing'],
      ['amount-2', 'web.decisions.record.amountAboveRequested'],
      ['decision-3', 'web.decisions.record.choiceInvalid'],
    ]);
    expect(form.errors[0].text).toBe(
      translate('ru', 'web.decisions.record.reasonMissing', {
        reference: 'KG-2026-0001',
        requested: { money: 250000, currency: 'EUR' },
      }),
    );
  });
});
