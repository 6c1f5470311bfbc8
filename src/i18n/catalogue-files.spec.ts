import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LOCALES } from '../../workflows/localised';
import { CATALOGUES } from './translate';

// The catalogue is kept in several files a language (the refusals', and one folder an area of
// pages): each key is in exactly one of them, and every file is part of the catalogue.

const ROOT = join(__dirname, 'catalogue');

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesOf(path) : path.endsWith('.json') ? [path] : [];
  });
}

describe('the catalogue’s files', () => {
  it.each(LOCALES)('hold each %s key once, and nothing the catalogue lacks', (locale) => {
    const files = filesOf(ROOT).filter((f) => f.endsWith(`${locale}.json`));
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const file of files) {
      for (const key of Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)) {
        if (seen.has(key)) twice.push(`${key}: ${seen.get(key)} and ${relative(ROOT, file)}`);
        seen.set(key, relative(ROOT, file));
      }
    }
    expect(twice).toEqual([]);
    expect([...seen.keys()].sort()).toEqual(Object.keys(CATALOGUES[locale]).sort());
  });
});
