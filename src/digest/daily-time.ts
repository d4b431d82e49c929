import { Cron } from 'croner';

/** A subscription's schedule: a local time of day in an IANA time zone. */
export interface DailyTime {
  /** HH:MM, 24-hour. */
  time: string;
  timezone: string;
}

/** One occurrence of a daily time: the instant, and the local date it belongs to. */
export interface Slot {
  scheduledFor: Date;
  /** YYYY-MM-DD in the schedule's time zone: the "once per day" key. */
  localDate: string;
}

/** "9:05" or "09:05" as HH:MM; null when it is not a time of day. */
export function parseTimeOfDay(text: string): string | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : null;
}

/** The canonical IANA name ("europe/berlin" -> "Europe/Berlin"), or null when the runtime does not know the zone. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name.trim() }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function localDate(at: Date, timezone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * croner does the calendar work: a time skipped by a spring-forward DST change runs at the first
 * valid time after the gap, and a time repeated by a fall-back change runs once.
 */
function cronFor(schedule: DailyTime): Cron {
  const [hour, minute] = schedule.time.split(':').map(Number);
  return new Cron(`${minute} ${hour} * * *`, { timezone: schedule.timezone });
}

/** The latest occurrence at or before `now`. */
export function lastSlot(schedule: DailyTime, now: Date): Slot | null {
  // previousRuns excludes a run at exactly the reference instant; a millisecond later includes it.
  const [previous] = cronFor(schedule).previousRuns(1, new Date(now.getTime() + 1));
  return previous ? { scheduledFor: previous, localDate: localDate(previous, schedule.timezone) } : null;
}

export function nextSlot(schedule: DailyTime, now: Date): Date | null {
  return cronFor(schedule).nextRun(now);
}
