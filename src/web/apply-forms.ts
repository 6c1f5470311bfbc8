import { STAKEHOLDER_GROUPS } from '../../workflows/call.machine';
import type { ApplicationView, ProposalView } from '../applications/application.views';
import { formatAmount, parseAmount } from '../common/money';

// The application's task pages as forms: what each page shows from the draft, and what a posted
// page becomes, an UPDATE_DRAFT's fields or the problems to show. Field ids are the wire's
// field names with dots as dashes (`budget.0.unitCost` is `budget-0-unitCost`), so a refusal from
// the API's own validation lands on the field it names.

/** The application's tasks, in the order of the task list. */
export const TASKS = [
  'about',
  'problem',
  'activities',
  'participants',
  'composition',
  'budget',
  'coFunding',
  'eligibility',
  'attachments',
] as const;
export type Task = (typeof TASKS)[number];

/** The tasks saved through a form of fields; attachments are added and removed one file at a time. */
export type FormTask = Exclude<Task, 'attachments'>;

export type TaskStatus = 'notStarted' | 'inProgress' | 'completed';

/** A problem of a posted page: the field's id and a catalogue key. */
export interface FieldError {
  field: string;
  key: string;
}

export interface Day {
  day: string;
  month: string;
  year: string;
}
type Values = Record<string, unknown>;
type Body = Record<string, unknown>;

/** The call's terms a page needs: its questions and where groups may work. */
export interface CallTerms {
  questions: { id: string }[];
  municipalities: string[];
  currency: string;
}

/** What a page post asks for: to save, or to add or remove a row and show the page again. */
export type RowAction = { kind: 'save' } | { kind: 'add' } | { kind: 'remove'; index: number };

export interface Parsed {
  values: Values;
  /** The UPDATE_DRAFT fields, when there is no problem. */
  changes: Record<string, unknown>;
  errors: FieldError[];
}

const MAX_ROWS: Partial<Record<FormTask, number>> = { activities: 50, budget: 100, coFunding: 20 };
const ROW_FIELDS: Partial<Record<FormTask, readonly string[]>> = {
  activities: ['description', 'start-day', 'start-month', 'start-year', 'end-day', 'end-month', 'end-year'],
  budget: ['category', 'description', 'quantity', 'unitCost'],
  coFunding: ['source', 'amount', 'inKind'],
};

export const text = (body: Body, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
};
const filled = (s: string) => s.trim().length > 0;

/** The row action a post asks for: the button pressed, `add` or `remove-N`. */
export function rowAction(body: Body): RowAction {
  if (body.add !== undefined) return { kind: 'add' };
  const remove = Object.keys(body)
    .map((k) => /^remove-(\d{1,3})$/.exec(k))
    .find((m) => m !== null);
  return remove ? { kind: 'remove', index: Number(remove[1]) } : { kind: 'save' };
}

/** The rows a repeating page posted, `prefix-N-field`, in order; rows past the task's limit are left out. */
function rowsOf(task: FormTask, body: Body): Record<string, string>[] {
  const indexes = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = new RegExp(`^${task}-(\\d{1,3})-`).exec(key);
    if (m) indexes.add(Number(m[1]));
  }
  const fields = ROW_FIELDS[task] ?? [];
  return [...indexes]
    .sort((a, b) => a - b)
    .slice(0, MAX_ROWS[task])
    .map((i) => Object.fromEntries(fields.map((f) => [f, text(body, `${task}-${i}-${f}`)])));
}

const blankRow = (row: Record<string, string>) => Object.values(row).every((v) => !filled(v));

/** The page's rows after an add or a remove: nothing is saved, the page is shown again. */
export function withRowAction(task: FormTask, body: Body, action: RowAction): Record<string, string>[] {
  const rows = rowsOf(task, body);
  if (action.kind === 'add' && rows.length < (MAX_ROWS[task] ?? 0)) rows.push(emptyRow(task));
  if (action.kind === 'remove') rows.splice(action.index, 1);
  return rows.length > 0 ? rows : [emptyRow(task)];
}

function emptyRow(task: FormTask): Record<string, string> {
  return Object.fromEntries((ROW_FIELDS[task] ?? []).map((f) => [f, '']));
}

