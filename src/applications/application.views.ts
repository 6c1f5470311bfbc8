import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { APPLICATION_STATES } from '../../workflows/application.machine';
import { STAKEHOLDER_GROUPS } from '../../workflows/call.machine';
import { LOCALES, type Locale, type Localised } from '../../workflows/localised';
import { ErrorCode } from '../common/domain-error';
import { LocalisedText } from '../common/localised-text';
import { WorkflowView } from '../workflow-http/workflow-views';
import { AcceptanceView } from './bank-details.views';

// What the application routes answer, as classes the API documentation reads; the services build
// plain objects of these shapes. Examples follow one application of the Gulistan pilot throughout.

/** Ids the examples share, so that one example's references point at another's records. */
export const EXAMPLE_ID = {
  application: '4f1c2a9e-6b1d-4c56-9a0e-2f3b7c8d9e10',
  call: '8a2d6f3b-1c4e-4b7a-9d5f-3e6a7b8c9d01',
  group: '2c9e7a1f-5b3d-4e8c-a6f0-9d1b2c3e4f50',
  user: '0b7e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b',
  attachment: '6d3f9b2e-8a1c-4f7d-b5e0-1a2b3c4d5e6f',
  review: '9e4a7c2b-3d1f-4a6e-8b5c-7f0d1e2a3b4c',
} as const;

const AMOUNT = { pattern: '^\\d+(\\.\\d+)?$' } as const;
const CURRENCY = { pattern: '^[A-Z]{3}$', description: 'ISO 4217 code of the call’s currency', example: 'EUR' };
const STAKEHOLDER_COUNTS = {
  type: 'object',
  additionalProperties: { type: 'integer', minimum: 0 },
  description: `counts by stakeholder group (${STAKEHOLDER_GROUPS.join(', ')})`,
  example: { local_government: 2, civil_society: 3, religious_organisation: 1 },
} as const;

export class ActivityView {
  @ApiProperty({ example: 'Repair the roof of the Gulistan youth centre' })
  description!: string;

  @ApiProperty({ format: 'date', example: '2027-03-01' })
  start!: string;

  @ApiProperty({ format: 'date', example: '2027-04-30' })
  end!: string;
}

export class ParticipantsView {
  @ApiProperty({ type: 'integer', example: 74 })
  women!: number;

  @ApiProperty({ type: 'integer', example: 113 })
  men!: number;

  @ApiProperty({ type: 'integer', example: 40 })
  youth!: number;

  @ApiProperty({
    ...STAKEHOLDER_COUNTS,
    example: { local_government: 73, civil_society: 75, religious_organisation: 31 },
  })
  byStakeholder!: Partial<Record<string, number>>;
}

export class BudgetLineView {
  @ApiProperty({ example: 'materials' })
  category!: string;

  @ApiProperty({ example: 'Roofing sheets, 2 m × 1 m' })
  description!: string;

  @ApiProperty({ type: 'integer', description: 'whole units: days, pieces, trips', example: 40 })
  quantity!: number;

  @ApiProperty({ ...AMOUNT, description: 'the cost of one unit, in the call’s currency', example: '37.50' })
  unitCost!: string;

  @ApiProperty({ ...AMOUNT, description: 'quantity times unit cost', example: '1500.00' })
  total!: string;
}

export class CoFundingView {
  @ApiProperty({ example: 'Gulistan aiyl okmotu' })
  source!: string;

  @ApiProperty({ ...AMOUNT, example: '300.00' })
  amount!: string;

  @ApiProperty({ description: 'work, materials or premises rather than money', example: true })
  inKind!: boolean;
}

/** The proposal as the wire carries it: amounts as decimals, each budget line with its total. */
export class ProposalView {
  @ApiProperty({ example: 'A warm, dry youth centre for the 600 young people of Gulistan.' })
  summary!: string;

  @ApiProperty({ example: 'The roof leaks, and the centre has been closed every winter since 2023.' })
  problem!: string;

  @ApiProperty({ type: () => [ActivityView] })
  activities!: ActivityView[];

