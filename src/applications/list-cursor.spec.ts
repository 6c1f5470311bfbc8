import { DomainError } from '../common/domain-error';
import { decodeCursor, encodeCursor, LIST_SORTS, type ListSort } from './list-cursor';

const ID = '2b5aab59-cff5-4f59-916d-2f464d665bda';
const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function refusal(sort: ListSort, cursor: string): DomainError {
  try {
    decodeCursor(sort, cursor);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${cursor} was taken for ${sort}`);
}

describe('list cursors', () => {
  const GOOD: Record<ListSort, string[]> = {
    created: ['2026-12-01T11:33:22.846Z', '1970-01-01T00:00:00.000Z'],
    title: ['Clean water for Zhazy school', 'Суу 😀', ''],
    requested: ['0', '250000', '999999999999999999'],
    reference: ['KG-2026-0007'],
  };

  it.each(LIST_SORTS)('gives back what it encoded, sorted by %s', (sort) => {
    for (const value of GOOD[sort])
      expect(decodeCursor(sort, encodeCursor(sort, { value, id: ID }))).toEqual({ value, id: ID });
  });

  it.each([
    [
      'created',
      [
        'abc',
        'not a date',
        '2026-02-30T25:00:00.000Z',
        '2026-02-30T00:00:00.000Z',
        '+275760-09-13T00:00:00.001Z',
        '2026-12-01T11:33:22Z',
        '2026-12-01',
        '',
      ],
    ],
    ['requested', ['abc', '1e400', '-1', '1.5', '01', '9999999999999999999', 'NaN', 'Infinity', '']],
    ['title', ['a\u0000', 'x\ud800', '\udc00', 'x'.repeat(1001)]],
    ['reference', ['\u0000']],
  ] as [ListSort, string[]][])('refuses values a %s cursor never holds, naming the cursor', (sort, values) => {
    for (const value of values) {
      const error = refusal(sort, raw([sort, value, ID]));
      expect(error.details.fields).toEqual([{ field: 'cursor', problems: [expect.any(String)] }]);
    }
  });

  it('refuses a cursor of another sort, saying which', () => {
    const cursor = encodeCursor('title', { value: '123', id: ID });
    expect(refusal('requested', cursor).details.fields).toEqual([
      { field: 'cursor', problems: ['The cursor belongs to the list sorted by title, not by requested.'] },
    ]);
  });

  it('refuses anything that is not a cursor it wrote', () => {
    for (const cursor of [
      raw(['created', '2026-12-01T11:33:22.846Z', '-'.repeat(36)]),
      raw(['created', '2026-12-01T11:33:22.846Z', ID.toUpperCase()]),
      raw(['created', '2026-12-01T11:33:22.846Z', ID, 'x']),
      raw(['2026-12-01T11:33:22.846Z', ID]),
      raw(['created', 1, ID]),
      raw(['nope', 'x', ID]),
      raw({}),
      raw(null),
      'not base64!',
      '',
    ]) {
      expect(refusal('created', cursor).details.fields).toEqual([
        { field: 'cursor', problems: ['The cursor is not one this list gave out.'] },
      ]);
    }
  });
});
