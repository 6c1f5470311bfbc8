import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  IntersectionType,
  PickType,
  getSchemaPath,
} from '@nestjs/swagger';
import { REVIEWED_STATES } from '../../workflows/application.machine';
import { CALL_STATES, RANK_BY, type RankBy } from '../../workflows/call.machine';
import { RECOMMENDATIONS, REVIEW_STATES, type Recommendation, type ReviewState } from '../../workflows/review.machine';
import { TIE_BREAK } from '../../workflows/scoring';
import { WorkflowView } from '../workflow-http/workflow-views';
import { EXAMPLE_ID, StatesOf } from '../applications/application.views';

// What the committee's routes answer, as classes the API documentation reads; the services build
// plain objects of these shapes. A person is named by `userId`, an application by `applicationId`.

const AMOUNT = { pattern: '^\\d+(\\.\\d+)?$' } as const;
const SCORE = { description: 'in percent of the scale, to hundredths', example: 82.5 } as const;

/** A committee member's declaration on one application. */
export class Declaration {
  @ApiProperty({ description: 'whether the member has a conflict of interest with it', example: false })
  conflicted!: boolean;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'why there is a conflict; null when there is none',
    example: null,
  })
  reason!: string | null;
}

/** A declaration with the application it is on. */
export class ApplicationDeclaration extends Declaration {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.application })
  applicationId!: string;
}

export class DeclarationsOutcome {
  @ApiProperty({ type: () => [ApplicationDeclaration], description: 'one per item sent, in the same order' })
  items!: ApplicationDeclaration[];
}

/** An application as the committee's lists name it. */
export class ApplicationLine {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.application })
  applicationId!: string;

  @ApiProperty({ example: 'KG-2026-0012' })
  reference!: string;

  @ApiProperty({ example: 'A new roof for the Gulistan youth centre' })
  title!: string;

  @ApiProperty({ description: 'the initiative group’s name', example: 'Gulistan youth initiative' })
  group!: string;

  @ApiProperty({ example: 'Gulistan' })
  municipality!: string;

  @ApiProperty({ enum: REVIEWED_STATES, example: 'in_review' })
  state!: string;
}

export class OwnReview {
  @ApiProperty({ format: 'uuid', description: 'the review’s id', example: EXAMPLE_ID.review })
  id!: string;

  @ApiProperty({ enum: REVIEW_STATES, example: 'draft' })
  state!: ReviewState;
}

/** A committee member, as the committee's lists name them. */
export class MemberRef {
  @ApiProperty({ format: 'uuid', description: 'the committee member’s user id', example: EXAMPLE_ID.user })
  userId!: string;

  @ApiProperty({ example: 'Aida Toktogulova' })
  name!: string;
}

/** One member's declaration, as the programme's managers see it. */
export class MemberDeclaration extends IntersectionType(MemberRef, Declaration) {}

export class BoardReviewer extends MemberRef {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.review })
  reviewId!: string;

  @ApiProperty({ enum: REVIEW_STATES, example: 'submitted' })
  state!: ReviewState;
}

/** One application of the call as a committee member first sees it: enough to declare a conflict. */
export class BoardEntry extends ApplicationLine {
  @ApiProperty({
    type: () => Declaration,
    nullable: true,
    description: 'the caller’s own declaration; null until made',
  })
  declaration!: Declaration | null;

  @ApiProperty({ type: () => OwnReview, nullable: true, description: 'the caller’s own review of it, if assigned' })
  review!: OwnReview | null;

  @ApiPropertyOptional({
    type: () => [MemberDeclaration],
    description: 'for the programme’s managers: every member’s declaration',
  })
  declarations?: MemberDeclaration[];

  @ApiPropertyOptional({
    type: () => [BoardReviewer],
    description: 'for the programme’s managers: every standing review',
  })
  reviewers?: BoardReviewer[];
}

/** A committee member's work on the call, as the programme's managers follow it. */
export class BoardMember extends MemberRef {
  @ApiProperty({ description: 'whether they chair the committee', example: true })
  chair!: boolean;

  @ApiProperty({ type: 'integer', description: 'applications they have still to declare on', example: 0 })
  undeclared!: number;

