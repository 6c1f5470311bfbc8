import { isCurrency, minorUnitDigits } from '../../workflows/currencies';
import type { Locale } from '../identity/identity.entities';

/** An amount as messages carry it: integer minor units and an ISO 4217 code. */
export interface Money {
  minor: number;
  currency: string;
}

// Currencies whose coins are out of everyday use: a whole amount is written without decimals.
const WHOLE_UNIT_CURRENCIES = new Set(['KGS', 'KZT', 'UZS', 'TJS']);

/** `2 500,00 EUR` in ru and ky, `EUR 2,500.00` in en, `200 000 KGS` for whole soms. */
export function formatMoney(money: Money, locale: Locale): string {
  const { minor, currency } = money;
  const digits = isCurrency(currency) ? minorUnitDigits(currency) : 2;
  const scale = 10 ** digits;
  const whole = minor % scale === 0 && WHOLE_UNIT_CURRENCIES.has(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: 'code',
    minimumFractionDigits: whole ? 0 : digits,
    maximumFractionDigits: digits,
  }).format(minor / scale);
}

/** Date and time in the programme's time zone, written the locale's way. */
export function formatDate(iso: string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** The date alone, in the programme's time zone. */
export function formatDay(iso: string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(new Date(iso));
}
