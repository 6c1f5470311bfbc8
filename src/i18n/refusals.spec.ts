import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROLES } from '../../workflows/kit';
import { LOCALES } from '../../workflows/localised';
import { CATALOGUES, translate } from './translate';

// Every refusal a person reads is worded from the catalogue (DomainError.because, fieldRefused), so
// that it reaches them in Kyrgyz, Russian or English. These checks read the source for the two ways an
// English sentence used to be written straight into a refusal, and for keys the catalogue lacks.

const SRC = join(__dirname, '..');

/**
 * Refusals that keep a literal message, each with why no person needs it in their language. A new
 * entry needs the same kind of reason: a programmer's error or a failure the service answers as a 500.
 */
const ALLOWED_LITERALS: Record<string, string> = {
  // A cascade of events between machines that never settles is a fault in the machines, not the request.
  'src/engine/engine.service.ts: cascade did not come to rest': 'a programmer error',
  // A 500 says nothing of its cause to the reader; the log has it.
  'src/common/exception.filter.ts: internal error': 'a 500',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const SOURCES = sourceFiles(SRC).map((path) => ({
  file: relative(join(SRC, '..'), path).split('\\').join('/'),
  text: readFileSync(path, 'utf8'),
}));

/** Each match of `pattern` in the sources, as `file: first capture`. */
function found(pattern: RegExp): string[] {
  return SOURCES.flatMap(({ file, text }) => [...text.matchAll(pattern)].map((m) => `${file}: ${m[1]}`));
}

// `new DomainError(ErrorCode.X, 'text'` or a template: the message is the second argument, written out.
const LITERAL_MESSAGE = /new DomainError\(\s*ErrorCode\.\w+,\s*(?:'([^']*)'|"([^"]*)"|`([^`]*)`)/g;
// `validationFailed([{ field, problems: ['text'] }])`: a field's problem written out in English.
const LITERAL_PROBLEM = /validationFailed\(\s*\[\s*\{[^\]]*?problems:\s*\[\s*(['"`][^'"`]*)/g;
// The catalogue keys a refusal names in the source: `key: 'x.y'`, `fieldRefused(field, 'x.y'`, a money error's.
const NAMED_KEY = /(?:\bkey: |fieldRefused\([^,()]+, |MoneyFormatError\()'([a-zA-Z]+\.[\w.]+)'/g;

describe('refusals in the source', () => {
  const literals = SOURCES.flatMap(({ file, text }) =>
    [...text.matchAll(LITERAL_MESSAGE)].map((m) => `${file}: ${m[1] ?? m[2] ?? m[3]}`),
  );

  it('word no message in English outside the allowed list', () => {
    expect(literals.filter((site) => !(site in ALLOWED_LITERALS))).toEqual([]);
  });

  it('list no allowed literal that is gone', () => {
    expect(Object.keys(ALLOWED_LITERALS).filter((site) => !literals.includes(site))).toEqual([]);
  });

  it('write no field problem in English by hand', () => {
    expect(found(LITERAL_PROBLEM)).toEqual([]);
  });

  it('name only keys the catalogue has, so each reads in every language', () => {
    const keys = found(NAMED_KEY);
    expect(keys.length).toBeGreaterThan(50);
    expect(keys.filter((site) => !(site.slice(site.indexOf(': ') + 2) in CATALOGUES.en))).toEqual([]);
  });
});

describe('refusals that name a role', () => {
  const FULL = { manager: 'programme manager', committee: 'committee member', finance: 'finance officer' } as const;
  const kinds = ['call', 'application', 'tranche', 'report', 'group', 'notification', 'review'];

  it.each(LOCALES)('say it in full words in %s, never by its code', (locale) => {
    for (const role of ROLES) {
      const sentences = [
        translate(locale, 'event.notForRole', { role, event: { term: 'disbursement.event.APPROVE' } }),
        translate(locale, 'access.belowApplication', { role, kind: 'tranche' }),
        ...kinds.map((kind) => translate(locale, 'access.notYourRecord', { role, kind })),
      ];
      // The full words may hold a code word ("programme manager"); what is left may not.
      const bare = sentences.map((s) =>
        s.replace(/programme managers?|committee members?|finance officers?|call’s committee/g, ''),
      );
      expect([role, bare.filter((s) => /\b(manager|committee|finance|applicant)\b/.test(s))]).toEqual([role, []]);
    }
  });

  it('use the words of the role in English', () => {
    for (const [role, words] of Object.entries(FULL))
      expect(translate('en', 'event.notForRole', { role, event: { term: 'call.event.PUBLISH' } })).toMatch(
        new RegExp(`^A ${words} may not publish the call\\.$`, 'i'),
      );
    expect(
      translate('ru', 'event.notForRole', { role: 'finance', event: { term: 'disbursement.event.APPROVE' } }),
    ).toBe('Финансовый сотрудник не может одобрить платёж.');
  });
});

describe('the checks themselves', () => {
  it('see a literal message, a literal field problem and a named key', () => {
    const source = [
      "throw new DomainError(ErrorCode.Conflict, 'the call is closed');",
      'throw new DomainError(\n  ErrorCode.Forbidden,\n  `a ${role} may not`,\n);',
      "throw validationFailed([{ field: 'type', problems: ['type must name an event'] }]);",
      "throw fieldRefused('If-Match', 'workflow.ifMatchVersion');",
    ].join('\n');
    expect([...source.matchAll(LITERAL_MESSAGE)].map((m) => m[1] ?? m[2] ?? m[3])).toEqual([
      'the call is closed',
      'a ${role} may not',
    ]);
    expect([...source.matchAll(LITERAL_PROBLEM)]).toHaveLength(1);
    expect([...source.matchAll(NAMED_KEY)].map((m) => m[1])).toEqual(['workflow.ifMatchVersion']);
  });
});
