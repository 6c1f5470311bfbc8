import { amountInWords, cardinal, kyrgyzCardinal } from './amount-in-words';

describe('kyrgyzCardinal', () => {
  it.each([
    [0, 'нөл'],
    [7, 'жети'],
    [10, 'он'],
    [19, 'он тогуз'],
    [40, 'кырк'],
    [56, 'элүү алты'],
    [68, 'алтымыш сегиз'],
    [73, 'жетимиш үч'],
    [85, 'сексен беш'],
    [92, 'токсон эки'],
    [100, 'бир жүз'],
    [234, 'эки жүз отуз төрт'],
    [1000, 'бир миң'],
    [2500, 'эки миң беш жүз'],
    [12_500, 'он эки миң беш жүз'],
    [200_000, 'эки жүз миң'],
    [1_234_567, 'бир миллион эки жүз отуз төрт миң беш жүз алтымыш жети'],
    [3_000_020_001, 'үч миллиард жыйырма миң бир'],
  ])('writes %d as "%s"', (n, words) => {
    expect(kyrgyzCardinal(n)).toBe(words);
  });

  it('refuses what is not a whole amount', () => {
    expect(() => kyrgyzCardinal(-1)).toThrow(RangeError);
    expect(() => kyrgyzCardinal(1.5)).toThrow(RangeError);
    expect(() => kyrgyzCardinal(1e15)).toThrow(RangeError);
  });
});

describe('cardinal', () => {
  it('writes Russian and English through the library, with Russian thousands in the feminine', async () => {
    await expect(cardinal(2500, 'ru')).resolves.toBe('две тысячи пятьсот');
    await expect(cardinal(21_000, 'ru')).resolves.toBe('двадцать одна тысяча');
    await expect(cardinal(2500, 'en')).resolves.toBe('two thousand five hundred');
  });
});

describe('amountInWords', () => {
  it('writes the pilot’s award in each language', async () => {
    await expect(amountInWords(250_000, 'EUR', 'ky')).resolves.toBe('эки миң беш жүз евро 00 евроцент');
    await expect(amountInWords(250_000, 'EUR', 'ru')).resolves.toBe('две тысячи пятьсот евро 00 евроцентов');
    await expect(amountInWords(250_000, 'EUR', 'en')).resolves.toBe('two thousand five hundred euros and 00 cents');
  });

  it('declines the currency by the number in Russian', async () => {
    await expect(amountInWords(100, 'KGS', 'ru')).resolves.toBe('один сом 00 тыйынов');
    await expect(amountInWords(302, 'KGS', 'ru')).resolves.toBe('три сома 02 тыйына');
    await expect(amountInWords(20_000_000, 'KGS', 'ru')).resolves.toBe('двести тысяч сомов 00 тыйынов');
    await expect(amountInWords(101, 'EUR', 'en')).resolves.toBe('one euro and 01 cent');
  });

  it('writes a municipal fund in whole soms in Kyrgyz', async () => {
    await expect(amountInWords(20_000_000, 'KGS', 'ky')).resolves.toBe('эки жүз миң сом 00 тыйын');
  });

  it('names a currency without words of its own by its code', async () => {
    await expect(amountInWords(150, 'GBP', 'en')).resolves.toBe('one GBP and 50/100');
  });
});
