import { statesOf, trailOf } from './manage-forms';

describe('the trail of a list read by cursors', () => {
  it('on the first page has no previous page, and the next one remembers the first', () => {
    expect(trailOf(undefined, undefined, 'c1')).toEqual({
      number: 1,
      previous: null,
      next: { cursor: 'c1', back: '0' },
    });
  });

  it('on the second page goes back to the first, which has no cursor', () => {
    expect(trailOf('c1', '0', 'c2')).toEqual({
      number: 2,
      previous: { cursor: null, back: null },
      next: { cursor: 'c2', back: '0.c1' },
    });
  });

  it('on a later last page goes back one page and has no next one', () => {
    expect(trailOf('c2', '0.c1', null)).toEqual({
      number: 3,
      previous: { cursor: 'c1', back: '0' },
      next: null,
    });
  });
});

describe('the states ticked in the filter form', () => {
  it('reads one, several or none', () => {
    expect(statesOf({ state: 'submitted' })).toEqual(['submitted']);
    expect(statesOf({ state: ['submitted', 'more_info', ''] })).toEqual(['submitted', 'more_info']);
    expect(statesOf({ state: '' })).toBeUndefined();
    expect(statesOf({})).toBeUndefined();
  });
});