  @ApiProperty({ type: () => ParticipantsView, nullable: true, description: 'null until the group gives them' })
  participants!: ParticipantsView | null;

  @ApiProperty({ ...STAKEHOLDER_COUNTS, description: 'members of the initiative group from each stakeholder group' })
  composition!: Partial<Record<string, number>>;

  @ApiProperty({ example: 'Gulistan' })
  municipality!: string;

  @ApiProperty({ type: () => [BudgetLineView] })
  budget!: BudgetLineView[];

  @ApiProperty({ ...AMOUNT, description: 'the sum of the budget lines: the amount requested', example: '2500.00' })
  budgetTotal!: string;

  @ApiProperty({ type: () => [CoFundingView] })
  coFunding!: CoFundingView[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'boolean' },
    description: 'the call’s eligibility questions by id: yes (true) or no (false)',
    example: { registered: true, local_cofunding: true },
  })
  eligibilityAnswers!: Record<string, boolean>;
}

/** A file an application carries. */
export class AttachmentView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.attachment })
  id!: string;

  @ApiProperty({ description: 'the uploaded name, sanitised', example: 'smeta-gulistan.pdf' })
  name!: string;

  @ApiProperty({ description: 'decided from the name and the content together', example: 'application/pdf' })
  contentType!: string;

  @ApiProperty({ type: 'integer', description: 'in bytes', example: 184320 })
  size!: number;

  @ApiProperty({
    description: 'SHA-256 of the content (hex); the download’s Digest header carries it too',
    example: '3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b',
  })
  sha256!: string;

  @ApiProperty({ format: 'date-time', example: '2027-02-10T08:30:00.000Z' })
  uploadedAt!: string;

  @ApiProperty({
    description: 'where to download it (GET)',
    example: `/applications/${EXAMPLE_ID.application}/attachments/${EXAMPLE_ID.attachment}`,
  })
  download!: string;
}

/**
 * Documents the `state` a view inherits from WorkflowView as one machine's states. A class decorator,
 * because redeclaring the field would shadow the base class's, and its type stays WorkflowView's string.
 */
export function StatesOf(states: readonly string[], example: string): ClassDecorator {
  return (target) => ApiProperty({ enum: [...states], example })(target.prototype, 'state');
}

/** An application with its proposal, its files, and where its workflow stands. */
@StatesOf(APPLICATION_STATES, 'submitted')
export class ApplicationView extends WorkflowView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.application })
  id!: string;

  @ApiProperty({ description: 'the number the group quotes: country, year and a counter', example: 'KG-2026-0012' })
  reference!: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.call })
  callId!: string;

  @ApiProperty({ format: 'uuid', description: 'the initiative group applying', example: EXAMPLE_ID.group })
  groupId!: string;

  @ApiProperty({ example: 'A new roof for the Gulistan youth centre' })
  title!: string;

  @ApiProperty(CURRENCY)
  currency!: string;

  @ApiProperty({ ...AMOUNT, description: 'the budget’s total', example: '2500.00' })
  requestedAmount!: string;

  @ApiProperty({ ...AMOUNT, description: 'the call’s maximum award', example: '2500.00' })
  maxAward!: string;

  @ApiProperty({ ...AMOUNT, type: 'string', nullable: true, description: 'null until awarded', example: null })
  awardedAmount!: string | null;

  @ApiProperty({ type: () => ProposalView })
  proposal!: ProposalView;

  @ApiProperty({ type: () => [AttachmentView], description: 'oldest first' })
  attachments!: AttachmentView[];

  @ApiProperty({
    type: () => AcceptanceView,
    nullable: true,
    description: 'who accepted the grant and when, with the checksums of the agreement accepted; null until then',
  })
  acceptance!: AcceptanceView | null;

  @ApiProperty({ format: 'date-time', example: '2027-02-03T10:12:00.000Z' })
  createdAt!: string;
}

export class StatusState {
  @ApiProperty({ enum: APPLICATION_STATES, example: 'submitted' })
  code!: string;

  @ApiProperty({ description: 'the state in plain words, in the page’s language', example: 'received' })
  name!: string;

