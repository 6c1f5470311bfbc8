import { CURRENCIES, isCurrency, minorUnitDigits } from './currencies';

describe('currencies', () => {
  it('knows the currencies of both funders, in upper case only', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('KGS')).toBe(true);
    expect(isCurrency('kgs')).toBe(false);
    expect(isCurrency('XYZ')).toBe(false);
    expect(isCurrency('EURO')).toBe(false);
  });

  it('holds unique three-letter codes', () => {
    expect(new Set(CURRENCIES).size).toBe(CURRENCIES.length);
    expect(CURRENCIES.every((c) => /^[A-Z]{3}$/.test(c))).toBe(true);
  });

  it('knows how many digits each minor unit has', () => {
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('KGS')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
  });
});