function dayParts(iso: string): Day {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day) || ''), month: String(Number(month) || ''), year };
}

/** A day from the date input's three boxes, or null when it is not a real calendar day. */
export function dayOf(parts: Day): string | null {
  const [d, m, y] = [parts.day, parts.month, parts.year].map((p) => p.trim());
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return null;
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
}

const count = (n: number | undefined) => (n === undefined ? '' : String(n));

/** What each page shows of the draft before it is changed. */
export function valuesOf(task: FormTask, view: ApplicationView): Values {
  const p: ProposalView = view.proposal;
  switch (task) {
    case 'about':
      return { title: view.title, summary: p.summary, municipality: p.municipality };
    case 'problem':
      return { problem: p.problem };
    case 'activities':
      return {
        rows: (p.activities.length ? p.activities : [{ description: '', start: '', end: '' }]).map((a) => {
          const [start, end] = [dayParts(a.start), dayParts(a.end)];
          return {
            description: a.description,
            ...Object.fromEntries(Object.entries(start).map(([k, v]) => [`start-${k}`, v])),
            ...Object.fromEntries(Object.entries(end).map(([k, v]) => [`end-${k}`, v])),
          };
        }),
      };
    case 'participants': {
      const people = p.participants;
      return {
        women: count(people?.women),
        men: count(people?.men),
        youth: count(people?.youth),
        by: Object.fromEntries(STAKEHOLDER_GROUPS.map((g) => [g, count(people?.byStakeholder?.[g])])),
      };
    }
    case 'composition':
      return { counts: Object.fromEntries(STAKEHOLDER_GROUPS.map((g) => [g, count(p.composition[g])])) };
    case 'budget':
      return {
        rows: p.budget.length ? p.budget.map((l) => ({ ...l, quantity: String(l.quantity) })) : [emptyRow('budget')],
      };
    case 'coFunding':
      return {
        rows: p.coFunding.length
          ? p.coFunding.map((c) => ({ source: c.source, amount: c.amount, inKind: c.inKind ? 'yes' : '' }))
          : [emptyRow('coFunding')],
      };
    case 'eligibility':
      return {
        answers: Object.fromEntries(Object.entries(p.eligibilityAnswers).map(([id, yes]) => [id, yes ? 'yes' : 'no'])),
      };
  }
}

/** An amount as a person types it (`1 400,50`), as the wire writes it (`1400.50`); null if it is none. */
export function amountOf(typed: string, currency: string): string | null {
  const wire = typed.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  try {
    return formatAmount(parseAmount(wire, currency), currency);
  } catch {
    return null;
  }
}

