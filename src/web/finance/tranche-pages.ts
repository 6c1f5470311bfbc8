import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { inLocale, type Locale } from '../../../workflows/localised';
import { AccessPolicy, relatedTo } from '../../access/access.policy';
import type { AuthenticatedUser } from '../../common/authenticated-user';
import { DomainError } from '../../common/domain-error';
import { parseAmount } from '../../common/money';
import { DisbursementsService } from '../../disbursements/disbursements.service';
import type { TrancheView } from '../../disbursements/tranche.views';
import { refusalOf as engineRefusal } from '../../engine/refusal';
import { WorkflowRegistry } from '../../engine/registry';
import type { Money } from '../../i18n/format';
import { WorkflowResources, type HistoryEntry } from '../../workflow-http/workflow-resource';
import { refusalOf, type FormError } from '../form-errors';
import { grantNames, userNames, type GrantNames } from './finance-reads';

// What the payment pages show of a tranche, put together from what GET /tranches/{id}, its history
// and GET /applications/{id}/tranches answer, through the same access policy; and, before a button
// is shown, whether the machine would take its event now (the engine's own refusal, in words).

/** Events whose refusal the pages tell before the button is pressed: their guards need no form. */
type Foreseen = 'REQUEST' | 'AMEND_AND_REQUEST' | 'APPROVE';

/** A person who acted on the tranche, and when. */
export interface Step {
  name: string | null;
  at: string | null;
}

const money = (amount: string, currency: string): Money => ({ minor: parseAmount(amount, currency), currency });

/** The account's fields the tranche page lists, in the order a bank form has them. */
const BANK_FIELDS = ['accountHolder', 'bankName', 'accountNumber', 'bic'] as const;

/** One line of the account the payment goes to, labelled by the catalogue. */
export interface BankRow {
  key: string;
  value: string;
}

/** The account the tranche is paid into, as its view gives it (to finance officers only); none until given. */
export function bankRows(view: TrancheView): BankRow[] {
  const details = view.bankDetails;
  if (!details) return [];
  return BANK_FIELDS.flatMap((field) => {
    const value = details[field];
    return value ? [{ key: `web.finance.bank.${field}`, value }] : [];
  });
}

/** A tranche as the pages show it: its amounts as money, its grant named. */
export function shownTranche(view: TrancheView) {
  return {
    ...view,
    money: money(view.amount, view.currency),
    grantMoney: money(view.grantAmount, view.currency),
    thresholdMoney: money(view.approvalThreshold, view.currency),
  };
}
export type ShownTranche = ReturnType<typeof shownTranche>;

@Injectable()
export class TranchePages {
  constructor(
    private readonly orm: MikroORM,
    private readonly policy: AccessPolicy,
    private readonly disbursements: DisbursementsService,
    private readonly resources: WorkflowResources,
    private readonly registry: WorkflowRegistry,
  ) {}

  /**
   * One tranche for the finance officer's page, as GET /tranches/{id} and its history give it: 404
   * for one they may not see. Who asked and who approved, by name and when; the payment; each step.
   */
  async tranche(id: string, user: AuthenticatedUser, locale: Locale) {
    const { related } = await this.policy.see('tranche', id, user, 'GET /tranches/:id');
    const view = await this.disbursements.get(id, related ? user.role : null);
    const history = await this.resources.history('tranche', id, user, 'tranches');
    const em = this.orm.em.fork();
    const grant = (await grantNames(em, view.applicationId)) as GrantNames;
    const names = await userNames(em, [view.requestedBy, ...view.approvedBy, ...history.map((r) => r.actor.id)]);
    const lastOf = (event: string[], actor?: string) =>
      [...history].reverse().find((r) => event.includes(r.event) && (actor === undefined || r.actor.id === actor));
    const step = (userId: string | null, row: HistoryEntry | undefined): Step => ({
      name: userId ? (names.get(userId) ?? null) : null,
      at: row?.at ?? null,
    });
    const requested = view.requestedBy
      ? step(view.requestedBy, lastOf(['REQUEST', 'AMEND_AND_REQUEST'], view.requestedBy))
      : null;
    return {
      tranche: shownTranche(view),
      grant: { ...grant, callTitle: inLocale(grant.callTitle, locale) },
      requested,
      approvals: view.approvedBy.map((officer) => step(officer, lastOf(['APPROVE'], officer))),
      bank: bankRows(view),
      bankGivenAt: view.bankDetails?.enteredAt ?? null,
      history: history.map((r) => ({
        at: r.at,
        state: r.to,
        name: r.actor.id ? (names.get(r.actor.id) ?? null) : null,
        role: r.actor.role,
        note: r.reason ?? (r.event === 'RECORD_PAYMENT' ? paymentNote(r.payload) : null),
      })),
      allowed: Object.fromEntries(view.allowedEvents.map((e) => [e, true])) as Record<string, boolean>,
      approveRefusal: view.allowedEvents.includes('APPROVE') ? await this.refusalNow(id, 'APPROVE', user, locale) : [],
    };
  }

