import { FORM_WITHOUT_TOKEN, type Rule } from '../support/access-rules';

// The committee pages are the programme's managers' alone, as the API routes they mirror: the
// other roles get the roles' 403, and another programme's manager the call's 403 (it is published,
// so they see it, but it is not theirs to act on; an application of it they do not see at all: 404).
// Their forms, posted without a token, are 403.

const FOR_MANAGERS: Rule['outsiders'] = [403, 403, 403, 403, 403];

const form = (path: Rule['path']): Rule => ({
  rightful: 'manager',
  path,
  outsiders: FORM_WITHOUT_TOKEN,
  anonymous: 403,
  rightfulGets: 403,
});

/** The rules of the committee pages (src/web/committee.controller.ts). */
export const COMMITTEE_PAGE_RULES: Record<string, Rule> = {
  'GET /manage/calls/:id/committee': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/committee`,
    outsiders: FOR_MANAGERS,
    anonymous: 303,
    rightfulGets: 200,
  },
  // The matrix's application is awarded, so still on the call's board; the application is hidden
  // from another programme's manager, as GET /applications/{id}/reviews hides it.
  'GET /manage/calls/:id/committee/applications/:applicationId': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/committee/applications/${i.application}`,
    outsiders: [403, 403, 403, 403, 404],
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /manage/calls/:id/committee/members': form((i) => `/manage/calls/${i.call}/committee/members`),
  'POST /manage/calls/:id/committee/deadline': form((i) => `/manage/calls/${i.call}/committee/deadline`),
  'POST /manage/calls/:id/committee/assignment': form((i) => `/manage/calls/${i.call}/committee/assignment`),
  'POST /manage/calls/:id/committee/applications/:applicationId/reviewers': form(
    (i) => `/manage/calls/${i.call}/committee/applications/${i.application}/reviewers`,
  ),
};
