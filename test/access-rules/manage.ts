import type { Rule } from '../support/access-rules';

/** The rules of the manage pages (src/web/manage.controller.ts). */
export const MANAGE_PAGE_RULES: Record<string, Rule> = {};
