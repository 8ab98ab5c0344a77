import { describe, expect, it } from "vitest";
import { addDays, berlinClock, berlinDate, berlinIso, berlinMidnight, berlinWallTime, weekdayOf } from "./berlin-time.js";

describe("Berlin wall-clock times", () => {
  it.each([
    // An ordinary winter and summer day.
    ["2026-12-01", "08:00", "2026-12-01T07:00:00.000Z", "2026-12-01T08:00:00+01:00"],
    ["2026-07-01", "08:00", "2026-07-01T06:00:00.000Z", "2026-07-01T08:00:00+02:00"],
    // Spring Sunday: 02:00 → 03:00. Before, the skipped hour read an hour later, after.
    ["2026-03-29", "01:30", "2026-03-29T00:30:00.000Z", "2026-03-29T01:30:00+01:00"],
    ["2026-03-29", "02:30", "2026-03-29T01:30:00.000Z", "2026-03-29T03:30:00+02:00"],
    ["2026-03-29", "03:00", "2026-03-29T01:00:00.000Z", "2026-03-29T03:00:00+02:00"],
    // Autumn Sunday: 03:00 → 02:00. The twice-lived hour is meant in summer time.
    ["2026-10-25", "02:30", "2026-10-25T00:30:00.000Z", "2026-10-25T02:30:00+02:00"],
    ["2026-10-25", "03:00", "2026-10-25T02:00:00.000Z", "2026-10-25T03:00:00+01:00"],
    ["2026-10-25", "00:00", "2026-10-24T22:00:00.000Z", "2026-10-25T00:00:00+02:00"],
  ])("%s %s is %s (%s)", (day, time, utc, iso) => {
    const at = berlinWallTime(day, time);
    expect(new Date(at).toISOString()).toBe(utc);
    expect(berlinIso(at)).toBe(iso);
    expect(berlinDate(at)).toBe(day);
  });

  it("a DST Sunday is 23 or 25 hours long", () => {
    expect((berlinMidnight("2026-03-30") - berlinMidnight("2026-03-29")) / 3600_000).toBe(23);
    expect((berlinMidnight("2026-10-26") - berlinMidnight("2026-10-25")) / 3600_000).toBe(25);
    expect((berlinMidnight("2026-12-02") - berlinMidnight("2026-12-01")) / 3600_000).toBe(24);
  });

  it("clock, days and weekdays", () => {
    expect(berlinClock(Date.parse("2026-10-25T01:30:00Z"))).toBe("02:30");
    expect(berlinClock(Date.parse("2026-10-25T00:30:00Z"))).toBe("02:30");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-29", -1)).toBe("2026-03-28");
    expect(weekdayOf("2026-11-30")).toBe(0);
    expect(weekdayOf("2026-03-29")).toBe(6);
  });
});
