import type { Rule } from '../support/access-rules';

/** The rules of the decisions pages (src/web/decisions.controller.ts). */
export const DECISION_PAGE_RULES: Record<string, Rule> = {};
