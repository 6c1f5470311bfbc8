// Times as programme staff write them: with an offset, or as the wall-clock time of the programme.

const OFFSET = /T.*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

// Making a formatter costs far more than using one: one per time zone (a handful), kept.
const wallFormatters = new Map<string, Intl.DateTimeFormat>();

function wallFormatter(timeZone: string): Intl.DateTimeFormat {
  let made = wallFormatters.get(timeZone);
  if (!made) {
    made = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallFormatters.set(timeZone, made);
  }
  return made;
}

/** How far the time zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = wallFormatter(timeZone).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant an ISO 8601 time stands for. One with an offset (`Z`, `+06:00`) is taken as it is;
 * one without (`2027-01-15T18:00`, `2027-01-15`) is the wall-clock time in `timeZone`, so a
 * Bishkek manager's "18:00" closes the call at 18:00 in Bishkek.
 */
export function instantOf(text: string, timeZone: string): Date {
  if (OFFSET.test(text)) return new Date(text);
  const wall = Date.parse(/T/.test(text) ? `${text}Z` : `${text}T00:00:00Z`);
  if (!Number.isFinite(wall)) return new Date(NaN);
  // The offset at the wall time read as UTC is right except across a change of offset; a second
  // reading at the corrected instant settles it.
  const first = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(first, timeZone));
}

/** The wall-clock time of an instant in a time zone: `2027-01-15 18:00`. */
export function wallClock(at: Date, timeZone: string): string {
  const local = new Date(at.getTime() + offsetAt(at.getTime(), timeZone));
  return local.toISOString().slice(0, 16).replace('T', ' ');
}
