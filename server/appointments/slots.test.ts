import { describe, expect, it } from "vitest";
import { berlinIso, berlinWallTime } from "../lib/berlin-time.js";
import type { WeekHours } from "./config.js";
import { type Interval, type SlotInput, freeSlots } from "./slots.js";

const office: WeekHours = { mon: [["08:00", "12:00"], ["13:00", "16:00"]], tue: [["08:00", "12:00"]], sun: [["01:00", "04:00"]] };
const at = (day: string, time: string) => berlinWallTime(day, time);
const span = (day: string, from: string, to: string): Interval => ({ start: at(day, from), end: at(day, to) });

function slots(over: Partial<SlotInput> & { durationMinutes?: number; capacity?: number }) {
  const input: SlotInput = {
    service: { id: "ausweis", durationMinutes: over.durationMinutes ?? 60, capacity: over.capacity ?? 1 },
    location: { hours: office },
    clerks: [{ id: "anna", hours: office }],
    closed: new Set(),
    busy: new Map(),
    ofService: [],
    from: "2026-11-30",
    to: "2026-11-30",
    earliest: 0,
    ...over,
  };
  return freeSlots(input).map((d) => ({ date: d.date, slots: d.slots.map((s) => `${berlinIso(s.start).slice(11, 16)}–${berlinIso(s.end).slice(11, 16)}${berlinIso(s.start).slice(19)} ${s.clerks.join(",")}`) }));
}

describe("free slots", () => {
  it.each<[string, Partial<SlotInput> & { durationMinutes?: number; capacity?: number }, Array<{ date: string; slots: string[] }>]>([
    [
      "an ordinary Monday: both windows, one service long each",
      {},
      [{ date: "2026-11-30", slots: ["08:00–09:00+01:00 anna", "09:00–10:00+01:00 anna", "10:00–11:00+01:00 anna", "11:00–12:00+01:00 anna", "13:00–14:00+01:00 anna", "14:00–15:00+01:00 anna", "15:00–16:00+01:00 anna"] }],
    ],
    [
      "spring DST Sunday: 01:00–04:00 is two real hours, and no slot starts at 02:00",
      { from: "2026-03-29", to: "2026-03-29" },
      [{ date: "2026-03-29", slots: ["01:00–03:00+01:00 anna", "03:00–04:00+02:00 anna"] }],
    ],
    [
      "autumn DST Sunday: 01:00–04:00 is four real hours, 02:00 comes twice",
      { from: "2026-10-25", to: "2026-10-25" },
      [{ date: "2026-10-25", slots: ["01:00–02:00+02:00 anna", "02:00–02:00+02:00 anna", "02:00–03:00+01:00 anna", "03:00–04:00+01:00 anna"] }],
    ],
    ["a holiday has no slots", { from: "2026-12-25", to: "2026-12-26", closed: new Set(["2026-12-25"]) }, []],
    [
      "a half-day absence leaves the afternoon",
      { busy: new Map([["anna", [span("2026-11-30", "07:30", "12:30")]]]) },
      [{ date: "2026-11-30", slots: ["13:00–14:00+01:00 anna", "14:00–15:00+01:00 anna", "15:00–16:00+01:00 anna"] }],
    ],
    [
      "a booking of another service blocks the clerk for its length, not the other clerk",
      {
        durationMinutes: 30,
        clerks: [{ id: "anna", hours: office }, { id: "ben", hours: { mon: [["08:00", "09:00"]] } }],
        busy: new Map([["anna", [span("2026-11-30", "08:00", "08:20")]]]),
        to: "2026-11-30",
      },
      [{ date: "2026-11-30", slots: ["08:00–08:30+01:00 ben", "08:30–09:00+01:00 anna,ben", "09:00–09:30+01:00 anna", "09:30–10:00+01:00 anna", "10:00–10:30+01:00 anna", "10:30–11:00+01:00 anna", "11:00–11:30+01:00 anna", "11:30–12:00+01:00 anna", "13:00–13:30+01:00 anna", "13:30–14:00+01:00 anna", "14:00–14:30+01:00 anna", "14:30–15:00+01:00 anna", "15:00–15:30+01:00 anna", "15:30–16:00+01:00 anna"] }],
    ],
    [
      "the last slot ends exactly when the counter closes",
      { durationMinutes: 20, from: "2026-12-01", to: "2026-12-01", earliest: at("2026-12-01", "11:00") },
      [{ date: "2026-12-01", slots: ["11:00–11:20+01:00 anna", "11:20–11:40+01:00 anna", "11:40–12:00+01:00 anna"] }],
    ],
    [
      "a service longer than what is left of a window is not offered in it",
      { durationMinutes: 90 },
      [{ date: "2026-11-30", slots: ["08:00–09:30+01:00 anna", "09:30–11:00+01:00 anna", "13:00–14:30+01:00 anna", "14:30–16:00+01:00 anna"] }],
    ],
    [
      "a service longer than a whole window is never offered",
      { durationMinutes: 245, from: "2026-12-01", to: "2026-12-01" },
      [],
    ],
    [
      "capacity: two at once at most, however many clerks are free",
      {
        capacity: 2,
        clerks: ["anna", "ben", "cem"].map((id) => ({ id, hours: { tue: [["08:00", "10:00"]] } })),
        from: "2026-12-01",
        to: "2026-12-01",
        busy: new Map([["anna", [span("2026-12-01", "08:00", "09:00")]], ["ben", [span("2026-12-01", "08:00", "09:00")]]]),
        ofService: [span("2026-12-01", "08:00", "09:00"), span("2026-12-01", "08:00", "09:00")],
      },
      [{ date: "2026-12-01", slots: ["09:00–10:00+01:00 anna,ben,cem"] }],
    ],
    [
      "a clerk's own hours within the opening hours; the lead time hides what is too soon",
      { clerks: [{ id: "anna", hours: { mon: [["09:00", "11:00"], ["14:00", "18:00"]] } }], earliest: at("2026-11-30", "09:30") },
      [{ date: "2026-11-30", slots: ["10:00–11:00+01:00 anna", "14:00–15:00+01:00 anna", "15:00–16:00+01:00 anna"] }],
    ],
  ])("%s", (_, input, expected) => {
    expect(slots(input)).toEqual(expected);
  });
});
