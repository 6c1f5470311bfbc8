import type { EntityManager } from '@mikro-orm/core';
import type { IdentityService } from '../src/identity/identity.service';
import { ApplicantGroup, GroupMember } from '../src/organisations/organisation.entities';

// What the bench's applicants apply to and with: a call open for a month, and a one-line proposal
// within its maximum award, as the API takes them.

const DAY = 86_400_000;

/** The body of POST /calls: a call in euros that opened yesterday and closes in 30 days. */
export function benchCall(title: string, applicationsPerGroup: number): Record<string, unknown> {
  return {
    title: { en: title },
    description: { en: 'Benches and shade for the parks of the four municipalities' },
    currency: 'EUR',
    budget: '12500.00',
    maxAward: '2500.00',
    opensAt: new Date(Date.now() - DAY).toISOString(),
    closesAt: new Date(Date.now() + 30 * DAY).toISOString(),
    criteria: [{ name: 'Impact', weight: 100 }],
    applicationsPerGroup,
  };
}

/** The body of POST /calls/{id}/applications, the `n`th of its group. */
export function benchApplication(n: number): Record<string, unknown> {
  return {
    title: `Project ${n}`,
    summary: 'Benches for the park',
    problem: 'Nowhere to sit',
    activities: [{ description: 'Build', start: '2027-03-01', end: '2027-03-31' }],
    participants: { women: 10, men: 10, youth: 10 },
    municipality: 'Zhazy',
    budget: [{ category: 'Materials', description: 'Timber', quantity: 1, unitCost: '2500.00' }],
  };
}

/** An initiative group in Zhazy with `userId` as its contact and only member; its id. */
export function addGroup(em: EntityManager, userId: string, name: string): string {
  const group = em.create(ApplicantGroup, { name, municipality: 'Zhazy', oblast: 'Osh', contactUserId: userId });
  em.create(GroupMember, { groupId: group.id, userId });
  return group.id;
}

/** The programme the bench's staff work for. */
export const BENCH_PROGRAMME = 'Benchmark programme';

/** A new manager of the benchmark programme, its email tagged with `tag`: its API token as an Authorization header. */
export async function benchManager(identity: IdentityService, tag: string): Promise<string> {
  const programme = await identity.ensureProgramme(BENCH_PROGRAMME);
  const manager = await identity.createUser({
    email: `bench-manager-${tag}@example.test`,
    name: 'Bench manager',
    role: 'manager',
    programmeId: programme.id,
  });
  return `Bearer ${manager.token}`;
}
