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
  for (let day = input.from; day <= input.to; day = addDays(day, 1)) {
    if (input.closed.has(day)) continue;
    const open = windowsOn(input.location.hours, day);
    if (open.length === 0) continue;
    const free = input.clerks.map((c) => ({ id: c.id, free: subtract(intersect(windowsOn(c.hours, day), open), input.busy.get(c.id) ?? []) }));
    const slots: Slot[] = [];
    // Slots follow each other from the start of every opening window, one service long.
    for (const w of open) {
      for (let start = w.start; start + length <= w.end; start += length) {
        const end = start + length;
        if (start < input.earliest) continue;
        const clerks = free.filter((c) => c.free.some((f) => f.start <= start && end <= f.end)).map((c) => c.id);
        if (clerks.length === 0) continue;
        if (input.ofService.filter((b) => b.start < end && start < b.end).length >= input.service.capacity) continue;
        slots.push({ start, end, clerks });
      }
    }
    if (slots.length > 0) days.push({ date: day, slots });
  }
  return days;
}

/** A weekday's windows on a given day, as instants. */
export function windowsOn(hours: WeekHours, day: string): Interval[] {
  return (hours[weekdays[weekdayOf(day)]!] ?? []).map(([from, to]) => ({
    start: berlinWallTime(day, from),
    end: to === "24:00" ? berlinWallTime(addDays(day, 1), "00:00") : berlinWallTime(day, to),
  }));
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

export function subtract(from: ReadonlyArray<Interval>, cut: ReadonlyArray<Interval>): Interval[] {
  let rest = [...from];
  for (const c of cut) {
    rest = rest.flatMap((r) => {
      if (c.end <= r.start || r.end <= c.start) return [r];
      const parts: Interval[] = [];
      if (r.start < c.start) parts.push({ start: r.start, end: c.start });
      if (c.end < r.end) parts.push({ start: c.end, end: r.end });
      return parts;
    });
  }
  return rest;
}
