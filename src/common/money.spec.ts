import { formatAmount, MoneyFormatError, parseAmount } from './money';

describe('money', () => {
  it('parses decimal strings into integer minor units', () => {
    expect(parseAmount('2500.00', 'EUR')).toBe(250000);
    expect(parseAmount('2500', 'EUR')).toBe(250000);
    expect(parseAmount('0.5', 'EUR')).toBe(50);
    expect(parseAmount('200000', 'KGS')).toBe(20000000);
    expect(parseAmount('1500', 'JPY')).toBe(1500);
    expect(parseAmount('1.234', 'KWD')).toBe(1234);
  });

  it('refuses more decimals than the currency has, and anything that is not a plain amount', () => {
    expect(() => parseAmount('10.001', 'EUR')).toThrow('EUR amounts have at most 2 decimals');
    expect(() => parseAmount('10.5', 'JPY')).toThrow('at most 0 decimals');
    for (const bad of ['-1', '1e3', '', ' 1', '1.', '.5', '1,00', '99999999999999999']) {
      expect(() => parseAmount(bad, 'EUR')).toThrow(MoneyFormatError);
    }
    expect(() => parseAmount('1.00', 'EURO')).toThrow('EURO is not an ISO 4217 currency code');
  });

  it('formats minor units back to the wire form', () => {
    expect(formatAmount(250000, 'EUR')).toBe('2500.00');
    expect(formatAmount(5, 'EUR')).toBe('0.05');
    expect(formatAmount(1500, 'JPY')).toBe('1500');
    expect(formatAmount(1234, 'KWD')).toBe('1.234');
    expect(formatAmount(-50, 'EUR')).toBe('-0.50');
  });
});
