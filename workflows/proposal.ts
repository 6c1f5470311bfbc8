import { STAKEHOLDER_GROUPS, type CallInput, type StakeholderGroup } from './call.machine';

// What an initiative group proposes, and the pure rules over it: what is still missing before it
// can be submitted, what it costs, and whether it meets the call's eligibility terms.

export interface Activity {
  description: string;
  /** Calendar days, YYYY-MM-DD. */
  start: string;
  end: string;
}

export interface Participants {
  women: number;
  men: number;
  youth: number;
  byStakeholder: Partial<Record<StakeholderGroup, number>>;
}

export interface BudgetLine {
  category: string;
  description: string;
  quantity: number;
  /** Integer minor units of the call's currency. */
  unitCostMinor: number;
}

export interface CoFunding {
  source: string;
  amountMinor: number;
  /** Work, materials or premises rather than money. */
  inKind: boolean;
}

export interface Proposal {
  summary: string;
  problem: string;
  activities: Activity[];
  participants: Participants | null;
  /** Members of the initiative group from each stakeholder group: what the composition rule reads. */
  composition: Partial<Record<StakeholderGroup, number>>;
  municipality: string;
  budget: BudgetLine[];
  coFunding: CoFunding[];
  /** Question id to yes (true) or no (false). */
  eligibilityAnswers: Record<string, boolean>;
}

export const EMPTY_PROPOSAL: Proposal = {
  summary: '',
  problem: '',
  activities: [],
  participants: null,
  composition: {},
  municipality: '',
  budget: [],
  coFunding: [],
  eligibilityAnswers: {},
};

/** A line's total: quantity times unit cost, in minor units. */
export function lineTotalMinor(line: BudgetLine): number {
  return line.quantity * line.unitCostMinor;
}

/** What the group asks for: the sum of its budget lines. */
export function budgetTotalMinor(budget: readonly BudgetLine[]): number {
  return budget.reduce((sum, line) => sum + lineTotalMinor(line), 0);
}

const blank = (text: string) => text.trim().length === 0;

/** The call's terms a submission is checked against. */
export type SubmissionTerms = Pick<CallInput, 'questions'>;

/**
 * Every field a submission still lacks, named as on the wire (`summary`, `budget`,
 * `eligibilityAnswers.registered`...), in the order of the form. Empty when it is complete.
 */
export function missingFields(title: string, proposal: Proposal, terms: SubmissionTerms): string[] {
  const p = proposal;
  const participants = p.participants;
  return [
    ...(blank(title) ? ['title'] : []),
    ...(blank(p.summary) ? ['summary'] : []),
    ...(blank(p.problem) ? ['problem'] : []),
    ...(p.activities.length === 0 ? ['activities'] : []),
    ...(participants === null || participants.women + participants.men + participants.youth === 0
      ? ['participants']
      : []),
    ...(blank(p.municipality) ? ['municipality'] : []),
    ...(p.budget.length === 0 || budgetTotalMinor(p.budget) <= 0 ? ['budget'] : []),
    ...terms.questions
      .filter((q) => typeof p.eligibilityAnswers[q.id] !== 'boolean')
      .map((q) => `eligibilityAnswers.${q.id}`),
  ];
}

/** The call's terms eligibility is judged on. */
export type EligibilityTerms = Pick<CallInput, 'questions' | 'composition' | 'municipalities' | 'maxAwardMinor'>;

export interface EligibilityItem {
  /** `requiredAnswers`, `composition`, `municipality`, `amount`. */
  check: string;
  passed: boolean;
  /** What was found, in plain words, for the manager who screens. */
  detail: string;
}

export interface EligibilityCheck {
  eligible: boolean;
  items: EligibilityItem[];
}

/**
 * The computed eligibility of a proposal under a call: every required question answered yes, the
 * group's composition meeting the rule, a municipality the call covers, and an amount within the
 * maximum award. It advises the manager who screens; the decision stays theirs.
 */
export function eligibilityCheck(
  proposal: Proposal,
  requestedMinor: number,
  terms: EligibilityTerms,
): EligibilityCheck {
  const notYes = terms.questions
    .filter((q) => q.required && proposal.eligibilityAnswers[q.id] !== true)
    .map((q) => q.id);
  const represented = STAKEHOLDER_GROUPS.filter((g) => (proposal.composition[g] ?? 0) > 0);
  const rule = terms.composition;
  const counted = rule ? represented.filter((g) => rule.groups.includes(g)) : represented;
  const municipalityCovered =
    terms.municipalities.length === 0 ||
    terms.municipalities.some((m) => m.trim().toLowerCase() === proposal.municipality.trim().toLowerCase());
  const items: EligibilityItem[] = [
    {
      check: 'requiredAnswers',
      passed: notYes.length === 0,
      detail: notYes.length === 0 ? 'every required question answered yes' : `not answered yes: ${notYes.join(', ')}`,
    },
    {
      check: 'composition',
      passed: !rule || counted.length >= rule.minimumGroups,
      detail: rule
        ? `${counted.length} stakeholder groups represented (${counted.join(', ') || 'none'}), ${rule.minimumGroups} required`
        : 'the call sets no composition rule',
    },
    {
      check: 'municipality',
      passed: municipalityCovered,
      detail:
        terms.municipalities.length === 0
          ? 'the call is open to every municipality'
          : `${proposal.municipality || 'none given'}; the call covers ${terms.municipalities.join(', ')}`,
    },
    {
      check: 'amount',
      passed: requestedMinor > 0 && requestedMinor <= terms.maxAwardMinor,
      detail:
        requestedMinor <= 0
          ? 'nothing requested'
          : requestedMinor <= terms.maxAwardMinor
            ? 'within the maximum award'
            : 'above the maximum award',
    },
  ];
  return { eligible: items.every((i) => i.passed), items };
}
