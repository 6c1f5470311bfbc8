import type { ApplicationEvent, ApplicationInput, CloseFacts, SubmitFacts } from './application.machine';
import { REVIEW_DEFAULTS, reviewSchedule, type CallContext, type CallEvent, type CallInput } from './call.machine';
import type { DisbursementEvent, DisbursementInput } from './disbursement.machine';
import type { Proposal } from './proposal';
import type { ReportEvent, ReportInput } from './report.machine';
import type { ReviewEvent, ReviewInput } from './review.machine';
import { PEOPLE, T0, by, daysAfterT0, type Samples } from './testing';

// Inputs and one valid sample event per event type for each machine, drawn from the 2020 pilot
// (EUR 12,500 for the round, about EUR 2,500 a project). Shared by the specs and the path tests.

const manager = by(PEOPLE.manager);
const applicant = by(PEOPLE.applicant);
const system = by(PEOPLE.system);

export const CALL_INPUT: CallInput = {
  title: { en: 'Social initiatives of Gulistan and Zhazy, 2020', ru: 'Социальные инициативы Гулистана и Жазы, 2020' },
  description: { en: 'Small grants for projects that local government and civil society run together.' },
  currency: 'EUR',
  budgetMinor: 1_250_000,
  maxAwardMinor: 300_000,
  paymentPlan: [
    { sharePercent: 70, release: 'on_acceptance' },
    { sharePercent: 30, release: 'interim_report_accepted' },
  ],
  opensAt: T0,
  closesAt: daysAfterT0(30),
  municipalities: ['Alexandrovsky', 'Yuryevka', 'Gulistan', 'Zhazy'],
  questions: [
    {
      id: 'registered',
      text: { en: 'Does the group include a registered organisation or the local council?' },
      required: true,
    },
    { id: 'cofunded', text: { en: 'Will the community contribute work or materials?' }, required: false },
  ],
  composition: {
    minimumGroups: 2,
    groups: ['local_government', 'civil_society', 'religious_organisation', 'youth_women'],
  },
  criteria: [
    { name: 'Relevance to the community', description: 'A need the community names itself', weight: 40 },
    { name: 'Feasibility in two months', description: 'A plan the group can carry out', weight: 30 },
    { name: 'Participation of women and youth', description: 'Who takes part and who decides', weight: 30 },
  ],
  scale: { min: 0, max: 5 },
  reviewersPerApplication: 3,
  financeThresholdMinor: 200_000,
  reportSchedule: [{ kind: 'final', dueAt: daysAfterT0(120) }],
  applicationsPerGroup: 1,
  ...REVIEW_DEFAULTS,
};

/** The review deadline of the samples: sixty days after T0, reviewers reminded three days before. */
export const REVIEW_DUE_AT = daysAfterT0(60);

/** A call as its machine holds it, its review deadline set. */
export const CALL_CONTEXT: CallContext = {
  ...CALL_INPUT,
  awardedTotalMinor: 0,
  cancelReason: null,
  ...reviewSchedule(REVIEW_DUE_AT, CALL_INPUT.reviewReminderDays),
};

export const CALL_SAMPLES: Samples<CallEvent> = {
  UPDATE: { type: 'UPDATE', changes: { title: { en: 'Social initiatives, round two' } }, ...manager },
  PUBLISH: { type: 'PUBLISH', ...manager },
  OPEN: { type: 'OPEN', ...system },
  EXTEND_DEADLINE: { type: 'EXTEND_DEADLINE', closesAt: daysAfterT0(45), ...manager },
  CLOSE: { type: 'CLOSE', ...manager },
  START_REVIEW: { type: 'START_REVIEW', reviewDueAt: REVIEW_DUE_AT, facts: { unscreenedApplications: 0 }, ...manager },
  SET_REVIEW_DEADLINE: { type: 'SET_REVIEW_DEADLINE', reviewDueAt: daysAfterT0(70), ...manager },
  REMIND_REVIEWERS: { type: 'REMIND_REVIEWERS', ...by(PEOPLE.system, daysAfterT0(57)) },
  REVIEW_DEADLINE: { type: 'REVIEW_DEADLINE', ...by(PEOPLE.system, REVIEW_DUE_AT) },
  CONFIRM_DECISIONS: {
    type: 'CONFIRM_DECISIONS',
    facts: { awardedTotalMinor: 1_250_000, undecidedApplications: 0 },
    ...manager,
  },
  ARCHIVE: { type: 'ARCHIVE', facts: { openGrants: 0 }, ...manager },
  CANCEL: { type: 'CANCEL', reason: 'The co-funding was withdrawn', ...manager },
};

