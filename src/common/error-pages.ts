import type { Request, Response } from 'express';
import type { DomainError } from './domain-error';

/**
 * Renders a refusal as a page, for a request a browser made to one of the web pages: the global
 * filter answers JSON everywhere else. The web layer provides it; the filter only knows this shape.
 */
export interface ErrorPages {
  /** Whether this request is for a page (the web layer marks its routes). */
  isPage(request: Request, response: Response): boolean;
  render(request: Request, response: Response, error: DomainError, status: number, correlationId: string): void;
}

export const ERROR_PAGES = Symbol('ERROR_PAGES');
