import { createActor, type AnyStateMachine } from 'xstate';
import { WORKFLOWS } from '../../workflows';
import {
  APPLICATION_INPUT,
  APPLICATION_SAMPLES,
  CALL_INPUT,
  CALL_SAMPLES,
  DISBURSEMENT_INPUT,
  DISBURSEMENT_SAMPLES,
  REPORT_INPUT,
  REPORT_SAMPLES,
  REVIEW_INPUT,
  REVIEW_SAMPLES,
} from '../../workflows/fixtures';
import { leafStates, namedConditions } from '../../workflows/inspect';
import { LOCALES } from '../../workflows/localised';
import { eventTypesOf } from '../../workflows/testing';
import { CATALOGUES, placeholdersOf, translate } from './translate';

const en = CATALOGUES.en;

// A context and the sample events of each machine, to call every explanation as a refusal would.
const SAMPLED: Record<string, { input: unknown; events: Record<string, unknown> }> = {
  call: { input: CALL_INPUT, events: CALL_SAMPLES },
  application: { input: APPLICATION_INPUT, events: APPLICATION_SAMPLES },
  disbursement: { input: DISBURSEMENT_INPUT, events: DISBURSEMENT_SAMPLES },
  report: { input: REPORT_INPUT, events: REPORT_SAMPLES },
  review: { input: REVIEW_INPUT, events: REVIEW_SAMPLES },
};

const everyValueGiven = (params: object): boolean =>
  Object.values(params).every(
    (v: unknown) => v !== undefined && (typeof v !== 'object' || v === null || everyValueGiven(v)),
  );

const contextOf = (machine: AnyStateMachine, input: unknown): unknown =>
  createActor(machine, { input }).getSnapshot().context;

describe('the catalogue', () => {
  it.each(LOCALES.filter((l) => l !== 'en'))('%s has every English key and no other', (locale) => {
    const keys = Object.keys(CATALOGUES[locale]);
    expect(Object.keys(en).filter((k) => !keys.includes(k))).toEqual([]);
    expect(keys.filter((k) => !(k in en))).toEqual([]);
  });

  it.each(LOCALES.filter((l) => l !== 'en'))('%s uses the same placeholders as English in every message', (locale) => {
    const differing = Object.keys(en).filter(
      (key) =>
        key in CATALOGUES[locale] &&
        placeholdersOf(CATALOGUES[locale][key], locale).join() !== placeholdersOf(en[key], 'en').join(),
    );
    expect(differing).toEqual([]);
  });

  it.each(LOCALES)('every %s message parses and formats for counts that pick each plural form', (locale) => {
    for (const [key, text] of Object.entries(CATALOGUES[locale])) {
      for (const n of [0, 1, 2, 5, 21]) {
        const params = Object.fromEntries(placeholdersOf(text, locale).map((name) => [name, n]));
        expect([key, translate(locale, key, params)]).toEqual([key, expect.not.stringMatching(/^$|[{}]/)]);
      }
    }
  });
});

describe.each(WORKFLOWS.map((w) => [w.id, w] as const))('the refusals of the %s machine', (id, workflow) => {
  const machine = workflow.machine as AnyStateMachine;
  const explanations = workflow.explanations as Record<string, (c: unknown, e: unknown) => Record<string, never>>;

  it('explain every named condition, and no condition the machine does not have', () => {
    expect(Object.keys(explanations).sort()).toEqual(namedConditions(machine));
  });

  it('have a message for every named condition', () => {
    expect(namedConditions(machine).filter((c) => !(`${id}.${c}` in en))).toEqual([]);
  });

  it('give each message the parameters it uses, and read in every language', () => {
    const { input, events } = SAMPLED[id];
    const context = contextOf(machine, input);
    for (const condition of namedConditions(machine)) {
      const key = `${id}.${condition}`;
      // Called with each sample event: those of the types its guard is written for give every value.
      const worded = Object.values(events).flatMap((event) => {
        try {
          const params = explanations[condition](context, event);
          return everyValueGiven(params) ? [params] : [];
        } catch {
          return [];
        }
      });
      expect([key, worded.length > 0]).toEqual([key, true]);
      const params = worded[0];
      expect([key, placeholdersOf(en[key], 'en').filter((p) => !(p in params))]).toEqual([key, []]);
      for (const locale of LOCALES)
        expect([key, locale, translate(locale, key, params)]).toEqual([
          key,
          locale,
          expect.not.stringMatching(/^$|[{}]/),
        ]);
    }
  });

  it('name every event, state and the record itself in every language, for "not allowed now"', () => {
    const terms = [
      `${id}.record`,
      ...eventTypesOf(machine).map((e) => `${id}.event.${e}`),
      ...leafStates(machine).map((s) => `${id}.state.${s}`),
    ];
    expect(terms.filter((t) => !(t in en))).toEqual([]);
  });
});
