import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WorkflowResources, WorkflowRoutes, type WorkflowView } from '../workflow-http/workflow-resource';
import { REVIEW_EVENTS } from './reviews.events';
import {
  CONFLICT_EXAMPLES,
  ConflictBodyDto,
  DECLARATIONS_EXAMPLES,
  DeclarationsDto,
  RankingQueryDto,
  REASSIGN_EXAMPLES,
  ReassignDto,
  REOPEN_EXAMPLES,
  ReopenDto,
  VISIBILITY_EXAMPLES,
  VisibilityDto,
} from './dto/review.dto';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { RankingService } from './ranking.service';
import { AssignmentService } from './assignment.service';
import { BoardService } from './board.service';
import { ConflictsService } from './conflicts.service';
import {
  ApplicationDeclaration,
  ApplicationReviewsView,
  AssignmentOutcome,
  BoardView,
  DeclarationsOutcome,
  RankingView,
  ReviewView,
  ReviewWorkflowView,
  ScoresVisibility,
} from './review.views';
import { ReviewsService } from './reviews.service';
import type { AuthenticatedUser } from '../common/authenticated-user';

/** A committee member's review: SAVE the draft, SUBMIT it; then it is read-only until the chair reopens it. */
@ApiTags('reviews')
@Controller('reviews')
export class ReviewsController extends WorkflowRoutes(REVIEW_EVENTS) {
  constructor(
    resources: WorkflowResources,
    private readonly service: ReviewsService,
  ) {
    super(resources);
  }

  /** The review with the call's criteria, for its reviewer or the programme's manager. */
  @Get(':id')
  @Roles('committee', 'manager')
  @ApiOperation({
    summary: 'The review with the call’s criteria (its reviewer, or the programme’s managers)',
  })
  @ApiOkResponse({
    type: ReviewView,
    description: 'the review; `allowedEvents` is empty for anyone but its reviewer',
  })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<ReviewView> {
    return this.service.get(id, user);
  }

  /** The committee's chair sends a submitted review back to its reviewer; the reason is logged and emailed. */
  @Post(':id/reopen')
  @Roles('committee')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Sends a submitted review back to its reviewer; the reason is logged and emailed (the chair of the call’s committee)',
  })
  @ApiBody({ type: ReopenDto, examples: REOPEN_EXAMPLES })
  @ApiOkResponse({ type: ReviewWorkflowView, description: 'the review’s workflow, back in draft' })
  reopen(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReopenDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<WorkflowView> {
    return this.service.reopen(id, dto.reason, user);
  }
}

