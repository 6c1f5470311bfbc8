import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '../../common/authenticated-user';
import { DomainError } from '../../common/domain-error';
import { DISBURSEMENT_EVENTS } from '../../disbursements/disbursements.events';
import { CurrentUser, Roles } from '../../identity/auth.guard';
import { WorkflowResources } from '../../workflow-http/workflow-resource';
import { byField, refusalOf, type FormError } from '../form-errors';
import { Pages, type PageLocals } from '../pages';
import { TranchePages } from './tranche-pages';

/** What the success banner on the payments page may say, by the `done` flag of the redirect to it. */
const DONE = ['requested'] as const;

/**
 * A grant's payments for the programme's manager: its tranches as GET /applications/{id}/tranches
 * lists them, and each asked of finance (REQUEST, or AMEND_AND_REQUEST after finance returned it)
 * through a confirmation page, sent as POST /tranches/{id}/events sends it. A tranche whose
 * condition does not hold yet says why, in the machine's words, instead of offering the button.
 */
@ApiExcludeController()
@Controller('manage/applications/:id')
export class PaymentPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly tranches: TranchePages,
    private readonly resources: WorkflowResources,
  ) {}

  @Get('payments')
  @Roles('manager')
  async payments(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.tranches.grant(id, user, (res.locals as PageLocals).locale);
    this.pages.send(req, res, 'finance-payments.njk', { ...page, done: DONE.find((d) => d === done) ?? null });
  }

  /** Asks before sending the request to finance: the amount, its condition, and who must approve it. */
  @Get('payments/:trancheId/request')
  @Roles('manager')
  async confirmPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('trancheId', new ParseUUIDPipe()) trancheId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.confirm(id, trancheId, user, req, res, []);
  }

  @Post('payments/:trancheId/request')
  @Roles('manager')
  async request(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('trancheId', new ParseUUIDPipe()) trancheId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { tranche } = await this.load(id, trancheId, user, res);
    const type = tranche.allowedEvents.includes('AMEND_AND_REQUEST') ? 'AMEND_AND_REQUEST' : 'REQUEST';
    try {
      await this.resources.send(DISBURSEMENT_EVENTS, trancheId, { type }, user);
    } catch (error) {
      const { errors, status } = refusalOf(error, (res.locals as PageLocals).locale, 'confirm');
      return this.confirm(id, trancheId, user, req, res, errors, status);
    }
    res.redirect(303, `/manage/applications/${id}/payments?done=requested`);
  }

  private async confirm(
    id: string,
    trancheId: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    errors: FormError[],
    status = 200,
  ): Promise<void> {
    const page = await this.load(id, trancheId, user, res);
    this.pages.send(req, res, 'finance-request.njk', { ...page, errors, problems: byField(errors) }, status);
  }

  /** The grant and the one tranche of it the address names: 404 for a tranche of another grant. */
  private async load(id: string, trancheId: string, user: AuthenticatedUser, res: Response) {
    const page = await this.tranches.grant(id, user, (res.locals as PageLocals).locale);
    const tranche = page.tranches.find((t) => t.id === trancheId);
    if (!tranche) throw DomainError.notFound('tranche', trancheId);
    return { ...page, tranche, number: page.tranches.indexOf(tranche) + 1 };
  }
}
