import { RELEASE_CONDITIONS, type PlannedTranche, type ReleaseCondition } from '../../workflows/payment-plan';
import { ApiProperty, PickType, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  CALL_STATES,
  RANK_BY,
  STAKEHOLDER_GROUPS,
  type CallState,
  type CompositionRule,
  type Criterion,
  type EligibilityQuestion,
  type RankBy,
  type ReportDue,
  type ScoringScale,
  type StakeholderGroup,
} from '../../workflows/call.machine';
import { LocalisedText } from '../common/localised-text';
import { WorkflowView } from '../workflow-http/workflow-views';

// Calls a group can read before it has an account.
export const LISTED_CALL_STATES = ['open', 'scheduled'] as const satisfies readonly CallState[];

const AMOUNT = 'a decimal in the call’s currency, with its minor units';
const WALL_CLOCK = 'the same time on the programme’s clock (`timeZone`), as YYYY-MM-DD HH:mm';

export class ProgrammeRef {
  @ApiProperty({ format: 'uuid', example: '5d2c8e41-7a3b-4f19-b6c0-2e9d1a4f7c35' })
  id!: string;

  @ApiProperty({ example: 'Community Mini-Grants' })
  name!: string;
}

export class EligibilityQuestionView implements EligibilityQuestion {
  @ApiProperty({ description: 'the key an application’s answers refer to', example: 'registered' })
  id!: string;

  @ApiProperty({
    type: () => LocalisedText,
    example: {
      ky: 'Топ айыл аймагында катталганбы?',
      ru: 'Группа зарегистрирована в айыльном аймаке?',
      en: 'Is the group registered in the aiyl aimak?',
    },
  })
  text!: LocalisedText;

  @ApiProperty({ description: 'a required question must be answered yes to be eligible', example: true })
  required!: boolean;
}

/** A group must include members from at least `minimumGroups` of `groups`. */
export class CompositionRuleView implements CompositionRule {
  @ApiProperty({ type: 'integer', example: 2 })
  minimumGroups!: number;

  @ApiProperty({
    enum: STAKEHOLDER_GROUPS,
    isArray: true,
    example: ['local_government', 'civil_society', 'religious_organisation'],
  })
  groups!: StakeholderGroup[];
}

export class CriterionView implements Criterion {
  @ApiProperty({ example: 'Community need' })
  name!: string;

  @ApiProperty({
    description: 'empty when the manager gave none',
    example: 'How many people the project serves, and how badly',
  })
  description!: string;

  @ApiProperty({ description: 'percent of the total score; the weights of a call sum to 100', example: 40 })
  weight!: number;
}

export class ScoringScaleView implements ScoringScale {
  @ApiProperty({ type: 'integer', example: 0 })
  min!: number;

  @ApiProperty({ type: 'integer', example: 5 })
  max!: number;
}

export class PlannedTrancheView implements PlannedTranche {
  @ApiProperty({ description: 'the tranche’s share of the award, in whole percent', example: 70 })
  sharePercent!: number;

  @ApiProperty({ enum: RELEASE_CONDITIONS, example: 'on_acceptance' })
  release!: ReleaseCondition;
}

export class ReportDueView implements ReportDue {
  @ApiProperty({ enum: ['interim', 'final'], example: 'interim' })
  kind!: 'interim' | 'final';

  @ApiProperty({ format: 'date-time', example: '2026-07-15T12:00:00.000Z' })
  dueAt!: string;
}

/** How the committee reviews the call's applications. */
export class CallReviewTerms {
  @ApiProperty({
    type: 'integer',
    description: 'days before the review deadline that reviewers with work left are reminded',
    example: 3,
  })
  reminderDays!: number;

  @ApiProperty({
    enum: RANK_BY,
    description: 'ranks by the mean of the reviews as given (`raw`), or of the reviews normalised per reviewer',
    example: 'raw',
  })
  rankBy!: RankBy;

  @ApiProperty({
    description:
      'reviews of one application spreading more than this (standard deviation, in points of 100) are flagged',
    example: 15,
  })
  disagreementThreshold!: number;

  @ApiProperty({ description: 'below this score (of 100) no application is proposed for funding', example: 0 })
  minimumScore!: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'at most this many awards per municipality in the funding proposals; null for no limit',
    example: 2,
  })
  maxAwardsPerMunicipality!: number | null;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'the committee’s deadline for reviews, set when review starts or later; null for none',
    example: '2026-05-15T12:00:00.000Z',
  })
  dueAt!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: WALL_CLOCK, example: '2026-05-15 18:00' })
  dueAtLocal!: string | null;

  @ApiProperty({
    description: 'the chair keeps the committee’s scores hidden from one another until every review is in',
    example: true,
  })
  scoresHiddenUntilComplete!: boolean;
}

const DESCRIPTION_FIELD = {
  type: () => LocalisedText,
  example: {
    ru: 'Гранты до 2500 евро на проекты инициативных групп.',
    en: 'Grants of up to EUR 2,500 for initiative groups’ projects.',
  },
} satisfies ApiPropertyOptions;

