import { RANK_BY, STAKEHOLDER_GROUPS } from '../../workflows/call.machine';
import { isCurrency } from '../../workflows/currencies';
import type { ExplanationParams } from '../../workflows/kit';
import { LOCALES, type Locale } from '../../workflows/localised';
import { translate } from '../i18n/translate';
import type { CallView } from '../calls/call.views';
import { parseAmount } from '../common/money';
import { instantOf, wallClock } from '../common/time';
import { amountOf, dayOf, rowAction, text, type RowAction } from './apply-forms';

// A draft call's task pages as forms: what each page shows of the call, and what a posted page
// becomes, the fields of an UPDATE (as POST /calls/{id}/events takes them) or the problems to show.
// Field ids are the page's names (`criteria-0-weight`), so each problem links to its field.

/** The call's setup tasks, in the order of the task list. */
export const SETUP_TASKS = [
  'texts',
  'money',
  'dates',
  'municipalities',
  'questions',
  'composition',
  'criteria',
  'scale',
  'reviewers',
  'finance',
  'reports',
] as const;
export type SetupTask = (typeof SETUP_TASKS)[number];

/** The tasks whose page has lines added and removed by buttons, and each line's fields. */
export const ROW_FIELDS = {
  municipalities: ['name'],
  questions: [...LOCALES, 'required'],
  criteria: ['name', 'description', 'weight'],
  reports: ['kind', 'day', 'month', 'year'],
} as const;
export type RowTask = keyof typeof ROW_FIELDS;
const MAX_ROWS: Record<RowTask, number> = { municipalities: 200, questions: 50, criteria: 50, reports: 24 };

export const isRowTask = (task: SetupTask): task is RowTask => task in ROW_FIELDS;

/** A problem of a posted page: the field's id, a catalogue key and its parameters. */
export interface SetupError {
  field: string;
  key: string;
  params?: ExplanationParams;
}

/** One line of a setup page's error summary, in the reader's language, linked to its field. */
export interface SetupProblem {
  text: string;
  href: string;
}

/** A page's own errors as its summary lines: the first for each field, in `locale`, times on `timeZone`. */
export function wordedProblems(errors: readonly SetupError[], locale: Locale, timeZone?: string): SetupProblem[] {
  const seen = new Set<string>();
  return errors.flatMap((e) => {
    if (seen.has(e.field)) return [];
    seen.add(e.field);
    const text = translate(locale, e.key, e.params ?? {}, timeZone ? { timeZone } : {});
    return [{ href: `#${e.field}`, text }];
  });
}

type Row = Record<string, string>;
type Body = Record<string, unknown>;
export type Values = Record<string, unknown>;

export interface Parsed {
  values: Values;
  /** The UPDATE's fields, when there is no problem. */
  changes: Record<string, unknown>;
  errors: SetupError[];
}

const filled = (s: string) => s.trim().length > 0;