/** A whole number of people or units as typed, or null. */
function wholeOf(typed: string, min = 0): number | null {
  const t = typed.trim();
  if (!/^\d{1,7}$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= 1_000_000 ? n : null;
}

/** The project's title as posted: the first question of an application, and part of its first task. */
function checkTitle(title: string, need: Need): void {
  need(filled(title), 'title', 'title');
  need(title.length <= 300, 'title', 'tooLong');
}

/** The problems of a title posted alone (the application's first question). */
export function titleProblems(title: string): FieldError[] {
  const errors: FieldError[] = [];
  checkTitle(title, needInto(errors));
  return errors;
}

/** A Need that notes each problem into `errors`, its key under web.apply.error. */
function needInto(errors: FieldError[]): Need {
  return (ok, field, key) => {
    if (!ok) errors.push({ field, key: `web.apply.error.${key}` });
  };
}

/** Notes a problem of a field when `ok` is false: the field and its message's key. */
type Need = (ok: boolean, field: string, key: string) => void;
/** What a task page's reader gives back: the values to show again, and the UPDATE_DRAFT fields. */
type Read = { values: Values; changes: Record<string, unknown> };
/** `failed` says whether a problem has been noted so far, for checks that only make sense without one. */
type TaskReader = (body: Body, terms: CallTerms, need: Need, failed: () => boolean) => Read;

/** The repeating rows a person filled in, with their places on the page (a blank row is no row). */
const keptRows = (task: FormTask, body: Body) => {
  const rows = rowsOf(task, body);
  return { rows, kept: rows.map((row, i) => ({ row, i })).filter(({ row }) => !blankRow(row)) };
};

const READERS: Record<FormTask, TaskReader> = {
  about: (body, _terms, need) => {
    const values = {
      title: text(body, 'title'),
      summary: text(body, 'summary'),
      municipality: text(body, 'municipality'),
    };
    for (const problem of titleProblems(values.title))
      need(false, problem.field, problem.key.replace('web.apply.error.', ''));
    need(filled(values.summary), 'summary', 'summary');
    need(values.summary.length <= 2000, 'summary', 'tooLong');
    need(filled(values.municipality), 'municipality', 'municipality');
    need(values.municipality.length <= 100, 'municipality', 'tooLong');
    return { values, changes: values };
  },
  problem: (body, _terms, need) => {
    const values = { problem: text(body, 'problem') };
    need(filled(values.problem), 'problem', 'problem');
    need(values.problem.length <= 10000, 'problem', 'tooLong');
    return { values, changes: values };
  },
  activities: (body, _terms, need) => {
    const { rows, kept } = keptRows('activities', body);
    need(kept.length > 0, 'activities-0-description', 'activitiesNone');
    const activities = kept.map(({ row, i }) => {
      const part = (which: string): Day => ({
        day: row[`${which}-day`],
        month: row[`${which}-month`],
        year: row[`${which}-year`],
      });
      const [start, end] = [dayOf(part('start')), dayOf(part('end'))];
      need(filled(row.description), `activities-${i}-description`, 'activityDescription');
      need(row.description.length <= 2000, `activities-${i}-description`, 'tooLong');
      need(start !== null, `activities-${i}-start`, 'activityStart');
      need(end !== null, `activities-${i}-end`, 'activityEnd');
      need(start === null || end === null || start <= end, `activities-${i}-end`, 'activityOrder');
      return { description: row.description, start, end };
    });
    return { values: { rows: rows.length ? rows : [emptyRow('activities')] }, changes: { activities } };
  },
  participants: (body, _terms, need, failed) => {
    const values = {
      women: text(body, 'women'),
      men: text(body, 'men'),
      youth: text(body, 'youth'),
      by: Object.fromEntries(STAKEHOLDER_GROUPS.map((g) => [g, text(body, `by-${g}`)])),
    };
    const [women, men, youth] = (['women', 'men', 'youth'] as const).map((k) => {
      const n = wholeOf(values[k]);
      need(n !== null, k, 'count');
      return n ?? 0;
    });
    need(failed() || women + men + youth > 0, 'women', 'nobody');
    const byStakeholder = countsOf(values.by, 'by', need);
    return { values, changes: { participants: { women, men, youth, byStakeholder } } };
  },
  composition: (body, _terms, need, failed) => {
    const values = { counts: Object.fromEntries(STAKEHOLDER_GROUPS.map((g) => [g, text(body, `composition-${g}`)])) };
    const composition = countsOf(values.counts, 'composition', need);
    const someone = Object.values(composition).some((n) => n > 0);
    need(failed() || someone, `composition-${STAKEHOLDER_GROUPS[0]}`, 'members');
    return { values, changes: { composition } };
  },
  budget: (body, terms, need) => {
    const { rows, kept } = keptRows('budget', body);
    need(kept.length > 0, 'budget-0-category', 'budgetNone');
    const budget = kept.map(({ row, i }) => {
      const quantity = wholeOf(row.quantity, 1);
      const unitCost = amountOf(row.unitCost, terms.currency);
      need(filled(row.category) && row.category.length <= 100, `budget-${i}-category`, 'category');
      need(filled(row.description) && row.description.length <= 1000, `budget-${i}-description`, 'lineDescription');
      need(quantity !== null, `budget-${i}-quantity`, 'quantity');
      need(unitCost !== null, `budget-${i}-unitCost`, 'amount');
      return { category: row.category, description: row.description, quantity, unitCost };
    });
    return { values: { rows: rows.length ? rows : [emptyRow('budget')] }, changes: { budget } };
  },
  coFunding: (body, terms, need) => {
    const rows = rowsOf('coFunding', body);
    const coFunding = rows
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => filled(row.source) || filled(row.amount))
      .map(({ row, i }) => {
        const amount = amountOf(row.amount, terms.currency);
        need(filled(row.source) && row.source.length <= 300, `coFunding-${i}-source`, 'source');
        need(amount !== null, `coFunding-${i}-amount`, 'amount');
        return { source: row.source, amount, inKind: row.inKind === 'yes' };
      });
    return { values: { rows: rows.length ? rows : [emptyRow('coFunding')] }, changes: { coFunding } };
  },
  eligibility: (body, terms, need) => {
    const answers = Object.fromEntries(terms.questions.map((q) => [q.id, text(body, `answer-${q.id}`)]));
    for (const q of terms.questions) need(['yes', 'no'].includes(answers[q.id]), `answer-${q.id}`, 'answer');
    const eligibilityAnswers = Object.fromEntries(Object.entries(answers).map(([id, a]) => [id, a === 'yes']));
    return { values: { answers }, changes: { eligibilityAnswers } };
  },
};

