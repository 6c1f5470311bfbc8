import {
  applicationScores,
  normalisedScores,
  rank,
  TIE_BREAK,
  weightedScore,
  type RankEntry,
  type ScoringTerms,
  type SubmittedReview,
} from './scoring';

const TERMS: ScoringTerms = { criteria: [{ weight: 40 }, { weight: 30 }, { weight: 30 }], scale: { min: 0, max: 5 } };
// One criterion scored 0..10: a score of 7 is a weighted 70.
const TENTHS: ScoringTerms = { criteria: [{ weight: 100 }], scale: { min: 0, max: 10 } };

const review = (reviewerId: string, applicationId: string, ...scores: number[]): SubmittedReview => ({
  reviewerId,
  applicationId,
  scores,
});

describe('weightedScore', () => {
  it('weighs each criterion and divides by the top of the scale', () => {
    // (40×4 + 30×3 + 30×5) / (100×5) = 400 / 500
    expect(weightedScore([4, 3, 5], TERMS)).toBe(80);
    expect(weightedScore([5, 5, 5], TERMS)).toBe(100);
    expect(weightedScore([0, 0, 0], TERMS)).toBe(0);
    expect(weightedScore([2, 2, 2], TERMS)).toBe(40);
  });

  it('divides by the maximum on a scale from 1, so all ones is 20', () => {
    const fromOne = { ...TERMS, scale: { min: 1, max: 5 } };
    expect(weightedScore([1, 1, 1], fromOne)).toBe(20);
    expect(weightedScore([3, 4, 2], fromOne)).toBe(60);
    expect(() => weightedScore([0, 3, 3], fromOne)).toThrow(RangeError);
  });

  it('refuses a score per criterion missing or extra, or outside the scale', () => {
    expect(() => weightedScore([4, 3], TERMS)).toThrow(/2 scores for 3 criteria/);
    expect(() => weightedScore([4, 3, 5, 1], TERMS)).toThrow(RangeError);
    expect(() => weightedScore([4, 3, 6], TERMS)).toThrow(/score 6 of criterion 3 is outside the scale 0–5/);
    expect(() => weightedScore([-1, 3, 3], TERMS)).toThrow(RangeError);
    expect(() => weightedScore([Number.NaN, 3, 3], TERMS)).toThrow(RangeError);
  });
});

describe('normalisedScores', () => {
  it('scores a harsh and a lenient reviewer of the same applications alike', () => {
    const reviews = [
      review('harsh', 'A', 2),
      review('harsh', 'B', 3),
      review('harsh', 'C', 5),
      review('lenient', 'A', 7),
      review('lenient', 'B', 8),
      review('lenient', 'C', 10),
    ];
    const n = normalisedScores(reviews, TENTHS);
    for (let i = 0; i < 3; i++) expect(n[i]).toBeCloseTo(n[i + 3], 9);
    // The call's mean stays where it was.
    expect((n[0] + n[1] + n[2]) / 3).toBeCloseTo(58.333333, 5);
  });

  it('ranks applications seen by a harsh reviewer with those seen by a lenient one, not below them', () => {
    const reviews = [
      review('harsh', 'A', 5),
      review('harsh', 'B', 4),
      review('harsh', 'C', 3),
      review('harsh', 'D', 2),
      review('lenient', 'E', 10),
      review('lenient', 'F', 9),
      review('lenient', 'G', 8),
      review('lenient', 'H', 7),
    ];
    const scores = applicationScores(reviews, TENTHS, { disagreementThreshold: 20 });
    const order = (key: 'raw' | 'normalised') =>
      rank(
        scores.map((s) => ({
          applicationId: s.applicationId,
          score: s[key],
          lowest: s.lowest,
          submittedAt: '2026-03-01T09:00:00Z',
        })),
      ).map((r) => r.applicationId);
    expect(order('raw')).toEqual(['E', 'F', 'G', 'H', 'A', 'B', 'C', 'D']);
    // Each reviewer's best is level with the other's best; the higher lowest score breaks the tie.
    expect(order('normalised')).toEqual(['E', 'A', 'F', 'B', 'G', 'C', 'H', 'D']);
    const byId = Object.fromEntries(scores.map((s) => [s.applicationId, s.normalised]));
    expect(byId.A).toBeCloseTo(byId.E, 9);
    expect(byId.D).toBeCloseTo(byId.H, 9);
  });

  it('gives a reviewer of one review, or of reviews all alike, the call mean', () => {
    const reviews = [
      review('r1', 'A', 2),
      review('r1', 'B', 8),
      review('single', 'C', 10),
      review('flat', 'D', 6),
      review('flat', 'E', 6),
    ];
    const n = normalisedScores(reviews, TENTHS);
    const callMean = (20 + 80 + 100 + 60 + 60) / 5;
    expect(n[2]).toBeCloseTo(callMean, 9);
    expect(n[3]).toBeCloseTo(callMean, 9);
    expect(n[4]).toBeCloseTo(callMean, 9);
    expect(n[0]).toBeLessThan(callMean);
    expect(n[1]).toBeGreaterThan(callMean);
  });

  it('clamps to 0..100', () => {
    // The call: five reviews of 0 and five of 100, mean 50 and spread 50. Each reviewer's odd one
    // out is two of their own standard deviations away: 50 ± 100.
    const reviews = [
      ...['A', 'B', 'C', 'D'].map((a) => review('x', a, 0)),
      review('x', 'E', 10),
      ...['A', 'B', 'C', 'D'].map((a) => review('y', a, 10)),
      review('y', 'E', 0),
    ];
    const n = normalisedScores(reviews, TENTHS);
    expect(n[4]).toBe(100);
    expect(n[9]).toBe(0);
    expect(n[0]).toBeCloseTo(25, 9);
    expect(n[5]).toBeCloseTo(75, 9);
  });

  it('is empty for no reviews and refuses an invalid one', () => {
    expect(normalisedScores([], TERMS)).toEqual([]);
    expect(() => normalisedScores([review('r', 'A', 1, 2)], TERMS)).toThrow(RangeError);
  });
});

