import { MikroORM } from '@mikro-orm/core';
import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ApplicationContext } from '../../../workflows/application.machine';
import { LOCALES, type Locale } from '../../../workflows/localised';
import { AccessPolicy } from '../../access/access.policy';
import { agreementBlocks } from '../../applications/agreement-pdf';
import { AgreementService } from '../../applications/agreement.service';
import { APPLICATION_EVENTS } from '../../applications/applications.events';
import { ApplicationsService } from '../../applications/applications.service';
import { accountEnding, BankDetailsService } from '../../applications/bank-details.service';
import { BankDetailsDto } from '../../applications/dto/bank-details.dto';
import type { AuthenticatedUser } from '../../common/authenticated-user';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { validateAs } from '../../common/validation';
import { AppConfig } from '../../config/config';
import { CurrentUser, Roles } from '../../identity/auth.guard';
import { WorkflowResources } from '../../workflow-http/workflow-resource';
import { byField, formErrors, formFields, refusalOf, type FormError } from '../form-errors';
import { Pages, type PageLocals } from '../pages';
import {
  BANK_FIELDS,
  BankDetailsForm,
  agreementParts,
  bankDetailsBody,
  grantRunning,
  maskedAccount,
  shortChecksum,
  takesBankDetails,
  type BankField,
} from './award-forms';

type View = 'award.njk' | 'award-accept.njk' | 'award-bank-details.njk' | 'award-bank-details-check.njk';

/**
 * The group's award: the agreement read on the page and downloaded as a PDF, the bank account the
 * grant is paid into (given, checked, saved), and the acceptance asked for on its own page. Every
 * read and write goes through the agreement's and the bank details' services and the machine, with
 * the API's access rules (AccessPolicy); only the group's members use these pages.
 */
