/**
 * The arithmetic behind the office's Termine screens (widget/src/office/calendar.ts): the days a
 * calendar shows, a clerk's entries of a day with absences cut to it, absences typed as Berlin
 * wall time around the clock changes, the days offered for a Terminanfrage, and wishes in words.
 */
import { describe, expect, it } from "vitest";
import type { OfficeCalendar } from "../../server/appointments/api-types.js";
import { absenceWords, preferenceWords } from "../../widget/src/office/appointment-words.js";
import { absencePeriod, absenceSpan, canMarkNoShow, dayStart, entriesOn, fitsPreference, shortDay, shownDays, slotWindow, stepDate } from "../../widget/src/office/calendar.js";
import { officeTexts } from "../../widget/src/office/texts.js";

const appointment = (id: string, clerkId: string, start: string, end: string, status: OfficeCalendar["appointments"][number]["status"] = "confirmed") => ({
  id,
  serviceId: "meldebescheinigung",
  serviceName: { de: "Meldebescheinigung" },
  locationId: "buergerbuero",
  clerkId,
  start,
  end,
  status,
  name: "Erika Mustermann",
  email: "erika@example.org",
});

describe("the calendar's days", () => {
  it("shows one day, or Monday to Sunday of its week, and steps by the view", () => {
    expect(shownDays("2026-12-02", "day")).toEqual(["2026-12-02"]);
    expect(shownDays("2026-12-02", "week")).toEqual(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]);
    expect(shownDays("2026-12-06", "week")[0]).toBe("2026-11-30");
    expect(stepDate("2026-12-31", "day", 1)).toBe("2027-01-01");
    expect(stepDate("2026-12-02", "week", -1)).toBe("2026-11-25");
  });

  it("begins each Berlin day at its midnight, in winter and in summer", () => {
    expect(new Date(dayStart("2026-12-01")).toISOString()).toBe("2026-11-30T23:00:00.000Z");
    expect(new Date(dayStart("2026-07-01")).toISOString()).toBe("2026-06-30T22:00:00.000Z");
  });
});

describe("a clerk's day", () => {
  const calendar = {
    appointments: [
      appointment("late", "schulze", "2026-12-01T11:00:00+01:00", "2026-12-01T11:20:00+01:00"),
      appointment("early", "schulze", "2026-12-01T08:00:00+01:00", "2026-12-01T08:20:00+01:00"),
      appointment("becker", "becker", "2026-12-01T08:00:00+01:00", "2026-12-01T08:20:00+01:00"),
      appointment("next-day", "schulze", "2026-12-02T08:00:00+01:00", "2026-12-02T08:20:00+01:00"),
    ],
    absences: [
      // From Monday noon to Wednesday 10:00: Tuesday is wholly inside it.
      { id: "ab_long", clerkId: "schulze", start: "2026-11-30T12:00:00+01:00", end: "2026-12-02T10:00:00+01:00", note: "Fortbildung" },
      { id: "ab_short", clerkId: "becker", start: "2026-12-01T08:00:00+01:00", end: "2026-12-01T09:00:00+01:00", note: null },
    ],
  };

  it("lists the day's appointments and absences in order, an absence before an appointment at the same minute", () => {
    const tuesday = entriesOn(calendar, "2026-12-01", "schulze");
    expect(tuesday.map((e) => (e.kind === "appointment" ? e.appointment.id : e.absence.id))).toEqual(["ab_long", "early", "late"]);
    expect(entriesOn(calendar, "2026-12-01", "becker").map((e) => (e.kind === "appointment" ? e.appointment.id : e.absence.id))).toEqual(["ab_short", "becker"]);
  });

  it("cuts an absence to the day: open where it began before or ends after", () => {
    const cut = (day: string) => entriesOn(calendar, day, "schulze").filter((e) => e.kind === "absence").map((e) => (e.kind === "absence" ? [e.from, e.to] : []));
    expect(cut("2026-11-30")).toEqual([["2026-11-30T12:00:00+01:00", null]]);
    expect(cut("2026-12-01")).toEqual([[null, null]]);
    expect(cut("2026-12-02")).toEqual([[null, "2026-12-02T10:00:00+01:00"]]);
    expect(cut("2026-12-03")).toEqual([]);
  });

  it("offers the no-show only for a confirmed appointment that has begun", () => {
    const a = appointment("a", "schulze", "2026-12-01T08:00:00+01:00", "2026-12-01T08:20:00+01:00");
    const begun = Date.parse("2026-12-01T08:00:00+01:00");
    expect(canMarkNoShow(a, begun - 1)).toBe(false);
    expect(canMarkNoShow(a, begun)).toBe(true);
    expect(canMarkNoShow({ ...a, status: "pending" }, begun + 60_000)).toBe(false);
    expect(canMarkNoShow({ ...a, status: "no_show" }, begun + 60_000)).toBe(false);
  });
});

