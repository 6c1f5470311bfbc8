import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { inLocale } from '../../workflows/localised';
import { AccessPolicy } from '../access/access.policy';
import { ApplicationsService } from '../applications/applications.service';
import { CallsService } from '../calls/calls.service';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { validateAs } from '../common/validation';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { BoardService } from '../reviews/board.service';
import { ConflictsService } from '../reviews/conflicts.service';
import { RankingService } from '../reviews/ranking.service';
import { REVIEW_EVENTS } from '../reviews/reviews.events';
import { ReviewsService } from '../reviews/reviews.service';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import { byField, formErrors, formFields, refusalOf, type FormError } from './form-errors';
import { Pages, type PageLocals } from './pages';
import { DeclarationForm, ReopenForm, readDeclarations, readReview, reviewRefusal } from './review-forms';
import { blindWords, proposalMoney, rankingRows, rankingWait, waiting } from './review-views';
import type { RankingView } from '../reviews/review.views';

/** What a success banner may say, by the `done` flag of the redirect to the page. */
const DONE = ['declared', 'saved', 'submitted', 'reopened', 'visibility'] as const;

/** The chair's two choices of when members see one another's scores, as the form posts them. */
const VISIBILITY = { complete: true, own: false } as const;
const doneOf = (done: unknown) => DONE.find((d) => d === done) ?? null;

interface Shown {
  values?: Record<string, string>;
  errors?: FormError[];
  done?: string | null;
}

/**
 * A committee member's pages: the calls they sit on, a call's board with their declarations of
 * conflicts of interest and their reviews, the review form, the others' reviews as the blind rule
 * allows, and the ranking once their reviews are in. Each loads through the same service, with the
 * same access rule, as the API route it mirrors; a review changes only through its machine's events.
 */