  /**
   * The grant's tranches as GET /applications/{id}/tranches lists them (404 for an application the
   * reader may not see, 403 for one whose money is not theirs), each with what its request would
   * meet now: the button's event, or the machine's reasons in the reader's language.
   */
  async grant(applicationId: string, user: AuthenticatedUser, locale: Locale) {
    await this.policy.seeBelow('tranche', applicationId, user, 'GET /applications/:applicationId/tranches');
    const views = await this.disbursements.list(applicationId, user.role);
    const grant = await grantNames(this.orm.em.fork(), applicationId);
    if (!grant) throw DomainError.notFound('application', applicationId);
    const tranches = [];
    for (const view of views) {
      const event = requestEventOf(view);
      const refusal = event ? await this.refusalNow(view.id, event, user, locale) : [];
      tranches.push({ ...shownTranche(view), request: event && refusal.length === 0 ? event : null, refusal });
    }
    return { grant: { ...grant, callTitle: inLocale(grant.callTitle, locale) }, tranches };
  }

  /**
   * The tranches a group sees on its status page, planned and paid alike (none cancelled); none
   * for a reader whose role does not see an application's money.
   */
  async forStatus(applicationId: string, user: AuthenticatedUser): Promise<ShownTranche[]> {
    // The rule GET /applications/{id}/tranches applies, asked without logging a refusal: the page shows the rest.
    const facts = await this.policy.facts('application', applicationId, user);
    if (!facts || !relatedTo('tranche', facts, user)) return [];
    const views = await this.disbursements.list(applicationId, null);
    return views.filter((v) => v.state !== 'cancelled').map(shownTranche);
  }

  /**
   * Why the machine would refuse `type` from the reader now, each reason worded in their language;
   * none when it would take it. The same facts, the same guards and the same explanations as the
   * engine's refusal of a sent event: nothing is written.
   */
  async refusalNow(trancheId: string, type: Foreseen, user: AuthenticatedUser, locale: Locale): Promise<FormError[]> {
    const em = this.orm.em.fork();
    const { instance, snapshot } = await this.resources.load(em, 'tranche', trancheId);
    const actor = { id: user.id, role: user.role };
    const facts = await this.disbursements.facts(em, instance, { type });
    const event = { type, ...(facts ? { facts } : {}), actor, at: new Date().toISOString() };
    if (snapshot.can(event)) return [];
    return refusalOf(engineRefusal(this.registry, instance, snapshot, event, actor), locale, `tranche-${trancheId}`)
      .errors;
  }
}

/** The event that asks for a tranche's payment now, if its state takes one from the manager. */
function requestEventOf(view: TrancheView): Foreseen | null {
  if (view.allowedEvents.includes('REQUEST')) return 'REQUEST';
  if (view.allowedEvents.includes('AMEND_AND_REQUEST')) return 'AMEND_AND_REQUEST';
  return null;
}

function paymentNote(payload: Record<string, unknown>): string | null {
  return typeof payload.reference === 'string' ? payload.reference : null;
}
