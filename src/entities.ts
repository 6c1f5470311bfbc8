import { Application } from './applications/application.entity';
import { Attachment } from './applications/attachment.entity';
import { Call } from './calls/call.entity';
import { Tranche } from './disbursements/tranche.entity';
import { OutboxMessage, TransitionLog, WorkflowInstance, WorkflowTimer } from './engine/engine.entities';
import { ApiToken, LoginLink, User, UserSession } from './identity/identity.entities';
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

/** Every table's entity, from every layer: what main.ts, the CLI, the bench and the tests hand to openOrm(). */
export const ENTITIES = [
  User,
  ApiToken,
  LoginLink,
  UserSession,
  WorkflowInstance,
  TransitionLog,
  OutboxMessage,
  WorkflowTimer,
  Call,
  Application,
  Attachment,
  Review,
  Tranche,
  Report,
  Notification,
  Programme,
  ApplicantGroup,
  GroupMember,
  GroupInvitation,
  CommitteeMember,
  ConflictDeclaration,
];
