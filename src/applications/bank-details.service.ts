import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import type { ApplicationState } from '../../workflows/application.machine';
import { filled } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import { fieldRefused } from '../common/validation';
import { db } from '../common/kysely';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { WorkflowEngine } from '../engine/engine.service';
import { BankDetails } from './bank-details.entity';
import type { BankDetailsDto } from './dto/bank-details.dto';
import type { BankDetailsRecord, BankDetailsView } from './bank-details.views';

// A group's bank account for its grant. Given before the grant is accepted (ACCEPT_AWARD needs one),
// it is a row like any other; once the grant runs, a new account is the payment-redirection fraud's
// way in, so it takes a reason and goes through the application's machine (CHANGE_BANK_DETAILS):
// in the hash-chained log, every member and finance told, approved tranches approved again.
// The details themselves are never logged, nor put in an event: the log holds the reason only.

/** Where the account may be given without a reason: before acceptance. */
const BEFORE_ACCEPTANCE: readonly ApplicationState[] = ['awarded'];
/** Where a new account is a change the machine records. */
const GRANT_RUNNING: readonly ApplicationState[] = ['active', 'reporting'];

/** The account now: the newest row; null when none was given. */
export async function currentBankDetails(em: EntityManager, applicationId: string): Promise<BankDetails | null> {
  const [latest] = await em.find(
    BankDetails,
    { applicationId },
    { orderBy: { enteredAt: 'desc', id: 'desc' }, limit: 1 },
  );
  return latest ?? null;
}

export function bankDetailsView(row: BankDetails): BankDetailsView {
  return {
    accountHolder: row.accountHolder,
    bankName: row.bankName,
    accountNumber: row.accountNumber,
    bic: row.bic,
    enteredBy: row.enteredBy,
    enteredAt: row.enteredAt.toISOString(),
  };
}

/** The last four characters of an account number: enough to tell accounts apart in a history. */
export const accountEnding = (accountNumber: string) => accountNumber.replace(/[\s-]/g, '').slice(-4);

@Injectable()
export class BankDetailsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
  ) {}

  async read(applicationId: string): Promise<BankDetailsRecord> {
    const rows = await this.orm.em
      .fork()
      .find(BankDetails, { applicationId }, { orderBy: { enteredAt: 'asc', id: 'asc' } });
    const latest = rows.at(-1);
    return {
      current: latest ? bankDetailsView(latest) : null,
      history: rows.map((r) => ({
        enteredBy: r.enteredBy,
        enteredAt: r.enteredAt.toISOString(),
        reason: r.reason,
        accountEnding: accountEnding(r.accountNumber),
      })),
    };
  }

  /**
   * Records the account. The application's row is locked while its state is read, so an acceptance
   * arriving at the same time comes after it or before it, never between: a change after acceptance
   * always goes through the machine.
   */
  async put(applicationId: string, dto: BankDetailsDto, user: AuthenticatedUser): Promise<BankDetailsRecord> {
    await this.orm.em.fork().transactional(async (em) => {
      const instance = await db(em)
        .selectFrom('workflow_instance')
        .select('state')
        .where('subject_type', '=', 'application')
        .where('subject_id', '=', applicationId)
        .forUpdate()
        .executeTakeFirst();
      if (!instance) throw DomainError.notFound('application', applicationId);
      const state = instance.state as ApplicationState;
      const running = GRANT_RUNNING.includes(state);
      if (!running && !BEFORE_ACCEPTANCE.includes(state))
        throw DomainError.because(ErrorCode.Conflict, [
          { key: 'bankDetails.notNow', params: { state: { term: `application.state.${state}` } } },
        ]);
      if (running && !filled(dto.reason)) throw fieldRefused('reason', 'bankDetails.reasonNeeded');
      const reason = filled(dto.reason) ? (dto.reason as string).trim() : null;
      em.create(BankDetails, {
        applicationId,
        accountHolder: dto.accountHolder.trim(),
        bankName: dto.bankName.trim(),
        accountNumber: dto.accountNumber.trim(),
        bic: dto.bic ? dto.bic.toUpperCase() : null,
        enteredBy: user.id,
        reason,
      });
      await em.flush();
      if (running)
        await this.engine.apply(em, {
          target: { subjectType: 'application', subjectId: applicationId },
          event: { type: 'CHANGE_BANK_DETAILS', reason: reason as string },
          actor: { id: user.id, role: user.role },
        });
    });
    return this.read(applicationId);
  }
}
