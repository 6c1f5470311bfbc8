import { isCurrency, minorUnitDigits } from '../../workflows/currencies';
import type { ExplanationParams } from '../../workflows/kit';
import { translate } from '../i18n/translate';

// Money is an integer of minor units plus an ISO 4217 code; on the wire it is a decimal string.
// The currencies and their minor units are the machines' own list, so a guard and the API agree.

/** An amount refused, by a catalogue key a person reads in their language; the message is its English. */
export class MoneyFormatError extends Error {
  constructor(
    readonly key: string,
    readonly params: ExplanationParams,
  ) {
    super(translate('en', key, params));
  }
}

function minorDigits(currency: string): number {
  if (!isCurrency(currency)) throw new MoneyFormatError('money.unknownCurrency', { currency });
  return minorUnitDigits(currency);
}

const MAX_MINOR = Number.MAX_SAFE_INTEGER;

/** "2500.00" EUR -> 250000. Refuses signs, exponents, and more decimals than the currency has. */
export function parseAmount(text: string, currency: string): number {
  const digits = minorDigits(currency);
  const match = /^(\d{1,16})(?:\.(\d+))?$/.exec(text);
  if (!match) throw new MoneyFormatError('money.notAnAmount', { text });
  const [, whole, fraction = ''] = match;
  if (fraction.length > digits) throw new MoneyFormatError('money.tooManyDecimals', { currency, digits });
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) throw new MoneyFormatError('money.tooLarge', { text });
  return minor;
}

/** 250000 EUR -> "2500.00". */
export function formatAmount(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
}
