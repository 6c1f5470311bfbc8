import { Inject, Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccessPolicy } from '../access/access.policy';
import { CALL_EVENTS } from '../calls/calls.events';
import { CallsService } from '../calls/calls.service';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/config';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { OrganisationsService } from '../organisations/organisations.service';
import { AssignmentService } from '../reviews/assignment.service';
import { BoardService } from '../reviews/board.service';
import { ReviewsService } from '../reviews/reviews.service';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import { parseDeadline, parseMembers, parseReassign } from './committee-forms';
import { committeePage, deadlineValues, reviewersPage } from './committee-view';
import { byField, refusalOf, type FormError } from './form-errors';
import { Pages, type PageLocals } from './pages';

/** What a success banner on the committee page may say, by the `done` flag of the redirect to it. */
const DONE = ['members', 'started', 'deadline', 'assigned', 'assignedNone', 'reassigned'] as const;
type Done = (typeof DONE)[number];

interface Extra {
  done?: Done | null;
  values?: Record<string, string>;
  ticked?: string[];
  errors?: FormError[];
}

/** A form the page shows again refused: bad input is 422, whatever status the service's refusal has. */
const pageStatus = (status: number) => (status === 400 ? 422 : status);

/**
 * The call's committee as its manager runs it: members and chair, who has declared on what, the
 * assignment of reviewers and its refusals, reviewers changed by hand, reviews submitted and
 * outstanding, the review deadline. Each reads and acts through the same services and access rules
 * as the API routes it mirrors (GET/PUT /calls/{id}/committee, GET /calls/{id}/review,
 * POST /calls/{id}/assignments, POST /applications/{id}/reviewers, POST /calls/{id}/events).
 */
