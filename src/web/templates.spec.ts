import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUES } from '../i18n/translate';

// The page templates: every value they print is escaped by Nunjucks, and every word they show
// comes from the catalogue, which has it in ky, ru and en (src/i18n/catalogue.spec.ts).

const DIR = join(__dirname, '..', '..', 'templates', 'pages');
const templates = readdirSync(DIR)
  .filter((f) => f.endsWith('.njk'))
  .map((name) => ({ name, text: readFileSync(join(DIR, name), 'utf8') }));

describe('the page templates', () => {
  it('are there', () => {
    expect(templates.map((t) => t.name)).toEqual(expect.arrayContaining(['layout.njk', 'home.njk', 'status.njk']));
  });

  it.each(templates.map((t) => [t.name, t.text]))('%s never marks a value as safe from escaping', (_, text) => {
    expect(text).not.toMatch(/\|\s*safe\b/);
    expect(text).not.toMatch(/autoescape\s+false/);
  });

  it.each(templates.map((t) => [t.name, t.text]))('%s names only keys the catalogue has', (_, text) => {
    const keys = [...text.matchAll(/\bt\(\s*'([^']+)'\s*[,)]/g)].map((m) => m[1]);
    expect(keys.filter((key) => !(key in CATALOGUES.en))).toEqual([]);
  });

  it('shows no text outside the catalogue: what is left between the tags is markup, names or numbers', () => {
    for (const { name, text } of templates) {
      const words = text
        .replace(/\{#[\s\S]*?#\}/g, '')
        .replace(/\{%[\s\S]*?%\}/g, '')
        .replace(/\{\{[\s\S]*?\}\}/g, '')
        .replace(/<[^>]*>/g, ' ')
        .replace(/&nbsp;|[%·—–:,.()]/g, ' ')
        .split(/\s+/)
        .filter((w) => /\p{L}{2,}/u.test(w));
      expect([name, words]).toEqual([name, []]);
    }
  });
});