@ApiExcludeController()
@Controller('my-applications/:id')
@Roles('applicant')
export class AwardPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly orm: MikroORM,
    private readonly applications: ApplicationsService,
    private readonly agreements: AgreementService,
    private readonly bankDetails: BankDetailsService,
    private readonly resources: WorkflowResources,
    private readonly policy: AccessPolicy,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The agreement, its PDF, the bank account, and the award's actions. */
  @Get('award')
  async award(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.render('award.njk', id, user, req, res, { done: done === 'bankDetails' ? done : null });
  }

  /** The agreement as a PDF, downloaded: in the reader's language unless another is asked for. */
  @Get('agreement.pdf')
  async pdf(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('lang') lang: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('application', id, user, 'GET /applications/:id/agreement.pdf');
    const locale = LOCALES.find((l) => l === lang) ?? (res.locals as PageLocals).locale;
    const pdf = await this.agreements.pdf(id, locale);
    const { reference } = await this.applications.status(id, locale, false);
    res
      .status(200)
      .setHeader('Content-Type', 'application/pdf')
      .setHeader('Content-Disposition', `attachment; filename="agreement-${reference}-${locale}.pdf"`)
      .setHeader('Cache-Control', 'no-store')
      .send(pdf);
  }

  /** Asks before accepting: the amount, and the agreement accepted with it, by its checksum. */
  @Get('award/accept')
  async acceptPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.render('award-accept.njk', id, user, req, res, {});
  }

  @Post('award/accept')
  async accept(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.resources.send(APPLICATION_EVENTS, id, { type: 'ACCEPT_AWARD' }, user);
    } catch (error) {
      const { errors, status } = refusalOf(error, this.localeOf(res), 'accept', this.config.PROGRAMME_TIME_ZONE);
      return this.render('award-accept.njk', id, user, req, res, { errors }, status);
    }
    res.redirect(303, `/my-applications/${id}?done=accepted`);
  }

  /** The account's form, filled with the account given now, if any. */
  @Get('bank-details')
  async bankForm(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.openForBankDetails(id, user);
    const { current } = await this.bankDetails.read(id);
    const values = formFields(current ?? {}, BANK_FIELDS);
    await this.render('award-bank-details.njk', id, user, req, res, { values });
  }

  /** The form checked; then the details shown back to be checked before they are saved. */
  @Post('bank-details')
  async bankCheck(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.openForBankDetails(id, user);
    const values = formFields(body, BANK_FIELDS);
    // "Change them" on the check page posts the details back here to be edited.
    if ((body as Record<string, unknown> | undefined)?.change !== undefined)
      return this.render('award-bank-details.njk', id, user, req, res, { values });
    const errors = await this.problems(id, user, values);
    if (errors.length > 0) return this.render('award-bank-details.njk', id, user, req, res, { values, errors }, 422);
    await this.render('award-bank-details-check.njk', id, user, req, res, { values });
  }

  /** Saved as PUT /applications/{id}/bank-details saves them, then back where the group was going. */
  @Post('bank-details/confirm')
  async bankSave(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const values = formFields(body, BANK_FIELDS);
    const errors = await this.problems(id, user, values);
    if (errors.length > 0) return this.render('award-bank-details.njk', id, user, req, res, { values, errors }, 422);
    await this.policy.act('application', id, user, 'PUT /applications/:id/bank-details');
    try {
      const dto = await validateAs(BankDetailsDto, bankDetailsBody(values));
      await this.bankDetails.put(id, dto, user);
    } catch (error) {
      const refused = this.refusal(error, res);
      return this.render(
        'award-bank-details.njk',
        id,
        user,
        req,
        res,
        { values, errors: refused.errors },
        refused.status,
      );
    }
    const { state } = await this.machine(id, user);
    res.redirect(
      303,
      grantRunning(state) ? `/my-applications/${id}?done=bankDetails` : `/my-applications/${id}/award?done=bankDetails`,
    );
  }

  /** The form's problems in the page's words: its own rules, the reason once the grant runs, then the API's. */
  private async problems(id: string, user: AuthenticatedUser, values: Record<BankField, string>): Promise<FormError[]> {
    const body = bankDetailsBody(values);
    const errors: FormError[] = await validateAs(BankDetailsForm, body).then(() => [], formErrors);
    const { state } = await this.machine(id, user);
    if (grantRunning(state) && values.reason === '' && !errors.some((e) => e.field === 'reason'))
      errors.push({ field: 'reason', key: 'web.award.form.reasonMissing' });
    if (errors.length > 0) return errors;
    return validateAs(BankDetailsDto, body).then((): FormError[] => [], formErrors);
  }

  /**
   * A refusal of the details: the API's class-validator 400 on each field it names; the service's
   * sentence (the reason a running grant needs) on its field; anything else above the form.
   */
  private refusal(error: unknown, res: Response): { errors: FormError[]; status: number } {
    if (error instanceof DomainError && error.code === ErrorCode.ValidationFailed) {
      const field = error.reasons.find((r) => r.field !== undefined)?.field;
      const errors = field === undefined ? formErrors(error) : refusalOf(error, this.localeOf(res), field).errors;
      return { errors, status: 422 };
    }
    return refusalOf(error, this.localeOf(res), 'accountHolder', this.config.PROGRAMME_TIME_ZONE);
  }

  /** The bank details' pages are for an awarded grant and a running one, as the service's rule says. */
  private async openForBankDetails(id: string, user: AuthenticatedUser): Promise<void> {
    const { state } = await this.machine(id, user);
    if (!takesBankDetails(state))
      throw DomainError.because(ErrorCode.Conflict, [
        { key: 'bankDetails.notNow', params: { state: { term: `application.state.${state}` } } },
      ]);
  }

  private localeOf(res: Response): Locale {
    return (res.locals as PageLocals).locale;
  }

  /** The application's state, award and the events the group may send now; 404 when not theirs to act on. */
  private async machine(id: string, user: AuthenticatedUser) {
    await this.policy.act('application', id, user, 'GET /applications/:id/agreement');
    const loaded = await this.resources.load(this.orm.em.fork(), 'application', id);
    const context = loaded.snapshot.context as ApplicationContext;
    const { allowedEvents, state } = this.resources.viewOf('applications', id, loaded, user.role);
    return {
      instanceId: loaded.instance.id,
      state,
      award: context.awardedMinor === null ? null : { minor: context.awardedMinor, currency: context.currency },
      allowed: Object.fromEntries(allowedEvents.map((e) => [e, true])),
    };
  }

  /** One of the award's pages, with the agreement, the account now and the acceptance, if any. */
  private async render(
    view: View,
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    extra: { values?: Record<string, string>; errors?: FormError[]; done?: string | null },
    code = 200,
  ): Promise<void> {
    const { instanceId, state, award, allowed } = await this.machine(id, user);
    const locale = this.localeOf(res);
    const status = await this.applications.status(id, locale, false);
    const agreement = await this.agreements.document(id, locale);
    const { current } = await this.bankDetails.read(id);
    const acceptance = await this.agreements.acceptance(this.orm.em.fork(), instanceId);
    const context = {
      status,
      award,
      allowed,
      canGiveBankDetails: takesBankDetails(state),
      running: grantRunning(state),
      agreement: {
        parts: view === 'award.njk' ? agreementParts(agreementBlocks(agreement.html)) : [],
        checksum: shortChecksum(agreement.sha256),
      },
      bank: current && {
        ...current,
        masked: maskedAccount(current.accountNumber),
        ending: accountEnding(current.accountNumber),
      },
      acceptance: acceptance && {
        at: acceptance.acceptedAt,
        checksum: shortChecksum(acceptance.agreementSha256[locale] ?? ''),
      },
      values: {},
      done: null,
      ...extra,
      problems: byField(extra.errors),
    };
    this.pages.send(req, res, view, context, code);
  }
}
