import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { inLocale } from '../../workflows/localised';
import { AccessPolicy } from '../access/access.policy';
import { APPLICATION_EVENTS } from '../applications/applications.events';
import { ApplicationsService } from '../applications/applications.service';
import { ScreeningService } from '../applications/screening.service';
import { CallsService } from '../calls/calls.service';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { validateAs } from '../common/validation';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { ServiceSecret } from '../identity/secret';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import { byField, formErrors, formFields, refusalOf, type FormError } from './form-errors';
import { Pages, type PageLocals } from './pages';
import {
  ChosenApplications,
  OUTCOMES,
  ScreeningForm,
  eventOf,
  listField,
  questionLines,
  type Outcome,
} from './screening-forms';
import { OutcomeSeal, type ShownOutcome } from './screening-outcome';
import { historyRows, proposalOf, screeningCard, type ScreeningCard } from './screening-view';

interface FormState {
  values?: Record<string, string>;
  chosen?: string[];
  errors?: FormError[];
}

/** The decision's fields as posted, and the form they make once checked. */
async function decisionOf(
  body: unknown,
): Promise<{ values: Record<string, string>; form?: ScreeningForm; errors: FormError[] }> {
  const values = formFields(body, ['outcome', 'reason', 'questions'] as const);
  try {
    const form = await validateAs(ScreeningForm, {
      outcome: values.outcome,
      reason: values.reason,
      questions: questionLines(values.questions),
    });
    return { values, form, errors: [] };
  } catch (error) {
    return { values, errors: formErrors(error) };
  }
}

/**
 * Screening a call's submitted applications: the list with each one's computed eligibility check,
 * decisions on one or several at once (eligible; ineligible with the reason the group reads;
 * questions for the group), and one application as the programme's staff see it. Every decision
 * is the machine's event, sent as POST /calls/{id}/screening and POST /applications/{id}/events send
 * it, under the same access rules.
 */
@ApiExcludeController()
@Controller('manage')
export class ScreeningPagesController {
  private readonly seal: OutcomeSeal;

  constructor(
    private readonly pages: Pages,
    private readonly policy: AccessPolicy,
    private readonly screenings: ScreeningService,
    private readonly applications: ApplicationsService,
    private readonly calls: CallsService,
    private readonly resources: WorkflowResources,
    secret: ServiceSecret,
  ) {
    this.seal = new OutcomeSeal(secret.key);
  }

  /** The applications waiting for screening, oldest first, and what became of the last decisions sent. */
  @Get('calls/:id/screening')
  @Roles('manager')
  async list(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('outcome') outcome: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('call', id, user, 'GET /calls/:callId/screening');
    await this.showList(id, user, req, res, this.seal.open(outcome, user.id, id) ?? []);
  }

  /** Several decisions at once, each its own transition; the page then shows each one's outcome. */
  @Post('calls/:id/screening')
  @Roles('manager')
  async decide(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('call', id, user, 'POST /calls/:callId/screening');
    const chosen = listField(body, 'applications');
    const { values, form, errors } = await decisionOf(body);
    await validateAs(ChosenApplications, { applications: chosen }).catch((error: unknown) =>
      errors.unshift(...formErrors(error).map((e) => ({ ...e, field: 'applications' }))),
    );
    if (!form || errors.length > 0) return this.showList(id, user, req, res, [], { values, chosen, errors }, 422);
    const { locale } = res.locals as PageLocals;
    const event = eventOf(form);
    const items = chosen.map((applicationId) => ({ applicationId, ...event }));
    // Worded in the language of the page that shows the outcomes.
    const waiting = await this.screenings.screeningList(id);
    const references = new Map(waiting.map((a) => [a.id, a.reference]));
    const results = await this.screenings.sendBatch(id, items, { ...user, locale }, APPLICATION_EVENTS);
    const sealed = this.seal.seal(results, references, user.id, id);
    res.redirect(303, `/manage/calls/${id}/screening?outcome=${sealed}`);
  }

  /** One application as staff see it: the proposal, its files, the check, its history, and the decision form. */
  @Get('applications/:id')
  @Roles('manager')
  async application(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('application', id, user, 'GET /applications/:id/screening');
    const shown = OUTCOMES.find((o) => o === done) ?? null;
    await this.showApplication(id, user, req, res, { done: shown });
  }

  /** The decision on this one application, sent as POST /applications/{id}/events sends it. */
  @Post('applications/:id/screening')
  @Roles('manager')
  async screen(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('application', id, user, 'POST /applications/:id/events');
    const { values, form, errors } = await decisionOf(body);
    if (!form) return this.showApplication(id, user, req, res, { values, errors }, 422);
    try {
      await this.resources.send(APPLICATION_EVENTS, id, eventOf(form), user);
    } catch (error) {
      const refusal = refusalOf(error, (res.locals as PageLocals).locale, 'outcome');
      return this.showApplication(id, user, req, res, { values, errors: refusal.errors }, refusal.status);
    }
    res.redirect(303, `/manage/applications/${id}?done=${form.outcome}`);
  }

  private async showList(
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    outcomes: ShownOutcome[],
    state: FormState = {},
    status = 200,
  ): Promise<void> {
    const { locale } = res.locals as PageLocals;
    const [call, waiting] = await Promise.all([this.calls.get(id, user.role), this.screenings.screeningList(id)]);
    const cards = waiting.map((view) => screeningCard(view, call, locale));
    const byId = new Map(cards.map((c) => [c.id, c]));
    const refused: FormError[] = [];
    const done: { id: string; reference: string | null; state: string }[] = [];
    for (const o of outcomes) {
      const card = byId.get(o.id);
      const reference = card?.reference ?? o.reference;
      if ('refused' in o) {
        const text = reference ? `${reference}: ${o.refused}` : o.refused;
        refused.push({ field: card ? `choose-${card.id}` : 'applications', key: '', text });
      } else {
        done.push({ id: o.id, reference, state: o.state });
      }
    }
    this.pages.send(
      req,
      res,
      'screening-list.njk',
      {
        call: { id, title: inLocale(call.title, locale), state: call.state },
        cards,
        done,
        refusedCount: refused.length,
        values: state.values ?? {},
        chosen: Object.fromEntries((state.chosen ?? []).map((c) => [c, true])),
        // "choose at least one" takes the reader to the first checkbox
        errors: (state.errors ?? refused).map((e) =>
          e.field === 'applications' && cards.length > 0 ? { ...e, field: `choose-${cards[0].id}` } : e,
        ),
        problems: byField(state.errors),
      },
      status,
    );
  }

  private async showApplication(
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    extra: FormState & { done?: Outcome | null },
    status = 200,
  ): Promise<void> {
    const { locale } = res.locals as PageLocals;
    const view = await this.applications.get(id, user.role);
    const [call, screening, history] = await Promise.all([
      this.calls.get(view.callId, user.role),
      this.screenings.screening(id),
      this.resources.history('application', id, user, 'applications'),
    ]);
    const card: ScreeningCard = screeningCard(screening, call, locale);
    this.pages.send(
      req,
      res,
      'screening-application.njk',
      {
        call: { id: call.id, title: inLocale(call.title, locale) },
        application: view,
        card,
        proposal: proposalOf(view),
        history: historyRows(history),
        screenable: view.allowedEvents.includes('SCREEN'),
        done: extra.done ?? null,
        values: extra.values ?? {},
        errors: extra.errors,
        problems: byField(extra.errors),
      },
      status,
    );
  }
}
