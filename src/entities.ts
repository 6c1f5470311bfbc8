import type { Generated } from 'kysely';
import type { Columns, Int8 } from './common/kysely';
import { Application } from './applications/application.entity';
import { Attachment } from './applications/attachment.entity';
import { BankDetails } from './applications/bank-details.entity';
import { Call } from './calls/call.entity';
import { Tranche } from './disbursements/tranche.entity';
import { OutboxMessage, TransitionLog, WorkflowInstance, WorkflowTimer } from './engine/engine.entities';
import { ApiToken, LoginLink, User, UserSession } from './identity/identity.entities';
import { LedgerEntryRow } from './ledger/ledger.entity';
import { Notification } from './notifications/notification.entity';
import {
  ApplicantGroup,
  CommitteeMember,
  ConflictDeclaration,
  GroupInvitation,
  GroupMember,
  Programme,
} from './organisations/organisation.entities';
import { Report } from './reports/report.entity';
import { Review } from './reviews/review.entity';

/** Every table's entity by its table's name: the Kysely `Database` type below is made from it. */
export const ENTITY_TABLES = {
  app_user: User,
  api_token: ApiToken,
  login_link: LoginLink,
  user_session: UserSession,
  workflow_instance: WorkflowInstance,
  transition_log: TransitionLog,
  outbox: OutboxMessage,
  workflow_timer: WorkflowTimer,
  call: Call,
  application: Application,
  attachment: Attachment,
  bank_details: BankDetails,
  review: Review,
  tranche: Tranche,
  report: Report,
  notification: Notification,
  programme: Programme,
  applicant_group: ApplicantGroup,
  group_member: GroupMember,
  group_invitation: GroupInvitation,
  committee_member: CommitteeMember,
  conflict_declaration: ConflictDeclaration,
  ledger_entry: LedgerEntryRow,
} as const;

/** Every table's entity, from every layer: what main.ts, the CLI, the bench and the tests hand to openOrm(). */
export const ENTITIES = Object.values(ENTITY_TABLES);

type EntityTables = { [T in keyof typeof ENTITY_TABLES]: Columns<InstanceType<(typeof ENTITY_TABLES)[T]>> };

/** The yearly counter application references are numbered from: a table with no entity. */
interface ReferenceCounter {
  year: number;
  last: number;
}

interface Tables extends Omit<
  EntityTables,
  'application' | 'call' | 'tranche' | 'transition_log' | 'notification' | 'ledger_entry'
> {
  application: Int8<EntityTables['application'], 'requested_minor'>;
  call: Int8<EntityTables['call'], 'budget_minor' | 'max_award_minor' | 'finance_threshold_minor'>;
  tranche: Int8<EntityTables['tranche'], 'amount_minor'>;
  ledger_entry: Int8<EntityTables['ledger_entry'], 'amount_minor'>;
  transition_log: Int8<EntityTables['transition_log'], 'id'>;
  // `seq` orders a subject's emails as they were queued: only SQL reads it, so the entity leaves it out.
  notification: EntityTables['notification'] & { seq: Generated<number | string> };
  reference_counter: ReferenceCounter;
}

declare module './common/kysely' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the tables are the members
  interface Database extends Tables {}
}