/** A posted page read as UPDATE_DRAFT fields, or the problems that keep it from being saved. */
export function parseTask(task: FormTask, body: Body, terms: CallTerms): Parsed {
  const errors: FieldError[] = [];
  const { values, changes } = READERS[task](body, terms, needInto(errors), () => errors.length > 0);
  return { values, changes: errors.length ? {} : changes, errors };
}

function countsOf(
  typed: Record<string, string>,
  prefix: string,
  need: (ok: boolean, field: string, key: string) => void,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const g of STAKEHOLDER_GROUPS) {
    if (!filled(typed[g] ?? '')) continue;
    const n = wholeOf(typed[g]);
    need(n !== null, `${prefix}-${g}`, 'count');
    if (n !== null) counts[g] = n;
  }
  return counts;
}

/** Where each task stands on the task list, read from the draft. */
export function taskStatus(task: Task, view: ApplicationView, terms: CallTerms): TaskStatus {
  const p = view.proposal;
  const done = (complete: boolean, started: boolean): TaskStatus =>
    complete ? 'completed' : started ? 'inProgress' : 'notStarted';
  switch (task) {
    case 'about':
      return done(filled(view.title) && filled(p.summary) && filled(p.municipality), filled(view.title));
    case 'problem':
      return done(filled(p.problem), false);
    case 'activities':
      return done(p.activities.length > 0, false);
    case 'participants': {
      const people = p.participants;
      return done(people !== null && people.women + people.men + people.youth > 0, people !== null);
    }
    case 'composition':
      return done(
        Object.values(p.composition).some((n) => (n ?? 0) > 0),
        false,
      );
    case 'budget':
      return done(p.budget.length > 0 && p.budgetTotal !== formatAmount(0, view.currency), false);
    case 'coFunding':
      return done(p.coFunding.length > 0, false);
    case 'eligibility': {
      const answered = terms.questions.filter((q) => typeof p.eligibilityAnswers[q.id] === 'boolean').length;
      return done(answered === terms.questions.length, answered > 0);
    }
    case 'attachments':
      return done(view.attachments.length > 0, false);
  }
}

/** The task whose page fixes a field the machine names (`summary`, `eligibilityAnswers.registered`). */
export function taskOfField(field: string): Task {
  const root = field.split('.')[0];
  if (['title', 'summary', 'municipality'].includes(root)) return 'about';
  if (root === 'eligibilityAnswers') return 'eligibility';
  return (TASKS as readonly string[]).includes(root) ? (root as Task) : 'about';
}

/** The budget page's sums, computed here from the lines as typed: each line's total, and the whole. */
export function budgetTotals(
  rows: Record<string, string>[],
  currency: string,
): { lines: (number | null)[]; total: number } {
  const lines = rows.map((row) => {
    const quantity = wholeOf(row.quantity ?? '', 1);
    const unitCost = amountOf(row.unitCost ?? '', currency);
    return quantity === null || unitCost === null ? null : quantity * parseAmount(unitCost, currency);
  });
  return { lines, total: lines.reduce<number>((sum, n) => sum + (n ?? 0), 0) };
}