/** A call with all its terms and where its workflow stands. */
export class CallView extends WorkflowView {
  // Declared, not redefined: the base class's field, documented with the call's own states.
  @ApiProperty({ enum: CALL_STATES, description: 'the state the call’s workflow is in', example: 'open' })
  declare state: string;

  @ApiProperty({ format: 'uuid', example: '8a3f1c52-9d4e-4b7a-a1f0-6c2e5d8b9047' })
  id!: string;

  @ApiProperty({ type: () => ProgrammeRef })
  programme!: ProgrammeRef;

  @ApiProperty({
    type: () => LocalisedText,
    example: {
      ky: 'Гүлстан, Кара-Суу, Ноокат жана Өзгөн үчүн социалдык демилгелер 2026',
      ru: 'Социальные инициативы 2026: Гулистан, Кара-Суу, Ноокат и Узген',
      en: 'Social initiatives 2026: Gulistan, Kara-Suu, Nookat and Uzgen',
    },
  })
  title!: LocalisedText;

  @ApiProperty(DESCRIPTION_FIELD)
  description!: LocalisedText;

  @ApiProperty({ description: 'ISO 4217', example: 'EUR' })
  currency!: string;

  @ApiProperty({ description: `the call’s whole budget, ${AMOUNT}`, example: '12500.00' })
  budget!: string;

  @ApiProperty({ description: `the most one application may be awarded, ${AMOUNT}`, example: '2500.00' })
  maxAward!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T03:00:00.000Z' })
  opensAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-04-15T12:00:00.000Z' })
  closesAt!: string;

  @ApiProperty({ description: 'the programme’s IANA time zone', example: 'Asia/Bishkek' })
  timeZone!: string;

  @ApiProperty({ description: WALL_CLOCK, example: '2026-03-01 09:00' })
  opensAtLocal!: string;

  @ApiProperty({ description: WALL_CLOCK, example: '2026-04-15 18:00' })
  closesAtLocal!: string;

  @ApiProperty({
    type: [String],
    description: 'the aiyl aimaks where applicants must work; empty for anywhere',
    example: ['Gulistan', 'Kara-Suu', 'Nookat', 'Uzgen'],
  })
  municipalities!: string[];

  @ApiProperty({ type: () => [EligibilityQuestionView] })
  questions!: EligibilityQuestionView[];

  @ApiProperty({
    type: () => CompositionRuleView,
    nullable: true,
    description: 'null when any group may apply, whoever is in it',
  })
  composition!: CompositionRuleView | null;

  @ApiProperty({ type: () => [CriterionView] })
  criteria!: CriterionView[];

  @ApiProperty({ type: () => ScoringScaleView })
  scale!: ScoringScaleView;

  @ApiProperty({ type: 'integer', example: 3 })
  reviewersPerApplication!: number;

  @ApiProperty({
    description: `a tranche above this needs a second finance officer’s approval; ${AMOUNT}`,
    example: '2500.00',
  })
  financeThreshold!: string;

  @ApiProperty({ type: () => [ReportDueView], description: 'the reports each grant is scheduled to owe' })
  reportSchedule!: ReportDueView[];

  @ApiProperty({
    type: () => [PlannedTrancheView],
    description:
      'how each grant is paid: its tranches, in order, each a share of the award and when it may be requested',
  })
  paymentPlan!: PlannedTrancheView[];

  @ApiProperty({
    type: 'integer',
    description: 'how many applications one group may have under the call (withdrawn ones do not count)',
    example: 1,
  })
  applicationsPerGroup!: number;

  @ApiProperty({ type: () => CallReviewTerms })
  review!: CallReviewTerms;

  @ApiProperty({ format: 'date-time', example: '2026-02-10T08:30:00.000Z' })
  createdAt!: string;
}

/** Who may apply to a call. */
export class OpenCallEligibility extends PickType(CallView, [
  'municipalities',
  'questions',
  'composition',
  'applicationsPerGroup',
] as const) {}

/** What a group reads of a call before it has an account: the call's own terms, and who may apply. */
export class OpenCallView extends PickType(CallView, [
  'id',
  'title',
  'currency',
  'budget',
  'maxAward',
  'opensAt',
  'closesAt',
  'timeZone',
  'closesAtLocal',
] as const) {
  @ApiProperty({
    enum: LISTED_CALL_STATES,
    description: '`scheduled` calls are published and open later, at `opensAt`',
    example: 'open',
  })
  state!: (typeof LISTED_CALL_STATES)[number];

  @ApiProperty({ description: 'the programme’s name', example: 'Community Mini-Grants' })
  programme!: string;

  @ApiProperty({ ...DESCRIPTION_FIELD, description: 'the call’s description' })
  summary!: LocalisedText;

  @ApiProperty({ type: () => OpenCallEligibility })
  eligibility!: OpenCallEligibility;
}
