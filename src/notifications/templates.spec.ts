import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MESSAGES, messageTemplates } from '../../workflows/messages';
import { formatDate, formatMoney } from './format';
import { sampleModel } from './model';
import { templatesDir } from './notifications.module';
import { ACCOUNT_TEMPLATES } from '../identity/account-mailer';
import { oneLine, PARTS, TemplateError, TemplateSet } from './templates';
import { LOCALES } from '../../workflows/localised';

const DIR = templatesDir();
const SAMPLE = sampleModel(
  { name: 'Community Mini-Grants', contact: 'grants@example.org' },
  'https://grants.example.org',
);
const set = new TemplateSet(DIR, 'Asia/Bishkek');

function copyOfTemplates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'templates-'));
  cpSync(DIR, dir, { recursive: true });
  return dir;
}

describe('templates', () => {
  // Every message the table sends, in every language, with all three parts.
  const sent = [...MESSAGES.map((m) => [m.key, m.template] as const), ...ACCOUNT_TEMPLATES.map((t) => [t, t] as const)];
  it.each(sent.flatMap(([key, template]) => LOCALES.map((locale) => [key, template, locale] as const)))(
    '%s has its %s template in %s',
    (_, template, locale) => {
      for (const part of PARTS) expect(existsSync(join(DIR, 'messages', template, `${locale}.${part}.hbs`))).toBe(true);
      expect(set.has(template, locale)).toBe(true);
    },
  );

  it('has no template folder the table does not use', () => {
    expect(readdirSync(join(DIR, 'messages')).sort()).toEqual([...messageTemplates(), ...ACCOUNT_TEMPLATES].sort());
  });

  it.each(set.names().flatMap((name) => LOCALES.map((locale) => [name, locale] as const)))(
    '%s renders in %s: a one-line subject, html in the layout, text with the link and footer',
    (name, locale) => {
      const rendered = set.render(name, locale, SAMPLE);
      expect(rendered.locale).toBe(locale);
      expect(rendered.subject).toMatch(/^\S.{5,100}\S$/);
      expect(rendered.subject).not.toMatch(/[\r\n]/);
      expect(rendered.html).toContain(`<html lang="${locale}">`);
      expect(rendered.html).toContain(SAMPLE.link);
      expect(rendered.text).toContain(SAMPLE.link);
      expect(rendered.text).toContain(SAMPLE.programme.contact);
      expect(rendered.text).not.toMatch(/&lt;|&gt;|&amp;|&#/);
    },
  );

  it('writes each language in its own words', () => {
    const subjects = LOCALES.map((locale) => set.render('application.awarded', locale, SAMPLE).subject);
    expect(new Set(subjects).size).toBe(3);
    expect(set.render('application.submitted', 'ru', SAMPLE).text).toContain('Здравствуйте');
    expect(set.render('application.submitted', 'ky', SAMPLE).text).toContain('Саламатсызбы');
  });

  it('uses only escaping {{ }} for data: no {{{ }}} or {{& }} in any file', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    for (const file of files(DIR)) expect(readFileSync(file, 'utf8')).not.toMatch(/\{\{\{|\{\{&/);
  });

  it('escapes data in html, leaves it alone in text, and keeps the subject on one line', () => {
    const hostile = '<script>alert(1)</script> {{programme.name}}\r\nBcc: someone@example.org';
    const model = { ...SAMPLE, recipient: { name: hostile }, application: { ...SAMPLE.application!, title: hostile } };
    const rendered = set.render('application.submitted', 'en', model);
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; {{programme.name}}');
    expect(rendered.text).toContain(hostile);
    expect(oneLine(`Subject ${hostile}`)).toBe(
      'Subject <script>alert(1)</script> {{programme.name}} Bcc: someone@example.org',
    );
  });

  it('falls back to English only where a locale is missing', () => {
    const dir = copyOfTemplates();
    for (const part of PARTS) writeFileSync(join(dir, 'messages', 'application.eligible', `ky.${part}.hbs`), '');
    const without = new TemplateSet(dir, 'Asia/Bishkek');
    for (const part of PARTS) {
      const file = join(dir, 'messages', 'application.eligible', `ky.${part}.hbs`);
      rmSync(file);
    }
    const fallback = new TemplateSet(dir, 'Asia/Bishkek');
    expect(without.has('application.eligible', 'ky')).toBe(true);
    expect(fallback.has('application.eligible', 'ky')).toBe(false);
    expect(fallback.render('application.eligible', 'ky', SAMPLE).locale).toBe('en');
    expect(fallback.render('application.eligible', 'ru', SAMPLE).locale).toBe('ru');
  });

  it('refuses a broken template at load, naming its file', () => {
    const dir = copyOfTemplates();
    writeFileSync(
      join(dir, 'messages', 'application.rejected', 'ru.html.hbs'),
      '{{#if application.reason}}never closed',
    );
    expect(() => new TemplateSet(dir, 'Asia/Bishkek')).toThrow(/application\.rejected\/ru\.html\.hbs/);
  });

  it('refuses unescaped output at load, naming its file', () => {
    const dir = copyOfTemplates();
    writeFileSync(
      join(dir, 'messages', 'application.rejected', 'en.html.hbs'),
      '{{#> layout}}{{{application.title}}}{{/layout}}',
    );
    expect(() => new TemplateSet(dir, 'Asia/Bishkek')).toThrow(TemplateError);
    expect(() => new TemplateSet(dir, 'Asia/Bishkek')).toThrow(
      /application\.rejected\/en\.html\.hbs: unescaped output/,
    );
  });

  it('finds a template reading a field the data lacks when checked at start', () => {
    const dir = copyOfTemplates();
    writeFileSync(join(dir, 'messages', 'application.rejected', 'en.text.hbs'), '{{application.nickname}}');
    const broken = new TemplateSet(dir, 'Asia/Bishkek');
    expect(() => broken.checkAgainst(SAMPLE)).toThrow(/application\.rejected\/en\.\*\.hbs: .*nickname/);
  });

  it('has no prototype access through templates', () => {
    const dir = copyOfTemplates();
    writeFileSync(
      join(dir, 'messages', 'application.rejected', 'en.text.hbs'),
      '[{{application.constructor}}][{{application.__proto__}}]',
    );
    const probing = new TemplateSet(dir, 'Asia/Bishkek');
    expect(probing.render('application.rejected', 'en', SAMPLE).text).toBe('[][]');
  });
});

describe('money and dates by locale', () => {
  it('writes amounts the way each language does', () => {
    expect(formatMoney({ minor: 250_000, currency: 'EUR' }, 'ru')).toBe('2\u00a0500,00\u00a0EUR');
    expect(formatMoney({ minor: 250_000, currency: 'EUR' }, 'ky')).toBe('2\u00a0500,00\u00a0EUR');
    expect(formatMoney({ minor: 250_000, currency: 'EUR' }, 'en')).toBe('EUR\u00a02,500.00');
  });

  it('writes whole soms without decimals, and keeps tyiyns when there are some', () => {
    expect(formatMoney({ minor: 20_000_000, currency: 'KGS' }, 'ru')).toBe('200\u00a0000\u00a0KGS');
    expect(formatMoney({ minor: 20_000_000, currency: 'KGS' }, 'en')).toBe('KGS\u00a0200,000');
    expect(formatMoney({ minor: 20_000_050, currency: 'KGS' }, 'ru')).toBe('200\u00a0000,50\u00a0KGS');
  });

  it('writes times in the programme time zone', () => {
    // 05:30 UTC is 11:30 in Bishkek (UTC+6)
    expect(formatDate('2026-03-16T05:30:00.000Z', 'ru', 'Asia/Bishkek')).toMatch(/^16 марта 2026\sг\. в 11:30$/);
    expect(formatDate('2026-03-16T05:30:00.000Z', 'en', 'Asia/Bishkek')).toMatch(/^March 16, 2026 at 11:30\sAM$/);
    expect(formatDate('2026-03-16T05:30:00.000Z', 'ky', 'Asia/Bishkek')).toContain('11:30');
  });
});
