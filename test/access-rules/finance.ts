import { FORM_WITHOUT_TOKEN, type Rule } from '../support/access-rules';

// The finance officer's pages are theirs alone (the roles' 403 for everyone else); another
// programme's officer reads their own queue, and finds none of this programme's tranches (404), as
// GET /tranches/{id} hides them. The manager's payments page is the programme's managers': another
// programme's manager does not see the application at all (404). Forms posted without a token are 403.

const form = (rightful: Rule['rightful'], path: Rule['path']): Rule => ({
  rightful,
  path,
  outsiders: FORM_WITHOUT_TOKEN,
  anonymous: 403,
  rightfulGets: 403,
});

const FOR_FINANCE: Rule['outsiders'] = [403, 403, 403, 404, 403];
const FOR_MANAGERS: Rule['outsiders'] = [403, 403, 403, 403, 404];

/** The rules of the payment pages (src/web/finance/). */
export const FINANCE_PAGE_RULES: Record<string, Rule> = {
  'GET /finance': {
    rightful: 'finance',
    path: () => '/finance',
    outsiders: [403, 403, 403, 200, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /finance/tranches/:id': {
    rightful: 'finance',
    path: (i) => `/finance/tranches/${i.tranche}`,
    outsiders: FOR_FINANCE,
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /finance/tranches/:id/:action': {
    rightful: 'finance',
    path: (i) => `/finance/tranches/${i.tranche}/approve`,
    outsiders: FOR_FINANCE,
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /finance/tranches/:id/:action': form('finance', (i) => `/finance/tranches/${i.tranche}/approve`),
  'GET /manage/applications/:id/payments': {
    rightful: 'manager',
    path: (i) => `/manage/applications/${i.application}/payments`,
    outsiders: FOR_MANAGERS,
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /manage/applications/:id/payments/:trancheId/request': {
    rightful: 'manager',
    path: (i) => `/manage/applications/${i.application}/payments/${i.tranche}/request`,
    outsiders: FOR_MANAGERS,
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /manage/applications/:id/payments/:trancheId/request': form(
    'manager',
    (i) => `/manage/applications/${i.application}/payments/${i.tranche}/request`,
  ),
  // The ledger's pages, the programme's managers' and finance officers' alike: another programme's
  // staff read their own programme's ledger, and are refused this one's call (403, as GET /calls/{id}/ledger).
  'GET /finance/ledger': {
    rightful: 'finance',
    path: () => '/finance/ledger',
    outsiders: [403, 403, 403, 200, 200],
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /finance/ledger.csv': {
    rightful: 'manager',
    path: () => '/finance/ledger.csv',
    outsiders: [403, 403, 403, 200, 200],
    anonymous: 303,
    rightfulGets: 200,
  },
  'GET /finance/calls/:callId/ledger': {
    rightful: 'finance',
    path: (i) => `/finance/calls/${i.call}/ledger`,
    outsiders: [403, 403, 403, 403, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
};
