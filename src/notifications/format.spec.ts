import { formatDate, formatDay, formatMoney } from './format';

describe('formats', () => {
  afterEach(() => jest.restoreAllMocks());

  it('makes one date formatter per locale and time zone, however many dates it writes', () => {
    const made = jest.spyOn(Intl, 'DateTimeFormat');
    const written = new Set<string>();
    for (let day = 1; day <= 100; day++) {
      const iso = new Date(Date.UTC(2026, 2, 1 + (day % 28), 9, 30)).toISOString();
      for (const locale of ['en', 'ru', 'ky'] as const) {
        written.add(formatDate(iso, locale, 'Asia/Tokyo'));
        written.add(formatDay(iso, locale, 'Asia/Tokyo'));
      }
    }
    expect(written.size).toBeGreaterThan(100);
    expect(made).toHaveBeenCalledTimes(6);
  });

  it('makes one money formatter per locale and currency, and still writes each amount its own way', () => {
    const made = jest.spyOn(Intl, 'NumberFormat');
    const amounts = Array.from({ length: 50 }, (_, i) => formatMoney({ minor: 250_000 + i, currency: 'CHF' }, 'ru'));
    expect(new Set(amounts).size).toBe(50);
    expect(formatMoney({ minor: 20_000_000, currency: 'KGS' }, 'ru')).toBe(
      formatMoney({ minor: 20_000_000, currency: 'KGS' }, 'ru'),
    );
    expect(made).toHaveBeenCalledTimes(2);
  });
});
