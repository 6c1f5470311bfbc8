import { instantOf } from '../common/time';
import { dayOf, text } from './apply-forms';
import { clockParts, timeOf, type SetupError } from './call-setup-forms';

// The page that moves an open call's deadline later: the new deadline as the setup's dates page
// reads it (the date's three boxes and a time, on the programme's clock), checked as the call
// machine's EXTEND_DEADLINE guard checks it, so the page words the refusal beside the field.

/** The new deadline's fields: `closes-day`, `closes-month`, `closes-year`, `closes-time`. */
const FIELDS = ['day', 'month', 'year', 'time'].map((n) => `closes-${n}`);

export interface DeadlineTerms {
  /** The call's deadline now, an ISO instant. */
  closesAt: string;
  timeZone: string;
  now: Date;
}

export interface ParsedDeadline {
  values: Record<string, string>;
  /** The new deadline on the programme's clock, `YYYY-MM-DDTHH:MM`, as EXTEND_DEADLINE takes it; null with errors. */
  closesAt: string | null;
  errors: SetupError[];
}

/** What the page shows before a change: the deadline now, in the date input's boxes. */
export function deadlineValues(closesAt: string, timeZone: string): Record<string, string> {
  return Object.fromEntries(Object.entries(clockParts(closesAt, timeZone)).map(([k, v]) => [`closes-${k}`, v]));
}

/** The posted page read as EXTEND_DEADLINE's `closesAt`, or why it cannot be: later than the deadline now, and than now. */
export function parseDeadline(body: Record<string, unknown>, terms: DeadlineTerms): ParsedDeadline {
  const values = Object.fromEntries(FIELDS.map((f) => [f, text(body, f).trim()]));
  const errors: SetupError[] = [];
  const day = dayOf({ day: values['closes-day'], month: values['closes-month'], year: values['closes-year'] });
  const time = timeOf(values['closes-time']);
  if (day === null) errors.push({ field: 'closes', key: 'web.setup.error.day' });
  if (time === null) errors.push({ field: 'closes-time', key: 'web.setup.error.time' });
  if (day === null || time === null) return { values, closesAt: null, errors };
  const wire = `${day}T${time}`;
  const at = instantOf(wire, terms.timeZone);
  if (at <= new Date(terms.closesAt))
    errors.push({ field: 'closes', key: 'web.setup.extend.notLater', params: { closesAt: { date: terms.closesAt } } });
  else if (at <= terms.now) errors.push({ field: 'closes', key: 'web.setup.error.closesPast' });
  return { values, closesAt: errors.length ? null : wire, errors };
}
