import type { Rule } from '../support/access-rules';

/** The rules of the screening pages (src/web/screening.controller.ts). */
export const SCREENING_PAGE_RULES: Record<string, Rule> = {};
