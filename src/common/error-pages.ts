import type { Request, Response } from 'express';
import type { DomainError } from './domain-error';

/**
 * Renders a refusal as a page, for a request a browser made to one of the web pages: the global
 * filter answers JSON everywhere else. The web layer provides it; the filter only knows this shape.
 */
export interface ErrorPages {
  /** Whether this refusal is a page's: on a page's route (the web layer marks them), or a browser's wrong address. */
  isPage(request: Request, response: Response, error: DomainError): boolean;
  render(request: Request, response: Response, error: DomainError, status: number, correlationId: string): void;
}

export const ERROR_PAGES = Symbol('ERROR_PAGES');
