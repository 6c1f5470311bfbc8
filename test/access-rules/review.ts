import type { Rule } from '../support/access-rules';

/** The rules of the review pages (src/web/review.controller.ts). */
export const REVIEW_PAGE_RULES: Record<string, Rule> = {};
