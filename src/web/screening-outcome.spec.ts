import { randomBytes } from 'node:crypto';
import type { BatchOutcome } from '../applications/application.views';
import { eventOf, listField, questionLines } from './screening-forms';
import { OutcomeSeal } from './screening-outcome';

const USER = '0b7e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b';
const CALL = '8a2d6f3b-1c4e-4b7a-9d5f-3e6a7b8c9d01';
const DONE = '4f1c2a9e-6b1d-4c56-9a0e-2f3b7c8d9e10';
const REFUSED = '6d3f9b2e-8a1c-4f7d-b5e0-1a2b3c4d5e6f';

const results: BatchOutcome[] = [
  { applicationId: DONE, ok: true, state: 'eligible', previousState: 'submitted' },
  {
    applicationId: REFUSED,
    ok: false,
    error: { status: 409, code: 'EVENT_NOT_ALLOWED', message: 'Сейчас нельзя: заявка уже проверена.' },
  },
];

describe('the sealed outcome of a bulk decision', () => {
  const seal = new OutcomeSeal(randomBytes(32));
  const references = new Map([[DONE, 'KG-2026-0001']]);

  it('opens for the reader and the call it was sealed for, with each outcome', () => {
    const sealed = seal.seal(results, references, USER, CALL);
    expect(sealed).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(seal.open(sealed, USER, CALL)).toEqual([
      { id: DONE, reference: 'KG-2026-0001', state: 'eligible' },
      { id: REFUSED, reference: null, refused: 'Сейчас нельзя: заявка уже проверена.' },
    ]);
  });

  it('opens for nobody else, nor altered, nor sealed with another secret', () => {
    const sealed = seal.seal(results, references, USER, CALL);
    expect(seal.open(sealed, REFUSED, CALL)).toBeNull();
    expect(seal.open(sealed, USER, DONE)).toBeNull();
    const [body, mac] = sealed.split('.');
    expect(seal.open(`${body}A.${mac}`, USER, CALL)).toBeNull();
    expect(seal.open(`${body}.${mac}.x`, USER, CALL)).toBeNull();
    expect(seal.open(new OutcomeSeal(randomBytes(32)).seal(results, references, USER, CALL), USER, CALL)).toBeNull();
    expect(seal.open(undefined, USER, CALL)).toBeNull();
    expect(seal.open(['a', 'b'], USER, CALL)).toBeNull();
  });
});

describe('the screening form’s fields', () => {
  it('reads one question a line, leaving blank lines out', () => {
    expect(questionLines(' Which school?\r\n\n  Who maintains it? \n')).toEqual(['Which school?', 'Who maintains it?']);
    expect(questionLines('   ')).toEqual([]);
  });

  it('reads a checkbox chosen once, several times, or not at all', () => {
    expect(listField({ applications: DONE }, 'applications')).toEqual([DONE]);
    expect(listField({ applications: [DONE, REFUSED] }, 'applications')).toEqual([DONE, REFUSED]);
    expect(listField({}, 'applications')).toEqual([]);
    expect(listField({ applications: { nested: true } }, 'applications')).toEqual([]);
  });

  it('makes the machine’s event of each decision, with only its own fields', () => {
    const form = { reason: 'Outside the four municipalities', questions: ['Which school?'] };
    expect(eventOf({ ...form, outcome: 'eligible' })).toEqual({ type: 'SCREEN', decision: 'eligible' });
    expect(eventOf({ ...form, outcome: 'ineligible' })).toEqual({
      type: 'SCREEN',
      decision: 'ineligible',
      reason: 'Outside the four municipalities',
    });
    expect(eventOf({ ...form, outcome: 'more_info' })).toEqual({ type: 'REQUEST_INFO', questions: ['Which school?'] });
  });
});
