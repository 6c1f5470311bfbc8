// Which transition sends which message, to whom, with which template: the one table of it.
// The engine writes an outbox row for every entry a committed transition matches, in the same
// statement as the transition; the notifications module turns each row into one email per
// recipient, in the recipient's language, from `templates/messages/<template>/`.

/** Who receives a message, resolved from the subject when the outbox row is handed on. */
export const RECIPIENTS = {
  /** Every member of the initiative group that owns the application (tranche, report). */
  applicant_group: 'members of the applicant group',
  /** The programme managers running the call. */
  programme_managers: 'programme managers',
  /** Finance officers who may approve the tranche (never the manager who requested it). */
  finance_officers: 'finance officers',
  /** Every finance officer of the programme running the call, whatever they did before. */
  programme_finance: 'the programme’s finance officers',
  /** Members of the call's grant committee. */
  call_committee: 'committee members',
  /** The committee member a review is assigned to. */
  reviewer: 'the reviewer',
  /** Members of the call's committee with reviews still to submit. */
  reviewers_outstanding: 'committee members with reviews outstanding',
} as const;
export type Recipients = keyof typeof RECIPIENTS;

export interface MessageSpec {
  /** Unique name of the message, `<machine>.<what happened>`. */
  key: string;
  machine: 'call' | 'application' | 'disbursement' | 'report' | 'review';
  /**
   * The transition that sends it: an event type, a target state, or both. `to` matches only a
   * transition that enters that state from another one, like an entry action. Event `START` is an
   * instance's creation.
   */
  on: { event?: string; to?: string };
  recipients: Recipients;
  /** Folder under `templates/messages/`. */
  template: string;
}

/** A message to the applicant group, its template named after it. */
const group = (machine: MessageSpec['machine'], what: string, on: MessageSpec['on']): MessageSpec => ({
  key: `${machine}.${what}`,
  machine,
  on,
  recipients: 'applicant_group',
  template: `${machine}.${what}`,
});

const application = (what: string, on: MessageSpec['on']) => group('application', what, on);

const staff = (
  machine: MessageSpec['machine'],
  what: string,
  on: MessageSpec['on'],
  recipients: Recipients,
  template = `${machine}.${what}`,
): MessageSpec => ({ key: `${machine}.${what}`, machine, on, recipients, template });

export const MESSAGES: readonly MessageSpec[] = [
  // What the initiative group hears about its application.
  application('submitted', { event: 'SUBMIT' }),
  application('more_info_requested', { to: 'more_info' }),
  application('answers_received', { event: 'RESUBMIT' }),
  application('eligible', { to: 'eligible' }),
  application('ineligible', { to: 'ineligible' }),
  application('in_review', { to: 'in_review' }),
  application('reviewed', { to: 'reviewed' }),
  application('awarded', { to: 'awarded' }),
  application('rejected', { to: 'rejected' }),
  application('waitlisted', { to: 'waitlisted' }),
  application('withdrawn', { to: 'withdrawn' }),
  application('award_accepted', { to: 'active' }),
  application('award_declined', { to: 'declined' }),
  application('final_report_due', { to: 'reporting' }),
  application('terminated', { to: 'terminated' }),
  application('closed', { to: 'closed' }),
  application('call_cancelled', { to: 'cancelled' }),
  // A change of the account a grant is paid into: the whole group hears of it, so a change none of
  // them made is noticed, and so does finance, which approves again against the new account.
  application('bank_details_changed', { event: 'CHANGE_BANK_DETAILS' }),
  staff('application', 'bank_details_changed_finance', { event: 'CHANGE_BANK_DETAILS' }, 'programme_finance'),
  group('disbursement', 'paid', { to: 'paid' }),
  group('report', 'due', { to: 'due' }),
  group('report', 'overdue', { to: 'overdue' }),
  group('report', 'revision_requested', { to: 'revision_requested' }),
  group('report', 'accepted', { to: 'accepted' }),

  // What the programme's staff hear: work waiting for them.
  staff('call', 'review_started', { to: 'reviewing' }, 'call_committee'),
  staff('call', 'review_reminder', { event: 'REMIND_REVIEWERS' }, 'reviewers_outstanding'),
  staff('call', 'review_deadline_passed', { event: 'REVIEW_DEADLINE' }, 'programme_managers'),
  staff('review', 'assigned', { event: 'START' }, 'reviewer'),
  staff('review', 'reopened', { event: 'REOPEN' }, 'reviewer'),
  staff('disbursement', 'approval_requested', { to: 'requested' }, 'finance_officers'),
  staff('disbursement', 'rejected', { to: 'rejected' }, 'programme_managers'),
  staff(
    'disbursement',
    'second_approval_requested',
    { to: 'partly_approved' },
    'finance_officers',
    'disbursement.approval_requested',
  ),
  staff('report', 'submitted', { to: 'submitted' }, 'programme_managers'),
];

export interface TransitionFacts {
  event: string;
  /** Null for the row that records an instance's creation. */
  from: string | null;
  to: string;
}

/** The messages a transition of `machine` sends, in table order. */
export function messagesFor(machine: string, transition: TransitionFacts): MessageSpec[] {
  const entered = transition.from !== transition.to;
  return MESSAGES.filter(
    (m) =>
      m.machine === machine &&
      (m.on.event === undefined || m.on.event === transition.event) &&
      (m.on.to === undefined || (entered && m.on.to === transition.to)),
  );
}

/** Every template the table names, once each. */
export function messageTemplates(): string[] {
  return [...new Set(MESSAGES.map((m) => m.template))].sort();
}