  @ApiProperty({ type: 'integer', description: 'standing reviews assigned to them', example: 5 })
  assigned!: number;

  @ApiProperty({ type: 'integer', description: 'of those, the ones submitted', example: 3 })
  submitted!: number;
}

export class BoardView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.call })
  callId!: string;

  @ApiProperty({ enum: CALL_STATES, description: 'the call’s state', example: 'reviewing' })
  state!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2027-05-15T12:00:00.000Z' })
  reviewDueAt!: string | null;

  @ApiProperty({
    description: 'the chair’s choice: members see one another’s scores only once every review of an application is in',
    example: true,
  })
  scoresHiddenUntilComplete!: boolean;

  @ApiProperty({ type: () => [BoardEntry], description: 'the applications under review, by reference' })
  applications!: BoardEntry[];

  @ApiPropertyOptional({ type: () => [BoardMember], description: 'for the programme’s managers, by name' })
  members?: BoardMember[];
}

export class ReviewCriterion {
  @ApiProperty({ example: 'Need in the community' })
  name!: string;

  @ApiProperty({ example: 'How many people the problem touches, and how badly' })
  description!: string;

  @ApiProperty({ description: 'its share of the weighted score', example: 40 })
  weight!: number;
}

export class ReviewScale {
  @ApiProperty({ type: 'integer', example: 0 })
  min!: number;

  @ApiProperty({ type: 'integer', example: 5 })
  max!: number;
}

/** A committee member's review with the call's criteria, and where its workflow stands. */
@StatesOf(REVIEW_STATES, 'draft')
export class ReviewView extends WorkflowView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.review })
  id!: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.call })
  callId!: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.application })
  applicationId!: string;

  @ApiProperty({ description: 'the application’s reference', example: 'KG-2026-0012' })
  reference!: string;

  @ApiProperty({ description: 'the application’s title', example: 'A new roof for the Gulistan youth centre' })
  title!: string;

  @ApiProperty({ type: () => MemberRef })
  reviewer!: MemberRef;

  @ApiProperty({ type: () => [ReviewCriterion], description: 'in the call’s order, the order of `scores`' })
  criteria!: ReviewCriterion[];

  @ApiProperty({ type: () => ReviewScale, description: 'the whole numbers a score may be' })
  scale!: ReviewScale;

  @ApiProperty({
    type: 'array',
    items: { type: 'integer', nullable: true },
    description: 'one per criterion; null where not yet scored',
    example: [4, 5, null],
  })
  scores!: (number | null)[];

  @ApiProperty({
    type: [String],
    description: 'one per criterion',
    example: ['Named by the village itself', 'A plan the group can carry out', ''],
  })
  comments!: string[];

  @ApiProperty({ example: 'Clear and modest.' })
  overallComment!: string;

  @ApiProperty({ enum: RECOMMENDATIONS, nullable: true, example: 'fund' })
  recommendation!: Recommendation | null;

  @ApiProperty({ ...SCORE, type: 'number', nullable: true, description: 'weighted, once every criterion is scored' })
  weightedScore!: number | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: null })
  submittedAt!: string | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'why it was last reopened or taken away',
    example: null,
  })
  reason!: string | null;
}

/** Where a review's workflow stands, as the chair's reopening answers it. */
@StatesOf(REVIEW_STATES, 'draft')
export class ReviewWorkflowView extends WorkflowView {}

/** A review's content, where the caller may read it. */
export class ReviewContent extends PickType(ReviewView, [
  'scores',
  'comments',
  'overallComment',
  'recommendation',
  'weightedScore',
] as const) {}

export class ApplicationReview {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.review })
  id!: string;

  @ApiProperty({ type: () => MemberRef })
  reviewer!: MemberRef;

  @ApiProperty({ description: 'whether the caller wrote it', example: false })
  mine!: boolean;

  @ApiProperty({ enum: REVIEW_STATES, example: 'submitted' })
  state!: ReviewState;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2027-05-02T14:20:00.000Z' })
  submittedAt!: string | null;

  @ApiPropertyOptional({ type: () => ReviewContent, description: 'present only where the caller may read it' })
  content?: ReviewContent;
}

