import { STAKEHOLDER_GROUPS } from '../../workflows/call.machine';
import { inLocale, type Locale } from '../../workflows/localised';
import type { ApplicationView, ScreeningView } from '../applications/application.views';
import type { CallView } from '../calls/call.views';
import { parseAmount } from '../common/money';
import { formatMoney, type Money } from '../i18n/format';
import type { HistoryEntry } from '../workflow-http/workflow-views';

// What the screening pages show, shaped from the services' views: the questions in the reader's
// language, amounts as money for the page's formatter, and each item of the computed eligibility
// check with the facts it was decided on, for the page to word. The check's verdicts are the service's.

/** What the eligibility check is worded from: the call's terms it applies. */
export type CallTerms = Pick<CallView, 'currency' | 'municipalities' | 'composition'>;

/** One answer beside its question, and whether it passes the check (a required question needs yes). */
export interface AnswerRow {
  question: string;
  required: boolean;
  answer: boolean | null;
  passed: boolean;
}

/** One item of the check, with the parameters its sentence needs. */
export interface CheckRow {
  check: string;
  passed: boolean;
  params: Record<string, string | number>;
}

export interface ScreeningCard {
  id: string;
  reference: string;
  title: string;
  group: string;
  municipality: string;
  state: string;
  /** Where screening stands: new, waiting for the group's answers, or answered. */
  stage: 'new' | 'waiting' | 'answered';
  requested: Money;
  eligible: boolean;
  answers: AnswerRow[];
  checks: CheckRow[];
  exchange: { question: string; answer: string | null }[];
}

export function money(amount: string, currency: string): Money {
  return { minor: parseAmount(amount, currency), currency };
}

/** The stakeholder groups present, in the machine's order, and those of them the call's rule counts. */
function represented(composition: ScreeningView['composition'], terms: CallTerms): { counted: string[] } {
  const present = STAKEHOLDER_GROUPS.filter((g) => (composition[g] ?? 0) > 0);
  const rule = terms.composition;
  return { counted: rule ? present.filter((g) => rule.groups.includes(g)) : present };
}

function checkRows(view: ScreeningView, terms: CallTerms, locale: Locale): CheckRow[] {
  const verdict = new Map(view.check.items.map((i) => [i.check, i.passed]));
  const rule = terms.composition;
  const { counted } = represented(view.composition, terms);
  const missing = view.answers.filter((a) => a.required && a.answer !== true).length;
  const list = (names: string[]) => names.join(', ');
  return [
    { check: 'requiredAnswers', passed: verdict.get('requiredAnswers') ?? false, params: { count: missing } },
    {
      check: rule ? 'composition' : 'compositionAny',
      passed: verdict.get('composition') ?? false,
      params: { count: counted.length, minimum: rule?.minimumGroups ?? 0 },
    },
    {
      check: terms.municipalities.length === 0 ? 'municipalityAny' : 'municipality',
      passed: verdict.get('municipality') ?? false,
      params: { municipality: view.municipality || '—', covered: list(terms.municipalities) },
    },
    {
      check: 'amount',
      passed: verdict.get('amount') ?? false,
      params: {
        requested: formatMoney(money(view.requestedAmount, terms.currency), locale),
        maxAward: formatMoney(money(view.maxAward, terms.currency), locale),
      },
    },
  ];
}

/** An application as the screening list and its page show it. */
export function screeningCard(view: ScreeningView, terms: CallTerms, locale: Locale): ScreeningCard {
  const stage = view.state === 'more_info' ? 'waiting' : view.answersToQuestions.length > 0 ? 'answered' : 'new';
  return {
    id: view.id,
    reference: view.reference,
    title: view.title,
    group: view.group.name,
    municipality: view.municipality,
    state: view.state,
    stage,
    requested: money(view.requestedAmount, terms.currency),
    eligible: view.check.eligible,
    answers: view.answers.map((a) => ({
      question: inLocale(a.question, locale),
      required: a.required,
      answer: a.answer,
      passed: !a.required || a.answer === true,
    })),
    checks: checkRows(view, terms, locale),
    exchange: view.questions.map((question, i) => ({ question, answer: view.answersToQuestions[i] ?? null })),
  };
}

/** The proposal with its amounts as money, and the totals its tables end with. */
export function proposalOf(view: ApplicationView) {
  const p = view.proposal;
  const of = (amount: string) => money(amount, view.currency);
  const coFundingMinor = p.coFunding.reduce((sum, c) => sum + parseAmount(c.amount, view.currency), 0);
  return {
    ...p,
    budget: p.budget.map((l) => ({ ...l, unitCost: of(l.unitCost), total: of(l.total) })),
    budgetTotal: of(p.budgetTotal),
    maxAward: of(view.maxAward),
    coFunding: p.coFunding.map((c) => ({ ...c, amount: of(c.amount) })),
    coFundingTotal: { minor: coFundingMinor, currency: view.currency },
    groups: STAKEHOLDER_GROUPS.filter((g) => (p.composition[g] ?? 0) > 0 || p.participants?.byStakeholder[g]),
  };
}

/** The events the history names; any other shows as `other`. */
const NAMED_EVENTS = new Set([
  'START',
  'UPDATE_DRAFT',
  'SUBMIT',
  'REQUEST_INFO',
  'RESUBMIT',
  'SCREEN',
  'REVIEW_STARTED',
  'REVIEW_SUBMITTED',
  'REVIEW_PENDING',
  'AWARD',
  'REJECT',
  'WAITLIST',
  'DECISIONS_CONFIRMED',
  'ACCEPT_AWARD',
  'DECLINE_AWARD',
  'FINAL_REPORT_DUE',
  'CLOSE',
  'TERMINATE',
  'WITHDRAW',
  'CALL_CANCELLED',
]);
const ACTORS = new Set(['applicant', 'manager', 'finance', 'committee', 'system']);

/** What the history shows of one row: the state reached, who, and what they wrote. */
export interface HistoryRow {
  at: string;
  event: string;
  to: string;
  role: string;
  reason: string | null;
  lines: string[];
}

/**
 * The application's log as its page shows it. The draft's own edits are left out (the group wrote
 * them before anyone could read them); an edit made while answering questions is kept.
 */
export function historyRows(entries: HistoryEntry[]): HistoryRow[] {
  return entries
    .filter((e) => !(e.event === 'UPDATE_DRAFT' && e.to === 'draft'))
    .map((e) => {
      const listed = e.payload[e.event === 'RESUBMIT' ? 'answers' : 'questions'];
      return {
        at: e.at,
        event: NAMED_EVENTS.has(e.event) ? e.event : 'other',
        to: e.to,
        role: ACTORS.has(e.actor.role) ? e.actor.role : 'system',
        reason: e.reason,
        lines: Array.isArray(listed) ? listed.filter((l): l is string => typeof l === 'string') : [],
      };
    });
}
