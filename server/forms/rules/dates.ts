/** Calendar dates as `YYYY-MM-DD` strings, proleptic Gregorian, no time zones involved. */

const leap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (y: number, m: number): number => (m === 2 ? 28 + +leap(y) : 30 + ((m + (m >> 3)) & 1));
const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(s);
  return !!m && +m[2]! >= 1 && +m[2]! <= 12 && +m[3]! >= 1 && +m[3]! <= daysIn(+m[1]!, +m[2]!);
}

/**
 * A date bound (`today`, `2026-04-01`, `+P30D`, `-P18Y`, `+P1Y2M`, `-P2W`) as a date.
 * Years and months move first and keep the day where the month has it, else its last day
 * (31 Jan + 1 month = 28/29 Feb; 29 Feb − 1 year = 28 Feb); weeks and days follow.
 * "" when the bound or `today` is not understood, which callers treat as no bound.
 */
export function resolveDateBound(bound: string, today: string): string {
  if (!isDate(today)) return "";
  if (bound === "today") return today;
  if (isDate(bound)) return bound;
  const p = /^([+-]?)P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(bound);
  if (!p || !/\d/.test(bound)) return "";
  const sign = p[1] === "-" ? -1 : 1;
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  const months = y * 12 + m - 1 + sign * (12 * +(p[2] || 0) + +(p[3] || 0));
  const ny = Math.floor(months / 12);
  const nm = months - ny * 12 + 1;
  // Date only for the day arithmetic; setUTCFullYear, unlike Date.UTC, keeps years below 100.
  const t = new Date(0);
  t.setUTCFullYear(ny, nm - 1, Math.min(d, daysIn(ny, nm)) + sign * (7 * +(p[4] || 0) + +(p[5] || 0)));
  const out = pad(t.getUTCFullYear(), 4) + "-" + pad(t.getUTCMonth() + 1) + "-" + pad(t.getUTCDate());
  return isDate(out) ? out : "";
}
