import { addDays, berlinWallTime, weekdayOf } from "../lib/berlin-time.js";
import { type AppointmentLocation, type AppointmentService, type Clerk, type WeekHours, weekdays } from "./config.js";

/**
 * Free slots, pure: opening hours and clerks' hours of each day, minus closed days, absences
 * and bookings. Times are epoch ms computed from Berlin wall-clock times day by day, so the
 * DST Sundays have 23 and 25 hours and a slot never straddles an hour that does not exist.
 */

/** [start, end) in epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

export interface Slot extends Interval {
  /** Clerks free for the whole slot, in the order of appointments.json. */
  clerks: string[];
}

export interface SlotInput {
  service: Pick<AppointmentService, "id" | "durationMinutes" | "capacity">;
  location: Pick<AppointmentLocation, "hours">;
  /** The clerks who serve the service. */
  clerks: ReadonlyArray<Pick<Clerk, "id" | "hours">>;
  /** Days the town hall is closed (holidays, the town's own). */
  closed: ReadonlySet<string> | ReadonlyMap<string, unknown>;
  /** Each clerk's appointments and absences. */
  busy: ReadonlyMap<string, ReadonlyArray<Interval>>;
  /** Appointments of this service, whoever serves them: at most `capacity` at once. */
  ofService: ReadonlyArray<Interval>;
  /** First and last day, `YYYY-MM-DD`, inclusive. */
  from: string;
  to: string;
  /** No slot starts before this instant (now plus the town's lead time). */
  earliest: number;
}

export function freeSlots(input: SlotInput): Array<{ date: string; slots: Slot[] }> {
  const days: Array<{ date: string; slots: Slot[] }> = [];
  const length = input.service.durationMinutes * 60_000;
  const at = wallClock();
  // Days are visited in order: each clerk's busy times and the service's appointments are swept
  // once, sorted, instead of being searched for every day (8 weeks of a busy office: ~5,000 each).
  const clerks = input.clerks.map((c) => ({ id: c.id, hours: c.hours, busy: sweep(input.busy.get(c.id) ?? []) }));
  const ofService = sweep(input.ofService);
  for (let day = input.from; day <= input.to; day = addDays(day, 1)) {
    if (input.closed.has(day)) continue;
    const open = windowsOn(input.location.hours, day, at);
    if (open.length === 0) continue;
    const dayStart = open[0]!.start;
    const dayEnd = open[open.length - 1]!.end;
    const free = clerks.map((c) => ({ id: c.id, free: subtract(intersect(windowsOn(c.hours, day, at), open), c.busy(dayStart, dayEnd)) }));
    const booked = ofService(dayStart, dayEnd);
    const slots: Slot[] = [];
    // Slots follow each other from the start of every opening window, one service long.
    for (const w of open) {
      for (let start = w.start; start + length <= w.end; start += length) {
        const end = start + length;
        if (start < input.earliest) continue;
        const ids = free.filter((c) => c.free.some((f) => f.start <= start && end <= f.end)).map((c) => c.id);
        if (ids.length === 0) continue;
        if (booked.filter((b) => b.start < end && start < b.end).length >= input.service.capacity) continue;
        slots.push({ start, end, clerks: ids });
      }
    }
    if (slots.length > 0) days.push({ date: day, slots });
  }
  return days;
}

/**
 * The intervals overlapping [from, to), for windows asked in ascending order: a cursor skips
 * what ended before, so each interval is passed once over all days.
 */
function sweep(intervals: ReadonlyArray<Interval>): (from: number, to: number) => Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  // Longest interval so far: anything starting more than that before `from` has surely ended.
  const longest = sorted.reduce((m, i) => Math.max(m, i.end - i.start), 0);
  let first = 0;
  return (from, to) => {
    while (first < sorted.length && sorted[first]!.start + longest <= from) first++;
    const out: Interval[] = [];
    for (let i = first; i < sorted.length && sorted[i]!.start < to; i++) if (sorted[i]!.end > from) out.push(sorted[i]!);
    return out;
  };
}

/** Berlin wall-clock times, each computed once per call of freeSlots (Intl is slow enough to matter here). */
function wallClock(): (day: string, time: string) => number {
  const seen = new Map<string, number>();
  return (day, time) => {
    const key = `${day} ${time}`;
    let v = seen.get(key);
    if (v === undefined) seen.set(key, (v = time === "24:00" ? berlinWallTime(addDays(day, 1), "00:00") : berlinWallTime(day, time)));
    return v;
  };
}

/** A weekday's windows on a given day, as instants. */
export function windowsOn(hours: WeekHours, day: string, at: (day: string, time: string) => number = wallClock()): Interval[] {
  return (hours[weekdays[weekdayOf(day)]!] ?? []).map(([from, to]) => ({ start: at(day, from), end: at(day, to) }));
}

export function intersect(a: ReadonlyArray<Interval>, b: ReadonlyArray<Interval>): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (start < end) out.push({ start, end });
    }
  }
  return out.sort((p, q) => p.start - q.start);
}

/** `from` minus `cut`; both sorted by start (as intersect and sweep return them), in one pass. */
export function subtract(from: ReadonlyArray<Interval>, cut: ReadonlyArray<Interval>): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const r of from) {
    let start = r.start;
    while (j < cut.length && cut[j]!.end <= start) j++;
    for (let k = j; k < cut.length && cut[k]!.start < r.end; k++) {
      const c = cut[k]!;
      if (c.start > start) out.push({ start, end: c.start });
      start = Math.max(start, c.end);
      if (start >= r.end) break;
    }
    if (start < r.end) out.push({ start, end: r.end });
  }
  return out;
}
