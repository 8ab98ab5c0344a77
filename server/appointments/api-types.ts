/**
 * What the appointments routes answer, as the widget reads it (`import type`; no runtime imports here).
 */
import type { AppointmentStatus } from "../db/schema.js";

type Text = { de: string; en?: string | undefined };

export interface AppointmentLocationInfo {
  id: string;
  name: Text;
  address: string;
}

/** `GET appointments/services`. */
export interface AppointmentServiceInfo {
  id: string;
  name: Text;
  description: Text | null;
  durationMinutes: number;
  /** `booking`: pick a free slot; `request`: ask, the town gives a time. */
  mode: "booking" | "request";
  bring: Text[];
  location: AppointmentLocationInfo;
}

export interface AppointmentServiceList {
  services: AppointmentServiceInfo[];
  /** Until how many hours before the start an appointment can be cancelled or moved online. */
  cancelCutoffHours: number;
  /** How many days ahead appointments can be booked or asked for. */
  bookingWindowDays: number;
}

/** `GET appointments/services/{id}/slots`: free slots by Berlin day, ISO 8601 with offset. */
export interface SlotDays {
  days: Array<{ date: string; slots: Array<{ start: string; end: string }> }>;
}

/** An appointment as its holder sees it. */
export interface Appointment {
  id: string;
  serviceId: string;
  serviceName: Text;
  status: AppointmentStatus;
  start: string;
  end: string;
  location: AppointmentLocationInfo;
  bring: Text[];
  name: string;
  email: string;
  /** Until when it can be cancelled online (ISO 8601); null once that is past or it is cancelled. */
  cancellableUntil: string | null;
  /** The calendar file (.ics), with the secret of the mail's links. */
  calendarUrl: string;
}

/** `GET me/appointments`: coming appointments, soonest first. */
export interface AppointmentList {
  items: Appointment[];
}

export type { AppointmentStatus };

/** `GET office/appointments`: a calendar of appointments and absences, for the office. */
export interface OfficeCalendar {
  clerks: Array<{ id: string; name: string }>;
  appointments: Array<{
    id: string;
    serviceId: string;
    serviceName: Text;
    locationId: string;
    clerkId: string;
    start: string;
    end: string;
    status: AppointmentStatus;
    name: string;
    email: string;
  }>;
  absences: OfficeAbsence[];
}

export interface OfficeAbsence {
  id: string;
  clerkId: string;
  start: string;
  end: string;
  note: string | null;
}

/** `POST office/appointments/absences`: the absence, and the appointments it collides with (to move or cancel). */
export interface AbsenceCreated {
  absence: OfficeAbsence;
  conflicts: OfficeCalendar["appointments"];
}

/** `POST appointments/requests` and the office's queue: a Terminanfrage. */
export interface AppointmentRequest {
  id: string;
  serviceId: string;
  serviceName: Text;
  status: "open" | "scheduled";
  preferences: Array<{ date: string; time: "morning" | "afternoon" | "any" }>;
  note: string | null;
  name: string;
  email: string;
  createdAt: string;
  /** Once scheduled. */
  appointmentId: string | null;
}

/** `GET office/appointments/requests`: open requests, oldest first. */
export interface AppointmentRequestList {
  items: AppointmentRequest[];
}
