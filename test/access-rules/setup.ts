import { FORM_WITHOUT_TOKEN, type Rule } from '../support/access-rules';

// The matrix's call is in review: published, so every signed-in user may read it through the API,
// but only its programme's managers may act on it. The setup pages are managers' only (403 for
// the other roles), and another programme's manager gets 403 as POST /calls/{id}/events answers.
// Past its draft, the task pages, publish and cancel send the manager back to the call's terms;
// past open, the deadline and close pages (src/web/call-deadline.controller.ts) send them back to the call.
const MANAGERS_ONLY: Rule['outsiders'] = [403, 403, 403, 403, 403];

/** The rules of the setup pages (src/web/call-setup.controller.ts, src/web/call-deadline.controller.ts). */
export const SETUP_PAGE_RULES: Record<string, Rule> = {
  // Any manager may start a call in their own programme.
  'GET /manage/calls/new': {
    rightful: 'manager',
    path: () => '/manage/calls/new',
    outsiders: [403, 403, 403, 403, 200],
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /manage/calls/new': {
    rightful: 'manager',
    path: () => '/manage/calls/new',
    body: { 'title-en': 'A new call' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /manage/calls/:id/setup': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/setup`,
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /manage/calls/:id/setup/:task': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/setup/criteria`,
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 303,
  },
  'POST /manage/calls/:id/setup/:task': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/setup/reviewers`,
    body: { count: '5' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /manage/calls/:id/publish': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/publish`,
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 303,
  },
  'POST /manage/calls/:id/publish': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/publish`,
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /manage/calls/:id/cancel': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/cancel`,
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 303,
  },
  'POST /manage/calls/:id/cancel': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/cancel`,
    body: { reason: 'The funding was withdrawn.' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /manage/calls/:id/deadline': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/deadline`,
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 303,
  },
  'POST /manage/calls/:id/deadline': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/deadline`,
    body: { 'closes-day': '1', 'closes-month': '1', 'closes-year': '2099', 'closes-time': '18:00' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /manage/calls/:id/close': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/close`,
    outsiders: MANAGERS_ONLY,
    anonymous: 303,
    rightfulGets: 303,
  },
  'POST /manage/calls/:id/close': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/close`,
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
};
