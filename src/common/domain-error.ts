import { HttpStatus } from '@nestjs/common';
import type { ExplanationParams } from '../../workflows/kit';
import type { Locale } from '../../workflows/localised';
import { translate } from '../i18n/translate';

/** Every refusal the service gives, by code; the global filter turns them into HTTP answers. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  UnknownEventType = 'UNKNOWN_EVENT_TYPE',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  /** An unsafe request a browser may have been made to send by another site (CSRF). */
  CsrfRefused = 'CSRF_REFUSED',
  NotFound = 'NOT_FOUND',
  EventNotAllowed = 'EVENT_NOT_ALLOWED',
  GuardFailed = 'GUARD_FAILED',
  LockConflict = 'LOCK_CONFLICT',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  Unavailable = 'UNAVAILABLE',
  /** The database has no disk space left to write (SQLSTATE 53100): 503, and the instance is not ready. */
  StorageFull = 'STORAGE_FULL',
  Internal = 'INTERNAL',
}

export function statusOf(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.UnknownEventType:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.Unauthenticated:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.Forbidden:
    case ErrorCode.CsrfRefused:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.EventNotAllowed:
    case ErrorCode.GuardFailed:
    case ErrorCode.LockConflict:
    case ErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case ErrorCode.TooManyRequests:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.PayloadTooLarge:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.Unavailable:
    case ErrorCode.StorageFull:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.Internal:
      return HttpStatus.INTERNAL_SERVER_ERROR;
  }
}

/** One sentence of a refusal: a key of the catalogue (src/i18n) and its parameters. */
export interface Reason {
  key: string;
  params: ExplanationParams;
  /** The request field the sentence is about: a 400 lists it in `details.fields` with the sentence. */
  field?: string;
}

/** The refusal's sentences in `locale`, and the fields they name with each field's sentences. */
function worded(reasons: readonly Reason[], locale: Locale, timeZone?: string) {
  const sentences = reasons.map((r) => ({ ...r, message: translate(locale, r.key, r.params, { timeZone }) }));
  const named = [...new Set(sentences.flatMap((r) => (r.field === undefined ? [] : [r.field])))];
  const fields = named.map((field) => ({
    field,
    problems: sentences.filter((r) => r.field === field).map((r) => r.message),
  }));
  const message = sentences.map((r) => r.message).join(' ');
  return { message, reasons: sentences, ...(fields.length > 0 && { fields }) };
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** When given, the global filter words the answer in the reader's language from these. */
    readonly reasons: readonly Reason[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** A refusal worded from the catalogue: in English here, in the reader's language by the filter. */
  static because(code: ErrorCode, reasons: Reason[], details: Record<string, unknown> = {}): DomainError {
    const { message, ...words } = worded(reasons, 'en');
    return new DomainError(code, message, { ...details, ...words }, reasons);
  }

  /** The same refusal worded in the reader's language; one without reasons stays as it is. */
  inLocale(locale: Locale, timeZone?: string): DomainError {
    if (this.reasons.length === 0) return this;
    const { message, ...words } = worded(this.reasons, locale, timeZone);
    return new DomainError(this.code, message, { ...this.details, ...words }, this.reasons);
  }

  /** A record that is not there, or that the caller may not see: `kind` is one of `record.notFound`'s. */
  static notFound(kind: string, id: string): DomainError {
    return DomainError.because(ErrorCode.NotFound, [{ key: 'record.notFound', params: { kind, id } }]);
  }
}
