import type { AppConfig } from '../config/config';
import type { Money } from './format';
import type { Locale } from '../../workflows/localised';

// The data every template is rendered with. Applicant-supplied text (titles, answers, names,
// reasons) arrives here as plain strings and reaches the html only through escaping `{{ }}`.

export interface ApplicationFacts {
  /** Human reference, e.g. KG-2026-0007. */
  reference: string;
  title: string;
  requested: Money;
  awarded: Money | null;
  /** The reason given with the last decision (ineligible, rejected, withdrawn, terminated...). */
  reason: string | null;
  /** Questions from the last request for more information, and the group's answers. */
  questions: string[];
  answers: string[];
}

export interface TrancheFacts {
  amount: Money;
  /** YYYY-MM-DD the money left the account, once paid. */
  paidOn: string | null;
  /** The bank's reference of the payment, once paid. */
  paymentReference: string | null;
  /** Why it was returned to the manager, or why its payment failed or came back. */
  reason: string | null;
}

export interface ReportFacts {
  kind: 'interim' | 'final';
  dueAt: string;
  overdueAt: string;
  /** What the programme asked to change, after REQUEST_REVISION. */
  comments: string[];
}

export interface ReviewFacts {
  /** The committee's deadline for reviews; null when the call has none. */
  dueAt: string | null;
  /** Why the chair reopened the review. */
  reason: string | null;
  /**
   * Reviews not yet submitted: the recipient's own in a reminder; every one, with its reviewer's
   * name, in the notice to managers at the deadline.
   */
  outstanding: { reference: string; title: string; reviewer: string | null }[];
}

export interface MessageModel {
  locale: Locale;
  programme: { name: string; contact: string };
  recipient: { name: string };
  /** ISO time of the transition. */
  at: string;
  /** Where the recipient follows it up: the application's status page, or the record for staff. */
  link: string;
  /** Null for mail about an account (sign-in links, invitations). */
  call: { title: string; closesAt: string } | null;
  application: ApplicationFacts | null;
  tranche: TrancheFacts | null;
  report: ReportFacts | null;
  /** For messages to reviewers and about reviews. */
  review: ReviewFacts | null;
  /**
   * For sign-in links and invitations: `link` signs the recipient in, once, until `expiresAt`; an
   * invitation to a group names it (null when its name could carry a link: see link-free.ts).
   */
  signIn: { expiresAt: string; invitedBy: string | null; group: { name: string | null } | null } | null;
}

/** The programme as every email names it, from the configuration. */
export function programmeOf(
  config: Pick<AppConfig, 'PROGRAMME_NAME' | 'PROGRAMME_CONTACT'>,
): MessageModel['programme'] {
  return { name: config.PROGRAMME_NAME, contact: config.PROGRAMME_CONTACT };
}

/** Data for previews and for the check every template passes at start: every part filled. */
export function sampleModel(programme: MessageModel['programme'], baseUrl: string): Omit<MessageModel, 'locale'> {
  return {
    programme,
    recipient: { name: 'Гүлзат Асанова' },
    at: '2026-03-16T05:30:00.000Z',
    link: `${baseUrl}/applications/00000000-0000-4000-8000-000000000007/status`,
    call: { title: 'Community initiatives 2026', closesAt: '2026-03-31T12:00:00.000Z' },
    application: {
      reference: 'KG-2026-0007',
      title: 'Жаштар борбору үчүн спорт аянтчасы',
      requested: { minor: 250_000, currency: 'EUR' },
      awarded: { minor: 240_000, currency: 'EUR' },
      reason: 'The budget table does not show the co-funding from the aiyl okmotu.',
      questions: ['Who will maintain the playground after the project ends?', 'Which letter confirms the land use?'],
      answers: ['The aiyl okmotu, from its own budget.', 'Letter No. 12 of 3 March.'],
    },
    tranche: {
      amount: { minor: 125_000, currency: 'EUR' },
      paidOn: '2026-05-04',
      paymentReference: 'KICB-2026-000418',
      reason: 'The account holder is not the group named in the agreement.',
    },
    report: {
      kind: 'final',
      dueAt: '2026-07-01T12:00:00.000Z',
      overdueAt: '2026-07-15T12:00:00.000Z',
      comments: ['Add the list of participants by gender.'],
    },
    review: {
      dueAt: '2026-04-20T12:00:00.000Z',
      reason: 'The budget score does not match the comment; please look again.',
      outstanding: [
        { reference: 'KG-2026-0007', title: 'Жаштар борбору үчүн спорт аянтчасы', reviewer: 'Бакыт Осмонов' },
        { reference: 'KG-2026-0009', title: 'Ремонт водопровода в селе Юрьевка', reviewer: 'Nurlan Sadykov' },
      ],
    },
    signIn: { expiresAt: '2026-03-16T05:45:00.000Z', invitedBy: 'Айгүл Токтосунова', group: { name: 'Жазы жаштары' } },
  };
}
