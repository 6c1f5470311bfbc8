import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, ErrorCode } from './domain-error';
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

export function validationFailed(problems: FieldProblem[]): DomainError {
  const names = problems.map((p) => p.field).join(', ');
  return new DomainError(ErrorCode.ValidationFailed, `invalid fields: ${names}`, { fields: problems });
}

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

export function globalValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...OPTIONS,
    transform: true,
    exceptionFactory: (errors) => validationFailed(fieldProblems(errors)),
  });
}

/** Validates a plain object against a DTO class, as the global pipe would. */
export async function validateAs<T extends object>(cls: ClassConstructor<T>, body: unknown): Promise<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationFailed([{ field: '(body)', problems: ['the body must be a JSON object'] }]);
  }
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
    if (error instanceof MoneyFormatError) throw validationFailed([{ field, problems: [error.message] }]);
    throw error;
  }
}
