import { IntlMessageFormat } from 'intl-messageformat';
import { amountInWords, type ExplanationParam, type ExplanationParams } from '../../workflows/kit';
import type { Locale } from '../../workflows/localised';
import en from './catalogue/en.json';
import ky from './catalogue/ky.json';
import ru from './catalogue/ru.json';
import pagesEn from './catalogue/pages/en.json';
import pagesKy from './catalogue/pages/ky.json';
import pagesRu from './catalogue/pages/ru.json';
import applyEn from './catalogue/pages/apply/en.json';
import applyKy from './catalogue/pages/apply/ky.json';
import applyRu from './catalogue/pages/apply/ru.json';
import groupEn from './catalogue/pages/group/en.json';
import groupKy from './catalogue/pages/group/ky.json';
import groupRu from './catalogue/pages/group/ru.json';
import statusEn from './catalogue/pages/status/en.json';
import statusKy from './catalogue/pages/status/ky.json';
import statusRu from './catalogue/pages/status/ru.json';
import setupEn from './catalogue/pages/setup/en.json';
import setupKy from './catalogue/pages/setup/ky.json';
import setupRu from './catalogue/pages/setup/ru.json';
import manageEn from './catalogue/pages/manage/en.json';
import manageKy from './catalogue/pages/manage/ky.json';
import manageRu from './catalogue/pages/manage/ru.json';
import screeningEn from './catalogue/pages/screening/en.json';
import screeningKy from './catalogue/pages/screening/ky.json';
import screeningRu from './catalogue/pages/screening/ru.json';
import committeeEn from './catalogue/pages/committee/en.json';
import committeeKy from './catalogue/pages/committee/ky.json';
import committeeRu from './catalogue/pages/committee/ru.json';
import reviewEn from './catalogue/pages/review/en.json';
import reviewKy from './catalogue/pages/review/ky.json';
import reviewRu from './catalogue/pages/review/ru.json';
import decisionsEn from './catalogue/pages/decisions/en.json';
import decisionsKy from './catalogue/pages/decisions/ky.json';
import decisionsRu from './catalogue/pages/decisions/ru.json';
import agreementEn from './catalogue/agreement/en.json';
import agreementKy from './catalogue/agreement/ky.json';
import agreementRu from './catalogue/agreement/ru.json';
import financeEn from './catalogue/pages/finance/en.json';
import financeKy from './catalogue/pages/finance/ky.json';
import financeRu from './catalogue/pages/finance/ru.json';
import awardEn from './catalogue/pages/award/en.json';
import awardKy from './catalogue/pages/award/ky.json';
import awardRu from './catalogue/pages/award/ru.json';
import { formatDate, formatMoney } from './format';

// The words of the service in each language, keyed by what they are for: `call.weightsSumTo100`
// (a refusal's reason), `application.state.draft`, and later `apply.budget.title` (a page). One
// ICU MessageFormat catalogue per language; English has every key, the others the same keys.

export type Catalogue = Readonly<Record<string, string>>;

// The pages' words are kept in catalogue/pages (one folder an area of pages) beside the refusals':
// one catalogue, a few files a language.
export const CATALOGUES: Readonly<Record<Locale, Catalogue>> = {
  en: {
    ...en,
    ...pagesEn,
    ...applyEn,
    ...groupEn,
    ...statusEn,
    ...setupEn,
    ...manageEn,
    ...screeningEn,
    ...committeeEn,
    ...reviewEn,
    ...decisionsEn,
    ...agreementEn,
    ...financeEn,
    ...awardEn,
  },
  ru: {
    ...ru,
    ...pagesRu,
    ...applyRu,
    ...groupRu,
    ...statusRu,
    ...setupRu,
    ...manageRu,
    ...screeningRu,
    ...committeeRu,
    ...reviewRu,
    ...decisionsRu,
    ...agreementRu,
    ...financeRu,
    ...awardRu,
  },
  ky: {
    ...ky,
    ...pagesKy,
    ...applyKy,
    ...groupKy,
    ...statusKy,
    ...setupKy,
    ...manageKy,
    ...screeningKy,
    ...committeeKy,
    ...reviewKy,
    ...decisionsKy,
    ...agreementKy,
    ...financeKy,
    ...awardKy,
  },
};

export interface RenderOptions {
  /** Where the reader's clock is: dates are written in it. */
  timeZone?: string;
}

const compiled = new Map<string, IntlMessageFormat>();

function compiledMessage(locale: Locale, key: string): IntlMessageFormat | undefined {
  const text = CATALOGUES[locale][key] ?? CATALOGUES.en[key];
  if (text === undefined) return undefined;
  const id = `${locale} ${key}`;
  let made = compiled.get(id);
  if (!made) {
    made = new IntlMessageFormat(text, locale);
    compiled.set(id, made);
  }
  return made;
}

/** The message `key` in `locale`, its parameters written the reader's way; the key itself if unknown. */
export function translate(
  locale: Locale,
  key: string,
  params: ExplanationParams = {},
  options: RenderOptions = {},
): string {
  const message = compiledMessage(locale, key);
  if (!message) return key;
  try {
    const values = Object.fromEntries(
      Object.entries(params).map(([name, param]) => [name, written(locale, param, options)]),
    );
    return String(message.format(values));
  } catch {
    // A parameter missing or of the wrong kind: the refusal still answers, naming what it could not word.
    return `${key} ${JSON.stringify(params)}`;
  }
}

/**
 * A catalogue term by its key. A key the catalogue lacks is read as its parent with the last part as
 * `name` (`application.field.eligibilityAnswers.registered`: the answer to "registered"), or else
 * as that last part.
 */
export function term(locale: Locale, key: string): string {
  if (key in CATALOGUES.en) return translate(locale, key);
  const cut = key.lastIndexOf('.');
  const [parent, name] = [key.slice(0, cut), key.slice(cut + 1)];
  return cut > 0 && parent in CATALOGUES.en ? translate(locale, parent, { name }) : name;
}

function list(locale: Locale, items: string[]): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
}

function written(locale: Locale, param: ExplanationParam, options: RenderOptions): string | number {
  if (typeof param === 'string' || typeof param === 'number') return param;
  if (param === null || typeof param !== 'object') return '';
  if ('money' in param) {
    // A currency Intl does not know (the refusal may be about exactly that) is written as it is.
    try {
      return formatMoney({ minor: param.money, currency: param.currency }, locale);
    } catch {
      return amountInWords(param.money, param.currency);
    }
  }
  if ('date' in param)
    return Number.isFinite(Date.parse(param.date))
      ? formatDate(param.date, locale, options.timeZone ?? 'UTC')
      : param.date || '—';
  if ('list' in param) return list(locale, param.list);
  if ('term' in param) return term(locale, param.term);
  return list(
    locale,
    param.terms.map((key) => term(locale, key)),
  );
}

/** The names of the arguments a message uses, in every branch of its plurals and selects. */
export function placeholdersOf(text: string, locale: Locale): string[] {
  const names = new Set<string>();
  const walk = (elements: unknown[]): void => {
    for (const element of elements as {
      type: number;
      value?: unknown;
      options?: Record<string, { value: unknown[] }>;
      children?: unknown[];
    }[]) {
      // Type 0 is literal text, whose value is the text itself; every other named element is an argument.
      if (element.type !== 0 && typeof element.value === 'string') names.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(text, locale).getAst());
  return [...names].sort();
}
