import { MailWorker } from '../src/notifications/mail.worker';
import { sqlRows } from '../src/common/sql';
import { IdentityService } from '../src/identity/identity.service';
import { ServiceSecret } from '../src/identity/secret';
import { linkToken } from '../src/identity/tokens';
import { giveBankDetails, openCall, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import {
  ALL_HIDDEN,
  EVERYONE_SEES,
  FORM_WITHOUT_TOKEN,
  OUTSIDERS,
  type Ids,
  type Outsider,
  type Rightful,
  type Expected,
  type Rule,
} from './support/access-rules';
import { SETUP_PAGE_RULES } from './access-rules/setup';
import { MANAGE_PAGE_RULES } from './access-rules/manage';
import { SCREENING_PAGE_RULES } from './access-rules/screening';
import { COMMITTEE_PAGE_RULES } from './access-rules/committee';
import { REVIEW_PAGE_RULES } from './access-rules/review';
import { DECISION_PAGE_RULES } from './access-rules/decisions';
import { AGREEMENT_RULES } from './access-rules/agreement';
import { FINANCE_PAGE_RULES } from './access-rules/finance';
import { AWARD_PAGE_RULES } from './access-rules/award';

// Every route the Nest router serves, called by everyone who must not get through and by the one
// who must. A route added without a rule here fails the test.

const RULES: Record<string, Rule> = {
  ...SETUP_PAGE_RULES,
  ...MANAGE_PAGE_RULES,
  ...SCREENING_PAGE_RULES,
  ...COMMITTEE_PAGE_RULES,
  ...REVIEW_PAGE_RULES,
  ...DECISION_PAGE_RULES,
  ...AGREEMENT_RULES,
  ...FINANCE_PAGE_RULES,
  ...AWARD_PAGE_RULES,
  // The web pages
  'GET /': { rightful: 'applicant', path: () => '/', outsiders: EVERYONE_SEES, open: true, rightfulGets: 200 },
  // The matrix's call is past its applications: only a call open now, or published to open, has a public page.
  'GET /open-calls/:id': {
    rightful: 'applicant',
    path: (i) => `/open-calls/${i.call}`,
    outsiders: ALL_HIDDEN,
    open: true,
    rightfulGets: 404,
  },
  'GET /language/:lang': {
    rightful: 'applicant',
    path: () => '/language/ru?back=/',
    outsiders: [303, 303, 303, 303, 303],
    open: true,
    rightfulGets: 303,
  },
  'GET /sign-in': {
    rightful: 'applicant',
    path: () => '/sign-in',
    outsiders: EVERYONE_SEES,
    open: true,
    rightfulGets: 200,
  },
  'POST /sign-in': {
    rightful: 'applicant',
    path: () => '/sign-in',
    body: { email: 'someone@example.test' },
    outsiders: FORM_WITHOUT_TOKEN,
    open: true,
    rightfulGets: 403,
  },
  'POST /sign-out': {
    rightful: 'applicant',
    path: () => '/sign-out',
    outsiders: FORM_WITHOUT_TOKEN,
    open: true,
    rightfulGets: 403,
  },
  'GET /auth/sign-in': {
    rightful: 'applicant',
    // a link's token of the right shape that was never issued: the page shows its button all the same
    path: () => `/auth/sign-in?token=gwl_${'a'.repeat(43)}`,
    outsiders: EVERYONE_SEES,
    open: true,
    rightfulGets: 200,
  },
  // Everyone has a home; a manager's and a committee member's is the hub of their pages.
  'GET /home': {
    rightful: 'applicant',
    path: () => '/home',
    outsiders: [200, 303, 303, 303, 303],
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /my-applications/:id': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}`,
    outsiders: ALL_HIDDEN,
    anonymous: 303,
    rightfulGets: 200,
  },
  // Starting a group is for applicants only, whether or not they already have one.
  'GET /group/new': {
    rightful: 'applicant',
    path: () => '/group/new',
    outsiders: [200, 403, 403, 403, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /group/new': {
    rightful: 'applicant',
    path: () => '/group/new',
    body: { name: 'A group', municipality: 'Gulistan', oblast: 'Osh' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /my-group/:id': {
    rightful: 'applicant',
    path: (i) => `/my-group/${i.group}`,
    outsiders: ALL_HIDDEN,
    anonymous: 303,
    rightfulGets: 200,
  },
  // The status page's confirmation pages and actions are the group's: staff get the roles' 403.
  'GET /my-applications/:id/withdraw': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/withdraw`,
    outsiders: [404, 403, 403, 403, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /my-applications/:id/decline': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/decline`,
    outsiders: [404, 403, 403, 403, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /my-applications/:id/resubmit': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/resubmit`,
    body: { 'answer-0': 'An answer' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'POST /my-applications/:id/withdraw': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/withdraw`,
    body: { reason: 'We will apply next year.' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'POST /my-applications/:id/decline': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/decline`,
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'POST /my-group/:id/members': {
    rightful: 'applicant',
    path: (i) => `/my-group/${i.group}/members`,
    body: { email: 'neighbour@example.test', name: 'Neighbour', locale: 'ru' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  // Applying through the pages: a group member's own drafts; the matrix's application is past its
  // draft, so its task pages send the member to its status page (303).
  'GET /open-calls/:callId/apply': {
    rightful: 'applicant',
    path: (i) => `/open-calls/${i.call}/apply`,
    outsiders: [200, 403, 403, 403, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /open-calls/:callId/apply': {
    rightful: 'applicant',
    path: (i) => `/open-calls/${i.call}/apply`,
    body: { title: 'Another idea' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /my-applications/:id/tasks': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/tasks`,
    outsiders: [404, 403, 403, 403, 403],
    anonymous: 303,
    rightfulGets: 303,
  },
  'GET /my-applications/:id/tasks/:task': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/tasks/budget`,
    outsiders: [404, 403, 403, 403, 403],
    anonymous: 303,
    rightfulGets: 303,
  },
  'POST /my-applications/:id/tasks/:task': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/tasks/problem`,
    body: { problem: 'Changed' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'POST /my-applications/:id/attachments': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/attachments`,
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'POST /my-applications/:id/attachments/:attachmentId/remove': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/attachments/${i.attachment}/remove`,
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /my-applications/:id/check': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/check`,
    outsiders: [404, 403, 403, 403, 403],
    anonymous: 303,
    rightfulGets: 303,
  },
  'POST /my-applications/:id/submit': {
    rightful: 'applicant',
    path: (i) => `/my-applications/${i.application}/submit`,
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /health': {
    rightful: 'manager',
    path: () => '/health',
    outsiders: [200, 200, 200, 200, 200],
    open: true,
    rightfulGets: 200,
  },
  'GET /health/ready': {
    rightful: 'manager',
    path: () => '/health/ready',
    outsiders: [200, 200, 200, 200, 200],
    open: true,
    rightfulGets: 200,
  },
  'GET /me': { rightful: 'applicant', path: () => '/me', outsiders: [200, 200, 200, 200, 200], rightfulGets: 200 },
  'PATCH /me': {
    rightful: 'applicant',
    path: () => '/me',
    body: { locale: 'ky' },
    outsiders: [200, 200, 200, 200, 200],
    rightfulGets: 200,
  },
  'GET /workflows': {
    rightful: 'manager',
    path: () => '/workflows',
    outsiders: [200, 200, 200, 200, 200],
    rightfulGets: 200,
  },
  'GET /workflows/:machine': {
    rightful: 'manager',
    path: () => '/workflows/application',
    outsiders: [200, 200, 200, 200, 200],
    rightfulGets: 200,
  },

  'POST /auth/login-link': {
    rightful: 'applicant',
    path: () => '/auth/login-link',
    body: { email: 'x@example.test' },
    outsiders: [202, 202, 202, 202, 202],
    open: true,
    rightfulGets: 202,
  },
  'POST /auth/session': {
    rightful: 'applicant',
    path: () => '/auth/session',
    body: { token: `gwl_${'b'.repeat(43)}` },
    outsiders: [401, 401, 401, 401, 401],
    open: true,
    rightfulGets: 401,
  },
  'POST /auth/logout': {
    rightful: 'applicant',
    path: () => '/auth/logout',
    outsiders: [204, 204, 204, 204, 204],
    rightfulGets: 204,
  },
  // A manager exists, so the first-manager setup refuses every link.
  'GET /setup': {
    rightful: 'applicant',
    path: () => `/setup?token=gwm_${'a'.repeat(43)}`,
    outsiders: [401, 401, 401, 401, 401],
    open: true,
    rightfulGets: 401,
  },
  'POST /setup': {
    rightful: 'applicant',
    path: () => '/setup',
    body: { token: `gwm_${'b'.repeat(43)}`, email: 'first@example.test', name: 'First' },
    outsiders: [401, 401, 401, 401, 401],
    open: true,
    rightfulGets: 401,
  },

  'POST /users': {
    rightful: 'manager',
    path: () => '/users',
    body: { email: 'new-staff@example.test', name: 'New', role: 'committee' },
    outsiders: [403, 403, 403, 403, 'allowed'],
  },
  'GET /users': { rightful: 'manager', path: () => '/users', outsiders: [403, 403, 403, 403, 200], rightfulGets: 200 },
  'POST /users/:id/sessions/revoke': {
    rightful: 'manager',
    path: (i) => `/users/${i.revokee}/sessions/revoke`,
    outsiders: [403, 403, 403, 403, 404],
    rightfulGets: 200,
  },

  'POST /groups': {
    rightful: 'applicant',
    path: () => '/groups',
    body: { name: 'Zhazy women', municipality: 'Zhazy', oblast: 'Osh' },
    outsiders: [201, 403, 403, 403, 403],
    rightfulGets: 201,
  },
  'GET /groups': {
    rightful: 'applicant',
    path: () => '/groups',
    outsiders: [200, 403, 403, 403, 403],
    rightfulGets: 200,
  },
  'GET /groups/:id': {
    rightful: 'applicant',
    path: (i) => `/groups/${i.group}`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'POST /groups/:id/members': {
    rightful: 'applicant',
    path: (i) => `/groups/${i.group}/members`,
    body: { email: 'neighbour@example.test', name: 'Neighbour' },
    outsiders: [404, 403, 403, 403, 403],
    rightfulGets: 202,
  },

  'GET /calls': {
    rightful: 'applicant',
    path: () => '/calls',
    outsiders: [200, 200, 200, 200, 200],
    open: true,
    rightfulGets: 200,
  },
  'GET /calls/:id/applications.csv': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/applications.csv`,
    outsiders: [403, 403, 403, 403, 403],
    rightfulGets: 200,
  },
  'GET /calls/:callId/payments.csv': {
    rightful: 'finance',
    path: (i) => `/calls/${i.call}/payments.csv`,
    outsiders: [403, 403, 403, 403, 403],
    rightfulGets: 200,
  },
  'GET /calls/:callId/ledger': {
    rightful: 'finance',
    path: (i) => `/calls/${i.call}/ledger`,
    outsiders: [403, 403, 403, 403, 403],
    rightfulGets: 200,
  },
  'GET /programmes/:programmeId/ledger': {
    rightful: 'finance',
    path: (i) => `/programmes/${i.programme}/ledger`,
    outsiders: [403, 403, 403, 404, 404],
    rightfulGets: 200,
  },
  'GET /programmes/:programmeId/ledger.csv': {
    rightful: 'manager',
    path: (i) => `/programmes/${i.programme}/ledger.csv`,
    outsiders: [403, 403, 403, 404, 404],
    rightfulGets: 200,
  },
  'POST /calls': {
    rightful: 'manager',
    path: () => '/calls',
    body: CALL_BODY(),
    outsiders: [403, 403, 403, 403, 201],
    rightfulGets: 201,
  },
  // A published call is public: anyone signed in reads it; only its programme acts on it.
  'GET /calls/:id': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}`,
    outsiders: [200, 200, 200, 200, 200],
    rightfulGets: 200,
  },
  'GET /calls/:id/history': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/history`,
    outsiders: [403, 403, 200, 403, 403],
    rightfulGets: 200,
  },
  'POST /calls/:id/events': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/events`,
    body: { type: 'PUBLISH' },
    outsiders: [403, 403, 403, 403, 403],
    rightfulGets: 409,
  },
  'GET /calls/:callId/committee': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/committee`,
    outsiders: [403, 403, 200, 403, 403],
    rightfulGets: 200,
  },
  'PUT /calls/:callId/committee': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/committee`,
    body: { members: [{ userId: '00000000-0000-4000-8000-000000000000', chair: true }] },
    outsiders: [403, 403, 403, 403, 403],
    rightfulGets: 400,
  },
  'POST /calls/:callId/applications': {
    rightful: 'applicant',
    path: (i) => `/calls/${i.call}/applications`,
    body: proposal('100.00', { title: 'Another idea' }),
    outsiders: [409, 403, 403, 403, 403],
    rightfulGets: 409,
  },

  'GET /applications': {
    rightful: 'applicant',
    path: () => '/applications',
    outsiders: [200, 200, 200, 200, 200],
    rightfulGets: 200,
  },
  'GET /applications/:id': {
    rightful: 'applicant',
    path: (i) => `/applications/${i.application}`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'GET /applications/:id/status': {
    rightful: 'applicant',
    path: (i) => `/applications/${i.application}/status`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'GET /applications/:id/screening': {
    rightful: 'manager',
    path: (i) => `/applications/${i.application}/screening`,
    outsiders: [403, 403, 403, 403, 404],
    rightfulGets: 200,
  },
  // Files: the group adds and removes them while it may edit (by now the application is awarded).
  'POST /applications/:id/attachments': {
    rightful: 'applicant',
    path: (i) => `/applications/${i.application}/attachments`,
    outsiders: [404, 403, 403, 403, 403],
    rightfulGets: 400,
  },
  'GET /applications/:id/attachments/:attachmentId': {
    rightful: 'applicant',
    path: (i) => `/applications/${i.application}/attachments/${i.attachment}`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'DELETE /applications/:id/attachments/:attachmentId': {
    rightful: 'applicant',
    path: (i) => `/applications/${i.application}/attachments/${i.attachment}`,
    outsiders: [404, 403, 403, 403, 403],
    rightfulGets: 409,
  },
  'GET /calls/:callId/screening': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/screening`,
    outsiders: [403, 403, 403, 403, 403],
    rightfulGets: 200,
  },
  'POST /calls/:callId/screening': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/screening`,
    body: { items: [{ applicationId: '00000000-0000-4000-8000-000000000000', type: 'SCREEN', decision: 'eligible' }] },
    outsiders: [403, 403, 403, 403, 403],
    rightfulGets: 200,
  },
  'GET /applications/:id/history': {
    rightful: 'applicant',
    path: (i) => `/applications/${i.application}/history`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'POST /applications/:id/events': {
    rightful: 'applicant',
    path: (i) => `/applications/${i.application}/events`,
    body: { type: 'SUBMIT' },
    outsiders: ALL_HIDDEN,
    rightfulGets: 409,
  },
  // A member who declared a conflict cannot take it back; outside the committee the application is not there.
  'POST /applications/:applicationId/conflict': {
    rightful: 'committee',
    path: (i) => `/applications/${i.application}/conflict`,
    body: { conflicted: false },
    outsiders: [403, 404, 409, 403, 403],
    rightfulGets: 200,
  },
  // The conflicted member never reads the application's reviews; the rightful one is its reviewer.
  'GET /applications/:id/reviews': {
    rightful: 'committee',
    path: (i) => `/applications/${i.application}/reviews`,
    outsiders: [403, 404, 404, 403, 404],
    rightfulGets: 200,
  },
  'POST /applications/:id/reviewers': {
    rightful: 'manager',
    path: (i) => `/applications/${i.application}/reviewers`,
    body: { to: '00000000-0000-4000-8000-000000000000' },
    outsiders: [403, 403, 403, 403, 404],
    rightfulGets: 409,
  },
  'GET /calls/:callId/review': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/review`,
    outsiders: [403, 403, 200, 403, 403],
    rightfulGets: 200,
  },
  'POST /calls/:callId/conflicts': {
    rightful: 'committee',
    path: (i) => `/calls/${i.call}/conflicts`,
    body: { items: [{ applicationId: '00000000-0000-4000-8000-000000000000', conflicted: false }] },
    outsiders: [403, 403, 404, 403, 403],
    rightfulGets: 404,
  },
  'POST /calls/:callId/assignments': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/assignments`,
    outsiders: [403, 403, 403, 403, 403],
    rightfulGets: 200,
  },
  // The conflicted member reads the ranking with the application withheld (checked below).
  'GET /calls/:callId/ranking': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/ranking`,
    outsiders: [403, 403, 200, 403, 403],
    rightfulGets: 200,
  },
  'PUT /calls/:callId/committee/visibility': {
    rightful: 'committee',
    path: (i) => `/calls/${i.call}/committee/visibility`,
    body: { scoresHiddenUntilComplete: false },
    outsiders: [403, 403, 403, 403, 403],
    rightfulGets: 200,
  },
  'POST /calls/:callId/decisions': {
    rightful: 'manager',
    path: (i) => `/calls/${i.call}/decisions`,
    body: { items: [{ applicationId: '00000000-0000-4000-8000-000000000000', type: 'WAITLIST' }] },
    outsiders: [403, 403, 403, 403, 403],
    rightfulGets: 200,
  },
  'GET /reviews/:id': {
    rightful: 'committee',
    path: (i) => `/reviews/${i.review}`,
    outsiders: [403, 404, 404, 403, 404],
    rightfulGets: 200,
  },
  'GET /reviews/:id/history': {
    rightful: 'committee',
    path: (i) => `/reviews/${i.review}/history`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'POST /reviews/:id/events': {
    rightful: 'committee',
    path: (i) => `/reviews/${i.review}/events`,
    body: { type: 'SUBMIT' },
    outsiders: ALL_HIDDEN,
    rightfulGets: 409,
  },
  // Only the chair reopens; the review is a draft, so the chair's request is refused by the machine.
  'POST /reviews/:id/reopen': {
    rightful: 'committee',
    path: (i) => `/reviews/${i.review}/reopen`,
    body: { reason: 'Look again' },
    outsiders: [403, 404, 403, 403, 403],
    rightfulGets: 409,
  },
  'POST /applications/:applicationId/tranches': {
    rightful: 'manager',
    path: (i) => `/applications/${i.application}/tranches`,
    body: { amount: '100.00' },
    outsiders: [403, 403, 403, 403, 404],
    rightfulGets: 201,
  },
  'GET /applications/:applicationId/reports': {
    rightful: 'applicant',
    path: (i) => `/applications/${i.application}/reports`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'POST /applications/:applicationId/reports': {
    rightful: 'manager',
    path: (i) => `/applications/${i.application}/reports`,
    body: { kind: 'interim', dueAt: '2027-03-01T00:00:00Z', overdueAt: '2027-03-15T00:00:00Z' },
    outsiders: [403, 403, 403, 403, 404],
    rightfulGets: 201,
  },

  'GET /applications/:applicationId/tranches': {
    rightful: 'finance',
    path: (i) => `/applications/${i.application}/tranches`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'GET /tranches/:id': {
    rightful: 'finance',
    path: (i) => `/tranches/${i.tranche}`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'GET /tranches/:id/history': {
    rightful: 'finance',
    path: (i) => `/tranches/${i.tranche}/history`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'POST /tranches/:id/events': {
    rightful: 'finance',
    path: (i) => `/tranches/${i.tranche}/events`,
    body: { type: 'APPROVE' },
    outsiders: ALL_HIDDEN,
    rightfulGets: 409,
  },
  'GET /reports/:id': {
    rightful: 'applicant',
    path: (i) => `/reports/${i.report}`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'GET /reports/:id/history': {
    rightful: 'applicant',
    path: (i) => `/reports/${i.report}/history`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'POST /reports/:id/events': {
    rightful: 'manager',
    path: (i) => `/reports/${i.report}/events`,
    body: { type: 'ACCEPT' },
    outsiders: ALL_HIDDEN,
    rightfulGets: 409,
  },

  // Each officer reads their own programme's queue: another programme's gets theirs, empty of this one's.
  'GET /finance/queue': {
    rightful: 'finance',
    path: () => '/finance/queue',
    outsiders: [403, 403, 403, 200, 403],
    rightfulGets: 200,
  },
  'GET /notifications': {
    rightful: 'manager',
    path: () => '/notifications',
    outsiders: [403, 403, 403, 403, 200],
    rightfulGets: 200,
  },
  'GET /notifications/preview/:message': {
    rightful: 'manager',
    path: () => '/notifications/preview/application.awarded',
    outsiders: [403, 403, 403, 403, 200],
    rightfulGets: 200,
  },
  'GET /notifications/:id': {
    rightful: 'manager',
    path: (i) => `/notifications/${i.notification}`,
    outsiders: [403, 403, 403, 403, 404],
    rightfulGets: 200,
  },
  'POST /notifications/:id/retry': {
    rightful: 'manager',
    path: (i) => `/notifications/${i.notification}/retry`,
    outsiders: [403, 403, 403, 403, 404],
    rightfulGets: 409,
  },
};

function CALL_BODY() {
  const day = 86_400_000;
  return {
    title: { en: 'A call of the other programme' },
    currency: 'KGS',
    budget: '200000.00',
    maxAward: '20000.00',
    opensAt: new Date(Date.now() - day).toISOString(),
    closesAt: new Date(Date.now() + 30 * day).toISOString(),
    criteria: [{ name: 'Need', weight: 100 }],
  };
}

/**
 * Every route Express serves for the Nest app, as `METHOD /path`: the docs left out, and Nest's
 * catch-all `{/*splat}` layers, which only ever answer 404.
 */
function routesOf(h: Harness): string[] {
  const express = h.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack
    .flatMap((layer) =>
      layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route?.path}`) : [],
    )
    .filter((route) => !/ \/docs|openapi\.json|\{\/\*splat\}$/.test(route))
    .sort();
}

describe('the authorization matrix: every route, every outsider, the rightful caller', () => {
  let h: Harness;
  let ids: Ids;
  let people: Record<Outsider | Rightful, TestUser>;
  const cases: { route: string; who: string; status: number; expected: Expected }[] = [];

  beforeAll(async () => {
    h = await startHarness({ SIGN_IN_LIMIT_PER_EMAIL: '100' });
    const identity = h.app.get(IdentityService);
    const other = await identity.ensureProgramme(`Municipal fund ${Date.now()}`);
    const owner = await h.user('applicant', { name: 'Group B member' });
    people = {
      manager: await h.user('manager'),
      finance: await h.user('finance'),
      applicant: owner,
      committee: await h.user('committee'),
      applicantOther: await h.user('applicant'),
      committeeOff: await h.user('committee'),
      committeeConflicted: await h.user('committee'),
      financeOther: await h.user('finance', { programmeId: other.id }),
      managerOther: await h.user('manager', { programmeId: other.id }),
    };
    const m = people.manager.auth;
    const call = await openCall(h, m);
    await h
      .http()
      .put(`/calls/${call}/committee`)
      .set('authorization', m)
      .send({
        members: [{ userId: people.committee.id, chair: true }, { userId: people.committeeConflicted.id }],
      })
      .expect(200);
    const application = (
      await h.http().post(`/calls/${call}/applications`).set('authorization', owner.auth).send(proposal()).expect(201)
    ).body.id;
    const attachment = (
      await h
        .http()
        .post(`/applications/${application}/attachments`)
        .set('authorization', owner.auth)
        .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'plan.pdf')
        .expect(201)
    ).body.id;
    await send(h, owner.auth, `/applications/${application}`, { type: 'SUBMIT' });
    await h
      .http()
      .post(`/applications/${application}/conflict`)
      .set('authorization', people.committeeConflicted.auth)
      .send({ conflicted: true, reason: 'My cousin leads group B' })
      .expect(200);
    await send(h, m, `/applications/${application}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, m, `/calls/${call}`, { type: 'CLOSE' });
    await send(h, m, `/calls/${call}`, { type: 'START_REVIEW' });
    await h
      .http()
      .post(`/applications/${application}/conflict`)
      .set('authorization', people.committee.auth)
      .send({ conflicted: false })
      .expect(200);
    const review = (
      await h
        .http()
        .post(`/applications/${application}/reviewers`)
        .set('authorization', m)
        .send({ to: people.committee.id })
        .expect(200)
    ).body.added[0].reviewId;
    await send(h, m, `/applications/${application}`, {
      type: 'AWARD',
      amount: '2000.00',
      reason: 'The transport line is covered by the aiyl okmotu',
    });
    const tranche = (
      await h
        .http()
        .post(`/applications/${application}/tranches`)
        .set('authorization', m)
        .send({ amount: '1000.00' })
        .expect(201)
    ).body.id;
    const report = (
      await h
        .http()
        .post(`/applications/${application}/reports`)
        .set('authorization', m)
        .send({ kind: 'final', dueAt: '2027-03-01T00:00:00Z', overdueAt: '2027-03-15T00:00:00Z' })
        .expect(201)
    ).body.id;
    await h.app.get(MailWorker).drain();
    const [mail] = await sqlRows<{ id: string }>(
      h.orm.em.fork(),
      'select id from notification where subject_id = ? limit 1',
      [application],
    );
    ids = {
      call,
      application,
      tranche,
      report,
      group: owner.groupId as string,
      notification: mail.id,
      owner: owner.id,
      revokee: (await h.user('finance')).id,
      attachment,
      review,
      programme: (
        await sqlRows<{ programme_id: string }>(h.orm.em.fork(), 'select programme_id from call where id = ?', [call])
      )[0].programme_id,
    };
  });
  afterAll(() => h.close());

  it('has a rule for every route the router serves, and no rule for a route that is gone', () => {
    const routes = routesOf(h);
    expect(routes.filter((r) => !(r in RULES))).toEqual([]);
    expect(Object.keys(RULES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('answers each outsider as the rule says, anonymous callers 401, and lets the rightful caller through', async () => {
    const routes = routesOf(h);
    const call = async (route: string, auth: string | null) => {
      const rule = RULES[route];
      const [method] = route.split(' ');
      const req = h.http()[method.toLowerCase() as 'get'](rule.path(ids));
      if (auth) req.set('authorization', auth);
      return (rule.body ? req.send(rule.body) : req).then((r) => r.status);
    };
    for (const route of routes) {
      const rule = RULES[route];
      if (!rule) continue;
      cases.push({
        route,
        who: 'anonymous',
        status: await call(route, null),
        expected: rule.anonymous ?? (rule.open ? rule.outsiders[0] : 401),
      });
      for (const [i, who] of OUTSIDERS.entries()) {
        cases.push({ route, who, status: await call(route, people[who].auth), expected: rule.outsiders[i] });
      }
      cases.push({
        route,
        who: `rightful ${rule.rightful}`,
        status: await call(route, people[rule.rightful].auth),
        expected: rule.rightfulGets ?? 'allowed',
      });
    }
    const wrong = cases.filter((c) =>
      c.expected === 'allowed' ? [401, 403, 404].includes(c.status) || c.status >= 500 : c.status !== c.expected,
    );
    expect(wrong).toEqual([]);
    // (route, caller) pairs checked
    expect(cases.length).toBe(routes.length * 7);
  });

  it('lists to each caller only what they may see', async () => {
    const listed = async (who: Outsider | Rightful) =>
      (await h.http().get('/applications').set('authorization', people[who].auth).expect(200)).body.items.map(
        (a: { id: string }) => a.id,
      );
    expect(await listed('applicant')).toContain(ids.application);
    expect(await listed('manager')).toContain(ids.application);
    expect(await listed('committee')).toContain(ids.application);
    for (const who of OUTSIDERS) expect(await listed(who)).not.toContain(ids.application);

    const notes = (await h.http().get('/notifications').set('authorization', people.managerOther.auth).expect(200)).body
      .items;
    expect(notes.map((n: { subjectId: string }) => n.subjectId)).not.toContain(ids.application);
    const groups = (await h.http().get('/groups').set('authorization', people.applicantOther.auth).expect(200)).body;
    expect(groups.map((g: { id: string }) => g.id)).not.toContain(ids.group);
  });

  it('lets every member of the group see and act on its application, and emails them all', async () => {
    const second = await h.user('applicant', { name: 'Second member' });
    await h
      .http()
      .post(`/groups/${ids.group}/members`)
      .set('authorization', people.applicant.auth)
      .send({ email: second.email, name: 'Second member' })
      .expect(202);
    // They join by signing in with the invitation's link.
    const [invitation] = await sqlRows<{ link_id: string }>(
      h.orm.em.fork(),
      'select link_id from group_invitation where email = ?',
      [second.email],
    );
    await h
      .http()
      .post('/auth/session')
      .send({ token: linkToken(h.app.get(ServiceSecret).key, invitation.link_id) })
      .expect(201);
    const seen = await h.http().get(`/applications/${ids.application}`).set('authorization', second.auth).expect(200);
    expect(seen.body.allowedEvents).toEqual(expect.arrayContaining(['ACCEPT_AWARD', 'DECLINE_AWARD']));
    await giveBankDetails(h, second.auth, ids.application);
    await send(h, second.auth, `/applications/${ids.application}`, { type: 'ACCEPT_AWARD' });
    await h.app.get(MailWorker).drain();
    const accepted = await sqlRows<{ email: string }>(
      h.orm.em.fork(),
      `select email from notification where subject_id = ? and message = 'application.award_accepted' order by email`,
      [ids.application],
    );
    // the group: its first member and the second (the neighbour the matrix invited has not joined)
    expect(accepted.map((r) => r.email)).toEqual([people.applicant.email, second.email].sort());
  });

  it('shows no committee member an applicant’s address, in any view they can read', async () => {
    const addresses = [people.applicant.email, 'neighbour@example.test'];
    const read: string[] = [];
    for (const route of routesOf(h).filter((r) => r.startsWith('GET '))) {
      const res = await h.http().get(RULES[route].path(ids)).set('authorization', people.committee.auth);
      if (res.status !== 200) continue;
      read.push(route);
      const text = JSON.stringify(res.body) + (res.text ?? '');
      for (const address of addresses)
        expect({ route, leaks: text.includes(address) }).toEqual({ route, leaks: false });
    }
    expect(read).toContain('GET /applications/:id/status');
    // The group and the programme's managers still see whom each email went to.
    for (const who of ['applicant', 'manager'] as const) {
      const status = await h
        .http()
        .get(`/applications/${ids.application}/status`)
        .set('authorization', people[who].auth)
        .expect(200);
      expect(status.body.emails.map((e: { to?: string }) => e.to)).toContain(people.applicant.email);
    }
  });

  it('lists an application’s tranches and reports to its group and the programme’s staff, never to the committee', async () => {
    for (const who of ['applicant', 'manager', 'finance'] as const) {
      const tranches = await h
        .http()
        .get(`/applications/${ids.application}/tranches`)
        .set('authorization', people[who].auth)
        .expect(200);
      // oldest first: the one made at the start, the one the matrix made, the one accepting the award started
      expect(tranches.body.map((t: { id: string; amount: string }) => [t.id, t.amount])).toEqual([
        [ids.tranche, '1000.00'],
        [expect.any(String), '100.00'],
        [expect.any(String), '2000.00'],
      ]);
      expect(tranches.body.every((t: { applicationId: string }) => t.applicationId === ids.application)).toBe(true);
      const reports = await h
        .http()
        .get(`/applications/${ids.application}/reports`)
        .set('authorization', people[who].auth)
        .expect(200);
      expect(reports.body.map((r: { id: string; kind: string }) => [r.id, r.kind])).toEqual([
        [ids.report, 'final'],
        [expect.any(String), 'interim'],
      ]);
    }
    for (const list of ['tranches', 'reports']) {
      const refused = await h
        .http()
        .get(`/applications/${ids.application}/${list}`)
        .set('authorization', people.committee.auth)
        .expect(403);
      expect(refused.body.error.message).toContain('not for a committee member');
    }
  });

  it('lists a review’s emails to the programme’s managers', async () => {
    const res = await h
      .http()
      .get(`/notifications?subjectType=review&subjectId=${ids.review}`)
      .set('authorization', people.manager.auth)
      .expect(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(
      res.body.items.every(
        (n: { subjectType: string; subjectId: string }) => n.subjectType === 'review' && n.subjectId === ids.review,
      ),
    ).toBe(true);
  });

  it('never shows an applicant who on the staff acted', async () => {
    const history = (
      await h
        .http()
        .get(`/applications/${ids.application}/history`)
        .set('authorization', people.applicant.auth)
        .expect(200)
    ).body;
    const staffRows = history.filter((r: { actor: { role: string } }) => r.actor.role !== 'applicant');
    expect(staffRows.length).toBeGreaterThan(0);
    for (const row of staffRows) expect(row.actor.id).toBeNull();
    const asManager = (
      await h
        .http()
        .get(`/applications/${ids.application}/history`)
        .set('authorization', people.manager.auth)
        .expect(200)
    ).body;
    expect(asManager.find((r: { event: string }) => r.event === 'AWARD').actor.id).toBe(people.manager.id);
  });
});
