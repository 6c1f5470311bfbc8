import type { Harness } from './harness';

const DAY = 24 * 60 * 60 * 1000;

/** The pilot's call: EUR 12,500 for projects of up to EUR 2,500, scored on weighted criteria. */
export function pilotCall(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Social initiatives in Alexandrovsky, Yuryevka, Gulistan and Zhazy',
    currency: 'EUR',
    budget: '12500.00',
    maxAward: '2500.00',
    opensAt: new Date(Date.now() - DAY).toISOString(),
    closesAt: new Date(Date.now() + 30 * DAY).toISOString(),
    criteria: [
      { name: 'Community need', weight: 40 },
      { name: 'Feasibility', weight: 35 },
      { name: 'Inclusion of women and youth', weight: 25 },
    ],
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

export async function submittedApplication(h: Harness, callId: string, applicant: string, amount = '2500.00'): Promise<string> {
  const res = await h
    .http()
    .post(`/calls/${callId}/applications`)
    .set('authorization', applicant)
    .send({ title: 'Clean water for Zhazy school', requestedAmount: amount })
    .expect(201);
  await send(h, applicant, `/applications/${res.body.id}`, { type: 'SUBMIT' });
  return res.body.id as string;
}
