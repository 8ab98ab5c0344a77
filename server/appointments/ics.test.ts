import { describe, expect, it } from "vitest";
import { parseInvitation } from "../../tests/support/ics.js";
import { berlinWallTime } from "../lib/berlin-time.js";
import { type Invitation, invitationIcs } from "./ics.js";

const base: Invitation = {
  method: "REQUEST",
  uid: "ap_123@tangerhuette.digitales-rathaus.example",
  sequence: 0,
  start: berlinWallTime("2026-12-01", "08:00"),
  end: berlinWallTime("2026-12-01", "08:20"),
  stamp: Date.UTC(2026, 10, 26, 9),
  summary: "Personalausweis beantragen – Bürgerbüro Tangerhütte",
  location: "Bürgerbüro Tangerhütte, Bahnhofstraße 2, 39517 Tangerhütte",
  description: "Bitte mitbringen: bisheriger Ausweis; ein biometrisches Passfoto.\nAbsagen: https://example.org/x?token=a,b;c",
  organizer: { name: "Stadt Tangerhütte", email: "buergerbuero@tangerhuette.example" },
  attendees: [{ name: "Erika \"Eri\" Mustermann", email: "erika@example.org" }, { name: "Frau Schulze", email: "schulze@tangerhuette.example" }],
};

describe("calendar invitations, read back by ical.js", () => {
  it("carry start, end, zone, UID, SEQUENCE, organizer and attendees", () => {
    const p = parseInvitation(invitationIcs(base));
    expect(p).toEqual({
      method: "REQUEST",
      uid: base.uid,
      sequence: 0,
      status: "CONFIRMED",
      start: Date.parse("2026-12-01T07:00:00Z"),
      end: Date.parse("2026-12-01T07:20:00Z"),
      timezone: "Europe/Berlin",
      summary: base.summary,
      location: base.location,
      description: base.description,
      organizer: "mailto:buergerbuero@tangerhuette.example",
      attendees: ["mailto:erika@example.org", "mailto:schulze@tangerhuette.example"],
    });
  });

  it("resolve summer time and the DST Sundays to the right instants", () => {
    for (const [day, time] of [["2026-07-01", "08:00"], ["2026-03-29", "03:00"], ["2026-10-25", "02:30"], ["2026-10-25", "03:00"]] as const) {
      const start = berlinWallTime(day, time);
      const p = parseInvitation(invitationIcs({ ...base, start, end: start + 20 * 60_000 }));
      expect([p.start, p.end], `${day} ${time}`).toEqual([start, start + 20 * 60_000]);
    }
  });

  it("a cancellation keeps the UID and raises the SEQUENCE", () => {
    const p = parseInvitation(invitationIcs({ ...base, method: "CANCEL", sequence: 1 }));
    expect(p).toMatchObject({ method: "CANCEL", uid: base.uid, sequence: 1, status: "CANCELLED" });
  });

  it("fold long lines at 75 octets without splitting a character, with CRLF line ends", () => {
    const ics = invitationIcs({ ...base, summary: "Führungszeugnis ".repeat(12) });
    for (const line of ics.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(ics).not.toMatch(/[^\r]\n/);
    expect(parseInvitation(ics).summary).toBe("Führungszeugnis ".repeat(12));
  });
});
