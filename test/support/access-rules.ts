// The authorization matrix's rules (test/access-matrix.e2e-spec.ts): who calls a route, and what
// each outsider must get. The staff pages' rules are kept one file an area of pages, in test/access-rules/.

export const OUTSIDERS = [
  'applicantOther',
  'committeeOff',
  'committeeConflicted',
  'financeOther',
  'managerOther',
] as const;
export type Outsider = (typeof OUTSIDERS)[number];
export type Rightful = 'manager' | 'finance' | 'applicant' | 'committee';
/** A status, or `allowed`: through access control (neither 401, 403 nor 404), whatever the machine says. */
export type Expected = number | 'allowed';

export interface Ids {
  call: string;
  application: string;
  tranche: string;
  report: string;
  group: string;
  notification: string;
  owner: string;
  /** Whose sessions and tokens the revocation route ends: nobody the other checks sign in as. */
  revokee: string;
  attachment: string;
  review: string;
  /** The programme that runs the call. */
  programme: string;
}

export interface Rule {
  /** Who may: the programme's manager or finance officer, group B's member, or a member of the call's committee. */
  rightful: Rightful;
  path: (ids: Ids) => string;
  body?: Record<string, unknown>;
  /** What each outsider gets, in the order of OUTSIDERS. */
  outsiders: [Expected, Expected, Expected, Expected, Expected];
  rightfulGets?: Expected;
  /** Needs no sign-in. */
  open?: boolean;
  /** What a caller who has not signed in gets, when it is not 401: a page sends them to sign in (303). */
  anonymous?: Expected;
}

export const ALL_HIDDEN: Rule['outsiders'] = [404, 404, 404, 404, 404];

export const EVERYONE_SEES: Rule['outsiders'] = [200, 200, 200, 200, 200];
// A page's form post without its anti-forgery token (the matrix sends none) is refused with 403 for
// anyone; test/web-pages.e2e-spec.ts posts the forms with their tokens.
export const FORM_WITHOUT_TOKEN: Rule['outsiders'] = [403, 403, 403, 403, 403];