describe("an absence typed in the form", () => {
  it("reads the times as Berlin wall time, whatever the season", () => {
    expect(absencePeriod({ day: "2026-12-01", lastDay: "", wholeDay: false, start: "08:00", end: "12:30" })).toEqual({ start: "2026-12-01T07:00:00.000Z", end: "2026-12-01T11:30:00.000Z" });
    expect(absencePeriod({ day: "2026-07-01", lastDay: "", wholeDay: false, start: "08:00", end: "12:30" })).toEqual({ start: "2026-07-01T06:00:00.000Z", end: "2026-07-01T10:30:00.000Z" });
  });

  it("runs whole days from midnight to midnight, across the change to winter time", () => {
    // 25 October 2026: the clocks go back, the day has 25 hours.
    expect(absencePeriod({ day: "2026-10-24", lastDay: "2026-10-26", wholeDay: true, start: "", end: "" })).toEqual({ start: "2026-10-23T22:00:00.000Z", end: "2026-10-26T23:00:00.000Z" });
    expect(absencePeriod({ day: "2026-12-01", lastDay: "", wholeDay: true, start: "09:00", end: "10:00" })).toEqual({ start: "2026-11-30T23:00:00.000Z", end: "2026-12-01T23:00:00.000Z" });
  });

  it("says an absence as it was typed: whole days, or from a time to a time", () => {
    const de = officeTexts.de;
    expect(absenceSpan({ start: "2026-10-24T00:00:00+02:00", end: "2026-10-27T00:00:00+01:00" })).toEqual({ firstDay: "2026-10-24", lastDay: "2026-10-26", from: null, to: null });
    expect(absenceWords({ start: "2026-12-01T00:00:00+01:00", end: "2026-12-02T00:00:00+01:00" }, "de", de)).toBe("Dienstag, 1. Dezember 2026, ganztägig");
    expect(absenceWords({ start: "2026-12-01T00:00:00+01:00", end: "2026-12-04T00:00:00+01:00" }, "de", de)).toBe("Dienstag, 1. Dezember 2026 bis Donnerstag, 3. Dezember 2026, ganztägig");
    expect(absenceWords({ start: "2026-12-01T08:00:00+01:00", end: "2026-12-01T12:00:00+01:00" }, "de", de)).toBe("Dienstag, 1. Dezember 2026, 08:00–12:00 Uhr");
    expect(absenceWords({ start: "2026-12-01T13:00:00+01:00", end: "2026-12-03T10:00:00+01:00" }, "de", de)).toBe("Dienstag, 1. Dezember 2026, 13:00 Uhr bis Donnerstag, 3. Dezember 2026, 10:00 Uhr");
    // ICU versions differ on the comma after an English weekday.
    expect(absenceWords({ start: "2026-12-01T08:00:00+01:00", end: "2026-12-01T12:00:00+01:00" }, "en", officeTexts.en)).toMatch(/^Tuesday,? 1 December 2026, 08:00–12:00$/);
  });
});

describe("a Terminanfrage's days", () => {
  it("offers two days around the wishes, not before today, at most three weeks", () => {
    expect(slotWindow([{ date: "2026-12-10", time: "morning" }, { date: "2026-12-07", time: "any" }], "2026-12-01")).toEqual({ from: "2026-12-05", to: "2026-12-12" });
    expect(slotWindow([{ date: "2026-12-02", time: "morning" }], "2026-12-01")).toEqual({ from: "2026-12-01", to: "2026-12-04" });
    // Wishes already past: the coming week.
    expect(slotWindow([{ date: "2026-11-20", time: "any" }], "2026-12-01")).toEqual({ from: "2026-12-01", to: "2026-12-07" });
    expect(slotWindow([{ date: "2026-12-02", time: "any" }, { date: "2027-01-30", time: "any" }], "2026-12-01")).toEqual({ from: "2026-12-01", to: "2026-12-21" });
  });

  it("tells morning from afternoon on the town's clock, and says a wish in words", () => {
    expect(fitsPreference("2026-12-01T11:45:00+01:00", "morning")).toBe(true);
    expect(fitsPreference("2026-12-01T12:00:00+01:00", "morning")).toBe(false);
    expect(fitsPreference("2026-12-01T12:00:00+01:00", "afternoon")).toBe(true);
    // 11:30 UTC is 12:30 in Berlin: afternoon.
    expect(fitsPreference("2026-12-01T11:30:00Z", "afternoon")).toBe(true);
    expect(fitsPreference("2026-12-01T08:00:00+01:00", "any")).toBe(true);
    expect(shortDay("2026-12-01", "de")).toBe("Di, 1. Dezember");
    expect(shortDay("2026-12-01", "en")).toBe("Tue 1 December");
    expect(preferenceWords({ date: "2026-12-01", time: "morning" }, "de", officeTexts.de)).toBe("Di, 1. Dezember, vormittags");
    expect(preferenceWords({ date: "2026-12-03", time: "any" }, "en", officeTexts.en)).toBe("Thu 3 December, any time");
  });
});
