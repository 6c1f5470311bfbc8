import { randomUUID } from 'node:crypto';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  Optional,
} from '@nestjs/common';
import { DriverException, NotFoundError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, statusOf } from './domain-error';
import { pickLocale } from '../i18n/locale';
import { shortageOf, ShortageMonitor } from './database-shortage';
import { ERROR_PAGES, type ErrorPages } from './error-pages';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Injection token: the time zone in which a refusal writes its dates (the programme's). */
export const REFUSAL_TIME_ZONE = 'REFUSAL_TIME_ZONE';

// What the framework's own refusals say, in the reader's language; another status keeps the framework's words.
const HTTP_REASONS: Partial<Record<number, string>> = {
  [HttpStatus.NOT_FOUND]: 'request.noSuchPath',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'request.tooLarge',
  [HttpStatus.TOO_MANY_REQUESTS]: 'request.tooMany',
};

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.ValidationFailed,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.Unauthenticated,
  [HttpStatus.FORBIDDEN]: ErrorCode.Forbidden,
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PayloadTooLarge,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.TooManyRequests,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.Unavailable,
};

/** The one place errors become HTTP answers: `{ error: { code, message, details }, correlationId }`. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');

  constructor(
    @Optional() private readonly shortages?: ShortageMonitor,
    @Optional() @Inject(REFUSAL_TIME_ZONE) private readonly timeZone: string = 'UTC',
    @Optional() @Inject(ERROR_PAGES) private readonly pages?: ErrorPages,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: unknown; user?: { locale?: string } }>();
    const response = http.getResponse<Response>();
    const refusal = this.toDomainError(exception);
    const error = this.inReadersWords(refusal, request);
    const status = statusOf(error.code);
    if (status >= 500) {
      this.logger.error({ err: exception, route: `${request.method} ${request.path}` }, 'request failed');
    }
    // A body the parser refused never reached the logger's middleware, so it has no id yet.
    const correlationId = String(request.id ?? randomUUID());
    response.setHeader(CORRELATION_HEADER, correlationId);
    // A page's refusal is a page, worded in the page's language.
    if (this.pages?.isPage(request, response, refusal))
      return this.pages.render(request, response, refusal, status, correlationId);
    // A route that answers HTML (the sign-in page) has set its type already; a refusal is JSON.
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.status(status).json({
      error: {
        code: error.code,
        message: error.message,
        ...(Object.keys(error.details).length ? { details: error.details } : {}),
      },
      correlationId,
    });
  }

  /** A refusal with reasons, worded in the reader's language: their own choice, else Accept-Language. */
  private inReadersWords(error: DomainError, request: Request & { user?: { locale?: string } }): DomainError {
    return error.inLocale(pickLocale(request.user?.locale, request.headers?.['accept-language']), this.timeZone);
  }

  private toDomainError(exception: unknown): DomainError {
    if (exception instanceof DomainError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Express refuses a body it cannot parse (not JSON, a prototype key, nested past the stack), or a path it
      // cannot decode, before any DTO; body-parser's errors carry a `type`.
      const cause = (exception as { cause?: unknown }).cause;
      if (
        status === HttpStatus.BAD_REQUEST &&
        (cause instanceof SyntaxError ||
          cause instanceof URIError ||
          typeof (cause as { type?: unknown })?.type === 'string')
      ) {
        const [field, key] =
          cause instanceof URIError ? ['(path)', 'validation.unreadablePath'] : ['(body)', 'validation.unreadableBody'];
        // The parser's own words stay beside the reader's sentence, for whoever debugs the client.
        return DomainError.because(ErrorCode.ValidationFailed, [{ key, params: {}, field }], {
          parser: exception.message,
        });
      }
      const code = HTTP_CODES[status] ?? (status < 500 ? ErrorCode.ValidationFailed : ErrorCode.Internal);
      const key = HTTP_REASONS[status];
      if (key) return DomainError.because(code, [{ key, params: {} }]);
      return new DomainError(code, status < 500 ? exception.message : 'internal error');
    }
    // findOneOrFail on a row that is not there (gone since the access check, or never there).
    if (exception instanceof NotFoundError)
      return DomainError.because(ErrorCode.NotFound, [{ key: 'record.gone', params: {} }]);
    // Two requests made the same unique record at once (the same new address invited by two groups):
    // the loser's transaction is rolled back whole, and trying again sees the winner's record.
    if (exception instanceof UniqueConstraintViolationException) {
      return DomainError.because(ErrorCode.Conflict, [{ key: 'request.raced', params: {} }]);
    }
    // The database ran short of disk, memory or connections: not the request's fault; readiness goes down.
    const shortage = shortageOf(exception);
    if (shortage) {
      this.shortages?.noteShortage(shortage);
      return shortage.sqlState === '53100'
        ? DomainError.because(ErrorCode.StorageFull, [{ key: 'service.storageFull', params: {} }])
        : DomainError.because(ErrorCode.Unavailable, [{ key: 'service.shortOf', params: { what: shortage.what } }]);
    }
    if (exception instanceof DriverException && /connect|terminat|timeout/i.test(exception.message)) {
      return DomainError.because(ErrorCode.Unavailable, [{ key: 'service.unreachable', params: {} }]);
    }
    return new DomainError(ErrorCode.Internal, 'internal error');
  }
}