/** A complete proposal for EUR 2,500.00: three budget lines. */
export const PROPOSAL: Proposal = {
  summary: 'Swings, a slide and benches beside the school, built by parents on two Saturdays.',
  problem: 'Three hundred children in Zhazy have nowhere safe to play.',
  activities: [
    { description: 'Buy and deliver materials', start: '2020-03-01', end: '2020-03-15' },
    { description: 'Build with parents and the school', start: '2020-03-16', end: '2020-04-30' },
  ],
  participants: { women: 40, men: 25, youth: 120, byStakeholder: { local_government: 2, civil_society: 10 } },
  composition: { local_government: 1, civil_society: 3, youth_women: 2 },
  municipality: 'Zhazy',
  budget: [
    { category: 'Materials', description: 'Timber and paint', quantity: 10, unitCostMinor: 15_000 },
    { category: 'Equipment', description: 'Swing set', quantity: 1, unitCostMinor: 80_000 },
    { category: 'Transport', description: 'Truck hire', quantity: 2, unitCostMinor: 10_000 },
  ],
  coFunding: [{ source: 'Aiyl okmotu', amountMinor: 30_000, inKind: true }],
  eligibilityAnswers: { registered: true, cofunded: true },
};

export const APPLICATION_INPUT: ApplicationInput = {
  callId: 'call-gulistan-2020',
  groupId: 'group-zhazy-youth',
  title: 'A playground beside the Zhazy school',
  currency: 'EUR',
  maxAwardMinor: 300_000,
  proposal: PROPOSAL,
};

export const QUESTION = 'Who will look after the playground once the project ends?';

export const SUBMIT_FACTS: SubmitFacts = {
  callState: 'open',
  callClosesAt: daysAfterT0(30),
  callClosedAt: null,
  questions: CALL_INPUT.questions,
};

export const SETTLED: CloseFacts = {
  finalReportAccepted: true,
  unsettledTranches: 0,
  unspentReconciled: true,
  paidMinor: 240_000,
};

export const APPLICATION_SAMPLES: Samples<ApplicationEvent> = {
  UPDATE_DRAFT: { type: 'UPDATE_DRAFT', changes: { summary: 'Swings and benches beside the school.' }, ...applicant },
  SUBMIT: { type: 'SUBMIT', facts: SUBMIT_FACTS, ...applicant },
  REQUEST_INFO: { type: 'REQUEST_INFO', questions: [QUESTION], ...manager },
  RESUBMIT: { type: 'RESUBMIT', answers: ['The youth committee of the aiyl aimak'], ...applicant },
  SCREEN: { type: 'SCREEN', decision: 'eligible', ...manager },
  REVIEW_STARTED: { type: 'REVIEW_STARTED', ...system },
  REVIEW_SUBMITTED: { type: 'REVIEW_SUBMITTED', facts: { outstandingReviews: 0 }, ...system },
  REVIEW_PENDING: { type: 'REVIEW_PENDING', ...system },
  AWARD: {
    type: 'AWARD',
    amountMinor: 240_000,
    reason: 'Transport is covered by the aiyl okmotu',
    facts: { budgetLeftMinor: 500_000 },
    ...manager,
  },
  REJECT: { type: 'REJECT', reason: 'Scored below the funding line', ...manager },
  WAITLIST: { type: 'WAITLIST', ...manager },
  DECISIONS_CONFIRMED: { type: 'DECISIONS_CONFIRMED', ...system },
  ACCEPT_AWARD: {
    type: 'ACCEPT_AWARD',
    facts: {
      applicationId: 'application-zhazy-playground',
      paymentPlan: CALL_INPUT.paymentPlan,
      financeThresholdMinor: CALL_INPUT.financeThresholdMinor,
      bankDetailsGiven: true,
      agreementSha256: { ky: 'a'.repeat(64), ru: 'b'.repeat(64), en: 'c'.repeat(64) },
    },
    ...applicant,
  },
  CHANGE_BANK_DETAILS: {
    type: 'CHANGE_BANK_DETAILS',
    reason: 'The group opened an account at another bank',
    ...applicant,
  },
  DECLINE_AWARD: { type: 'DECLINE_AWARD', reason: 'The school found other funds', ...applicant },
  FINAL_REPORT_DUE: { type: 'FINAL_REPORT_DUE', ...system },
  CLOSE: { type: 'CLOSE', facts: SETTLED, ...manager },
  TERMINATE: {
    type: 'TERMINATE',
    reason: 'Funds spent outside the agreement',
    facts: { paidMinor: 120_000 },
    ...manager,
  },
  WITHDRAW: { type: 'WITHDRAW', reason: 'Our group could not meet in time', ...applicant },
  CALL_CANCELLED: { type: 'CALL_CANCELLED', reason: 'The co-funding was withdrawn', ...system },
};

