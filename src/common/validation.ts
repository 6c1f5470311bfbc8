import { ParseUUIDPipe, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import type { ExplanationParams } from '../../workflows/kit';
import { DomainError, ErrorCode, type Reason } from './domain-error';
import { MoneyFormatError, parseAmount } from './money';

export interface FieldProblem {
  field: string;
  problems: string[];
}

/** Flattens class-validator's tree into one entry per bad field, with dotted paths. */
export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...fieldProblems(e.children ?? [], field)];
  });
}

/** Fields refused with class-validator's words (English): the message that names them is the reader's. */
export function validationFailed(problems: FieldProblem[]): DomainError {
  const names = [...new Set(problems.map((p) => p.field))];
  return DomainError.because(
    ErrorCode.ValidationFailed,
    [{ key: 'validation.invalidFields', params: { count: names.length, fields: { list: names } } }],
    { fields: problems },
  );
}

/** One field refused with a sentence of the catalogue, in `details.fields` and the message alike. */
export function fieldRefused(field: string, key: string, params: ExplanationParams = {}): DomainError {
  return DomainError.because(ErrorCode.ValidationFailed, [{ key, params, field }]);
}

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// No DTO nests deeper than a few levels; a deeper body would only exhaust the stack of whatever walks it.
const MAX_DEPTH = 16;

/** Why PostgreSQL would refuse this text, in text and JSON columns alike; null when it would not. */
export function unstorable(text: string): 'nul' | 'halfSurrogate' | null {
  if (text.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'halfSurrogate';
  return null;
}

const KEY_REFUSALS = { nul: 'validation.keyNul', halfSurrogate: 'validation.keyHalfSurrogate' } as const;

/** A key as a field path can show it: NUL and surrogate halves written as \u escapes. */
const printable = (key: string) =>
  key.replace(/[\u0000\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Every string of a parsed body, query or parameter, keys included, that the database cannot store,
 * named by its dotted path (`questions.0.text.ru`), and anything nested deeper than any DTO goes.
 * Walked once, before any DTO, so no DTO can forget a field.
 */
export function unstorableFields(value: unknown, root = ''): Reason[] {
  const problems: Reason[] = [];
  const pending: [unknown, string, number][] = [[value, root, 0]];
  const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (pending.length > 0) {
    const [item, path, depth] = pending.pop() as [unknown, string, number];
    if (typeof item === 'string') {
      const problem = unstorable(item);
      const field = path || '(body)';
      if (problem) problems.push({ field, key: `validation.${problem}`, params: { field } });
    } else if (typeof item === 'object' && item !== null) {
      if (depth >= MAX_DEPTH) {
        const field = path || '(body)';
        problems.push({ field, key: 'validation.tooDeep', params: { field, max: MAX_DEPTH } });
        continue;
      }
      for (const [key, child] of Object.entries(item)) {
        const keyProblem = unstorable(key);
        if (keyProblem)
          problems.push({
            field: at(path, printable(key)),
            key: KEY_REFUSALS[keyProblem],
            params: { key: printable(key) },
          });
        pending.push([child, at(path, keyProblem ? printable(key) : key), depth + 1]);
      }
    }
  }
  return problems.reverse();
}

function refuseUnstorable(value: unknown, root = ''): void {
  const problems = unstorableFields(value, root);
  if (problems.length > 0) throw DomainError.because(ErrorCode.ValidationFailed, problems);
}

// Route parameters named `id` or `…Id` are UUIDs, whichever pipe the route gives them.
const ID_PARAMETER = /^(id|[a-z]\w*Id)$/;

/**
 * The global pipe: every body a DTO reads, every query and every route parameter is first walked for
 * text the database cannot store, and ids are checked to be UUIDs, each refusal naming its field;
 * then the DTO validates.
 */
class GlobalValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'query' ||
      metadata.type === 'param' ||
      (metadata.type === 'body' && this.toValidate(metadata))
    ) {
      refuseUnstorable(value, metadata.type === 'param' ? metadata.data : '');
    }
    if (metadata.type === 'param' && metadata.data && ID_PARAMETER.test(metadata.data)) {
      const field = metadata.data;
      await new ParseUUIDPipe({
        exceptionFactory: () => fieldRefused(field, 'validation.uuid', { field }),
      }).transform(value as string, metadata);
    }
    return super.transform(value, metadata);
  }
}

export function globalValidationPipe(): ValidationPipe {
  return new GlobalValidationPipe({
    ...OPTIONS,
    transform: true,
    exceptionFactory: (errors) => validationFailed(fieldProblems(errors)),
  });
}

/** Validates a plain object against a DTO class, as the global pipe would. */
export async function validateAs<T extends object>(cls: ClassConstructor<T>, body: unknown): Promise<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw fieldRefused('(body)', 'validation.bodyObject');
  }
  refuseUnstorable(body);
  const instance = plainToInstance(cls, body);
  const errors = await validate(instance, OPTIONS);
  if (errors.length > 0) throw validationFailed(fieldProblems(errors));
  return instance;
}

/** Converts a wire amount ("2500.00") to minor units, naming the field when it does not fit the currency. */
export function amountField(field: string, text: string, currency: string): number {
  try {
    return parseAmount(text, currency);
  } catch (error) {
    if (error instanceof MoneyFormatError) throw fieldRefused(field, error.key, error.params);
    throw error;
  }
}
