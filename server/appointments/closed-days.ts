import { getHolidays } from "feiertagejs";
import type { AppointmentsConfig } from "./config.js";

/**
 * The days a town hall is closed between two days (inclusive): the public holidays of the
 * town's state, from a holiday library (Easter and everything counted from it included), and
 * the town's own closed days.
 */
export function closedDays(config: Pick<AppointmentsConfig, "state" | "closedDays">, from: string, to: string): Map<string, string> {
  const closed = new Map<string, string>();
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const h of getHolidays(year, config.state)) closed.set(h.dateString, h.translate("de") ?? h.name);
  }
  for (const c of config.closedDays) closed.set(c.date, c.reason?.de ?? "geschlossen");
  return new Map([...closed].filter(([day]) => day >= from && day <= to));
}
