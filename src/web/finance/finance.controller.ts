import { MikroORM } from '@mikro-orm/core';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { inLocale } from '../../../workflows/localised';
import type { AuthenticatedUser } from '../../common/authenticated-user';
import { DomainError } from '../../common/domain-error';
import { parseAmount } from '../../common/money';
import { DISBURSEMENT_EVENTS } from '../../disbursements/disbursements.events';
import { DisbursementsService } from '../../disbursements/disbursements.service';
import { CurrentUser, Roles } from '../../identity/auth.guard';
import { WorkflowResources } from '../../workflow-http/workflow-resource';
import { byField, refusalOf, type FormError } from '../form-errors';
import { Pages, type PageLocals } from '../pages';
import { TRANCHE_ACTIONS, TRANCHE_DONE, actionForm, actionOf, refusedField, type TrancheAction } from './finance-forms';
import { callsWithPayments } from './finance-reads';
import { TranchePages } from './tranche-pages';

/**
 * A finance officer's pages: the tranches waiting for them (GET /finance/queue), one tranche with
 * its grant, approvals, payment and history (GET /tranches/{id}), and each thing they may do to it
 * on a page of its own. Every action is an event sent as POST /tranches/{id}/events sends it, so the
 * access rules, the roles and every guard of the machine apply; a refusal shows in the error summary.
 */
@ApiExcludeController()
@Controller()
export class FinancePagesController {
  constructor(
    private readonly pages: Pages,
    private readonly orm: MikroORM,
    private readonly disbursements: DisbursementsService,
    private readonly tranches: TranchePages,
    private readonly resources: WorkflowResources,
  ) {}

  /** What waits for the officer, longest waiting first, and each call's payments as CSV. */
  @Get('finance')
  @Roles('finance')
  async queue(@CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { locale } = res.locals as PageLocals;
    const queue = await this.disbursements.queue(user);
    const calls = user.programmeId ? await callsWithPayments(this.orm.em.fork(), user.programmeId) : [];
    this.pages.send(req, res, 'finance-queue.njk', {
      items: queue.map((q) => ({ ...q, money: { minor: parseAmount(q.amount, q.currency), currency: q.currency } })),
      calls: calls.map((c) => ({ ...c, title: inLocale(c.title, locale) })),
    });
  }

  /** One tranche: its amount, grant, threshold, approvals, payment, history and what the officer may do. */
  @Get('finance/tranches/:id')
  @Roles('finance')
  async tranche(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.tranches.tranche(id, user, (res.locals as PageLocals).locale);
    const shown = TRANCHE_DONE.find((d) => d === done) ?? null;
    this.pages.send(req, res, 'finance-tranche.njk', { ...page, done: shown });
  }

  /** The page of one action: approve or reject (each asking first), record a payment, its failure or its return. */
  @Get('finance/tranches/:id/:action')
  @Roles('finance')
  async actionPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('action') name: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const action = this.known(name, id);
    const page = await this.tranches.tranche(id, user, (res.locals as PageLocals).locale);
    const values = action === 'payment' ? { amount: page.tranche.amount } : {};
    this.pages.send(req, res, 'finance-action.njk', { ...page, action, values, problems: {} });
  }

  /** The action's event, sent as the API sends it; then back to the tranche with its banner. */
  @Post('finance/tranches/:id/:action')
  @Roles('finance')
  async act(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('action') name: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const action = this.known(name, id);
    const { locale } = res.locals as PageLocals;
    const form = actionForm(action, body);
    const show = async (errors: FormError[], status: number) => {
      const page = await this.tranches.tranche(id, user, locale);
      const context = { ...page, action, values: form.values, errors, problems: byField(errors) };
      this.pages.send(req, res, 'finance-action.njk', context, status);
    };
    if (!form.event) return show(form.errors, 422);
    try {
      await this.resources.send(DISBURSEMENT_EVENTS, id, form.event, user);
    } catch (error) {
      const field = error instanceof DomainError ? refusedField(action, error.details.failedConditions) : 'confirm';
      const { errors, status } = refusalOf(error, locale, field);
      return show(errors, status === 400 ? 422 : status);
    }
    res.redirect(303, `/finance/tranches/${id}?done=${TRANCHE_ACTIONS[action].done}`);
  }

  /** An action this page has, or the page is not found. */
  private known(name: string, id: string): TrancheAction {
    const action = actionOf(name);
    if (!action) throw DomainError.notFound('tranche', id);
    return action;
  }
}
