import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/domain-error';
import type { ErrorPages } from '../common/error-pages';
import { Pages, type PageLocals } from './pages';

/** A refusal on a page is a page: in the reader's language, with the way on; a visitor is sent to sign in. */
@Injectable()
export class ErrorPageRenderer implements ErrorPages {
  constructor(private readonly pages: Pages) {}

  isPage(_request: Request, response: Response): boolean {
    return (response.locals as Partial<PageLocals>).page === true;
  }

  render(request: Request, response: Response, error: DomainError, status: number, correlationId: string): void {
    const locals = response.locals as PageLocals;
    if (error.code === ErrorCode.Unauthenticated && request.method === 'GET') {
      return response.redirect(303, `/sign-in?next=${encodeURIComponent(request.originalUrl)}`);
    }
    const worded = error.inLocale(locals.locale ?? this.pages.localeOf(request, null));
    this.pages.send(
      request,
      response,
      'error.njk',
      { status, code: error.code, message: worded.message, correlationId },
      status,
    );
  }
}
