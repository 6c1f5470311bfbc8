// Dates and amounts written the reader's way: one helper for emails, refusals and pages.
import { isCurrency, minorUnitDigits } from '../../workflows/currencies';
import type { Locale } from '../../workflows/localised';

/** An amount as messages carry it: integer minor units and an ISO 4217 code. */
export interface Money {
  minor: number;
  currency: string;
}

// Making an Intl formatter costs far more than using one, and holds memory outside the JS heap
// until a collection: each kind is made once per locale, currency and time zone (a handful) and kept.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function formatter<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let made = formatters.get(key) as F | undefined;
  if (!made) {
    made = make();
    formatters.set(key, made);
  }
  return made;
}

// Currencies whose coins are out of everyday use: a whole amount is written without decimals.
const WHOLE_UNIT_CURRENCIES = new Set(['KGS', 'KZT', 'UZS', 'TJS']);

/** `2 500,00 EUR` in ru and ky, `EUR 2,500.00` in en, `200 000 KGS` for whole soms. */
export function formatMoney(money: Money, locale: Locale): string {
  const { minor, currency } = money;
  const digits = isCurrency(currency) ? minorUnitDigits(currency) : 2;
  const scale = 10 ** digits;
  const whole = minor % scale === 0 && WHOLE_UNIT_CURRENCIES.has(currency);
  return formatter(
    `money ${locale} ${currency} ${whole}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        currencyDisplay: 'code',
        minimumFractionDigits: whole ? 0 : digits,
        maximumFractionDigits: digits,
      }),
  ).format(minor / scale);
}

/** Date and time in the programme's time zone, written the locale's way. */
export function formatDate(iso: string, locale: Locale, timeZone: string): string {
  return formatter(
    `date ${locale} ${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }),
  ).format(new Date(iso));
}

/** The date alone, in the programme's time zone. */
export function formatDay(iso: string, locale: Locale, timeZone: string): string {
  return formatter(
    `day ${locale} ${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }),
  ).format(new Date(iso));
}
