import { ArrayMaxSize, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { Optional } from '../common/dto';
import { validateAs } from '../common/validation';
import { formErrors, formFields, type FormError } from './form-errors';

// The committee page's forms: validated like the API's bodies, each problem a catalogue key.

export class MembersForm {
  @ArrayMaxSize(50, { message: 'web.committee.members.tooMany' })
  @IsUUID('all', { each: true, message: 'web.committee.members.invalid' })
  members!: string[];

  @Optional()
  @IsUUID('all', { message: 'web.committee.members.chairMissing' })
  chair?: string;
}

const DAY = /^\d{1,2}$/;
const YEAR = /^\d{4}$/;

export class DeadlineForm {
  @Matches(DAY, { message: 'web.committee.deadline.dateInvalid' })
  day!: string;

  @Matches(DAY, { message: 'web.committee.deadline.dateInvalid' })
  month!: string;

  @Matches(YEAR, { message: 'web.committee.deadline.dateInvalid' })
  year!: string;

  @Matches(/^([01]?\d|2[0-3])[:.][0-5]\d$/, { message: 'web.committee.deadline.timeInvalid' })
  time!: string;
}

export class ReassignForm {
  @IsUUID('all', { message: 'web.committee.reassign.toMissing' })
  to!: string;

  // Empty: nobody's review is taken away, the application gets one more reviewer.
  @ValidateIf((form: ReassignForm) => form.from !== '')
  @IsUUID('all', { message: 'web.committee.reassign.fromInvalid' })
  from!: string;

  @IsString({ message: 'web.committee.reassign.reasonTooLong' })
  @MaxLength(2000, { message: 'web.committee.reassign.reasonTooLong' })
  reason!: string;
}

/** The committee page's forms: validated like the API's bodies, but not part of the API. */
export const COMMITTEE_FORMS = [MembersForm, DeadlineForm, ReassignForm];

/** The form's values as the page shows them again, and its problems: none when it is good. */
export interface Parsed<T> {
  values: Record<string, string>;
  errors: FormError[];
  ok: T | null;
}

/** The ticked members (one or several checkboxes post one or several values) and the chair. */
export async function parseMembers(body: unknown): Promise<
  Parsed<{ userId: string; chair: boolean }[]> & {
    ticked: string[];
  }
> {
  const posted = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const raw = posted.members;
  const ticked = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (m): m is string => typeof m === 'string',
  );
  const { chair } = formFields(body, ['chair'] as const);
  const values = { chair };
  try {
    await validateAs(MembersForm, { members: ticked, ...(chair && { chair }) });
  } catch (error) {
    return { values, ticked, errors: formErrors(error).map(linkMembers), ok: null };
  }
  if (ticked.length > 0 && !chair)
    return { values, ticked, errors: [{ field: 'chair', key: 'web.committee.members.chairMissing' }], ok: null };
  if (chair && !ticked.includes(chair))
    return { values, ticked, errors: [{ field: 'chair', key: 'web.committee.members.chairNotMember' }], ok: null };
  return { values, ticked, errors: [], ok: ticked.map((userId) => ({ userId, chair: userId === chair })) };
}

/** The error summary links a problem to the first checkbox or radio of its question. */
function linkMembers(error: FormError): FormError {
  return error.field.startsWith('members') ? { ...error, field: 'members' } : error;
}

/**
 * The review deadline as the date and time fields give it, on the programme's clock
 * (`2027-04-10T18:00`, which the call's service reads in the programme's time zone); null when
 * the fields are all left empty and `required` is false.
 */
export async function parseDeadline(body: unknown, required: boolean): Promise<Parsed<string | null>> {
  const values = formFields(body, ['day', 'month', 'year', 'time'] as const);
  if (!values.day && !values.month && !values.year) {
    if (required)
      return { values, errors: [{ field: 'reviewDueAt-day', key: 'web.committee.deadline.missing' }], ok: null };
    return { values, errors: [], ok: null };
  }
  const time = values.time || '18:00';
  try {
    await validateAs(DeadlineForm, { ...values, time });
  } catch (error) {
    const errors = formErrors(error);
    const field = errors.some((e) => e.field !== 'time') ? 'reviewDueAt-day' : 'reviewDueTime';
    return { values, errors: [{ field, key: errors[0].key }], ok: null };
  }
  const [hour, minute] = time.split(/[:.]/).map(Number);
  const [year, month, day] = [values.year, values.month, values.day].map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day)
    return { values, errors: [{ field: 'reviewDueAt-day', key: 'web.committee.deadline.dateInvalid' }], ok: null };
  const pad = (n: number) => String(n).padStart(2, '0');
  return { values, errors: [], ok: `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}` };
}

/** Whom the review goes to, whose draft it takes away (none: one more reviewer), and why. */
export async function parseReassign(body: unknown): Promise<Parsed<{ to: string; from?: string; reason?: string }>> {
  const values = formFields(body, ['to', 'from', 'reason'] as const);
  try {
    await validateAs(ReassignForm, values);
  } catch (error) {
    return { values, errors: formErrors(error), ok: null };
  }
  return {
    values,
    errors: [],
    ok: { to: values.to, ...(values.from && { from: values.from }), ...(values.reason && { reason: values.reason }) },
  };
}
