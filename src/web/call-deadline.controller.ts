import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { inLocale, type Locale } from '../../workflows/localised';
import { AccessPolicy } from '../access/access.policy';
import { CALL_EVENTS } from '../calls/calls.events';
import { CallsService } from '../calls/calls.service';
import type { CallView } from '../calls/call.views';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { AppConfig } from '../config/config';
import { translate } from '../i18n/translate';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import { deadlineValues, parseDeadline } from './call-deadline-forms';
import { wordedProblems, type SetupError } from './call-setup-forms';
import { refusalOf } from './form-errors';
import { Pages, type PageLocals } from './pages';

/** One line of a page's error summary, in the reader's language, linked to its field. */
interface Problem {
  text: string;
  href: string;
}

/** The route whose access rule these pages apply: they are its forms, as the setup pages are. */
const EVENTS_ROUTE = 'POST /calls/:id/events';

/**
 * While a call is open its manager may move its deadline later (EXTEND_DEADLINE) or close it at
 * once (CLOSE), as POST /calls/{id}/events sends them; each page asks first, then goes back to the
 * call's page with a banner. Past `open` the machine has neither event and the pages send the
 * manager back to the call.
 */
@ApiExcludeController()
@Controller('manage/calls')
@Roles('manager')
export class CallDeadlinePagesController {
  constructor(
    private readonly pages: Pages,
    private readonly calls: CallsService,
    private readonly resources: WorkflowResources,
    private readonly policy: AccessPolicy,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get(':id/deadline')
  async deadlinePage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const call = await this.load(id, user);
    if (!call.allowedEvents.includes('EXTEND_DEADLINE')) return res.redirect(303, callHref(id));
    this.show(req, res, 'setup-deadline.njk', call, deadlineValues(call.closesAt, call.timeZone), [], 200);
  }

  /** EXTEND_DEADLINE with the new deadline on the programme's clock; the machine's refusal in the reader's words. */
  @Post(':id/deadline')
  async extend(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const call = await this.load(id, user);
    const timeZone = this.config.PROGRAMME_TIME_ZONE;
    const parsed = parseDeadline(body, { closesAt: call.closesAt, timeZone, now: new Date() });
    const show = (problems: Problem[], status: number) =>
      this.show(req, res, 'setup-deadline.njk', call, parsed.values, problems, status);
    if (!parsed.closesAt) return show(this.word(res, parsed.errors), 422);
    try {
      await this.resources.send(CALL_EVENTS, id, { type: 'EXTEND_DEADLINE', closesAt: parsed.closesAt }, user);
    } catch (error) {
      const refusal = refusalOf(error, this.locale(res), 'closes', timeZone);
      return show(
        refusal.errors.map((e) => ({ href: '#closes', text: e.text ?? '' })),
        refusal.status,
      );
    }
    res.redirect(303, `${callHref(id)}?done=extended`);
  }

  /** Says what closing now does before it is done: no more submissions, drafts stay drafts, screening can start. */
  @Get(':id/close')
  async closePage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const call = await this.load(id, user);
    if (!call.allowedEvents.includes('CLOSE')) return res.redirect(303, callHref(id));
    this.show(req, res, 'setup-close.njk', call, {}, [], 200);
  }

  /** CLOSE, as POST /calls/{id}/events: the machine lets a manager close an open call before its deadline. */
  @Post(':id/close')
  async close(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const call = await this.load(id, user);
    try {
      await this.resources.send(CALL_EVENTS, id, { type: 'CLOSE' }, user);
    } catch (error) {
      const refusal = refusalOf(error, this.locale(res), 'close', this.config.PROGRAMME_TIME_ZONE);
      const problems = refusal.errors.map((e) => ({ href: '#close', text: e.text ?? '' }));
      return this.show(req, res, 'setup-close.njk', call, {}, problems, refusal.status);
    }
    res.redirect(303, `${callHref(id)}?done=closed`);
  }

  /** The call for its programme's manager, as the API's events route checks (404 when hidden, 403 when only readable). */
  private async load(id: string, user: AuthenticatedUser): Promise<CallView> {
    await this.policy.act('call', id, user, EVENTS_ROUTE);
    return this.calls.get(id, user.role);
  }

  private locale(res: Response): Locale {
    return (res.locals as PageLocals).locale;
  }

  private show(
    req: Request,
    res: Response,
    template: string,
    call: CallView,
    values: Record<string, string>,
    problems: Problem[],
    status: number,
  ): void {
    const hidden = translate(this.locale(res), 'web.errorPrefix');
    const fieldErrors = Object.fromEntries(
      [...problems].reverse().map((p) => [p.href.slice(1), { text: p.text, visuallyHiddenText: hidden }]),
    );
    const shown = { id: call.id, title: inLocale(call.title, this.locale(res)), closesAt: call.closesAt };
    const context = { call: shown, timeZone: call.timeZone, values, problems, fieldErrors };
    this.pages.send(req, res, template, context, status);
  }

  /** The page's own problems in the reader's language, the first for each field; dates on the programme's clock. */
  private word(res: Response, errors: SetupError[]): Problem[] {
    return wordedProblems(errors, this.locale(res), this.config.PROGRAMME_TIME_ZONE);
  }
}

const callHref = (id: string) => `/manage/calls/${id}`;
