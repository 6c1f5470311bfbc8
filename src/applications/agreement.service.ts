import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import Handlebars from 'handlebars';
import { sql } from 'kysely';
import type { ApplicationContext, ApplicationEventType } from '../../workflows/application.machine';
import { isCurrency, paymentUnitMinor } from '../../workflows/currencies';
import { LOCALES, inLocale, type Locale } from '../../workflows/localised';
import { splitAward } from '../../workflows/payment-plan';
import { lineTotalMinor } from '../../workflows/proposal';
import { AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../common/domain-error';
import { db } from '../common/kysely';
import { formatDay, formatMoney } from '../i18n/format';
import { WorkflowInstance } from '../engine/engine.entities';
import { ApplicantGroup, Programme } from '../organisations/organisation.entities';
import { Call } from '../calls/call.entity';
import { Application } from './application.entity';
import { amountInWords } from './amount-in-words';
import { agreementPdf } from './agreement-pdf';

// The grant agreement: drawn up from the call's terms and the award once an application is awarded,
// from `templates/agreement/<locale>.html.hbs` (one per language), served as HTML and as a PDF laid
// out from that HTML. Everything it says is fixed by the award (the call's terms do not change once
// it is published, the proposal once it is submitted), so the same agreement renders byte for byte
// the same later: the SHA-256 of each language's HTML, recorded when the grant is accepted, proves
// what was accepted.

/** What the agreement's template reads. Applicant text arrives as plain strings, escaped by `{{ }}`. */
export interface AgreementModel {
  locale: Locale;
  programme: { name: string };
  group: { name: string; municipality: string; oblast: string };
  application: { reference: string; title: string };
  call: { title: string };
  award: { figures: string; words: string };
  awardedOn: string;
  tranches: {
    number: number;
    share: number;
    amount: string;
    onAcceptance: boolean;
    afterInterim: boolean;
    afterFinal: boolean;
  }[];
  budget: { category: string; description: string; total: string }[];
  reports: { interim: boolean; dueOn: string }[];
}

export interface AgreementDocument {
  html: string;
  /** Hex SHA-256 of the HTML's UTF-8 bytes, exactly as served. */
  sha256: string;
}

/** Who accepted the agreement and when, with the checksum of each language's HTML, from the transition log. */
export interface Acceptance {
  acceptedBy: string;
  acceptedAt: string;
  agreementSha256: Record<Locale, string>;
}

type Template = Handlebars.TemplateDelegate<AgreementModel>;

function agreementTemplatesDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'templates', 'agreement'))) return join(dir, 'templates', 'agreement');
    if (dirname(dir) === dir) throw new Error(`no templates/agreement folder above ${from}`);
  }
}

