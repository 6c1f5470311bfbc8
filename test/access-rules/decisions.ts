import { FORM_WITHOUT_TOKEN, type Rule } from '../support/access-rules';

// The ranking and decision pages are for the programme's managers alone, as GET /calls/{id}/ranking
// and POST /calls/{id}/decisions are for them: other roles are refused by role (403), another
// programme's manager by the call's access rule (403), as the API answers them.
const MANAGERS_ONLY: Rule['outsiders'] = [403, 403, 403, 403, 403];

/** The rules of the decisions pages (src/web/decisions.controller.ts). */
export const DECISION_PAGE_RULES: Record<string, Rule> = {
  'GET /manage/calls/:id/decisions': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/decisions`,
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /manage/calls/:id/decisions/record': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/decisions/record?from=byRank`,
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /manage/calls/:id/decisions/record': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/decisions/record`,
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /manage/calls/:id/decisions/confirm': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/decisions/confirm`,
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /manage/calls/:id/decisions/confirm': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/decisions/confirm`,
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
};
