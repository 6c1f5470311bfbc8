import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DriverException } from '@mikro-orm/core';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode, statusOf } from './domain-error';

export const CORRELATION_HEADER = 'x-correlation-id';

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

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: unknown }>();
    const response = http.getResponse<Response>();
    const error = this.toDomainError(exception);
    const status = statusOf(error.code);
    if (status >= 500) {
      this.logger.error({ err: exception, route: `${request.method} ${request.path}` }, 'request failed');
    }
    // A body the parser refused never reached the logger's middleware, so it has no id yet.
    const correlationId = String(request.id ?? randomUUID());
    response.setHeader(CORRELATION_HEADER, correlationId);
    response.status(status).json({
      error: { code: error.code, message: error.message, ...(Object.keys(error.details).length ? { details: error.details } : {}) },
      correlationId,
    });
  }

  private toDomainError(exception: unknown): DomainError {
    if (exception instanceof DomainError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = HTTP_CODES[status] ?? (status < 500 ? ErrorCode.ValidationFailed : ErrorCode.Internal);
      return new DomainError(code, status < 500 ? exception.message : 'internal error');
    }
    if (exception instanceof DriverException && /connect|terminat|timeout/i.test(exception.message)) {
      return new DomainError(ErrorCode.Unavailable, 'the database is not reachable');
    }
    return new DomainError(ErrorCode.Internal, 'internal error');
  }
}
