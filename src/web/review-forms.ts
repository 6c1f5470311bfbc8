import { IsIn, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { RECOMMENDATIONS, type Recommendation } from '../../workflows/review.machine';
import type { Locale } from '../../workflows/localised';
import { DomainError } from '../common/domain-error';
import { Optional } from '../common/dto';
import { validateAs } from '../common/validation';
import { translate } from '../i18n/translate';
import { formErrors, formFields, refusalOf, type FormError, type Refusal } from './form-errors';
import type { BoardEntry } from '../reviews/review.views';

export class DeclarationForm {
  @IsIn(['no', 'yes'], { message: 'web.review.declare.answerMissing' })
  conflict!: string;

  @ValidateIf((form: DeclarationForm) => form.conflict === 'yes')
  @IsString({ message: 'web.review.declare.reasonMissing' })
  @Matches(/\S/, { message: 'web.review.declare.reasonMissing' })
  @MaxLength(2000, { message: 'web.review.reasonTooLong' })
  reason?: string;
}

export class CriterionForm {
  @Optional()
  @Matches(/^\d{1,3}$/, { message: 'web.review.form.scoreInvalid' })
  score?: string;

  @IsString({ message: 'web.review.form.commentTooLong' })
  @MaxLength(4000, { message: 'web.review.form.commentTooLong' })
  comment!: string;
}

export class OverallForm {
  @IsString({ message: 'web.review.form.overallTooLong' })
  @MaxLength(8000, { message: 'web.review.form.overallTooLong' })
  overallComment!: string;

  @Optional()
  @IsIn(RECOMMENDATIONS, { message: 'web.review.form.recommendationInvalid' })
  recommendation?: string;
}

export class ReopenForm {
  @IsString({ message: 'web.review.reopen.reasonMissing' })
  @Matches(/\S/, { message: 'web.review.reopen.reasonMissing' })
  @MaxLength(2000, { message: 'web.review.reasonTooLong' })
  reason!: string;
}

/** The review pages' forms: validated like the API's bodies, but not part of the API. */
export const REVIEW_FORMS = [DeclarationForm, CriterionForm, OverallForm, ReopenForm];

/** Problems of one sub-form, linked to the page's field ids. */
async function problemsOf(form: new () => object, values: object, ids: Record<string, string>): Promise<FormError[]> {
  try {
    await validateAs(form, values);
    return [];
  } catch (error) {
    return formErrors(error).map((e) => ({ ...e, field: ids[e.field] ?? e.field }));
  }
}

/** The member's answers on the board: one item per application answered anew, or the problems. */
export async function readDeclarations(
  body: unknown,
  entries: BoardEntry[],
): Promise<{
  values: Record<string, string>;
  items: { applicationId: string; conflicted: boolean; reason?: string }[];
  errors: FormError[];
}> {
  // A declaration made stands here; a conflict found later is declared on its own page.
  const open = entries.filter((e) => e.declaration === null);
  const names = open.flatMap((e) => [`conflict-${e.applicationId}`, `reason-${e.applicationId}`]);
  const values = formFields(body, names);
  const errors: FormError[] = [];
  const items: { applicationId: string; conflicted: boolean; reason?: string }[] = [];
  for (const e of open) {
    const conflict = values[`conflict-${e.applicationId}`];
    const reason = values[`reason-${e.applicationId}`];
    if (conflict === '') continue;
    const ids = { conflict: `conflict-${e.applicationId}`, reason: `reason-${e.applicationId}` };
    const found = await problemsOf(DeclarationForm, { conflict, reason }, ids);
    errors.push(...found);
    if (found.length === 0)
      items.push({
        applicationId: e.applicationId,
        conflicted: conflict === 'yes',
        ...(conflict === 'yes' && { reason }),
      });
  }
  if (items.length === 0 && errors.length === 0) {
    const field = open.length > 0 ? `conflict-${open[0].applicationId}` : 'declarations';
    errors.push({ field, key: 'web.review.declare.nothing' });
  }
  return { values, items, errors };
}

export interface ReviewDraft {
  scores: (number | null)[];
  comments: string[];
  overallComment: string;
  recommendation: Recommendation | null;
}

/** The review form as posted: the SAVE event's draft, or the problems, each linked to its field. */
export async function readReview(
  body: unknown,
  criteria: number,
): Promise<{ values: Record<string, string>; draft: ReviewDraft; errors: FormError[] }> {
  const names = [
    ...Array.from({ length: criteria }, (_, i) => [`score-${i}`, `comment-${i}`]).flat(),
    'overallComment',
    'recommendation',
  ];
  const values = formFields(body, names);
  const errors: FormError[] = [];
  for (let i = 0; i < criteria; i++) {
    const score = values[`score-${i}`];
    const form = { ...(score !== '' && { score }), comment: values[`comment-${i}`] };
    errors.push(...(await problemsOf(CriterionForm, form, { score: `score-${i}`, comment: `comment-${i}` })));
  }
  const overall = {
    overallComment: values.overallComment,
    ...(values.recommendation && { recommendation: values.recommendation }),
  };
  errors.push(...(await problemsOf(OverallForm, overall, {})));
  const draft: ReviewDraft = {
    scores: Array.from({ length: criteria }, (_, i) =>
      values[`score-${i}`] === '' ? null : Number(values[`score-${i}`]),
    ),
    comments: Array.from({ length: criteria }, (_, i) => values[`comment-${i}`]),
    overallComment: values.overallComment,
    recommendation: (values.recommendation || null) as Recommendation | null,
  };
  return { values, draft, errors };
}

/**
 * The machine's refusal of a review, for the error summary: each unscored criterion named on its
 * own line and linked to its radios, a missing recommendation linked to its radios, the rest to
 * the form's buttons.
 */
export function reviewRefusal(error: unknown, locale: Locale, criteria: string[]): Refusal {
  const { status, errors: worded } = refusalOf(error, locale, 'review-actions');
  const reasons = (error as DomainError).reasons;
  if (reasons.length !== worded.length) return { status, errors: worded };
  const errors = reasons.flatMap((reason, i): FormError[] => {
    if (reason.key === 'review.everyCriterionScored') {
      const list = (reason.params.criteria as { list?: string[] } | undefined)?.list ?? [];
      return list.map((name) => ({
        field: `score-${Math.max(criteria.indexOf(name), 0)}`,
        key: '',
        text: translate(locale, reason.key, { criteria: { list: [name] } }),
      }));
    }
    if (reason.key === 'review.recommendationGiven') return [{ ...worded[i], field: 'recommendation' }];
    if (reason.key === 'review.scoresOnScale') return [{ ...worded[i], field: 'score-0' }];
    return [worded[i]];
  });
  return { status, errors };
}
