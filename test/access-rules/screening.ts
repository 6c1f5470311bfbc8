import { FORM_WITHOUT_TOKEN, type Rule } from '../support/access-rules';

/**
 * The rules of the screening pages (src/web/screening.controller.ts): the programme's managers only,
 * refused as GET /calls/{id}/screening and GET /applications/{id}/screening refuse. The matrix's call
 * is published, so another programme's manager sees it and gets 403; its application is hidden from
 * them (404). Other roles get the roles' 403.
 */
export const SCREENING_PAGE_RULES: Record<string, Rule> = {
  'GET /manage/calls/:id/screening': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/screening`,
    outsiders: [403, 403, 403, 403, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /manage/calls/:id/screening': {
    rightful: 'manager',
    path: (i) => `/manage/calls/${i.call}/screening`,
    body: { applications: '00000000-0000-4000-8000-000000000000', outcome: 'eligible' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /manage/applications/:id': {
    rightful: 'manager',
    path: (i) => `/manage/applications/${i.application}`,
    outsiders: [403, 403, 403, 403, 404],
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /manage/applications/:id/screening': {
    rightful: 'manager',
    path: (i) => `/manage/applications/${i.application}/screening`,
    body: { outcome: 'eligible' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
};
