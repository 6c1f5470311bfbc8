import { CALL_INPUT, PROPOSAL } from './fixtures';
import {
  budgetTotalMinor,
  eligibilityCheck,
  EMPTY_PROPOSAL,
  lineTotalMinor,
  missingFields,
  type Proposal,
} from './proposal';
import { anyLocale, inLocale } from './localised';

const TERMS = CALL_INPUT;
const check = (proposal: Proposal, requestedMinor = budgetTotalMinor(proposal.budget), terms = TERMS) =>
  Object.fromEntries(eligibilityCheck(proposal, requestedMinor, terms).items.map((i) => [i.check, i.passed]));

describe('budget', () => {
  it('totals quantity times unit cost over the lines', () => {
    expect(lineTotalMinor({ category: 'Materials', description: 'Paint', quantity: 3, unitCostMinor: 12_550 })).toBe(
      37_650,
    );
    expect(budgetTotalMinor(PROPOSAL.budget)).toBe(250_000);
    expect(budgetTotalMinor([])).toBe(0);
  });
});

describe('missingFields', () => {
  it('is empty for a complete proposal', () => {
    expect(missingFields('A playground', PROPOSAL, TERMS)).toEqual([]);
  });

  it('names every missing field of an empty draft, in the order of the form', () => {
    expect(missingFields(' ', EMPTY_PROPOSAL, TERMS)).toEqual([
      'title',
      'summary',
      'problem',
      'activities',
      'participants',
      'municipality',
      'budget',
      'eligibilityAnswers.registered',
      'eligibilityAnswers.cofunded',
    ]);
  });

  it('counts a no as an answer, and no participants as missing', () => {
    const proposal = {
      ...PROPOSAL,
      eligibilityAnswers: { registered: false },
      participants: { women: 0, men: 0, youth: 0, byStakeholder: {} },
    };
    expect(missingFields('A playground', proposal, TERMS)).toEqual(['participants', 'eligibilityAnswers.cofunded']);
  });

  it('asks only the questions of the call', () => {
    expect(missingFields('A playground', { ...PROPOSAL, eligibilityAnswers: {} }, { questions: [] })).toEqual([]);
  });
});

describe('eligibilityCheck', () => {
  it('passes a proposal meeting every term', () => {
    expect(eligibilityCheck(PROPOSAL, 250_000, TERMS)).toEqual({
      eligible: true,
      items: [
        { check: 'requiredAnswers', passed: true, detail: 'every required question answered yes' },
        {
          check: 'composition',
          passed: true,
          detail: '3 stakeholder groups represented (local_government, civil_society, youth_women), 2 required',
        },
        {
          check: 'municipality',
          passed: true,
          detail: 'Zhazy; the call covers Alexandrovsky, Yuryevka, Gulistan, Zhazy',
        },
        { check: 'amount', passed: true, detail: 'within the maximum award' },
      ],
    });
  });

  it('fails a required question answered no, but not an optional one', () => {
    expect(check({ ...PROPOSAL, eligibilityAnswers: { registered: false, cofunded: false } }).requiredAnswers).toBe(
      false,
    );
    expect(check({ ...PROPOSAL, eligibilityAnswers: { registered: true, cofunded: false } }).requiredAnswers).toBe(
      true,
    );
  });

  it('counts only the stakeholder groups the rule names, with at least one member', () => {
    expect(check({ ...PROPOSAL, composition: { civil_society: 5, local_government: 0 } }).composition).toBe(false);
    const narrow = {
      ...TERMS,
      composition: { minimumGroups: 2, groups: ['local_government' as const, 'religious_organisation' as const] },
    };
    expect(check(PROPOSAL, 250_000, narrow).composition).toBe(false);
    expect(
      check({ ...PROPOSAL, composition: { local_government: 1, religious_organisation: 2 } }, 250_000, narrow)
        .composition,
    ).toBe(true);
    expect(check({ ...PROPOSAL, composition: {} }, 250_000, { ...TERMS, composition: null }).composition).toBe(true);
  });

  it('matches the municipality whatever its case and spaces; an empty list covers all', () => {
    expect(check({ ...PROPOSAL, municipality: ' zhazy ' }).municipality).toBe(true);
    expect(check({ ...PROPOSAL, municipality: 'Karakol' }).municipality).toBe(false);
    expect(
      check({ ...PROPOSAL, municipality: 'Karakol' }, 250_000, { ...TERMS, municipalities: [] }).municipality,
    ).toBe(true);
  });

  it('fails an amount above the maximum award, or nothing at all', () => {
    expect(check(PROPOSAL, 300_001).amount).toBe(false);
    expect(check(PROPOSAL, 300_000).amount).toBe(true);
    expect(check(PROPOSAL, 0).amount).toBe(false);
    expect(eligibilityCheck(PROPOSAL, 300_001, TERMS).eligible).toBe(false);
  });
});

describe('localised text', () => {
  it('reads the reader’s locale, else Russian, Kyrgyz, English in that order', () => {
    expect(inLocale({ ky: 'Демилге', ru: 'Инициатива', en: 'Initiative' }, 'ky')).toBe('Демилге');
    expect(inLocale({ ru: 'Инициатива', en: 'Initiative' }, 'ky')).toBe('Инициатива');
    expect(inLocale({ ky: ' ', en: 'Initiative' }, 'ky')).toBe('Initiative');
    expect(inLocale({}, 'en')).toBe('');
  });

  it('needs text in at least one locale', () => {
    expect(anyLocale({ ru: 'Инициатива' })).toBe(true);
    expect(anyLocale({ ru: '  ' })).toBe(false);
    expect(anyLocale(null)).toBe(false);
  });
});
