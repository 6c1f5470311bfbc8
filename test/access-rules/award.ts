import { FORM_WITHOUT_TOKEN, type Rule } from '../support/access-rules';

// The award's pages (src/web/award/): the group's alone. Another group's member does not see the
// application (404); staff get the roles' 403, as on the status page's confirmation pages. The
// matrix's application is awarded, so its agreement is drawn up and its account may be given.
// Forms posted without a token are 403.

const GROUP_ONLY: Rule['outsiders'] = [404, 403, 403, 403, 403];

const page = (path: Rule['path']): Rule => ({
  rightful: 'applicant',
  path,
  outsiders: GROUP_ONLY,
  anonymous: 303,
  rightfulGets: 200,
});

const form = (path: Rule['path']): Rule => ({
  rightful: 'applicant',
  path,
  outsiders: FORM_WITHOUT_TOKEN,
  anonymous: 403,
  rightfulGets: 403,
});

export const AWARD_PAGE_RULES: Record<string, Rule> = {
  'GET /my-applications/:id/award': page((i) => `/my-applications/${i.application}/award`),
  'GET /my-applications/:id/agreement.pdf': page((i) => `/my-applications/${i.application}/agreement.pdf`),
  'GET /my-applications/:id/award/accept': page((i) => `/my-applications/${i.application}/award/accept`),
  'POST /my-applications/:id/award/accept': form((i) => `/my-applications/${i.application}/award/accept`),
  'GET /my-applications/:id/bank-details': page((i) => `/my-applications/${i.application}/bank-details`),
  'POST /my-applications/:id/bank-details': form((i) => `/my-applications/${i.application}/bank-details`),
  'POST /my-applications/:id/bank-details/confirm': form(
    (i) => `/my-applications/${i.application}/bank-details/confirm`,
  ),
};
