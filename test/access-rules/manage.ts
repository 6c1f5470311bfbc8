import { FORM_WITHOUT_TOKEN, type Rule } from '../support/access-rules';

// Only managers reach the manage pages (the roles' 403 for everyone else); a manager of another
// programme sees their own dashboard and lists, and gets what the API gives them for this
// programme's records: 403 on the published call's hub (as on its CSV), 404 on its email.
const MANAGERS_ONLY: Rule['outsiders'] = [403, 403, 403, 403, 200];

/** The rules of the manage pages (src/web/manage.controller.ts). */
export const MANAGE_PAGE_RULES: Record<string, Rule> = {
  'GET /manage': {
    rightful: 'manager',
    path: () => '/manage',
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /manage/calls/:id': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}`,
    outsiders: [403, 403, 403, 403, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /manage/applications': {
    rightful: 'manager',
    path: (i) => `/manage/applications?callId=${i.call}`,
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /manage/outbox': {
    rightful: 'manager',
    path: () => '/manage/outbox?status=dead',
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /manage/outbox/:id/retry': {
    rightful: 'manager',
    path: (i) => `/manage/outbox/${i.notification}/retry`,
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
};