  @ApiProperty({
    description: 'what comes next, and what the group has to do, if anything',
    example: 'We are checking that your application meets the rules of the call. You do not need to do anything.',
  })
  next!: string;
}

export class StatusCall {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.call })
  id!: string;

  @ApiProperty({ description: 'in the page’s language', example: 'Community initiatives 2027' })
  title!: string;

  @ApiProperty({ format: 'date-time', example: '2027-03-15T12:00:00.000Z' })
  closesAt!: string;
}

export class StatusTimelineEntry {
  @ApiProperty({ enum: APPLICATION_STATES, example: 'submitted' })
  state!: string;

  @ApiProperty({ example: 'received' })
  name!: string;

  @ApiProperty({ format: 'date-time', example: '2027-02-20T09:15:00.000Z' })
  at!: string;
}

export class StatusEmail {
  @ApiProperty({ description: 'which message it was', example: 'application.submitted' })
  message!: string;

  @ApiPropertyOptional({
    format: 'email',
    description: 'the recipient; only for the group’s members and the programme’s managers',
    example: 'aibek@gulistan.example.kg',
  })
  to?: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'null until rendered',
    example: 'We received your application KG-2026-0012',
  })
  subject!: string | null;

  @ApiProperty({ enum: ['pending', 'sent', 'failed', 'dead'], description: 'how its delivery went', example: 'sent' })
  status!: string;

  @ApiProperty({ format: 'date-time', example: '2027-02-20T09:15:00.000Z' })
  queuedAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2027-02-20T09:15:04.000Z' })
  sentAt!: string | null;
}

/** What the group sees: the state in plain words, what comes next, the timeline and the emails sent. */
export class StatusView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.application })
  id!: string;

  @ApiProperty({ example: 'KG-2026-0012' })
  reference!: string;

  @ApiProperty({ example: 'A new roof for the Gulistan youth centre' })
  title!: string;

  @ApiProperty({ enum: LOCALES, description: 'the language the words are in', example: 'ky' })
  locale!: Locale;

  @ApiProperty({ type: () => StatusState })
  state!: StatusState;

  @ApiProperty({ type: () => StatusCall })
  call!: StatusCall;

  @ApiProperty({
    type: () => [StatusTimelineEntry],
    description: 'each change of state, oldest first, starting with the draft’s creation',
  })
  timeline!: StatusTimelineEntry[];

  @ApiProperty({
    type: () => [StatusEmail],
    description: 'every email about the application, to every member, in the order queued',
  })
  emails!: StatusEmail[];
}

export class GroupRef {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.group })
  id!: string;

  @ApiProperty({ example: 'Gulistan youth initiative' })
  name!: string;
}

/** What every list names an application by. */
export class ApplicationHeading {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.application })
  id!: string;

  @ApiProperty({ example: 'KG-2026-0012' })
  reference!: string;

  @ApiProperty({ example: 'A new roof for the Gulistan youth centre' })
  title!: string;

  @ApiProperty({ type: () => GroupRef, description: 'the initiative group applying' })
  group!: GroupRef;

  @ApiProperty({ example: 'Gulistan' })
  municipality!: string;

  @ApiProperty({ enum: APPLICATION_STATES, example: 'submitted' })
  state!: string;

  @ApiProperty({ ...AMOUNT, description: 'the budget’s total', example: '2500.00' })
  requestedAmount!: string;
}

/** One line of the list of applications. */
export class ApplicationSummary extends ApplicationHeading {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.call })
  callId!: string;

  @ApiProperty(CURRENCY)
  currency!: string;

  @ApiProperty({ format: 'date-time', example: '2027-02-03T10:12:00.000Z' })
  createdAt!: string;
}

export class ApplicationPage {
  @ApiProperty({ type: () => [ApplicationSummary] })
  items!: ApplicationSummary[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'pass as `cursor` for the next page; null on the last',
    example: 'eyJ2IjoiMjAyNy0wMi0wM1QxMDoxMjowMC4wMDBaIiwiaWQiOiI0ZjFjMmE5ZSJ9',
  })
  nextCursor!: string | null;
}

