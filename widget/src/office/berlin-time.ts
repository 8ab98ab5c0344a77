/**
 * The town's wall clock. The office shows every time in the town's zone (format.ts), whatever the
 * device says, and times are typed in it too: a clerk on a laptop set to UTC schedules 9:00 in
 * Berlin, and an absence "08:00–12:00" means the counter's morning.
 */
const berlin = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Berlin",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

function wallClock(ms: number) {
  const p: Record<string, number> = {};
  for (const part of berlin.formatToParts(new Date(ms))) if (part.type !== "literal") p[part.type] = Number(part.value);
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour!, mi: p.minute!, s: p.second! };
}

/** Minutes Berlin is ahead of UTC at that instant (60 in winter, 120 in summer). */
function berlinOffset(ms: number): number {
  const w = wallClock(ms);
  return Math.round((Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - ms) / 60_000);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A `datetime-local` value read as Berlin time ("2026-07-01T09:00") → ISO 8601 in UTC; empty → null. */
export function berlinToIso(value: string): string | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  // Unreadable: sent as it is, so the server names the field.
  if (!m) return value;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  // The offset at the guess, then at the instant it gives: right on both sides of a clock change.
  let utc = wall - berlinOffset(wall) * 60_000;
  utc = wall - berlinOffset(utc) * 60_000;
  return new Date(utc).toISOString();
}

/** ISO 8601 → a `datetime-local` value in Berlin time. */
export function berlinLocal(iso: string | null): string {
  if (!iso) return "";
  const w = wallClock(Date.parse(iso));
  return `${w.y}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}`;
}

