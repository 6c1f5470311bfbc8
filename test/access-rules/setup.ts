import type { Rule } from '../support/access-rules';

/** The rules of the setup pages (src/web/call-setup.controller.ts). */
export const SETUP_PAGE_RULES: Record<string, Rule> = {};