export class ScreeningAnswer {
  @ApiProperty({ description: 'the call’s question id', example: 'registered' })
  id!: string;

  @ApiProperty({
    type: () => LocalisedText,
    description: 'the question in each language the call gives it',
    example: {
      en: 'Is the initiative group registered with the aiyl okmotu?',
      ru: 'Зарегистрирована ли инициативная группа в айыл окмоту?',
      ky: 'Демилгелүү топ айыл өкмөтүндө катталганбы?',
    },
  })
  question!: Localised;

  @ApiProperty({ description: 'whether a yes is needed to be eligible', example: true })
  required!: boolean;

  @ApiProperty({ type: 'boolean', nullable: true, description: 'yes, no, or null if unanswered', example: true })
  answer!: boolean | null;
}

export class EligibilityItemView {
  @ApiProperty({ enum: ['requiredAnswers', 'composition', 'municipality', 'amount'], example: 'composition' })
  check!: string;

  @ApiProperty({ example: true })
  passed!: boolean;

  @ApiProperty({
    description: 'what was found, in plain words, for the manager who screens',
    example: '3 stakeholder groups represented (local_government, civil_society, religious_organisation), 2 required',
  })
  detail!: string;
}

/** The computed eligibility of a proposal: it advises the manager who screens, the decision stays theirs. */
export class EligibilityCheckView {
  @ApiProperty({ description: 'every item passed', example: true })
  eligible!: boolean;

  @ApiProperty({ type: () => [EligibilityItemView] })
  items!: EligibilityItemView[];
}

/** One application as the manager screens it: the answers beside the questions, and the computed check. */
export class ScreeningView extends ApplicationHeading {
  @ApiProperty({ ...AMOUNT, description: 'the call’s maximum award', example: '2500.00' })
  maxAward!: string;

  @ApiProperty({ type: () => [ScreeningAnswer], description: 'one per question of the call, in its order' })
  answers!: ScreeningAnswer[];

  @ApiProperty({ ...STAKEHOLDER_COUNTS, description: 'members of the initiative group from each stakeholder group' })
  composition!: Partial<Record<string, number>>;

  @ApiProperty({ type: () => EligibilityCheckView })
  check!: EligibilityCheckView;

  @ApiProperty({
    type: [String],
    description: 'the questions of the last REQUEST_INFO; empty if none was asked',
    example: ['Who will maintain the roof after the project?'],
  })
  questions!: string[];

  @ApiProperty({
    type: [String],
    description: 'the group’s answers to them, in the same order',
    example: ['The aiyl okmotu’s caretaker, paid from the local budget'],
  })
  answersToQuestions!: string[];
}

export class BatchError {
  @ApiProperty({ type: 'integer', description: 'the HTTP status the item alone would have had', example: 409 })
  status!: number;

  @ApiProperty({ enum: Object.values(ErrorCode), example: ErrorCode.EventNotAllowed })
  code!: string;

  @ApiProperty({
    description: 'why, in the sender’s language',
    example: 'You cannot decide whether the application is eligible now: the application is withdrawn.',
  })
  message!: string;
}

/** What became of one item of a batch: its new state, or why it was refused. */
export class BatchOutcome {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.application })
  applicationId!: string;

  @ApiProperty({ description: 'whether the item’s event was accepted', example: true })
  ok!: boolean;

  @ApiPropertyOptional({ enum: APPLICATION_STATES, description: 'when accepted: the state now', example: 'eligible' })
  state?: string;

  @ApiPropertyOptional({
    enum: APPLICATION_STATES,
    description: 'when accepted: the state before',
    example: 'submitted',
  })
  previousState?: string;

  @ApiPropertyOptional({ type: () => BatchError, description: 'when refused' })
  error?: BatchError;
}

/** The outcome of every item of a batch, in the order sent. */
export class BatchOutcomes {
  @ApiProperty({ type: () => [BatchOutcome] })
  results!: BatchOutcome[];

  @ApiProperty({ type: 'integer', example: 2 })
  succeeded!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  failed!: number;
}
