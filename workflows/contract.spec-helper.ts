import type { EventObject, MachineContext } from 'xstate';
import {
  guardCoverageGaps,
  guardVerdicts,
  tableRows,
  tableShapeProblems,
  titled,
  type Fixture,
  type GuardCase,
  type Samples,
  type Table,
} from './testing';

/**
 * The checks every machine spec makes: the transition table covers every state and event type and
 * matches the machine, and every guard (and each condition of a rule) has a passing and a failing case.
 */
export function itHonoursItsTableAndGuards<C extends MachineContext, E extends EventObject>(
  fixture: Fixture<C, E>,
  samples: Samples<E>,
  table: Table<E>,
  guardCases: GuardCase<C, E>[],
): void {
  it('has a table covering every state and event type', () => {
    expect(tableShapeProblems(fixture.machine, samples, table)).toEqual([]);
  });

  it.each(tableRows(fixture, samples, table))('$state + $event -> $expected', ({ expected, actual }) => {
    expect(actual).toBe(expected);
  });

  it('has a passing and a failing case for every guard and condition', () => {
    expect(guardCoverageGaps(fixture.machine, guardCases)).toEqual([]);
  });

  it.each(titled(guardCases))('%s', (_, c) => {
    const { actual, expected } = guardVerdicts(fixture, c);
    expect(actual).toEqual(expected);
  });
}
