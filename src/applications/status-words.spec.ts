import { APPLICATION_STATES } from '../../workflows/application.machine';
import { STATUS_WORDS } from './status-words';
import { LOCALES } from '../../workflows/localised';

describe('status words', () => {
  it.each(APPLICATION_STATES.flatMap((state) => LOCALES.map((locale) => [state, locale] as const)))(
    '%s has a name and a next step in %s',
    (state, locale) => {
      const words = STATUS_WORDS[state][locale];
      expect(words.name.trim().length).toBeGreaterThan(2);
      expect(words.next.trim().length).toBeGreaterThan(20);
    },
  );

  it('words each state differently in each language', () => {
    for (const locale of LOCALES) {
      const names = APPLICATION_STATES.map((state) => STATUS_WORDS[state][locale].name);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
