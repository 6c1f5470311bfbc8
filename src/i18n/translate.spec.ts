import { pickLocale } from './locale';
import { term, translate } from './translate';

describe('translate', () => {
  it('words a refusal from its key and parameters in each language', () => {
    expect(translate('en', 'call.weightsSumTo100', { sum: 90 })).toBe(
      'The weights of the criteria add up to 90, not 100.',
    );
    expect(translate('ru', 'call.weightsSumTo100', { sum: 90 })).toBe('Сумма весов критериев — 90, а должна быть 100.');
    expect(translate('ky', 'call.weightsSumTo100', { sum: 90 })).toBe(
      'Критерийлердин салмактарынын суммасы 90, ал эми 100 болушу керек.',
    );
  });

  it('writes amounts, dates and lists the reader’s way', () => {
    const params = { total: { money: 260_000, currency: 'EUR' }, maxAward: { money: 250_000, currency: 'EUR' } };
    // Intl puts a no-break space between the code and the amount.
    expect(translate('en', 'application.budgetWithinMaxAward', params)).toMatch(
      /^The budget would total EUR\s2,600\.00, above the maximum award of EUR\s2,500\.00\.$/,
    );
    expect(translate('ru', 'application.budgetWithinMaxAward', params)).toMatch(/^Бюджет составил бы 2\s600,00\sEUR/);
    expect(
      translate(
        'en',
        'application.beforeClosingTime',
        { closesAt: { date: '2027-01-15T12:00:00Z' } },
        { timeZone: 'Asia/Bishkek' },
      ),
    ).toBe('The deadline for proposals was January 15, 2027 at 6:00 PM.');
    expect(translate('en', 'review.everyCriterionScored', { criteria: { list: ['Need', 'Feasibility'] } })).toBe(
      'No score yet for: Need and Feasibility.',
    );
  });

  it('picks the plural form of each language', () => {
    const screened = (locale: 'en' | 'ru', count: number) =>
      translate(locale, 'call.allApplicationsScreened', { count });
    expect(screened('en', 1)).toBe('1 application has not been checked for eligibility yet.');
    expect(screened('ru', 1)).toBe('1 заявка ещё не проверена на соответствие условиям.');
    expect(screened('ru', 3)).toBe('3 заявки ещё не проверены на соответствие условиям.');
    expect(screened('ru', 5)).toBe('5 заявок ещё не проверены на соответствие условиям.');
  });

  it('names catalogue terms, a missing one by its parent and last part', () => {
    expect(term('ru', 'application.state.withdrawn')).toBe('отозвана');
    expect(term('ky', 'application.field.eligibilityAnswers.registered')).toBe('«registered» суроосуна жооп');
    expect(term('en', 'report.section.spending')).toBe('spending');
  });

  it('answers an unknown key with the key, and an amount in a currency Intl does not know as it is', () => {
    expect(translate('ru', 'no.such.key')).toBe('no.such.key');
    expect(translate('en', 'call.weightsSumTo100', {})).toBe('call.weightsSumTo100 {}');
    expect(
      translate('en', 'call.maxAwardWithinBudget', {
        maxAward: { money: 100, currency: 'XXXX' },
        budget: { money: 50, currency: 'XXXX' },
      }),
    ).toBe('The maximum award (1.00 XXXX) must be more than zero and no more than the budget (0.50 XXXX).');
  });
});

describe('pickLocale', () => {
  it('takes the reader’s own choice first', () => {
    expect(pickLocale('ru', 'ky, en')).toBe('ru');
  });

  it('else the best Accept-Language the service speaks, by weight then order', () => {
    expect(pickLocale(undefined, 'ky-KG,ky;q=0.9,ru;q=0.8')).toBe('ky');
    expect(pickLocale(undefined, 'de-DE, ru;q=0.5, ky;q=0.7')).toBe('ky');
    expect(pickLocale(null, 'fr, *;q=0.1')).toBe('en');
    expect(pickLocale(undefined, 'ky;q=0, ru')).toBe('ru');
  });

  it('else English', () => {
    expect(pickLocale(undefined, undefined)).toBe('en');
    expect(pickLocale('de', '')).toBe('en');
  });
});
