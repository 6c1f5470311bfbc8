import { DomainError, ErrorCode, statusOf } from '../common/domain-error';
import type { FieldProblem } from '../common/validation';
import type { Locale } from '../../workflows/localised';

/**
 * One problem of a form, for the error summary and the field: the field's id and a catalogue key,
 * or, for a service's refusal already worded in the reader's language, its text.
 */
export interface FormError {
  field: string;
  key: string;
  text?: string;
}

/**
 * The problems of a refused form, each a catalogue key: a page's form DTO gives its validators a key
 * as their message (`web.signIn.emailInvalid`), so the page words it in the reader's language.
 * Anything but a validation refusal is not the form's to show, and is thrown on.
 */
export function formErrors(error: unknown): FormError[] {
  if (!(error instanceof DomainError) || error.code !== ErrorCode.ValidationFailed) throw error;
  const fields = (error.details.fields ?? []) as FieldProblem[];
  const seen = new Set<string>();
  return fields.flatMap((f) => {
    if (seen.has(f.field)) return [];
    seen.add(f.field);
    const key = f.problems.find((p) => p.startsWith('web.')) ?? 'web.form.invalid';
    return [{ field: f.field, key }];
  });
}

/** Refusals that are not a form's to show: the error page answers them (404, sign in, a fault). */
const NOT_FOR_THE_FORM: readonly ErrorCode[] = [
  ErrorCode.NotFound,
  ErrorCode.Unauthenticated,
  ErrorCode.CsrfRefused,
  ErrorCode.Internal,
  ErrorCode.Unavailable,
  ErrorCode.StorageFull,
];

/** A service's refusal of what a form asked, for the error summary, with the status to answer it with. */
export interface Refusal {
  errors: FormError[];
  status: number;
}

/**
 * A service's refusal of what a form asked (an event the machine refuses, a limit reached), for the
 * error summary: each of its sentences in the reader's language (its times on `timeZone`'s clock),
 * linked to `field`. A record not found, or a fault, is thrown on to the error page.
 */
export function refusalOf(error: unknown, locale: Locale, field: string, timeZone?: string): Refusal {
  if (!(error instanceof DomainError) || NOT_FOR_THE_FORM.includes(error.code)) throw error;
  const worded = error.inLocale(locale, timeZone);
  const sentences = ((worded.details.reasons ?? []) as { message: string }[]).map((r) => r.message);
  const errors = (sentences.length > 0 ? sentences : [worded.message]).map((text) => ({ field, key: '', text }));
  return { errors, status: statusOf(error.code) };
}

/** The form's problems by field, for each field's error message: the first problem of each. */
export function byField(errors: readonly FormError[] = []): Record<string, FormError> {
  return Object.fromEntries([...errors].reverse().map((e) => [e.field, e]));
}

/** The fields of a posted form, as text (a field left out is empty): only those the form has. */
export function formFields<K extends string>(body: unknown, names: readonly K[]): Record<K, string> {
  const posted = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(
    names.map((name) => [name, typeof posted[name] === 'string' ? (posted[name] as string).trim() : '']),
  ) as Record<K, string>;
}
