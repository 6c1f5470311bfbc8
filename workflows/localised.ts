// Text a programme writes in the languages of its applicants. Pure data, shared by the machines.

export const LOCALES = ['en', 'ru', 'ky'] as const;
export type Locale = (typeof LOCALES)[number];

/** The same text in some of the locales: at least one is given where the text is required. */
export type Localised = Partial<Record<Locale, string>>;

/** Whether at least one locale has text in it. */
export function anyLocale(text: Localised | null | undefined): boolean {
  return !!text && LOCALES.some((l) => typeof text[l] === 'string' && (text[l] as string).trim().length > 0);
}

/**
 * The text in the reader's locale, or else in the first locale that has it: a Kyrgyz reader of a
 * call written only in Russian reads it in Russian rather than not at all.
 */
export function inLocale(text: Localised | null | undefined, locale: Locale): string {
  if (!text) return '';
  const given = (l: Locale) => typeof text[l] === 'string' && (text[l] as string).trim().length > 0;
  if (given(locale)) return text[locale] as string;
  const fallback = (['ru', 'ky', 'en'] as const).find(given);
  return fallback ? (text[fallback] as string) : '';
}
