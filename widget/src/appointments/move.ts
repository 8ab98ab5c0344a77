import { ApiError } from "../core/api.js";
import type { Appointment, AppointmentServiceInfo } from "../core/types.js";
import { Booking, type BookingHost } from "./booking.js";

/** Why moving did not happen, shown at the check step. */
export interface MoveFailure {
  code: string;
  message: string;
}

/** Codes after which the appointment cannot be moved online any more: back to "Meine Termine". */
export const FINAL = ["move_too_late", "appointment_cancelled"];

/**
 * Moving one appointment of the account: the free days and times of its service (the booking's
 * own choice of day and time, ./booking.ts), then `POST me/appointments/{id}/move`. A time taken
 * meanwhile shows the day afresh, as when booking.
 */
export class AppointmentMove {
  readonly booking: Booking;
  busy = false;
  failure: MoveFailure | undefined;

  constructor(
    host: BookingHost,
    readonly appointment: Appointment,
  ) {
    this.booking = new Booking(host);
    this.booking.chooseService(serviceOf(appointment));
  }

  /**
   * Moves to the chosen time; the appointment as it is now, or undefined when it was not moved
   * (the time was taken: choose again; or `failure` says why).
   */
  async submit(): Promise<Appointment | undefined> {
    const b = this.booking;
    if (this.busy || !b.slot) return undefined;
    this.busy = true;
    this.failure = undefined;
    b.host.changed();
    const start = b.slot.start;
    try {
      await b.take(() => b.host.api().send<Appointment>("POST", `me/appointments/${encodeURIComponent(this.appointment.id)}/move`, { start }, true));
      return b.step === "done" ? b.result : undefined;
    } catch (e) {
      // 401 already ended the session and switched to the login.
      if (!(e instanceof ApiError && e.status === 401)) this.failure = { code: e instanceof ApiError ? e.code : "network", message: (e as Error).message };
      return undefined;
    } finally {
      this.busy = false;
      b.host.changed();
    }
  }
}

/** The service as the appointment names it: all the choice of day and time needs. */
function serviceOf(a: Appointment): AppointmentServiceInfo {
  return {
    id: a.serviceId,
    name: a.serviceName,
    description: null,
    durationMinutes: Math.round((Date.parse(a.end) - Date.parse(a.start)) / 60_000),
    mode: "booking",
    bring: a.bring,
    location: a.location,
  };
}
