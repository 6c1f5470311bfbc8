import { IsIn, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import type { ApplicationState } from '../../workflows/application.machine';
import type { RankBy } from '../../workflows/call.machine';
import type { Locale } from '../../workflows/localised';
import { Optional } from '../common/dto';
import { validateAs } from '../common/validation';
import { MoneyFormatError, parseAmount } from '../common/money';
import type { DecisionItemDto } from '../applications/dto/application.dto';
import type { RankingQuery } from '../reviews/ranking.service';
import type { PlanView, RankingEntry, RankingView } from '../reviews/review.views';
import { translate } from '../i18n/translate';
import { formErrors, formFields, type FormError } from './form-errors';

// The decision pages' forms and the words they are built from: the terms that recompute the
// proposals, one decision line per application, and how the two proposals differ.

const RANK_BY: readonly RankBy[] = ['raw', 'normalised'];

/** The terms a manager may try on the ranking page: each blank one is the call's own. */
export class RankingTermsForm {
  @Optional()
  @IsIn(['', ...RANK_BY], { message: 'web.decisions.terms.rankByInvalid' })
  rankBy?: string;

  @Optional()
  @IsString({ message: 'web.decisions.terms.minimumScoreInvalid' })
  @Matches(/^$|^(100|\d{1,2})([.,]\d{1,2})?$/, { message: 'web.decisions.terms.minimumScoreInvalid' })
  minimumScore?: string;

  @Optional()
  @IsString({ message: 'web.decisions.terms.limitInvalid' })
  @Matches(/^\d{0,3}$/, { message: 'web.decisions.terms.limitInvalid' })
  maxAwardsPerMunicipality?: string;
}

/** One application's line of the decision form, as posted; what it means is checked against the application. */
export class DecisionLineForm {
  @IsIn(['', 'AWARD', 'WAITLIST', 'REJECT'], { message: 'web.decisions.record.choiceInvalid' })
  decision!: string;

  @ValidateIf((line: DecisionLineForm) => line.decision === 'AWARD')
  @Matches(/^\d{1,16}([.,]\d{1,4})?$/, { message: 'web.decisions.record.amountInvalid' })
  amount!: string;

  @MaxLength(2000, { message: 'web.decisions.record.reasonTooLong' })
  reason!: string;

  @MaxLength(2000, { message: 'web.decisions.record.summaryTooLong' })
  summary!: string;
}

/** The decision pages' forms: validated like the API's bodies, but not part of the API. */
export const DECISION_FORMS = [RankingTermsForm, DecisionLineForm];

export type TermValues = Record<'rankBy' | 'minimumScore' | 'maxAwardsPerMunicipality', string>;

/** The terms from the query, checked: the ranking's query (blank ones left out), or the problems. */
export async function rankingTerms(
  query: unknown,
): Promise<{ values: TermValues; query: RankingQuery; errors: FormError[] }> {
  const values = formFields(query, ['rankBy', 'minimumScore', 'maxAwardsPerMunicipality'] as const);
  try {
    await validateAs(RankingTermsForm, values);
  } catch (error) {
    return { values, query: {}, errors: formErrors(error) };
  }
  const score = values.minimumScore.replace(',', '.');
  if (score !== '' && Number(score) > 100)
    return { values, query: {}, errors: [{ field: 'minimumScore', key: 'web.decisions.terms.minimumScoreInvalid' }] };
  return {
    values,
    errors: [],
    query: {
      ...(values.rankBy !== '' && { rankBy: values.rankBy as RankBy }),
      ...(score !== '' && { minimumScore: Number(score) }),
      // As the API reads it: 0 is no limit.
      ...(values.maxAwardsPerMunicipality !== '' && {
        maxAwardsPerMunicipality:
          Number(values.maxAwardsPerMunicipality) === 0 ? null : Number(values.maxAwardsPerMunicipality),
      }),
    },
  };
}

/** The terms as the page's links carry them on: only those given. */
export function termsQuery(values: TermValues): string {
  const given = Object.entries(values).filter(([, v]) => v !== '');
  return given.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** Applications a decision may still be recorded on: under review, scored, or on the waiting list. */
export const DECIDABLE: readonly string[] = ['in_review', 'reviewed', 'waitlisted'] satisfies ApplicationState[];

export type Proposal = 'byRank' | 'optimal';

/** The decision form's fields of one application. */
export const lineFields = (id: string) =>
  ({ decision: `decision-${id}`, amount: `amount-${id}`, reason: `reason-${id}`, summary: `summary-${id}` }) as const;

/**
 * The form as a proposal starts it: what the proposal funds awarded the amount asked for; the rest
 * put on the waiting list (those on it already stay there), for the manager to change.
 */
export function prefilled(entries: RankingEntry[], plan: PlanView | null): Record<string, string> {
  const funded = new Set(plan?.applicationIds ?? []);
  const values: Record<string, string> = {};
  for (const e of entries) {
    const f = lineFields(e.applicationId);
    const award = funded.has(e.applicationId);
    values[f.decision] = award ? 'AWARD' : e.state === 'waitlisted' ? '' : plan ? 'WAITLIST' : '';
    values[f.amount] = award ? e.requested : '';
  }
  return values;
}

/** What the form asked, as the API's decision items, or the problems of each line. */
export async function decisionItems(
  body: unknown,
  entries: RankingEntry[],
  currency: string,
  locale: Locale,
): Promise<{ values: Record<string, string>; items: DecisionItemDto[]; awardedMinor: number; errors: FormError[] }> {
  const values = formFields(
    body,
    entries.flatMap((e) => Object.values(lineFields(e.applicationId))),
  );
  const items: DecisionItemDto[] = [];
  const errors: FormError[] = [];
  let awardedMinor = 0;
  for (const e of entries) {
    const f = lineFields(e.applicationId);
    const line = {
      decision: values[f.decision],
      amount: values[f.amount],
      reason: values[f.reason],
      summary: values[f.summary],
    };
    const problems = await validateAs(DecisionLineForm, line).then(
      () => [] as FormError[],
      (error: unknown) => formErrors(error).map((p) => ({ ...p, field: f[p.field as keyof typeof f] ?? f.decision })),
    );
    if (problems.length === 0 && line.decision === 'WAITLIST' && e.state === 'waitlisted')
      problems.push({ field: f.decision, key: 'web.decisions.record.choiceInvalid' });
    if (problems.length > 0 || line.decision === '') {
      errors.push(...problems);
      continue;
    }
    if (line.decision === 'AWARD') {
      const award = awardLine(e, line.amount.replace(',', '.'), line.reason, currency, locale);
      if ('error' in award) {
        errors.push({ ...award.error, field: award.error.field === 'amount' ? f.amount : f.reason });
        continue;
      }
      awardedMinor += award.minor;
      items.push({
        applicationId: e.applicationId,
        type: 'AWARD',
        amount: line.amount.replace(',', '.'),
        ...(line.reason !== '' && { reason: line.reason }),
      });
    } else if (line.decision === 'REJECT') {
      items.push({
        applicationId: e.applicationId,
        type: 'REJECT',
        ...(line.summary !== '' && { reason: line.summary }),
      });
    } else items.push({ applicationId: e.applicationId, type: 'WAITLIST' });
  }
  return { values, items, awardedMinor, errors };
}

/** An award's amount checked against what the application asked: more than 0, at most that, less only with a reason. */
function awardLine(
  e: RankingEntry,
  amount: string,
  reason: string,
  currency: string,
  locale: Locale,
): { minor: number } | { error: FormError } {
  let minor: number;
  try {
    minor = parseAmount(amount, currency);
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    return { error: { field: 'amount', key: 'web.decisions.record.amountInvalid' } };
  }
  const requested = { money: e.requestedMinor, currency };
  const worded = (field: string, key: string) => ({
    error: { field, key, text: translate(locale, key, { requested, reference: e.reference }) },
  });
  if (minor <= 0) return worded('amount', 'web.decisions.record.amountPositive');
  if (minor > e.requestedMinor) return worded('amount', 'web.decisions.record.amountAboveRequested');
  if (minor < e.requestedMinor && reason === '') return worded('reason', 'web.decisions.record.reasonMissing');
  return { minor };
}

/** A sentence of the page: a catalogue key and its parameters. */
export interface Sentence {
  key: string;
  params: Record<string, unknown>;
}

/** How the two proposals differ, in sentences of the reader's language. */
export function differenceOf(ranking: RankingView, names: Map<string, string>): Sentence[] {
  const { byRank, optimal, difference } = ranking.proposals;
  const money = (minor: number) => ({ money: minor, currency: ranking.currency });
  if (!optimal) return [{ key: 'web.decisions.difference.noOptimal', params: {} }];
  const [onlyByRank, onlyOptimal] = [difference.onlyByRank, difference.onlyOptimal].map((ids) =>
    ids.map((id) => names.get(id) ?? id),
  );
  if (onlyByRank.length === 0 && onlyOptimal.length === 0)
    return [{ key: 'web.decisions.difference.same', params: { count: byRank.applicationIds.length } }];
  const limit = ranking.maxAwardsPerMunicipality;
  return [
    { key: 'web.decisions.difference.why', params: { limited: limit === null ? 'no' : 'yes', limit: limit ?? 0 } },
    ...(onlyByRank.length > 0
      ? [{ key: 'web.decisions.difference.onlyByRank', params: { list: { list: onlyByRank } } }]
      : []),
    ...(onlyOptimal.length > 0
      ? [{ key: 'web.decisions.difference.onlyOptimal', params: { list: { list: onlyOptimal } } }]
      : []),
    {
      key:
        optimal.totalScore === byRank.totalScore
          ? 'web.decisions.difference.sameScore'
          : 'web.decisions.difference.score',
      params: { optimal: optimal.totalScore ?? 0, byRank: byRank.totalScore ?? 0 },
    },
    {
      key: 'web.decisions.difference.left',
      params: { optimal: money(optimal.leftMinor), byRank: money(byRank.leftMinor) },
    },
  ];
}
