import { Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/core';
import { sql } from 'kysely';
import type { WorkflowId } from '../../../workflows';
import { inLocale, type Localised, type Locale } from '../../../workflows/localised';
import { AccessPolicy } from '../../access/access.policy';
import type { AuthenticatedUser } from '../../common/authenticated-user';
import { DomainError } from '../../common/domain-error';
import { db } from '../../common/kysely';
import { parseAmount } from '../../common/money';
import type { Money } from '../../i18n/format';
import { callLedger, programmeLedger, programmeLedgerCsv } from '../../ledger/ledger-reads';
import type { LedgerBalanceView } from '../../ledger/ledger.views';

// What the ledger pages show: the figures GET /programmes/{id}/ledger and GET /calls/{id}/ledger
// answer, through the same access policy, as money the page writes in the reader's language; and
// beside a call's grants, where their payments are: a manager's payments page, a finance officer's tranches.

const money = (amount: string, currency: string): Money => ({ minor: parseAmount(amount, currency), currency });

/** A balance's figures as money, in the order the pages list them. */
export function balanceMoney(b: LedgerBalanceView) {
  return {
    currency: b.currency,
    budget: money(b.budget, b.currency),
    committed: money(b.committed, b.currency),
    disbursed: money(b.disbursed, b.currency),
    refunded: money(b.refunded, b.currency),
    available: money(b.available, b.currency),
  };
}

/** Calls' titles in every language they have. */
async function callTitles(em: EntityManager, ids: readonly string[]): Promise<Map<string, Localised>> {
  if (ids.length === 0) return new Map();
  const rows = await db(em).selectFrom('call').select(['id', 'title']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.title as Localised]));
}

/** The tranches of these grants with their state, in each grant's plan order: a finance officer's links. */
async function tranchesOf(em: EntityManager, applicationIds: readonly string[]) {
  if (applicationIds.length === 0) return [];
  return db(em)
    .selectFrom('tranche as t')
    .innerJoin('workflow_instance as i', (join) =>
      join.on('i.subject_type', '=', sql.lit('tranche')).onRef('i.subject_id', '=', 't.id'),
    )
    .select(['t.id', 't.application_id', 'i.state'])
    .where('i.machine_id', '=', sql.lit('disbursement' satisfies WorkflowId))
    .where('t.application_id', 'in', applicationIds)
    .orderBy('t.created_at')
    .orderBy('t.position')
    .orderBy('t.id')
    .execute();
}

@Injectable()
export class LedgerPages {
  constructor(
    private readonly orm: MikroORM,
    private readonly policy: AccessPolicy,
  ) {}

  /** The reader's programme: 404 for a reader on no programme's staff, as GET /programmes/{id}/ledger. */
  private programmeOf(user: AuthenticatedUser, route: string): string {
    this.policy.staffOf(user.programmeId ?? '', user, route);
    return user.programmeId as string;
  }

  /** The reader's programme's balances: one per currency, and each call's, titled in the reader's language. */
  async programme(user: AuthenticatedUser, locale: Locale) {
    const programmeId = this.programmeOf(user, 'GET /finance/ledger');
    const em = this.orm.em.fork();
    const view = await programmeLedger(em, programmeId);
    const titles = await callTitles(
      em,
      view.calls.map((c) => c.callId),
    );
    const calls = view.calls
      .map((c) => ({ id: c.callId, title: inLocale(titles.get(c.callId), locale) || c.title, ...balanceMoney(c) }))
      .sort((x, y) => x.currency.localeCompare(y.currency) || x.title.localeCompare(y.title, locale));
    return { currencies: view.currencies.map(balanceMoney), calls };
  }

  /** Every row of the reader's programme's ledger as CSV, oldest first. */
  csv(user: AuthenticatedUser): Promise<string> {
    const programmeId = this.programmeOf(user, 'GET /finance/ledger.csv');
    return programmeLedgerCsv(this.orm.em.fork(), programmeId);
  }

  /**
   * A call's balance, its grants, and its rows newest first, as GET /calls/{id}/ledger gives them
   * (404 for a call the reader may not see, 403 for another programme's). Beside each grant, its
   * tranches for a finance officer; a manager reaches them on the grant's payments page.
   */
  async call(callId: string, user: AuthenticatedUser, locale: Locale) {
    await this.policy.act('call', callId, user, 'GET /finance/calls/:callId/ledger');
    const em = this.orm.em.fork();
    const view = await callLedger(em, callId);
    const title = (await callTitles(em, [callId])).get(callId);
    if (!title) throw DomainError.notFound('call', callId);
    const { currency } = view.balance;
    const tranches =
      user.role === 'finance'
        ? await tranchesOf(
            em,
            view.grants.map((g) => g.applicationId),
          )
        : [];
    return {
      call: { id: callId, title: inLocale(title, locale), currency },
      balance: balanceMoney(view.balance),
      grants: view.grants.map((g) => ({
        applicationId: g.applicationId,
        reference: g.reference,
        project: g.project,
        awarded: money(g.awarded, currency),
        paid: money(g.paid, currency),
        outstanding: money(g.outstanding, currency),
        tranches: tranches
          .filter((t) => t.application_id === g.applicationId)
          .map((t, i) => ({ id: t.id, number: i + 1, state: t.state })),
      })),
      entries: [...view.entries].reverse().map((e) => ({ ...e, money: money(e.amount, e.currency) })),
    };
  }
}
