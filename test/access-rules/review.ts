import { FORM_WITHOUT_TOKEN, type Rule } from '../support/access-rules';

/**
 * The rules of the review pages (src/web/review.controller.ts): each page answers as the API route
 * it mirrors (GET /calls/:callId/review, GET /reviews/:id, GET /applications/:id/reviews,
 * GET /calls/:callId/ranking), and the roles other than the committee's get the pages' 403.
 */
export const REVIEW_PAGE_RULES: Record<string, Rule> = {
  // Every committee member has a hub, empty when they sit on no committee.
  'GET /review': {
    rightful: 'committee',
    path: () => '/review',
    outsiders: [403, 200, 200, 403, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
  // The call is published, so another committee's member sees it but may not act on it: 403, as the API.
  'GET /review/calls/:id': {
    rightful: 'committee',
    path: (i) => `/review/calls/${i.call}`,
    outsiders: [403, 403, 200, 403, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /review/calls/:id/conflicts': {
    rightful: 'committee',
    path: (i) => `/review/calls/${i.call}/conflicts`,
    body: { [`conflict-00000000-0000-4000-8000-000000000000`]: 'no' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'POST /review/calls/:id/visibility': {
    rightful: 'committee',
    path: (i) => `/review/calls/${i.call}/visibility`,
    body: { visibility: 'own' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  // Only its reviewer (and the programme's managers) see a review; a conflicted member never does.
  'GET /review/reviews/:id': {
    rightful: 'committee',
    path: (i) => `/review/reviews/${i.review}`,
    outsiders: [403, 404, 404, 403, 404],
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /review/reviews/:id': {
    rightful: 'committee',
    path: (i) => `/review/reviews/${i.review}`,
    body: { action: 'save', 'score-0': '4' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'POST /review/reviews/:id/reopen': {
    rightful: 'committee',
    path: (i) => `/review/reviews/${i.review}/reopen`,
    body: { reason: 'Look again' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  'GET /review/applications/:id/reviews': {
    rightful: 'committee',
    path: (i) => `/review/applications/${i.application}/reviews`,
    outsiders: [403, 404, 404, 403, 404],
    anonymous: 303,
    rightfulGets: 200,
  },
  // A member declares a conflict found late on an application they may read; outsiders never see it.
  'GET /review/applications/:id/conflict': {
    rightful: 'committee',
    path: (i) => `/review/applications/${i.application}/conflict`,
    outsiders: [403, 404, 404, 403, 403],
    anonymous: 303,
    rightfulGets: 200,
  },
  'POST /review/applications/:id/conflict': {
    rightful: 'committee',
    path: (i) => `/review/applications/${i.application}/conflict`,
    body: { reason: 'My cousin leads the group' },
    outsiders: FORM_WITHOUT_TOKEN,
    anonymous: 403,
    rightfulGets: 403,
  },
  // The rightful member's own review is still a draft, so the ranking waits for it (403, as the API);
  // the conflicted member has no review to write and reads it with the application withheld.
  'GET /review/calls/:id/ranking': {
    rightful: 'committee',
    path: (i) => `/review/calls/${i.call}/ranking`,
    outsiders: [403, 403, 200, 403, 403],
    anonymous: 303,
    rightfulGets: 403,
  },
};
