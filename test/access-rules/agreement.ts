import { ALL_HIDDEN, type Rule } from '../support/access-rules';

/**
 * The grant agreement and the bank details (src/applications/agreement.controller.ts): the group's
 * members and the programme's managers and finance officers read them; only the group's members
 * give the account. The matrix's application is awarded, so its agreement is drawn up. Outsiders
 * may not see the application (404); other roles are refused giving an account by their role (403).
 */
export const AGREEMENT_RULES: Record<string, Rule> = {
  'GET /applications/:id/agreement': {
    rightful: 'applicant',
    path: (i) => `/applications/${i.application}/agreement?lang=ky`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'GET /applications/:id/agreement.pdf': {
    rightful: 'finance',
    path: (i) => `/applications/${i.application}/agreement.pdf?lang=ru`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'GET /applications/:id/bank-details': {
    rightful: 'finance',
    path: (i) => `/applications/${i.application}/bank-details`,
    outsiders: ALL_HIDDEN,
    rightfulGets: 200,
  },
  'PUT /applications/:id/bank-details': {
    rightful: 'applicant',
    path: (i) => `/applications/${i.application}/bank-details`,
    body: { accountHolder: 'Group B', bankName: 'KICB', accountNumber: '1280016044410999' },
    outsiders: [404, 403, 403, 403, 403],
    rightfulGets: 200,
  },
};