@ApiExcludeController()
@Controller('manage/calls/:id')
@Roles('manager')
export class CommitteePagesController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly pages: Pages,
    private readonly policy: AccessPolicy,
    private readonly calls: CallsService,
    private readonly organisations: OrganisationsService,
    private readonly boards: BoardService,
    private readonly assignment: AssignmentService,
    private readonly reviews: ReviewsService,
    private readonly resources: WorkflowResources,
  ) {}

  @Get('committee')
  async page(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.show(id, user, req, res, { done: DONE.find((d) => d === done) ?? null });
  }

  /** Sets the committee as PUT /calls/{id}/committee does: the ticked members replace the committee. */
  @Post('committee/members')
  async setMembers(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('call', id, user, 'PUT /calls/:callId/committee');
    const { values, ticked, errors, ok } = await parseMembers(body);
    if (!ok) return this.show(id, user, req, res, { values, ticked, errors }, 422);
    try {
      await this.organisations.setCommittee(id, user.programmeId as string, ok);
    } catch (error) {
      const refusal = this.refusal(error, res, 'members');
      return this.show(id, user, req, res, { values, ticked, errors: refusal.errors }, pageStatus(refusal.status));
    }
    res.redirect(303, `/manage/calls/${id}/committee?done=members`);
  }

  /** Starts the committee's review (the call closed), or sets its deadline (the review under way). */
  @Post('committee/deadline')
  async deadline(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('call', id, user, 'POST /calls/:id/events');
    const call = await this.calls.get(id, user.role);
    const start = call.allowedEvents.includes('START_REVIEW');
    const { values, errors, ok } = await parseDeadline(body, !start);
    if (errors.length > 0) return this.show(id, user, req, res, { values, errors }, 422);
    const event = start
      ? { type: 'START_REVIEW', ...(ok !== null && { reviewDueAt: ok }) }
      : { type: 'SET_REVIEW_DEADLINE', reviewDueAt: ok };
    try {
      await this.resources.send(CALL_EVENTS, id, event, user);
    } catch (error) {
      const refusal = this.refusal(error, res, 'reviewDueAt-day');
      return this.show(id, user, req, res, { values, errors: refusal.errors }, pageStatus(refusal.status));
    }
    res.redirect(303, `/manage/calls/${id}/committee?done=${start ? 'started' : 'deadline'}`);
  }

  /** Runs the assignment as POST /calls/{id}/assignments does; its refusal says who must still declare, or which application lacks reviewers. */
  @Post('committee/assignment')
  async assign(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('call', id, user, 'POST /calls/:callId/assignments');
    let added: number;
    try {
      added = (await this.assignment.autoAssign(id, user)).added.length;
    } catch (error) {
      const refusal = this.refusal(error, res, 'assign');
      return this.show(id, user, req, res, { errors: refusal.errors }, pageStatus(refusal.status));
    }
    res.redirect(303, `/manage/calls/${id}/committee?done=${added > 0 ? 'assigned' : 'assignedNone'}`);
  }

  /** One application's reviewers and reviews, and the form to change them by hand. */
  @Get('committee/applications/:applicationId')
  async reviewers(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showReviewers(id, applicationId, user, req, res, {});
  }

  /** Gives the application's review to another member as POST /applications/{id}/reviewers does. */
  @Post('committee/applications/:applicationId/reviewers')
  async reassign(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('application', applicationId, user, 'POST /applications/:id/reviewers');
    await this.entryOf(id, applicationId, user);
    const { values, errors, ok } = await parseReassign(body);
    if (!ok) return this.showReviewers(id, applicationId, user, req, res, { values, errors }, 422);
    try {
      await this.assignment.reassign(applicationId, ok, user);
    } catch (error) {
      const refusal = this.refusal(error, res, 'to');
      const shown = { values, errors: refusal.errors };
      return this.showReviewers(id, applicationId, user, req, res, shown, pageStatus(refusal.status));
    }
    res.redirect(303, `/manage/calls/${id}/committee?done=reassigned#application-${applicationId}`);
  }

  /** A service's refusal worded for the error summary, its dates on the programme's clock. */
  private refusal(error: unknown, res: Response, field: string) {
    return refusalOf(error, (res.locals as PageLocals).locale, field, this.config.PROGRAMME_TIME_ZONE);
  }

  /** The call, its committee and its board, each read as the API's GET routes read them. */
  private async load(id: string, user: AuthenticatedUser) {
    await this.policy.act('call', id, user, 'GET /calls/:callId/committee');
    const [call, board] = await Promise.all([this.calls.get(id, user.role), this.boards.board(id, user)]);
    // The board a manager reads names the committee's members and its chair: the committee itself.
    const members = (board.members ?? []).map(({ userId, name, chair }) => ({ userId, name, chair }));
    return { call, committee: { callId: id, members }, board };
  }

  /** The application on the call's board: 404 when it is not one of the call's applications under review. */
  private async entryOf(id: string, applicationId: string, user: AuthenticatedUser) {
    await this.policy.act('application', applicationId, user, 'GET /applications/:id/reviews');
    const { call, board } = await this.load(id, user);
    const entry = board.applications.find((a) => a.applicationId === applicationId);
    if (!entry) throw DomainError.notFound('application', applicationId);
    return { call, board, entry };
  }

  private async show(
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    extra: Extra,
    status = 200,
  ): Promise<void> {
    const { call, committee, board } = await this.load(id, user);
    const candidates = await this.organisations.committeeCandidates(user.programmeId as string);
    const view = committeePage(call, committee, candidates, board, (res.locals as PageLocals).locale);
    const values = { chair: view.chair, ...deadlineValues(call), ...extra.values };
    const ticked = extra.ticked ?? view.seated;
    const context = { ...view, ...extra, values, ticked, problems: byField(extra.errors) };
    this.pages.send(req, res, 'committee-call.njk', context, status);
  }

  private async showReviewers(
    id: string,
    applicationId: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    extra: Omit<Extra, 'done' | 'ticked'>,
    status = 200,
  ): Promise<void> {
    const { call, board, entry } = await this.entryOf(id, applicationId, user);
    const reviews = await this.reviews.forApplication(applicationId, user);
    const view = reviewersPage(call, entry, board, reviews, (res.locals as PageLocals).locale);
    const context = { ...view, values: { from: '', ...extra.values }, ...extra, problems: byField(extra.errors) };
    this.pages.send(req, res, 'committee-application.njk', context, status);
  }
}
