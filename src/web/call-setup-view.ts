import type { ExplanationParams } from '../../workflows/kit';
import { LOCALES, type Locale } from '../../workflows/localised';
import type { CallView } from '../calls/call.views';
import { parseAmount } from '../common/money';
import { translate } from '../i18n/translate';
import { datesUnset, weightSum, type SetupTask } from './call-setup-forms';
import type { Money } from '../i18n/format';

// A call's terms as its setup pages show them: every term for the summary, and one line per task
// for the task list, in the reader's language.

export const LANGUAGE_NAMES: Record<Locale, string> = { ky: 'Кыргызча', ru: 'Русский', en: 'English' };
/** The order the pages ask for each language in: the programme's own languages first. */
export const PAGE_LOCALES: readonly Locale[] = ['ky', 'ru', 'en'];

const moneyOf = (amount: string, currency: string): Money => ({ minor: parseAmount(amount, currency), currency });

/** Every term of the call, as the summary lists them. */
export function termsOf(call: CallView) {
  const money = (amount: string) => moneyOf(amount, call.currency);
  return {
    title: PAGE_LOCALES.map((l) => ({ lang: l, language: LANGUAGE_NAMES[l], text: call.title[l] ?? '' })),
    description: PAGE_LOCALES.map((l) => ({ lang: l, language: LANGUAGE_NAMES[l], text: call.description[l] ?? '' })),
    currency: call.currency,
    budget: money(call.budget),
    maxAward: money(call.maxAward),
    moneySet: money(call.budget).minor > 0,
    datesSet: !datesUnset(call),
    opensAt: call.opensAt,
    closesAt: call.closesAt,
    timeZone: call.timeZone,
    municipalities: call.municipalities,
    questions: call.questions.map((q) => ({
      required: q.required,
      texts: PAGE_LOCALES.filter((l) => q.text[l]).map((l) => ({
        lang: l,
        language: LANGUAGE_NAMES[l],
        text: q.text[l],
      })),
    })),
    composition: call.composition,
    criteria: call.criteria,
    weightSum: weightSum(call.criteria.map((c) => ({ weight: String(c.weight) }))),
    scale: call.scale,
    reviewers: call.reviewersPerApplication,
    applicationsPerGroup: call.applicationsPerGroup,
    review: {
      reminderDays: call.review.reminderDays,
      rankBy: call.review.rankBy,
      disagreementThreshold: call.review.disagreementThreshold,
      minimumScore: call.review.minimumScore,
      maxAwardsPerMunicipality: call.review.maxAwardsPerMunicipality,
    },
    threshold: money(call.financeThreshold),
    reports: call.reportSchedule,
  };
}

/** One line per task saying what it holds now, for the task list's hints. */
export function taskHints(call: CallView, locale: Locale, timeZone: string): Record<SetupTask, string> {
  const t = (key: string, params: ExplanationParams = {}) =>
    translate(locale, `web.setup.hint.${key}`, params, { timeZone });
  const money = (amount: string) => ({ money: parseAmount(amount, call.currency), currency: call.currency });
  const languages = LOCALES.filter((l) => call.title[l]?.trim()).sort(
    (a, b) => PAGE_LOCALES.indexOf(a) - PAGE_LOCALES.indexOf(b),
  );
  return {
    texts: languages.length ? languages.map((l) => LANGUAGE_NAMES[l]).join(', ') : t('notSet'),
    money:
      money(call.budget).money > 0
        ? t('money', { budget: money(call.budget), maxAward: money(call.maxAward) })
        : t('notSet'),
    dates: datesUnset(call)
      ? t('notSet')
      : t('dates', { opensAt: { date: call.opensAt }, closesAt: { date: call.closesAt } }),
    municipalities: call.municipalities.length
      ? t('municipalities', { count: call.municipalities.length, names: call.municipalities.slice(0, 4).join(', ') })
      : t('anywhere'),
    questions: t('questions', { count: call.questions.length }),
    composition: call.composition
      ? t('composition', { minimum: call.composition.minimumGroups, count: call.composition.groups.length })
      : t('noComposition'),
    criteria: t('criteria', {
      count: call.criteria.length,
      sum: weightSum(call.criteria.map((c) => ({ weight: String(c.weight) }))),
    }),
    scale: t('scale', { min: call.scale.min, max: call.scale.max }),
    reviewers: t('reviewers', { count: call.reviewersPerApplication }),
    finance:
      money(call.financeThreshold).money > 0 ? t('finance', { threshold: money(call.financeThreshold) }) : t('notSet'),
    reports: t('reports', { count: call.reportSchedule.length }),
  };
}
