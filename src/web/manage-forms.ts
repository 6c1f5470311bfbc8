import { ArrayMaxSize, IsIn, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { APPLICATION_STATES } from '../../workflows/application.machine';
import { LIST_SORTS, type ListSort } from '../applications/application-list.service';
import { Optional } from '../common/dto';
import { NOTIFICATION_STATUSES, type NotificationStatus } from '../notifications/notification.entity';

// The manage pages' filter forms: GET forms, validated as GET /applications and GET /notifications
// validate their queries, each problem a catalogue key. An empty field is no filter.

/** The pages before this one, as the cursors that started them (`0` for the first), dot-separated. */
const TRAIL = /^(0|[A-Za-z0-9_-]+)(\.(0|[A-Za-z0-9_-]+))*$/;

export class ApplicationFilters {
  @Optional()
  @IsUUID(undefined, { message: 'web.manage.list.callInvalid' })
  callId?: string;

  @Optional()
  @ArrayMaxSize(APPLICATION_STATES.length, { message: 'web.manage.list.stateInvalid' })
  @IsIn(APPLICATION_STATES, { each: true, message: 'web.manage.list.stateInvalid' })
  state?: string[];

  @Optional()
  @IsString({ message: 'web.manage.list.municipalityTooLong' })
  @MaxLength(100, { message: 'web.manage.list.municipalityTooLong' })
  municipality?: string;

  @Optional()
  @IsString({ message: 'web.manage.list.qTooLong' })
  @MaxLength(200, { message: 'web.manage.list.qTooLong' })
  q?: string;

  @Optional()
  @IsIn(LIST_SORTS, { message: 'web.manage.list.sortInvalid' })
  sort?: ListSort;

  @Optional()
  @IsIn(['asc', 'desc'], { message: 'web.manage.list.sortInvalid' })
  order?: 'asc' | 'desc';

  @Optional()
  @IsString({ message: 'web.manage.pageInvalid' })
  @MaxLength(500, { message: 'web.manage.pageInvalid' })
  cursor?: string;

  @Optional()
  @Matches(TRAIL, { message: 'web.manage.pageInvalid' })
  @MaxLength(12_000, { message: 'web.manage.pageInvalid' })
  back?: string;
}

const STATUSES: NotificationStatus[] = [...NOTIFICATION_STATUSES];

export class OutboxFilters {
  @Optional()
  @IsIn(STATUSES, { message: 'web.manage.outbox.statusInvalid' })
  status?: NotificationStatus;

  @Optional()
  @IsUUID(undefined, { message: 'web.manage.pageInvalid' })
  before?: string;

  @Optional()
  @Matches(/^(0|[0-9a-f-]{36})(\.(0|[0-9a-f-]{36}))*$/, { message: 'web.manage.pageInvalid' })
  @MaxLength(4_000, { message: 'web.manage.pageInvalid' })
  back?: string;
}

/** The manage pages' forms: validated like the API's queries, but not part of the API. */
export const MANAGE_FORMS = [ApplicationFilters, OutboxFilters];

/** A query's fields as text, dropping those left empty: an empty field of a GET form filters nothing. */
export function queryFields<K extends string>(query: unknown, names: readonly K[]): Partial<Record<K, string>> {
  const given = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = given[name];
    if (typeof value === 'string' && value.trim() !== '') out[name] = value.trim();
    // A field given twice is not text: passed on as it is, for the form's validation to refuse.
    else if (Array.isArray(value)) out[name] = value as unknown as string;
  }
  return out;
}

/** The states ticked in the filter form: one value, several, or none. */
export function statesOf(query: unknown): string[] | undefined {
  const value = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const state = value.state;
  const list = (Array.isArray(state) ? state : [state]).filter((s): s is string => typeof s === 'string' && s !== '');
  return list.length > 0 ? list : undefined;
}

/** Where the pages before and after this one start: the trail of cursors kept in the address. */
export interface Trail {
  /** This page's number, from 1. */
  number: number;
  previous: { cursor: string | null; back: string | null } | null;
  next: { cursor: string; back: string } | null;
}

/** The previous and next pages of a list read by a cursor, from this page's cursor and trail. */
export function trailOf(cursor: string | undefined, back: string | undefined, nextCursor: string | null): Trail {
  const before = back ? back.split('.') : [];
  const previousCursor = before.at(-1);
  return {
    number: before.length + 1,
    previous:
      previousCursor === undefined
        ? null
        : {
            cursor: previousCursor === '0' ? null : previousCursor,
            back: before.length > 1 ? before.slice(0, -1).join('.') : null,
          },
    next: nextCursor ? { cursor: nextCursor, back: [...before, cursor ?? '0'].join('.') } : null,
  };
}
