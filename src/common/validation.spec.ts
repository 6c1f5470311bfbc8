import { unstorable, unstorableFields } from './validation';
import { translate } from '../i18n/translate';

describe('unstorable', () => {
  it('passes any Unicode text, surrogate pairs included', () => {
    for (const text of ['', 'Жазы', 'تقرير', '😀 water', 'a\tb\nc', '\u202e']) expect(unstorable(text)).toBeNull();
  });

  it('names NUL and each kind of half surrogate pair', () => {
    for (const text of [
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udbff',
      '\udc00',
      '\udfffx',
      '\udc00\ud800',
      '😀'.slice(0, 1),
    ]) {
      expect(unstorable(text)).toEqual(expect.any(String));
    }
  });
});

describe('unstorableFields', () => {
  it('is empty for a body the database can store', () => {
    expect(
      unstorableFields({
        title: { en: 'Water', ru: 'Вода' },
        questions: [{ id: 'q', text: { ky: 'Суу 😀' } }],
        n: 1,
        ok: true,
        none: null,
      }),
    ).toEqual([]);
  });

  it('names each bad string by its dotted path, arrays by index', () => {
    const fields = unstorableFields({
      title: { en: 'ok', ru: 'a\u0000' },
      questions: [{ text: { ky: 'fine' } }, { text: { ky: '\ud800' } }],
      tags: ['x', '\udc00'],
    }).map((p) => p.field);
    expect(fields.sort()).toEqual(['questions.1.text.ky', 'tags.1', 'title.ru']);
  });

  it('names a bad key, written so that the answer can show it', () => {
    const [problem] = unstorableFields({ answers: { 'registered\u0000': true } });
    expect(problem.field).toBe('answers.registered\\u0000');
    expect(problem).toMatchObject({ key: 'validation.keyNul', params: { key: 'registered\\u0000' } });
  });

  it('starts paths at the root it is given, and names a bare string by it', () => {
    expect(unstorableFields('a\u0000', 'id').map((p) => p.field)).toEqual(['id']);
    expect(unstorableFields('a\u0000').map((p) => p.field)).toEqual(['(body)']);
    expect(unstorableFields({ q: 'a\u0000' }).map((p) => p.field)).toEqual(['q']);
  });

  it('refuses nesting deeper than any DTO, without walking it', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const problems = unstorableFields({ questions: deep });
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toMatch(/^questions(\.0)+$/);
    expect(translate('en', problems[0].key, problems[0].params)).toMatch(/nests deeper than 16 levels/);
  });
});