export const DISBURSEMENT_INPUT: DisbursementInput = {
  applicationId: 'application-zhazy-playground',
  amountMinor: 120_000,
  currency: 'EUR',
  grantAmountMinor: 180_000,
  approvalThresholdMinor: 200_000,
};

export const DISBURSEMENT_SAMPLES: Samples<DisbursementEvent> = {
  REQUEST: { type: 'REQUEST', facts: { acceptedReports: [], awardLeftMinor: 240_000 }, ...by(PEOPLE.manager) },
  APPROVE: { type: 'APPROVE', ...by(PEOPLE.finance2) },
  REJECT: { type: 'REJECT', reason: 'The bank account is not the group’s', ...by(PEOPLE.finance) },
  AMEND_AND_REQUEST: {
    type: 'AMEND_AND_REQUEST',
    amountMinor: 100_000,
    facts: { awardLeftMinor: 240_000 },
    ...by(PEOPLE.manager2),
  },
  RECORD_PAYMENT: {
    type: 'RECORD_PAYMENT',
    amountMinor: 120_000,
    reference: 'KICB-2020-0412',
    paidOn: '2020-03-02',
    ...by(PEOPLE.finance),
  },
  PAYMENT_FAILED: { type: 'PAYMENT_FAILED', reason: 'The bank refused the account number', ...by(PEOPLE.finance) },
  RETURN: { type: 'RETURN', reason: 'The account was closed', ...by(PEOPLE.finance) },
  BANK_DETAILS_CHANGED: {
    type: 'BANK_DETAILS_CHANGED',
    reason: 'The group opened an account at another bank',
    ...by(PEOPLE.system),
  },
  CANCEL: { type: 'CANCEL', reason: 'The grant was terminated', ...by(PEOPLE.manager) },
};

export const REPORT_INPUT: ReportInput = {
  applicationId: 'application-zhazy-playground',
  kind: 'interim',
  dueAt: daysAfterT0(30),
  overdueAt: daysAfterT0(44),
};

export const REPORT_SAMPLES: Samples<ReportEvent> = {
  DUE: { type: 'DUE', ...by(PEOPLE.system, daysAfterT0(30)) },
  MARK_OVERDUE: { type: 'MARK_OVERDUE', ...by(PEOPLE.system, daysAfterT0(44)) },
  SUBMIT: { type: 'SUBMIT', facts: { missingSections: [] }, ...by(PEOPLE.applicant, daysAfterT0(29)) },
  ACCEPT: { type: 'ACCEPT', ...by(PEOPLE.manager, daysAfterT0(31)) },
  REQUEST_REVISION: {
    type: 'REQUEST_REVISION',
    comments: ['Add the receipts for the paint'],
    ...by(PEOPLE.manager, daysAfterT0(31)),
  },
};

export const REVIEW_INPUT: ReviewInput = {
  callId: 'call-gulistan-2020',
  applicationId: 'application-zhazy-playground',
  reviewerId: 'committee-bakyt',
  criteria: CALL_INPUT.criteria.map(({ name, weight }) => ({ name, weight })),
  scale: CALL_INPUT.scale,
};

const reviewer = by(PEOPLE.committee);

export const REVIEW_SAMPLES: Samples<ReviewEvent> = {
  SAVE: {
    type: 'SAVE',
    changes: { scores: [4, 3, null], comments: ['A need the village named', '', ''] },
    ...reviewer,
  },
  SUBMIT: { type: 'SUBMIT', facts: { othersOutstanding: 1 }, ...reviewer },
  REOPEN: { type: 'REOPEN', reason: 'The feasibility score does not match the comment', ...by(PEOPLE.chair) },
  UNASSIGN: { type: 'UNASSIGN', reason: 'Reassigned: the reviewer is away', ...manager },
  APPLICATION_WITHDRAWN: { type: 'APPLICATION_WITHDRAWN', ...system },
};