/** An application's reviews, blind until the caller may read the others'. */
export class ApplicationReviewsView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.application })
  applicationId!: string;

  @ApiProperty({ description: 'whether the caller may read the others’ reviews', example: false })
  othersVisible!: boolean;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'why not, when they may not',
    example: 'submit your own review of this application first',
  })
  hiddenBecause!: string | null;

  @ApiProperty({ type: 'integer', description: 'standing reviews', example: 3 })
  assigned!: number;

  @ApiProperty({ type: 'integer', example: 2 })
  submitted!: number;

  @ApiProperty({ type: () => [ApplicationReview], description: 'in the order assigned' })
  reviews!: ApplicationReview[];
}

export class AssignedReview extends MemberRef {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.application })
  applicationId!: string;

  @ApiProperty({ example: 'KG-2026-0012' })
  reference!: string;

  @ApiProperty({ format: 'uuid', description: 'the new review', example: EXAMPLE_ID.review })
  reviewId!: string;
}

export class ReviewerLoad extends MemberRef {
  @ApiProperty({ type: 'integer', description: 'standing reviews, the new ones included', example: 5 })
  reviews!: number;
}

/** The reviews an assignment added, and every member's load after it. */
export class AssignmentOutcome {
  @ApiProperty({ type: () => [AssignedReview], description: 'empty when every application had its reviewers' })
  added!: AssignedReview[];

  @ApiProperty({ type: () => [ReviewerLoad] })
  loads!: ReviewerLoad[];
}

export class ScoresVisibility {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.call })
  callId!: string;

  @ApiProperty({ example: true })
  scoresHiddenUntilComplete!: boolean;
}

export class ReviewCounts {
  @ApiProperty({ type: 'integer', example: 3 })
  submitted!: number;

  @ApiProperty({ type: 'integer', example: 3 })
  assigned!: number;
}

export class RankingEntry extends ApplicationLine {
  @ApiProperty({ type: 'integer', description: 'from 1; equal scores are broken as `tieBreak` says', example: 1 })
  rank!: number;

  @ApiProperty({ ...AMOUNT, example: '2500.00' })
  requested!: string;

  @ApiProperty({ type: 'integer', description: 'the same in minor units of the currency', example: 250000 })
  requestedMinor!: number;

  @ApiProperty({ ...AMOUNT, type: 'string', nullable: true, description: 'null until awarded', example: null })
  awarded!: string | null;

  @ApiProperty({ type: () => ReviewCounts })
  reviews!: ReviewCounts;

  @ApiProperty({ ...SCORE, type: 'number', nullable: true, description: 'mean of the reviews’ weighted scores' })
  rawScore!: number | null;

  @ApiProperty({ ...SCORE, type: 'number', nullable: true, description: 'mean of the reviews normalised per reviewer' })
  normalisedScore!: number | null;

  @ApiProperty({ ...SCORE, type: 'number', nullable: true, description: 'the score that ranks, as `rankBy` chooses' })
  score!: number | null;

  @ApiProperty({ ...SCORE, type: 'number', nullable: true, description: 'its lowest review’s weighted score' })
  lowestReview!: number | null;

  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'standard deviation of its reviews’ weighted scores',
    example: 6.25,
  })
  spread!: number | null;

  @ApiProperty({ description: 'reviews spread more than the threshold: for the committee to discuss', example: false })
  disagreement!: boolean;

  @ApiProperty({
    description: 'when the group first submitted it; empty if never',
    example: '2027-03-01T08:00:00.000Z',
  })
  submittedAt!: string;

  @ApiProperty({ description: 'funded by the proposal by rank', example: true })
  proposedByRank!: boolean;

  @ApiProperty({ description: 'funded by the optimal proposal', example: true })
  proposedOptimal!: boolean;
}

/** A committee member's view of an application they declared a conflict with: its place only. */
export class WithheldEntry {
  @ApiProperty({ type: 'integer', example: 3 })
  rank!: number;

  @ApiProperty({ enum: [true], example: true })
  withheld!: true;
}

