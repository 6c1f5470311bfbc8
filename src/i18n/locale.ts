import { LOCALES, type Locale } from '../../workflows/localised';

function isLocale(tag: string): tag is Locale {
  return (LOCALES as readonly string[]).includes(tag);
}

/**
 * The language to answer in: the reader's own choice, else the best of `Accept-Language` that the
 * service speaks (`ky-KG;q=0.9, ru;q=0.8`), else English.
 */
export function pickLocale(
  preferred: string | null | undefined,
  acceptLanguage: string | string[] | null | undefined,
): Locale {
  if (preferred && isLocale(preferred)) return preferred;
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...attributes] = part.trim().split(';');
      const q = attributes.map((a) => /^\s*q=([\d.]+)\s*$/.exec(a)?.[1]).find((v) => v !== undefined);
      return { language: tag.trim().toLowerCase().split('-')[0], weight: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.weight > 0 && Number.isFinite(r.weight))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((r) => r.language).find(isLocale) ?? 'en';
}
