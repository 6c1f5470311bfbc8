import { DomainError, ErrorCode } from '../common/domain-error';
import type { FieldProblem } from '../common/validation';

/** One problem of a form, for the error summary and the field: the field's id and a catalogue key. */
export interface FormError {
  field: string;
  key: string;
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
