import { berlinIso } from "../lib/berlin-time.js";

/**
 * Calendar invitations (RFC 5545, iTIP RFC 5546) for an appointment: `METHOD:REQUEST` to put it
 * into the citizen's and the clerk's calendars, `METHOD:CANCEL` to take it out again. The `UID`
 * stays the same for the appointment's life and `SEQUENCE` rises with every change, so calendar
 * programs update the entry instead of adding a second one. Times are Berlin wall-clock times
 * with the zone's definition included, as Outlook and older clients need it.
 */

export interface Invitation {
  method: "REQUEST" | "CANCEL";
  uid: string;
  sequence: number;
  start: number;
  end: number;
  /** When this version of the invitation was made. */
  stamp: number;
  summary: string;
  location: string;
  description: string;
  organizer: { name: string; email: string };
  attendees: ReadonlyArray<{ name: string; email: string }>;
  url?: string;
}

const berlinZone = [
  "BEGIN:VTIMEZONE",
  "TZID:Europe/Berlin",
  "BEGIN:DAYLIGHT",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0200",
  "TZNAME:CEST",
  "DTSTART:19700329T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "TZNAME:CET",
  "DTSTART:19701025T030000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
];

export function invitationIcs(i: Invitation): string {
  const cancelled = i.method === "CANCEL";
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Digitales Rathaus//Termine//DE",
    "CALSCALE:GREGORIAN",
    `METHOD:${i.method}`,
    ...berlinZone,
    "BEGIN:VEVENT",
    `UID:${text(i.uid)}`,
    `SEQUENCE:${i.sequence}`,
    `DTSTAMP:${utc(i.stamp)}`,
    `DTSTART${when(i.start)}`,
    `DTEND${when(i.end)}`,
    `SUMMARY:${text(i.summary)}`,
    `LOCATION:${text(i.location)}`,
    `DESCRIPTION:${text(i.description)}`,
    `ORGANIZER;CN=${param(i.organizer.name)}:mailto:${i.organizer.email}`,
    ...i.attendees.map((a) => `ATTENDEE;CN=${param(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=${cancelled ? "DECLINED" : "NEEDS-ACTION"};RSVP=FALSE:mailto:${a.email}`),
    ...(i.url ? [`URL:${i.url}`] : []),
    `STATUS:${cancelled ? "CANCELLED" : "CONFIRMED"}`,
    "TRANSP:OPAQUE",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(fold).join("\r\n")}\r\n`;
}

/** `20261201T080000`: Berlin's wall clock, to go with TZID=Europe/Berlin. */
const local = (ms: number) => berlinIso(ms).slice(0, 19).replace(/[-:]/g, "");

/**
 * `;TZID=Europe/Berlin:20261201T080000`, or in UTC for a time in the hour the autumn Sunday lives
 * twice: RFC 5545 means the first, but calendar programs differ (ical.js takes the second).
 */
function when(ms: number): string {
  const twice = [ms - 3600_000, ms + 3600_000].some((other) => local(other) === local(ms));
  return twice ? `:${utc(ms)}` : `;TZID=Europe/Berlin:${local(ms)}`;
}
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;

/** TEXT values: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11). */
const text = (s: string) => s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");

/** A parameter value in quotes, which may hold anything but quotes and control characters. */
const param = (s: string) => `"${s.replace(/["\u0000-\u001f\u007f]/g, "")}"`;

/** Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character. */
function fold(line: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of line) {
    const n = encoder.encode(ch).length;
    if (size + n > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}