@ApiExcludeController()
@Controller()
export class ReviewPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly boards: BoardService,
    private readonly conflicts: ConflictsService,
    private readonly reviews: ReviewsService,
    private readonly ranking: RankingService,
    private readonly calls: CallsService,
    private readonly applications: ApplicationsService,
    private readonly resources: WorkflowResources,
    private readonly policy: AccessPolicy,
  ) {}

  /** The calls the member sits on, with what waits on each: declarations, reviews, the deadline. */
  @Get('review')
  @Roles('committee')
  async hub(@CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { locale } = res.locals as PageLocals;
    const calls = [];
    for (const seat of await this.boards.seats(user)) {
      const call = await this.calls.get(seat.callId, null);
      const board = await this.boards.board(seat.callId, user);
      calls.push({ id: seat.callId, title: inLocale(call.title, locale), chair: seat.chair, ...waiting(board) });
    }
    this.pages.send(req, res, 'review-hub.njk', { calls });
  }

  /** The call's board: the applications to declare on, then the member's reviews. */
  @Get('review/calls/:id')
  @Roles('committee')
  async board(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showBoard(id, user, req, res, { done: doneOf(done) });
  }

  /** The member's declarations, sent as POST /calls/{id}/conflicts sends them: only the answers given anew. */
  @Post('review/calls/:id/conflicts')
  @Roles('committee')
  async declare(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const board = await this.boards.board(id, user);
    const { values, items, errors } = await readDeclarations(body, board.applications);
    if (errors.length > 0) return this.showBoard(id, user, req, res, { values, errors }, 422);
    try {
      await this.conflicts.declare(id, user, items);
    } catch (error) {
      const refused = refusalOf(error, (res.locals as PageLocals).locale, `conflict-${items[0].applicationId}`);
      return this.showBoard(id, user, req, res, { values, errors: refused.errors }, refused.status);
    }
    res.redirect(303, `/review/calls/${id}?done=declared`);
  }

  /**
   * The chair's choice of when members see one another's scores (PUT /calls/{id}/committee/visibility):
   * once they have submitted their own, or only once every review of an application is in.
   */
  @Post('review/calls/:id/visibility')
  @Roles('committee')
  async visibility(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { visibility } = formFields(body, ['visibility'] as const);
    const values = { visibility };
    if (!Object.hasOwn(VISIBILITY, visibility)) {
      const errors = [{ field: 'visibility', key: 'web.review.visibility.missing' }];
      return this.showBoard(id, user, req, res, { values, errors }, 422);
    }
    try {
      await this.reviews.setScoresHidden(id, VISIBILITY[visibility as keyof typeof VISIBILITY], user);
    } catch (error) {
      const refused = refusalOf(error, (res.locals as PageLocals).locale, 'visibility');
      return this.showBoard(id, user, req, res, { values, errors: refused.errors }, refused.status);
    }
    res.redirect(303, `/review/calls/${id}?done=visibility`);
  }

  /** The review form, or the review as submitted; the chair may send a submitted review back. */
  @Get('review/reviews/:id')
  @Roles('committee', 'manager')
  async review(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showReview(id, user, req, res, { done: doneOf(done) });
  }

  /** Saves the draft (SAVE), and with `action=submit` submits it (SUBMIT), as POST /reviews/{id}/events does. */
  @Post('review/reviews/:id')
  @Roles('committee')
  async saveReview(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const review = await this.reviews.get(id, user);
    const { values, draft, errors } = await readReview(body, review.criteria.length);
    if (errors.length > 0) return this.showReview(id, user, req, res, { values, errors }, 422);
    const { action } = formFields(body, ['action'] as const);
    const { locale } = res.locals as PageLocals;
    const names = review.criteria.map((c) => c.name);
    try {
      await this.resources.send(REVIEW_EVENTS, id, { type: 'SAVE', ...draft }, user);
      if (action === 'submit') await this.resources.send(REVIEW_EVENTS, id, { type: 'SUBMIT' }, user);
    } catch (error) {
      const refused = reviewRefusal(error, locale, names);
      return this.showReview(id, user, req, res, { values, errors: refused.errors }, refused.status);
    }
    res.redirect(303, `/review/reviews/${id}?done=${action === 'submit' ? 'submitted' : 'saved'}`);
  }

  /**
   * The chair sends a submitted review back to its reviewer with a reason (POST /reviews/{id}/reopen);
   * from an application's reviews (`application` names it) or from the review itself.
   */
  @Post('review/reviews/:id/reopen')
  @Roles('committee')
  async reopen(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const values = formFields(body, ['reason', 'application'] as const);
    const from = /^[0-9a-f-]{36}$/i.test(values.application) ? values.application : null;
    const field = `reason-${id}`;
    const again = (errors: FormError[], status: number) =>
      from
        ? this.showReviews(from, user, req, res, { values: { [field]: values.reason }, errors }, status)
        : this.showReview(id, user, req, res, { values: { [field]: values.reason }, errors }, status);
    try {
      await validateAs(ReopenForm, { reason: values.reason });
    } catch (error) {
      return again(
        formErrors(error).map((e) => ({ ...e, field })),
        422,
      );
    }
    try {
      await this.reviews.reopen(id, values.reason, user);
    } catch (error) {
      const refused = refusalOf(error, (res.locals as PageLocals).locale, field);
      return again(refused.errors, refused.status);
    }
    res.redirect(
      303,
      from ? `/review/applications/${from}/reviews?done=reopened` : `/review/reviews/${id}?done=reopened`,
    );
  }

  /** Asks a member who finds a conflict of interest late, on an application they may read, why. */
  @Get('review/applications/:id/conflict')
  @Roles('committee')
  async conflictPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showConflict(id, user, req, res, {});
  }

  /** The declaration on one application, as POST /applications/{id}/conflict sends it: it stands, and takes the review away. */
  @Post('review/applications/:id/conflict')
  @Roles('committee')
  async declareOne(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const application = await this.readable(id, user);
    const values = formFields(body, ['reason'] as const);
    try {
      await validateAs(DeclarationForm, { conflict: 'yes', reason: values.reason });
    } catch (error) {
      return this.showConflict(id, user, req, res, { values, errors: formErrors(error) }, 422);
    }
    try {
      await this.conflicts.declareOne(id, user, true, values.reason);
    } catch (error) {
      const refused = refusalOf(error, (res.locals as PageLocals).locale, 'reason');
      return this.showConflict(id, user, req, res, { values, errors: refused.errors }, refused.status);
    }
    res.redirect(303, `/review/calls/${application.callId}?done=declared`);
  }

  /** An application's reviews: the others' only as the blind rule allows (GET /applications/{id}/reviews). */
  @Get('review/applications/:id/reviews')
  @Roles('committee', 'manager')
  async applicationReviews(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showReviews(id, user, req, res, { done: doneOf(done) });
  }

  /** The ranking as GET /calls/{id}/ranking answers this member: refused until their reviews are in. */
  @Get('review/calls/:id/ranking')
  @Roles('committee')
  async rankingPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { locale } = res.locals as PageLocals;
    let ranking: RankingView;
    try {
      ranking = await this.ranking.ranking(id, user, {});
    } catch (error) {
      // Not yet for this member (their reviews, or everyone's, still to come): the page says why.
      const waitingFor = rankingWait(error, locale);
      if (!waitingFor) throw error;
      const call = await this.calls.get(id, null);
      const page = { callId: id, title: inLocale(call.title, locale), waitingFor };
      return this.pages.send(req, res, 'review-ranking.njk', page, 403);
    }
    const call = await this.calls.get(id, null);
    this.pages.send(req, res, 'review-ranking.njk', {
      callId: id,
      ranking,
      title: inLocale(call.title, locale),
      rows: rankingRows(ranking),
    });
  }

  /** The application as the member may read it: 404 when hidden from them, as GET /applications/{id} answers. */
  private async readable(id: string, user: AuthenticatedUser) {
    await this.policy.see('application', id, user, 'GET /applications/:id');
    return this.applications.get(id, null);
  }

  private async showConflict(
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    shown: Shown,
    status = 200,
  ): Promise<void> {
    const application = await this.readable(id, user);
    const context = { application, ...shown, values: shown.values ?? {}, problems: byField(shown.errors) };
    this.pages.send(req, res, 'review-conflict.njk', context, status);
  }

  private async showBoard(
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    shown: Shown,
    status = 200,
  ): Promise<void> {
    const board = await this.boards.board(id, user);
    const call = await this.calls.get(id, null);
    const chair = (await this.boards.seats(user)).some((s) => s.callId === id && s.chair);
    const { locale } = res.locals as PageLocals;
    const visibility = board.scoresHiddenUntilComplete ? 'complete' : 'own';
    const values = { visibility, ...shown.values };
    this.pages.send(
      req,
      res,
      'review-board.njk',
      {
        board,
        chair,
        visibility,
        title: inLocale(call.title, locale),
        criteria: call.criteria,
        ...waiting(board),
        ...shown,
        values,
        problems: byField(shown.errors),
      },
      status,
    );
  }

  private async showReview(
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    shown: Shown,
    status = 200,
  ): Promise<void> {
    const review = await this.reviews.get(id, user);
    const { related } = await this.policy.see('application', review.applicationId, user, 'GET /applications/:id');
    const application = related ? await this.applications.get(review.applicationId, null) : null;
    const chair = (await this.boards.seats(user)).some((s) => s.callId === review.callId && s.chair);
    const values = shown.values ?? {
      ...Object.fromEntries(review.scores.map((s, i) => [`score-${i}`, s === null ? '' : String(s)])),
      ...Object.fromEntries(review.comments.map((c, i) => [`comment-${i}`, c])),
      overallComment: review.overallComment,
      recommendation: review.recommendation ?? '',
    };
    const scale = Array.from({ length: review.scale.max - review.scale.min + 1 }, (_, i) => review.scale.min + i);
    this.pages.send(
      req,
      res,
      'review-form.njk',
      {
        review,
        proposal: application?.proposal ?? null,
        amounts: application && proposalMoney(application),
        editable: review.allowedEvents.includes('SAVE'),
        mayReopen: chair && review.state === 'submitted',
        scale,
        ...shown,
        values,
        problems: byField(shown.errors),
      },
      status,
    );
  }

  private async showReviews(
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    shown: Shown,
    status = 200,
  ): Promise<void> {
    const reviews = await this.reviews.forApplication(id, user);
    const application = await this.applications.get(id, null);
    const call = await this.calls.get(application.callId, null);
    const chair = (await this.boards.seats(user)).some((s) => s.callId === application.callId && s.chair);
    const { locale } = res.locals as PageLocals;
    this.pages.send(
      req,
      res,
      'review-reviews.njk',
      {
        reviews,
        application,
        callTitle: inLocale(call.title, locale),
        criteria: call.criteria,
        scale: call.scale,
        blind: blindWords(reviews),
        mayReopen: chair && user.role === 'committee',
        manager: user.role === 'manager',
        ...shown,
        values: shown.values ?? {},
        problems: byField(shown.errors),
      },
      status,
    );
  }
}