describe('applicationScores', () => {
  const reviews = [review('r1', 'X', 2, 2, 2), review('r1', 'Y', 4, 3, 5), review('r2', 'X', 3, 3, 3)];

  it('gives one entry per reviewed application, in order of first appearance', () => {
    const [x, y] = applicationScores(reviews, TERMS, { disagreementThreshold: 10 });
    expect(x).toMatchObject({ applicationId: 'X', reviews: 2, raw: 50, lowest: 40, spread: 10 });
    expect(y).toMatchObject({ applicationId: 'Y', reviews: 1, raw: 80, lowest: 80, spread: 0, disagreement: false });
    expect(applicationScores(reviews, TERMS, { disagreementThreshold: 10 })).toHaveLength(2);
    expect(applicationScores([], TERMS, { disagreementThreshold: 10 })).toEqual([]);
  });

  it('averages the normalised scores of each application', () => {
    const n = normalisedScores(reviews, TERMS);
    const [x, y] = applicationScores(reviews, TERMS, { disagreementThreshold: 10 });
    expect(x.normalised).toBeCloseTo((n[0] + n[2]) / 2, 9);
    expect(y.normalised).toBeCloseTo(n[1], 9);
  });

  it('flags a disagreement only above the threshold, not at it', () => {
    // 40 and 60: a spread of exactly 10.
    expect(applicationScores(reviews, TERMS, { disagreementThreshold: 10 })[0].disagreement).toBe(false);
    expect(applicationScores(reviews, TERMS, { disagreementThreshold: 9.99 })[0].disagreement).toBe(true);
    expect(applicationScores(reviews, TERMS, { disagreementThreshold: 0 })[1].disagreement).toBe(false);
  });
});

describe('rank', () => {
  const entry = (
    applicationId: string,
    score: number | null,
    lowest: number | null,
    submittedAt = '2026-03-01T09:00:00Z',
  ): RankEntry => ({
    applicationId,
    score,
    lowest,
    submittedAt,
  });
  const ids = (entries: RankEntry[]) => rank(entries).map((e) => e.applicationId);

  it('puts the highest score first and numbers 1..n', () => {
    const ranked = rank([entry('a', 61.5, 50), entry('b', 80, 70), entry('c', 72.25, 60)]);
    expect(ranked.map((e) => [e.applicationId, e.rank])).toEqual([
      ['b', 1],
      ['c', 2],
      ['a', 3],
    ]);
  });

  it('breaks equal scores by the higher lowest review score', () => {
    expect(ids([entry('a', 70, 55), entry('b', 70, 65), entry('c', 70, 60)])).toEqual(['b', 'c', 'a']);
  });

  it('then by the earlier submission, whatever the time zone it is written in', () => {
    const late = entry('a', 70, 60, '2026-03-02T10:00:00Z');
    const early = entry('b', 70, 60, '2026-03-02T12:00:00+06:00');
    expect(ids([late, early])).toEqual(['b', 'a']);
  });

  it('then by application id, so the order is total', () => {
    const ranked = rank([entry('b', 70, 60), entry('a', 70, 60)]);
    expect(ranked.map((e) => [e.applicationId, e.rank])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('ignores float noise below six decimals', () => {
    expect(ids([entry('a', 0.1 + 0.2, 50), entry('b', 0.3, 60)])).toEqual(['b', 'a']);
    expect(
      ids([entry('a', 70, 0.1 + 0.2, '2026-03-01T09:00:00Z'), entry('b', 70, 0.3, '2026-03-01T08:00:00Z')]),
    ).toEqual(['b', 'a']);
    expect(ids([entry('a', 70.000002, 50), entry('b', 70, 60)])).toEqual(['a', 'b']);
  });

  it('puts applications without reviews last, in the same tie-break order', () => {
    const entries = [
      entry('none-late', null, null, '2026-03-05T09:00:00Z'),
      entry('low', 10, 5),
      entry('none-early', null, null, '2026-03-01T09:00:00Z'),
      entry('high', 90, 85),
    ];
    expect(ids(entries)).toEqual(['high', 'low', 'none-early', 'none-late']);
  });

  it('does not depend on the order of its input, nor change it', () => {
    const entries = [
      entry('a', 70, 60, '2026-03-02T09:00:00Z'),
      entry('b', 70, 60, '2026-03-01T09:00:00Z'),
      entry('c', 70, 65),
      entry('d', 88.1, 40),
      entry('e', null, null),
      entry('f', 70, 60, '2026-03-01T09:00:00Z'),
    ];
    const expected = ['d', 'c', 'b', 'f', 'a', 'e'];
    const copy = entries.map((e) => ({ ...e }));
    expect(ids(entries)).toEqual(expected);
    expect(entries).toEqual(copy);
    for (let shift = 1; shift < entries.length; shift++) {
      expect(ids([...entries.slice(shift), ...entries.slice(0, shift)])).toEqual(expected);
      expect(ids([...entries.slice(shift), ...entries.slice(0, shift)].reverse())).toEqual(expected);
    }
  });

  it('keeps the fields of its entries and explains the rule in plain words', () => {
    expect(rank([{ ...entry('a', 1, 1), title: 'Water pipe' }])[0]).toMatchObject({ title: 'Water pipe', rank: 1 });
    expect(rank([])).toEqual([]);
    expect(TIE_BREAK).toMatch(/lowest review score/);
    expect(TIE_BREAK).toMatch(/submitted earlier/);
  });
});