/** The committee's work on one call: declarations, assignment, the ranking. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('calls/:callId')
export class CallReviewController {
  constructor(
    private readonly service: ReviewsService,
    private readonly boards: BoardService,
    private readonly conflicts: ConflictsService,
    private readonly assignment: AssignmentService,
    private readonly ranking: RankingService,
  ) {}

  /** The applications under review: a member sees title, group and municipality to declare on, and their own reviews. */
  @Get('review')
  @Roles('committee', 'manager')
  @ApiOperation({
    summary:
      'The applications under review: title, group and municipality to declare on, and the caller’s own reviews (the call’s committee members); everyone’s declarations and reviews, and each member’s progress (the programme’s managers)',
  })
  @ApiOkResponse({ type: BoardView, description: 'the committee’s board for the call' })
  board(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<BoardView> {
    return this.boards.board(callId, user);
  }

  /** A member's declarations: for each application, a conflict of interest with its reason, or none. */
  @Post('conflicts')
  @Roles('committee')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The caller’s declarations: for each application, a conflict of interest with its reason, or none; a declared conflict stands (a member of the call’s committee)',
  })
  @ApiBody({ type: DeclarationsDto, examples: DECLARATIONS_EXAMPLES })
  @ApiOkResponse({ type: DeclarationsOutcome, description: 'the declarations as they now stand' })
  async declare(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() dto: DeclarationsDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<DeclarationsOutcome> {
    const declared = await this.conflicts.declare(callId, user, dto.items);
    return { items: declared.map((d, i) => ({ applicationId: dto.items[i].applicationId, ...d })) };
  }

  /** Assigns reviewers to every application under review: conflicts excluded, loads balanced; each reviewer is emailed. */
  @Post('assignments')
  @Roles('manager')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Assigns reviewers to every application under review, conflicts excluded and loads balanced; each reviewer is emailed (the programme’s managers)',
  })
  @ApiOkResponse({ type: AssignmentOutcome, description: 'the reviews added, and every member’s load' })
  assign(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssignmentOutcome> {
    return this.assignment.autoAssign(callId, user);
  }

  /** The ranking with scores and flags, and the two funding proposals: by rank, and the optimal set. */
  @Get('ranking')
  @Roles('committee', 'manager')
  @ApiOperation({
    summary:
      'The ranking with scores and flags, the two funding proposals (by rank, and the optimal set) and the money left (the programme’s managers; a committee member once their reviews are in)',
  })
  @ApiOkResponse({ type: RankingView, description: 'the ranking of the call’s applications under review' })
  rank(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Query() query: RankingQueryDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<RankingView> {
    const { maxAwardsPerMunicipality: limit, ...rest } = query;
    return this.ranking.ranking(callId, user, {
      ...rest,
      ...(limit !== undefined && { maxAwardsPerMunicipality: limit === 0 ? null : limit }),
    });
  }

  /** The chair's choice: members see one another's scores only once every review of an application is in. */
  @Put('committee/visibility')
  @Roles('committee')
  @ApiOperation({
    summary:
      'Whether members see one another’s scores only once every review of an application is in (the chair of the call’s committee)',
  })
  @ApiBody({ type: VisibilityDto, examples: VISIBILITY_EXAMPLES })
  @ApiOkResponse({ type: ScoresVisibility, description: 'the choice as it now stands' })
  visibility(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() dto: VisibilityDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ScoresVisibility> {
    return this.service.setScoresHidden(callId, dto.scoresHiddenUntilComplete, user);
  }
}

/** An application's reviews, and its reviewers changed by hand. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('applications/:id')
export class ApplicationReviewsController {
  constructor(
    private readonly service: ReviewsService,
    private readonly assignment: AssignmentService,
  ) {}

  /** Blind until submitted: a member reads the others' reviews only after submitting their own. */
  @Get('reviews')
  @Roles('committee', 'manager')
  @ApiOperation({
    summary:
      'The application’s reviews, blind until submitted: a member reads the others’ only after submitting their own (the programme’s managers, the call’s committee members)',
  })
  @ApiOkResponse({
    type: ApplicationReviewsView,
    description: 'the reviews, with content where the caller may read it',
  })
  reviews(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ApplicationReviewsView> {
    return this.service.forApplication(id, user);
  }

  /** Gives the application's review to another member; the new reviewer is emailed. */
  @Post('reviewers')
  @Roles('manager')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Gives the application’s review to another committee member, taking a draft away from another if named; the new reviewer is emailed (the programme’s managers)',
  })
  @ApiBody({ type: ReassignDto, examples: REASSIGN_EXAMPLES })
  @ApiOkResponse({ type: AssignmentOutcome, description: 'the review added, and every member’s load' })
  reassign(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReassignDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssignmentOutcome> {
    return this.assignment.reassign(id, dto, user);
  }
}

/** One declaration on one application (the same as POST /calls/{id}/conflicts with one item). */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications/:applicationId/conflict')
export class ConflictController {
  constructor(private readonly conflicts: ConflictsService) {}

  @Post()
  @Roles('committee')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The caller’s declaration on one application, as POST /calls/{callId}/conflicts with one item (a member of the call’s committee)',
  })
  @ApiBody({ type: ConflictBodyDto, examples: CONFLICT_EXAMPLES })
  @ApiOkResponse({ type: ApplicationDeclaration, description: 'the declaration as it now stands' })
  async declare(
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @Body() dto: ConflictBodyDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ApplicationDeclaration> {
    const declared = await this.conflicts.declareOne(applicationId, user, dto.conflicted, dto.reason);
    return { applicationId, ...declared };
  }
}
