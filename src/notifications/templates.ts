import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { formatMoney, formatDate, formatDay, type Money } from './format';
import type { MessageModel } from './model';
import { LOCALES, type Locale } from '../../workflows/localised';

// Templates live in `templates/`:
//   partials/layout.html.hbs                the html frame around every message
//   partials/footer.<locale>.{html,text}.hbs how to reach the programme
//   messages/<template>/<locale>.{subject,html,text}.hbs
// All of them are compiled once, at start, by one isolated Handlebars instance, and each is rendered
// once against sample data, so a broken template stops the start naming its file.

export const PARTS = ['subject', 'html', 'text'] as const;
export type Part = (typeof PARTS)[number];

export interface Rendered {
  subject: string;
  html: string;
  text: string;
  /** The locale actually used: the recipient's, or `en` when that template is missing. */
  locale: Locale;
}

type Compiled = Handlebars.TemplateDelegate<MessageModel>;

export class TemplateError extends Error {}

/** Every subject is one line: line breaks and other control characters in data never reach a header. */
export function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

export class TemplateSet {
  private readonly messages = new Map<string, Map<Locale, Record<Part, Compiled>>>();
  private readonly footers = new Map<Locale, { html: Compiled; text: Compiled }>();
  private readonly layout: Compiled;
  private readonly hb = Handlebars.create();

  /** Compiles every template under `root`; throws a TemplateError naming the first broken file. */
  constructor(
    private readonly root: string,
    timeZone: string,
  ) {
    this.registerHelpers(timeZone);
    this.layout = this.compile(join(root, 'partials', 'layout.html.hbs'), 'html');
    for (const locale of LOCALES) {
      this.footers.set(locale, {
        html: this.compile(join(root, 'partials', `footer.${locale}.html.hbs`), 'html'),
        text: this.compile(join(root, 'partials', `footer.${locale}.text.hbs`), 'text'),
      });
    }
    const dir = join(root, 'messages');
    for (const name of readdirSync(dir).sort()) {
      const byLocale = new Map<Locale, Record<Part, Compiled>>();
      for (const locale of LOCALES) {
        const files = PARTS.map((part) => join(dir, name, `${locale}.${part}.hbs`));
        if (!files.some(existsSync)) continue;
        const [subject, html, text] = files.map((file, i) => this.compile(file, PARTS[i]));
        byLocale.set(locale, { subject, html, text });
      }
      this.messages.set(name, byLocale);
    }
  }

  /** Template names found, sorted. */
  names(): string[] {
    return [...this.messages.keys()];
  }

  has(name: string, locale: Locale): boolean {
    return this.messages.get(name)?.has(locale) ?? false;
  }

  /** Renders a message in `locale`, or in English when that locale's template is missing. */
  render(name: string, locale: Locale, model: Omit<MessageModel, 'locale'>): Rendered {
    const byLocale = this.messages.get(name);
    if (!byLocale) throw new TemplateError(`no template named ${name}`);
    const used: Locale = byLocale.has(locale) ? locale : 'en';
    const parts = byLocale.get(used);
    if (!parts) throw new TemplateError(`template ${name} has neither ${locale} nor en`);
    const data = { ...model, locale: used } as MessageModel;
    const footer = this.footers.get(used) as { html: Compiled; text: Compiled };
    return {
      subject: oneLine(parts.subject(data)),
      html: parts.html(data, { partials: { layout: this.layout, footer: footer.html } }),
      text: parts.text(data, { partials: { footer: footer.text } }),
      locale: used,
    };
  }

  /**
   * Renders every template in every locale against `model`; throws naming the file that fails, so
   * a template that reads a field the data does not have is found at start, not at sending time.
   */
  checkAgainst(model: Omit<MessageModel, 'locale'>): void {
    for (const [name, byLocale] of this.messages) {
      for (const locale of byLocale.keys()) {
        try {
          this.render(name, locale, model);
        } catch (error) {
          const file = relative(process.cwd(), join(this.root, 'messages', name, `${locale}.*.hbs`));
          throw new TemplateError(`${file}: ${(error as Error).message}`);
        }
      }
    }
  }

  private compile(file: string, part: Part): Compiled {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      throw new TemplateError(`${relative(process.cwd(), file)}: missing`);
    }
    if (/\{\{\{|\{\{&/.test(source)) {
      throw new TemplateError(`${relative(process.cwd(), file)}: unescaped output ({{{ or {{&) is not allowed`);
    }
    // Subjects and plain-text bodies are not HTML: escaping them would show "&lt;" to the reader.
    const options: CompileOptions = { strict: true, noEscape: part !== 'html' };
    try {
      this.hb.precompile(source, options);
    } catch (error) {
      throw new TemplateError(`${relative(process.cwd(), file)}: ${(error as Error).message}`);
    }
    return this.hb.compile<MessageModel>(source, options);
  }

  private registerHelpers(timeZone: string): void {
    const localeOf = (options: Handlebars.HelperOptions): Locale => (options.data.root as MessageModel).locale;
    this.hb.registerHelper('money', (money: Money, options: Handlebars.HelperOptions) =>
      formatMoney(money, localeOf(options)),
    );
    this.hb.registerHelper('date', (iso: string, options: Handlebars.HelperOptions) =>
      formatDate(iso, localeOf(options), timeZone),
    );
    this.hb.registerHelper('day', (iso: string, options: Handlebars.HelperOptions) =>
      formatDay(iso, localeOf(options), timeZone),
    );
    this.hb.registerHelper('inc', (n: number) => n + 1);
  }
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];
