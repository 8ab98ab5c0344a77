import ICAL from "ical.js";

/** An invitation as a calendar program reads it, parsed by ical.js (Mozilla's iCalendar parser). */
export interface ParsedInvitation {
  method: string;
  uid: string;
  sequence: number;
  status: string;
  /** Instants, resolved with the VTIMEZONE the file carries. */
  start: number;
  end: number;
  timezone: string;
  summary: string;
  location: string;
  description: string;
  organizer: string;
  attendees: string[];
}

export function parseInvitation(text: string): ParsedInvitation {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zone = calendar.getFirstSubcomponent("vtimezone");
  if (!zone) throw new Error("no VTIMEZONE in the invitation");
  const timezone = new ICAL.Timezone(zone);
  ICAL.TimezoneService.register(timezone);
  const vevents = calendar.getAllSubcomponents("vevent");
  if (vevents.length !== 1) throw new Error(`expected one VEVENT, got ${vevents.length}`);
  const vevent = vevents[0]!;
  const event = new ICAL.Event(vevent);
  return {
    method: String(calendar.getFirstPropertyValue("method")),
    uid: event.uid,
    sequence: event.sequence,
    status: String(vevent.getFirstPropertyValue("status")),
    start: event.startDate.toJSDate().getTime(),
    end: event.endDate.toJSDate().getTime(),
    timezone: String(vevent.getFirstProperty("dtstart")?.getParameter("tzid") ?? (event.startDate.zone?.tzid ?? "")),
    summary: event.summary,
    location: event.location,
    description: event.description,
    organizer: String(vevent.getFirstPropertyValue("organizer")),
    attendees: vevent.getAllProperties("attendee").map((p) => String(p.getFirstValue())),
  };
}