/** The lines a page posted, `task-N-field`, in order; lines past the task's limit are left out. */
function rowsOf(task: RowTask, body: Body): Row[] {
  const indexes = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = new RegExp(`^${task}-(\\d{1,3})-`).exec(key);
    if (m) indexes.add(Number(m[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .slice(0, MAX_ROWS[task])
    .map((i) => Object.fromEntries(ROW_FIELDS[task].map((f) => [f, text(body, `${task}-${i}-${f}`).trim()])));
}

function emptyRow(task: RowTask): Row {
  const row: Row = Object.fromEntries(ROW_FIELDS[task].map((f) => [f, '']));
  if (task === 'reports') row.kind = 'final';
  return row;
}

const atLeastOne = (task: RowTask, rows: Row[]) => (rows.length > 0 ? rows : [emptyRow(task)]);

/** The page's lines after an add or a remove: nothing is saved, the page is shown again. */
export function withRowAction(task: RowTask, body: Body, action: RowAction): Row[] {
  const rows = rowsOf(task, body);
  if (action.kind === 'add' && rows.length < MAX_ROWS[task]) rows.push(emptyRow(task));
  if (action.kind === 'remove') rows.splice(action.index, 1);
  return atLeastOne(task, rows);
}

export { rowAction };

/** The programme's wall clock of an instant, as the date input's boxes and a time: `{ day, month, year, time }`. */
export function clockParts(iso: string, timeZone: string): Row {
  const [day, time] = wallClock(new Date(iso), timeZone).split(' ');
  const [year, month, d] = day.split('-');
  return { day: String(Number(d)), month: String(Number(month)), year, time };
}

const prefixed = (prefix: string, parts: Row) =>
  Object.fromEntries(Object.entries(parts).map(([k, v]) => [`${prefix}-${k}`, v]));

/** An amount as the page shows it: empty for none yet. */
const shownAmount = (amount: string, currency: string) => (parseAmount(amount, currency) > 0 ? amount : '');

/** A call started from the new-call page has no dates yet: both are the moment it was started. */
export const datesUnset = (call: Pick<CallView, 'opensAt' | 'closesAt'>) => call.opensAt === call.closesAt;

/** What each page shows of the call before it is changed. */
export function valuesOf(task: SetupTask, call: CallView): Values {
  switch (task) {
    case 'texts':
      return Object.fromEntries(
        LOCALES.flatMap((l) => [
          [`title-${l}`, call.title[l] ?? ''],
          [`description-${l}`, call.description[l] ?? ''],
        ]),
      );
    case 'money':
      return {
        currency: call.currency,
        budget: shownAmount(call.budget, call.currency),
        maxAward: shownAmount(call.maxAward, call.currency),
      };
    case 'dates':
      return datesUnset(call)
        ? {}
        : {
            ...prefixed('opens', clockParts(call.opensAt, call.timeZone)),
            ...prefixed('closes', clockParts(call.closesAt, call.timeZone)),
          };
    case 'municipalities':
      return {
        rows: atLeastOne(
          task,
          call.municipalities.map((name) => ({ name })),
        ),
      };
    case 'questions':
      return {
        rows: atLeastOne(
          task,
          call.questions.map((q) => ({
            ...Object.fromEntries(LOCALES.map((l) => [l, q.text[l] ?? ''])),
            required: q.required ? 'yes' : '',
          })),
        ),
      };
    case 'composition': {
      const perGroup = String(call.applicationsPerGroup);
      return call.composition
        ? { rule: 'some', minimum: String(call.composition.minimumGroups), groups: call.composition.groups, perGroup }
        : { rule: 'none', minimum: '', groups: [], perGroup };
    }
    case 'criteria':
      return {
        rows: atLeastOne(
          task,
          call.criteria.map((c) => ({ name: c.name, description: c.description, weight: String(c.weight) })),
        ),
      };
    case 'scale':
      return { min: String(call.scale.min), max: String(call.scale.max) };
    case 'reviewers': {
      const r = call.review;
      return {
        count: String(call.reviewersPerApplication),
        reminderDays: String(r.reminderDays),
        rankBy: r.rankBy,
        disagreement: String(r.disagreementThreshold),
        // No minimum score is 0: the page shows it blank, as it reads a blank.
        minimumScore: r.minimumScore > 0 ? String(r.minimumScore) : '',
        maxAwards: r.maxAwardsPerMunicipality === null ? '' : String(r.maxAwardsPerMunicipality),
      };
    }
    case 'finance': {
      const threshold = shownAmount(call.financeThreshold, call.currency);
      return { threshold: threshold || shownAmount(call.maxAward, call.currency) };
    }
    case 'reports':
      return {
        rows: atLeastOne(
          task,
          call.reportSchedule.map((r) => {
            const { day, month, year } = clockParts(r.dueAt, call.timeZone);
            return { kind: r.kind, day, month, year };
          }),
        ),
      };
  }
}

/** A whole number as typed, within bounds, or null. */
function wholeOf(typed: string, min: number, max: number): number | null {
  const t = typed.trim();
  if (!/^\d{1,4}$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

/** A criterion's weight as typed (`40`, `12,5`): above 0, at most 100, two decimals at most; or null. */
export function weightOf(typed: string): number | null {
  const t = typed.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(t)) return null;
  const n = Number(t);
  return n > 0 && n <= 100 ? n : null;
}

/** A number as typed (`15`, `7,5`), two decimals at most, within bounds; or null. */
export function decimalOf(typed: string, min: number, max: number): number | null {
  const t = typed.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

/** The sum of the weights typed, the ones that are numbers; rounded to the hundredth as weights are. */
export function weightSum(rows: Row[]): number {
  const sum = rows.reduce((total, row) => total + (weightOf(row.weight ?? '') ?? 0), 0);
  return Math.round(sum * 100) / 100;
}

/** A time of day as typed, `18:00` or `9.30`, as `HH:MM`; or null. */
export function timeOf(typed: string): string | null {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(typed.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}

/** What a reader needs beyond the posted page: the call's currency and maximum award, the clock. */
export interface SetupTerms {
  currency: string;
  maxAward: string;
  timeZone: string;
  now: Date;
}

type Need = (ok: boolean, field: string, key: string, params?: ExplanationParams) => void;
type Read = { values: Values; changes: Record<string, unknown> };
type Reader = (body: Body, terms: SetupTerms, need: Need, failed: () => boolean) => Read;

const key = (name: string) => `web.setup.error.${name}`;

/** The lines a person filled in, with their places on the page (a blank line is no line). */
function keptRows(task: RowTask, body: Body, blank: (row: Row) => boolean) {
  const rows = rowsOf(task, body);
  return { rows: atLeastOne(task, rows), kept: rows.map((row, i) => ({ row, i })).filter(({ row }) => !blank(row)) };
}

const READERS: Record<SetupTask, Reader> = {
  texts: (body, _terms, need) => {
    const values: Row = Object.fromEntries(
      LOCALES.flatMap((l) => [`title-${l}`, `description-${l}`]).map((f) => [f, text(body, f).trim()]),
    );
    need(
      LOCALES.some((l) => filled(values[`title-${l}`])),
      `title-${LOCALES[2]}`,
      key('titleMissing'),
    );
    for (const l of LOCALES) {
      need(values[`title-${l}`].length <= 300, `title-${l}`, key('tooLong'), { max: 300 });
      need(values[`description-${l}`].length <= 20000, `description-${l}`, key('tooLong'), { max: 20000 });
    }
    const given = (prefix: string) =>
      Object.fromEntries(
        LOCALES.filter((l) => filled(values[`${prefix}-${l}`])).map((l) => [l, values[`${prefix}-${l}`]]),
      );
    return { values, changes: { title: given('title'), description: given('description') } };
  },
  money: (body, _terms, need) => {
    const values = {
      currency: text(body, 'currency').trim().toUpperCase(),
      budget: text(body, 'budget').trim(),
      maxAward: text(body, 'maxAward').trim(),
    };
    const known = isCurrency(values.currency);
    need(known, 'currency', key('currency'));
    const currency = known ? values.currency : 'EUR';
    const budget = amountOf(values.budget, currency);
    const maxAward = amountOf(values.maxAward, currency);
    const positive = (a: string | null) => a !== null && parseAmount(a, currency) > 0;
    need(positive(budget), 'budget', key('amount'));
    need(positive(maxAward), 'maxAward', key('amount'));
    if (positive(budget) && positive(maxAward))
      need(
        parseAmount(maxAward as string, currency) <= parseAmount(budget as string, currency),
        'maxAward',
        key('maxAwardOverBudget'),
      );
    return { values, changes: { currency: values.currency, budget, maxAward } };
  },
  dates: (body, terms, need, failed) => {
    const names = ['day', 'month', 'year', 'time'];
    const values: Row = Object.fromEntries(
      ['opens', 'closes'].flatMap((w) => names.map((n) => [`${w}-${n}`, text(body, `${w}-${n}`).trim()])),
    );
    const wire = (which: string) => {
      const day = dayOf({
        day: values[`${which}-day`],
        month: values[`${which}-month`],
        year: values[`${which}-year`],
      });
      const time = timeOf(values[`${which}-time`]);
      need(day !== null, which, key('day'));
      need(time !== null, `${which}-time`, key('time'));
      return day && time ? `${day}T${time}` : null;
    };
    const [opensAt, closesAt] = [wire('opens'), wire('closes')];
    if (!failed() && opensAt && closesAt) {
      const [opens, closes] = [instantOf(opensAt, terms.timeZone), instantOf(closesAt, terms.timeZone)];
      need(opens < closes, 'closes', key('closesBeforeOpens'));
      need(closes > terms.now, 'closes', key('closesPast'));
    }
    return { values, changes: { opensAt, closesAt } };
  },
  municipalities: (body, _terms, need) => {
    const { rows, kept } = keptRows('municipalities', body, (row) => !filled(row.name));
    const seen = new Set<string>();
    for (const { row, i } of kept) {
      need(row.name.length <= 100, `municipalities-${i}-name`, key('tooLong'), { max: 100 });
      need(!seen.has(row.name.toLowerCase()), `municipalities-${i}-name`, key('municipalityTwice'));
      seen.add(row.name.toLowerCase());
    }
    return { values: { rows }, changes: { municipalities: kept.map(({ row }) => row.name) } };
  },
  questions: (body, _terms, need) => {
    const { rows, kept } = keptRows('questions', body, (row) => LOCALES.every((l) => !filled(row[l])));
    for (const { row, i } of kept)
      for (const l of LOCALES) need(row[l].length <= 300, `questions-${i}-${l}`, key('tooLong'), { max: 300 });
    // No application exists under a draft, so the questions' keys can follow their order.
    const questions = kept.map(({ row }, n) => ({
      id: `q${n + 1}`,
      text: Object.fromEntries(LOCALES.filter((l) => filled(row[l])).map((l) => [l, row[l]])),
      required: row.required === 'yes',
    }));
    return { values: { rows }, changes: { questions } };
  },
  composition: (body, _terms, need) => {
    const posted = body.groups;
    const list = Array.isArray(posted) ? posted : posted === undefined ? [] : [posted];
    const groups = STAKEHOLDER_GROUPS.filter((g) => list.includes(g));
    const values = {
      rule: text(body, 'rule'),
      minimum: text(body, 'minimum').trim(),
      groups,
      perGroup: text(body, 'perGroup').trim(),
    };
    need(['none', 'some'].includes(values.rule), 'rule', key('rule'));
    const applicationsPerGroup = wholeOf(values.perGroup, 1, 100);
    need(applicationsPerGroup !== null, 'perGroup', key('perGroup'));
    if (values.rule !== 'some') return { values, changes: { composition: null, applicationsPerGroup } };
    need(groups.length > 0, 'groups', key('groups'));
    const minimum = wholeOf(values.minimum, 1, Math.max(groups.length, 1));
    need(minimum !== null, 'minimum', key('minimum'), { count: Math.max(groups.length, 1) });
    return { values, changes: { composition: { minimumGroups: minimum, groups }, applicationsPerGroup } };
  },
  criteria: (body, _terms, need, failed) => {
    const { rows, kept } = keptRows('criteria', body, (row) => !filled(row.name) && !filled(row.weight));
    need(kept.length > 0, 'criteria-0-name', key('criteriaNone'));
    const criteria = kept.map(({ row, i }) => {
      const weight = weightOf(row.weight);
      need(filled(row.name) && row.name.length <= 200, `criteria-${i}-name`, key('criterionName'));
      need(row.description.length <= 2000, `criteria-${i}-description`, key('tooLong'), { max: 2000 });
      need(weight !== null, `criteria-${i}-weight`, key('weight'));
      return { name: row.name, ...(filled(row.description) && { description: row.description }), weight };
    });
    const sum = weightSum(kept.map(({ row }) => row));
    // The machine's own words for the sum it refuses at PUBLISH.
    if (!failed()) need(Math.abs(sum - 100) < 1e-9, 'weights-sum', 'call.weightsSumTo100', { sum });
    return { values: { rows }, changes: { criteria } };
  },
  scale: (body, _terms, need, failed) => {
    const values = { min: text(body, 'min').trim(), max: text(body, 'max').trim() };
    const [min, max] = [wholeOf(values.min, 0, 99), wholeOf(values.max, 1, 100)];
    need(min !== null, 'min', key('scaleMin'));
    need(max !== null, 'max', key('scaleMax'));
    if (!failed()) need((min as number) < (max as number), 'max', key('scaleRising'));
    return { values, changes: { scale: { min, max } } };
  },
  // The review terms' ranges are the API's (UpdateCallEventDto), inside the machine's reviewTermsInRange.
  reviewers: (body, _terms, need) => {
    const fields = ['count', 'reminderDays', 'rankBy', 'disagreement', 'minimumScore', 'maxAwards'];
    const values: Row = Object.fromEntries(fields.map((f) => [f, text(body, f).trim()]));
    const count = wholeOf(values.count, 1, 20);
    need(count !== null, 'count', key('reviewers'));
    const reviewReminderDays = wholeOf(values.reminderDays, 0, 60);
    need(reviewReminderDays !== null, 'reminderDays', key('reminderDays'));
    need((RANK_BY as readonly string[]).includes(values.rankBy), 'rankBy', key('rankBy'));
    const disagreementThreshold = decimalOf(values.disagreement, 0.1, 100);
    need(disagreementThreshold !== null, 'disagreement', key('disagreement'));
    const minimumScore = filled(values.minimumScore) ? decimalOf(values.minimumScore, 0, 100) : 0;
    need(minimumScore !== null, 'minimumScore', key('minimumScore'));
    const maxAwards = filled(values.maxAwards) ? wholeOf(values.maxAwards, 1, 1000) : null;
    need(!filled(values.maxAwards) || maxAwards !== null, 'maxAwards', key('maxAwards'));
    const changes = {
      reviewersPerApplication: count,
      reviewReminderDays,
      rankBy: values.rankBy,
      disagreementThreshold,
      minimumScore,
      maxAwardsPerMunicipality: maxAwards,
    };
    return { values, changes };
  },
  finance: (body, terms, need) => {
    const values = { threshold: text(body, 'threshold').trim() };
    const threshold = amountOf(values.threshold, terms.currency);
    const minor = threshold === null ? 0 : parseAmount(threshold, terms.currency);
    need(minor > 0, 'threshold', key('amount'));
    need(minor <= parseAmount(terms.maxAward, terms.currency), 'threshold', key('thresholdOverMaxAward'));
    return { values, changes: { financeThreshold: threshold } };
  },
  reports: (body, _terms, need) => {
    const { rows, kept } = keptRows('reports', body, (row) => !filled(row.day + row.month + row.year));
    const reportSchedule = kept.map(({ row, i }) => {
      const dueAt = dayOf({ day: row.day, month: row.month, year: row.year });
      need(['interim', 'final'].includes(row.kind), `reports-${i}-kind`, key('reportKind'));
      need(dueAt !== null, `reports-${i}-due`, key('day'));
      return { kind: row.kind, dueAt };
    });
    return { values: { rows }, changes: { reportSchedule } };
  },
};

/** A posted page read as an UPDATE's fields, or the problems that keep it from being saved. */
export function parseTask(task: SetupTask, body: Body, terms: SetupTerms): Parsed {
  const errors: SetupError[] = [];
  const need: Need = (ok, field, message, params) => {
    if (!ok) errors.push({ field, key: message, ...(params && { params }) });
  };
  const { values, changes } = READERS[task](body, terms, need, () => errors.length > 0);
  return { values, changes: errors.length ? {} : changes, errors };
}
