import { sqlRows } from '../../src/common/sql';
import type { Harness } from './harness';

const DAY = 24 * 60 * 60 * 1000;

/** The pilot's call: EUR 12,500 for projects of up to EUR 2,500, scored on weighted criteria. */
export function pilotCall(overrides: Record<string, unknown> = {}) {
  return {
    title: {
      en: 'Social initiatives in Alexandrovsky, Yuryevka, Gulistan and Zhazy',
      ru: 'Социальные инициативы в Александровке, Юрьевке, Гулистане и Жазы',
    },
    description: {
      en: 'Grants of up to EUR 2,500 for projects that local government and civil society carry out together.',
    },
    currency: 'EUR',
    budget: '12500.00',
    maxAward: '2500.00',
    opensAt: new Date(Date.now() - DAY).toISOString(),
    closesAt: new Date(Date.now() + 30 * DAY).toISOString(),
    municipalities: ['Alexandrovsky', 'Yuryevka', 'Gulistan', 'Zhazy'],
    questions: [
      {
        id: 'registered',
        text: {
          en: 'Does the group include the local council or a registered organisation?',
          ru: 'Входит ли в группу айыл окмоту или зарегистрированная организация?',
        },
        required: true,
      },
    ],
    composition: {
      minimumGroups: 2,
      groups: ['local_government', 'civil_society', 'religious_organisation', 'youth_women'],
    },
    criteria: [
      { name: 'Community need', weight: 40 },
      { name: 'Feasibility', weight: 35 },
      { name: 'Inclusion of women and youth', weight: 25 },
    ],
    ...overrides,
  };
}

/** A complete proposal on the wire, costing `amount` (one budget line); overrides replace fields. */
export function proposal(amount = '2500.00', overrides: Record<string, unknown> = {}) {
  return {
    title: 'Clean water for Zhazy school',
    summary: 'A filter and a tap in the school yard, fitted by parents.',
    problem: 'Children bring water from home; the school well is unsafe.',
    activities: [{ description: 'Buy and fit the filter', start: '2027-03-01', end: '2027-04-30' }],
    participants: { women: 30, men: 20, youth: 150, byStakeholder: { local_government: 2, civil_society: 8 } },
    composition: { local_government: 1, civil_society: 4 },
    municipality: 'Zhazy',
    budget: [{ category: 'Equipment', description: 'Water filter and tap', quantity: 1, unitCost: amount }],
    coFunding: [{ source: 'Aiyl okmotu', amount: '200.00', inKind: true }],
    eligibilityAnswers: { registered: true },
    ...overrides,
  };
}

export async function createCall(h: Harness, auth: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await h.http().post('/calls').set('authorization', auth).send(pilotCall(overrides)).expect(201);
  return res.body.id as string;
}

export async function send(h: Harness, auth: string, path: string, event: Record<string, unknown>, status = 200) {
  return h.http().post(`${path}/events`).set('authorization', auth).send(event).expect(status);
}

export async function openCall(h: Harness, manager: string): Promise<string> {
  const id = await createCall(h, manager);
  await send(h, manager, `/calls/${id}`, { type: 'PUBLISH' });
  return id;
}

export async function submittedApplication(
  h: Harness,
  callId: string,
  applicant: string,
  amount = '2500.00',
): Promise<string> {
  const res = await h
    .http()
    .post(`/calls/${callId}/applications`)
    .set('authorization', applicant)
    .send(proposal(amount))
    .expect(201);
  await send(h, applicant, `/applications/${res.body.id}`, { type: 'SUBMIT' });
  return res.body.id as string;
}

/** An application of its own call awarded `amount`: screened eligible, the call closed and in review. */
export async function awardedApplication(h: Harness, applicant: string, amount = '2500.00'): Promise<string> {
  const callId = await openCall(h, h.manager);
  const id = await submittedApplication(h, callId, applicant);
  await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
  await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
  await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
  await send(h, h.manager, `/applications/${id}`, { type: 'AWARD', amount, reason: 'Funded by the committee' });
  return id;
}

/** The account a group's grant is paid into, given by one of its members: ACCEPT_AWARD needs one. */
export async function giveBankDetails(
  h: Harness,
  auth: string,
  applicationId: string,
  details: Record<string, unknown> = {},
  status = 200,
) {
  return h
    .http()
    .put(`/applications/${applicationId}/bank-details`)
    .set('authorization', auth)
    .send({
      accountHolder: 'Zhazy parents’ committee',
      bankName: 'KICB, Osh branch',
      accountNumber: '1280016044410123',
      ...details,
    })
    .expect(status);
}

/**
 * How many of a record's own timers for `event` have fired: the server database the suites share
 * holds other suites' timers too, so a count of everything a scheduler fired says nothing.
 */
export async function firedTimers(h: Harness, subjectType: string, subjectId: string, event: string): Promise<number> {
  const [row] = await sqlRows<{ n: string }>(
    h.orm.em.fork(),
    `select count(*) as n from workflow_timer t join workflow_instance i on i.id = t.instance_id
      where i.subject_type = ? and i.subject_id = ? and t.event = ? and t.fired_at is not null`,
    [subjectType, subjectId, event],
  );
  return Number(row.n);
}
