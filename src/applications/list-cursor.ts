import { fieldRefused, unstorable } from '../common/validation';

/** What a list page can be sorted by, and how its sort value travels in a cursor. */
export const LIST_SORTS = ['created', 'title', 'requested', 'reference'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

/** Where the next page starts: after the row with this sort value and id. */
export interface CursorPosition {
  /** Text PostgreSQL reads as the sort column's type: an ISO instant, whole minor units, or the text itself. */
  value: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// Minor units fit a bigint; the amounts a list shows are never negative.
const MINOR_UNITS = /^(0|[1-9]\d{0,17})$/;
const MAX_TEXT = 1000;

// Each sort's value, read strictly: a cursor only ever holds what `encodeCursor` wrote for that sort.
const READS: Record<ListSort, (value: string) => boolean> = {
  created: (v) => INSTANT.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v,
  requested: (v) => MINOR_UNITS.test(v),
  title: (v) => v.length <= MAX_TEXT && unstorable(v) === null,
  reference: (v) => v.length <= MAX_TEXT && unstorable(v) === null,
};

/** The cursor for the page after the row at `position`, in lists sorted by `sort`. */
export function encodeCursor(sort: ListSort, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([sort, position.value, position.id])).toString('base64url');
}

/** The position a cursor holds, if the same sort gave it out; otherwise a 400 naming `cursor`. */
export function decodeCursor(sort: ListSort, cursor: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 3 && parsed.every((part) => typeof part === 'string')) {
    const [given, value, id] = parsed as [string, string, string];
    if (given === sort && READS[sort](value) && UUID.test(id)) return { value, id };
    if (given !== sort && (LIST_SORTS as readonly string[]).includes(given)) {
      throw fieldRefused('cursor', 'applications.cursorSort', { given, sort });
    }
  }
  throw fieldRefused('cursor', 'list.cursorUnknown');
}
