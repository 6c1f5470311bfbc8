import type { Rule } from '../support/access-rules';

/** The rules of the committee pages (src/web/committee.controller.ts). */
export const COMMITTEE_PAGE_RULES: Record<string, Rule> = {};
