import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/domain-error';
import type { ErrorPages } from '../common/error-pages';
import { translate } from '../i18n/translate';
import { formErrors } from './form-errors';
import { Pages, type PageLocals } from './pages';

/** A refusal on a page is a page: in the reader's language, with the way on; a visitor is sent to sign in. */
@Injectable()
export class ErrorPageRenderer implements ErrorPages {
  constructor(private readonly pages: Pages) {}

  isPage(request: Request, response: Response, error: DomainError): boolean {
    if ((response.locals as Partial<PageLocals>).page === true) return true;
    // An address no route serves, opened by a browser (it asks for HTML first): a page, not the API's JSON.
    const noRoute = error.reasons.some((r) => r.key === 'request.noSuchPath');
    return noRoute && request.method === 'GET' && request.accepts(['application/json', 'text/html']) === 'text/html';
  }

  render(request: Request, response: Response, error: DomainError, status: number, correlationId: string): void {
    const locals = response.locals as PageLocals;
    if (error.code === ErrorCode.Unauthenticated && request.method === 'GET') {
      return response.redirect(303, `/sign-in?next=${encodeURIComponent(request.originalUrl)}`);
    }
    const locale = locals.locale ?? this.pages.localeOf(request, null);
    // A page's own form or query refused: each problem as the page words it (its keys), else the refusal's sentences.
    const problems =
      error.code === ErrorCode.ValidationFailed ? formErrors(error).map((e) => translate(locale, e.key)) : [];
    const message = error.inLocale(locale).message;
    this.pages.send(
      request,
      response,
      'error.njk',
      { status, code: error.code, message, problems, correlationId },
      status,
    );
  }
}