/** Compiles one language's template, strictly, refusing unescaped output. */
export function compileAgreement(file: string, hb: typeof Handlebars = Handlebars.create()): Template {
  const source = readFileSync(file, 'utf8');
  if (/\{\{\{|\{\{&/.test(source)) throw new Error(`${file}: unescaped output ({{{ or {{&) is not allowed`);
  return hb.compile<AgreementModel>(source, { strict: true });
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

@Injectable()
export class AgreementService {
  private readonly templates = new Map<Locale, Template>();
  private readonly timeZone: string;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    private readonly orm: MikroORM,
  ) {
    this.timeZone = config.PROGRAMME_TIME_ZONE;
    const dir = agreementTemplatesDir();
    const hb = Handlebars.create();
    for (const locale of LOCALES) this.templates.set(locale, compileAgreement(join(dir, `${locale}.html.hbs`), hb));
  }

  /** The agreement in one language, with its checksum; 409 before the application is awarded. */
  async document(
    applicationId: string,
    locale: Locale,
    em: EntityManager = this.orm.em.fork(),
  ): Promise<AgreementDocument> {
    const model = await this.model(em, applicationId, locale);
    const html = (this.templates.get(locale) as Template)(model);
    return { html, sha256: sha256Hex(html) };
  }

  /** The checksum of the agreement in every language: what an acceptance records. */
  async checksums(em: EntityManager, applicationId: string): Promise<Record<Locale, string>> {
    const sums: Partial<Record<Locale, string>> = {};
    for (const locale of LOCALES) sums[locale] = (await this.document(applicationId, locale, em)).sha256;
    return sums as Record<Locale, string>;
  }

  async pdf(applicationId: string, locale: Locale): Promise<Buffer> {
    return agreementPdf((await this.document(applicationId, locale)).html, locale);
  }

  /** The acceptance of the grant, as its ACCEPT_AWARD row of the transition log holds it; null before. */
  async acceptance(em: EntityManager, instanceId: string): Promise<Acceptance | null> {
    const row = await db(em)
      .selectFrom('transition_log')
      .select(['actor_id', 'at', 'payload'])
      .where('instance_id', '=', instanceId)
      .where('event_type', '=', sql.lit('ACCEPT_AWARD' satisfies ApplicationEventType))
      .executeTakeFirst();
    if (!row) return null;
    const facts = (row.payload as { facts?: { agreementSha256?: Record<Locale, string> } }).facts;
    return {
      acceptedBy: row.actor_id,
      acceptedAt: new Date(row.at).toISOString(),
      agreementSha256: facts?.agreementSha256 ?? { ky: '', ru: '', en: '' },
    };
  }

  private async model(em: EntityManager, applicationId: string, locale: Locale): Promise<AgreementModel> {
    const application = await em.findOne(Application, { id: applicationId });
    const instance =
      application && (await em.findOne(WorkflowInstance, { subjectType: 'application', subjectId: applicationId }));
    if (!application || !instance) throw DomainError.notFound('application', applicationId);
    const context = (instance.snapshot as { context: ApplicationContext }).context;
    const awardedAt = await this.awardedAt(em, instance.id);
    if (context.awardedMinor === null || awardedAt === null)
      throw DomainError.because(ErrorCode.Conflict, [
        { key: 'agreement.notAwarded', params: { state: { term: `application.state.${instance.state}` } } },
      ]);
    const call = await em.findOneOrFail(Call, { id: application.callId });
    const programme = await em.findOneOrFail(Programme, { id: call.programmeId });
    const group = await em.findOneOrFail(ApplicantGroup, { id: application.groupId });
    const currency = context.currency;
    const money = (minor: number) => formatMoney({ minor, currency }, locale);
    // The same split the acceptance starts the tranches with (grantTranches): whole soms in KGS.
    const unit = isCurrency(currency) ? paymentUnitMinor(currency) : 1;
    const amounts = splitAward(
      context.awardedMinor,
      call.paymentPlan.map((t) => t.sharePercent),
      unit,
    );
    return {
      locale,
      programme: { name: programme.name },
      group: { name: group.name, municipality: group.municipality, oblast: group.oblast },
      application: { reference: application.reference, title: context.title },
      call: { title: inLocale(call.title, locale) },
      award: {
        figures: money(context.awardedMinor),
        words: await amountInWords(context.awardedMinor, currency, locale),
      },
      awardedOn: formatDay(awardedAt, locale, this.timeZone),
      tranches: call.paymentPlan.map((t, i) => ({
        number: i + 1,
        share: t.sharePercent,
        amount: money(amounts[i]),
        onAcceptance: t.release === 'on_acceptance',
        afterInterim: t.release === 'interim_report_accepted',
        afterFinal: t.release === 'final_report_accepted',
      })),
      budget: context.proposal.budget.map((line) => ({
        category: line.category,
        description: line.description,
        total: money(lineTotalMinor(line)),
      })),
      reports: call.reportSchedule.map((r) => ({
        interim: r.kind === 'interim',
        dueOn: formatDay(r.dueAt, locale, this.timeZone),
      })),
    };
  }

  /** When the award was made: the last AWARD of the application (a waitlisted one is awarded once). */
  private async awardedAt(em: EntityManager, instanceId: string): Promise<string | null> {
    const row = await db(em)
      .selectFrom('transition_log')
      .select('at')
      .where('instance_id', '=', instanceId)
      .where('event_type', '=', sql.lit('AWARD' satisfies ApplicationEventType))
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    return row ? new Date(row.at).toISOString() : null;
  }
}