/** A set of applications proposed for funding. */
export class PlanView {
  @ApiProperty({ type: [String], format: 'uuid', description: 'in rank order', example: [EXAMPLE_ID.application] })
  applicationIds!: string[];

  @ApiProperty({ ...AMOUNT, description: 'what it awards', example: '11700.00' })
  total!: string;

  @ApiProperty({ type: 'integer', example: 1170000 })
  totalMinor!: number;

  @ApiProperty({
    type: 'number',
    nullable: true,
    description:
      'the funded scores summed; null for a committee member when it funds an application withheld from them',
    example: 412.5,
  })
  totalScore!: number | null;

  @ApiProperty({ ...AMOUNT, description: 'what the budget has left after it', example: '800.00' })
  left!: string;

  @ApiProperty({ type: 'integer', example: 80000 })
  leftMinor!: number;
}

export class PlanDifference {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'applications only the proposal by rank funds',
    example: [],
  })
  onlyByRank!: string[];

  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'applications only the optimal proposal funds',
    example: [],
  })
  onlyOptimal!: string[];

  @ApiProperty({
    description: 'in plain English for the programme manager',
    example: 'Both proposals fund the same 5 applications.',
  })
  explanation!: string;
}

export class FundingProposals {
  @ApiProperty({ type: () => PlanView, description: 'down the ranking while the money lasts' })
  byRank!: PlanView;

  @ApiProperty({
    type: () => PlanView,
    nullable: true,
    description: 'the set with the highest total score; null in the rare case its exact search hits its limit',
  })
  optimal!: PlanView | null;

  @ApiProperty({ type: () => PlanDifference })
  difference!: PlanDifference;
}

/** Where the money stands now: held by awards, freed by declined or withdrawn awards, left to award. */
export class RankingMoney {
  @ApiProperty({ ...AMOUNT, example: '11600.00' })
  awarded!: string;

  @ApiProperty({ type: 'integer', example: 1160000 })
  awardedMinor!: number;

  @ApiProperty({ ...AMOUNT, example: '0.00' })
  freed!: string;

  @ApiProperty({ type: 'integer', example: 0 })
  freedMinor!: number;

  @ApiProperty({ ...AMOUNT, example: '900.00' })
  left!: string;

  @ApiProperty({ type: 'integer', example: 90000 })
  leftMinor!: number;
}

export class Waitlist {
  @ApiProperty({ type: [String], format: 'uuid', description: 'best first', example: [EXAMPLE_ID.application] })
  applicationIds!: string[];

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'the application id of the first waitlisted application the money left would fund',
    example: EXAMPLE_ID.application,
  })
  nextFundable!: string | null;
}

/** The committee's scores put together: the ranking, the two funding proposals, the money left. */
@ApiExtraModels(RankingEntry, WithheldEntry)
export class RankingView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_ID.call })
  callId!: string;

  @ApiProperty({ pattern: '^[A-Z]{3}$', example: 'EUR' })
  currency!: string;

  @ApiProperty({ ...AMOUNT, description: 'the call’s budget', example: '12500.00' })
  budget!: string;

  @ApiProperty({ enum: RANK_BY, description: 'the scores ranked by', example: 'raw' })
  rankBy!: RankBy;

  @ApiProperty({ description: 'no funding proposed below this score (of 100)', example: 60 })
  minimumScore!: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'at most this many awards per municipality in the proposals; null for no limit',
    example: 2,
  })
  maxAwardsPerMunicipality!: number | null;

  @ApiProperty({ description: 'the spread above which reviews disagree', example: 15 })
  disagreementThreshold!: number;

  @ApiProperty({ description: 'how equal scores are ordered', example: TIE_BREAK })
  tieBreak!: string;

  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(RankingEntry) }, { $ref: getSchemaPath(WithheldEntry) }] },
    description: 'in rank order; an application the caller declared a conflict with shows only its place',
  })
  entries!: (RankingEntry | WithheldEntry)[];

  @ApiProperty({ type: () => FundingProposals })
  proposals!: FundingProposals;

  @ApiProperty({ type: () => RankingMoney })
  money!: RankingMoney;

  @ApiProperty({ type: () => Waitlist })
  waitlist!: Waitlist;
}
