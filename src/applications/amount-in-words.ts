import { isCurrency, minorUnitDigits } from '../../workflows/currencies';
import type { Locale } from '../../workflows/localised';

// An amount written out in words, as an agreement states it beside the figures. Russian and English
// numerals come from n2words; Kyrgyz, which no library covers, from kyrgyzCardinal below.

const ONES = ['', 'бир', 'эки', 'үч', 'төрт', 'беш', 'алты', 'жети', 'сегиз', 'тогуз'];
const TENS = ['', 'он', 'жыйырма', 'отуз', 'кырк', 'элүү', 'алтымыш', 'жетимиш', 'сексен', 'токсон'];
// Each power of a thousand, from the largest a safe integer reaches.
const SCALES: [number, string][] = [
  [1e12, 'триллион'],
  [1e9, 'миллиард'],
  [1e6, 'миллион'],
  [1e3, 'миң'],
];

function belowThousand(n: number): string[] {
  const hundreds = Math.floor(n / 100);
  const words = hundreds > 0 ? [ONES[hundreds], 'жүз'] : [];
  return [...words, TENS[Math.floor((n % 100) / 10)], ONES[n % 10]].filter(Boolean);
}

/**
 * A whole number in Kyrgyz words: 2500 is "эки миң беш жүз". The leading one is said ("бир жүз",
 * "бир миң"), as amounts are written in payment documents, so that nothing can be put before it.
 */
export function kyrgyzCardinal(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e15) throw new RangeError(`not a whole amount: ${n}`);
  if (n === 0) return 'нөл';
  const words: string[] = [];
  let rest = n;
  for (const [size, name] of SCALES) {
    const count = Math.floor(rest / size);
    if (count > 0) words.push(...belowThousand(count), name);
    rest %= size;
  }
  words.push(...belowThousand(rest));
  return words.join(' ');
}

type Cardinal = (n: number) => string;

// n2words is an ES module: loaded once, on the first agreement written in Russian or English.
let loaded: Promise<Record<'ru' | 'en', Cardinal>> | undefined;

function cardinals(): Promise<Record<'ru' | 'en', Cardinal>> {
  loaded ??= Promise.all([import('n2words/ru-RU'), import('n2words/en-US')]).then(([ru, en]) => ({
    ru: (n) => ru.toCardinal(n),
    en: (n) => en.toCardinal(n),
  }));
  return loaded;
}

/** A whole number in the words of `locale`. */
export async function cardinal(n: number, locale: Locale): Promise<string> {
  if (locale === 'ky') return kyrgyzCardinal(n);
  return (await cardinals())[locale](n);
}

/** A noun's forms by plural category: Russian has one, few and many; English one and other; Kyrgyz one form. */
type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

interface CurrencyWords {
  major: Record<Locale, Forms>;
  minor: Record<Locale, Forms>;
}

const CURRENCY_WORDS: Record<string, CurrencyWords> = {
  EUR: {
    major: { ky: { other: 'евро' }, ru: { other: 'евро' }, en: { one: 'euro', other: 'euros' } },
    minor: {
      ky: { other: 'евроцент' },
      ru: { one: 'евроцент', few: 'евроцента', other: 'евроцентов' },
      en: { one: 'cent', other: 'cents' },
    },
  },
  KGS: {
    major: { ky: { other: 'сом' }, ru: { one: 'сом', few: 'сома', other: 'сомов' }, en: { other: 'som' } },
    minor: { ky: { other: 'тыйын' }, ru: { one: 'тыйын', few: 'тыйына', other: 'тыйынов' }, en: { other: 'tyiyn' } },
  },
  USD: {
    major: {
      ky: { other: 'АКШ доллары' },
      ru: { one: 'доллар США', few: 'доллара США', other: 'долларов США' },
      en: { one: 'US dollar', other: 'US dollars' },
    },
    minor: {
      ky: { other: 'цент' },
      ru: { one: 'цент', few: 'цента', other: 'центов' },
      en: { one: 'cent', other: 'cents' },
    },
  },
};

const PLURAL_LOCALE: Record<Locale, string> = { ky: 'ky', ru: 'ru', en: 'en' };

function noun(forms: Forms, count: number, locale: Locale): string {
  const category = new Intl.PluralRules(PLURAL_LOCALE[locale]).select(count);
  return forms[category] ?? forms.other;
}

/**
 * An amount of integer minor units in words, the whole units spelled out and the minor ones in
 * figures, as payment documents write them: "две тысячи пятьсот евро 00 евроцентов". A currency
 * without words of its own is named by its code.
 */
export async function amountInWords(minor: number, currency: string, locale: Locale): Promise<string> {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not an amount: ${minor}`);
  const digits = isCurrency(currency) ? minorUnitDigits(currency) : 2;
  const scale = 10 ** digits;
  const whole = Math.floor(minor / scale);
  const cents = minor % scale;
  const words = CURRENCY_WORDS[currency];
  const major = `${await cardinal(whole, locale)} ${words ? noun(words.major[locale], whole, locale) : currency}`;
  if (digits === 0) return major;
  const fraction = String(cents).padStart(digits, '0');
  const minorPart = words ? `${fraction} ${noun(words.minor[locale], cents, locale)}` : `${fraction}/${scale}`;
  return locale === 'en' ? `${major} and ${minorPart}` : `${major} ${minorPart}`;
}
