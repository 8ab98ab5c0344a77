import type { Store } from "../db/store.js";
import type { AttachmentSource } from "../outbox/dispatcher.js";
import { invitationIcs } from "./ics.js";
import { findAppointment } from "./repo.js";
import { invitationOf } from "./service.js";

const calendarLink = /\/appointments\/bookings\/(ap_[A-Za-z0-9_-]+)\.ics\?/;

/**
 * The calendar file that goes with every appointment mail, made when the mail is sent from the
 * appointment as it is then: an invitation, or a cancellation once it is cancelled, with its
 * current SEQUENCE. The mail's own calendar link names the appointment.
 */
export function appointmentAttachments(store: Store): AttachmentSource {
  return async (tenant, template, vars) => {
    const id = template.startsWith("appointment_") ? calendarLink.exec(vars.calendarUrl ?? "")?.[1] : undefined;
    const config = tenant.config.appointments;
    if (!id || !config) return [];
    const a = await findAppointment(store.db, tenant.id, id);
    if (!a) return [];
    const invitation = invitationOf(tenant, config, a, Date.now());
    // The clerk an appointment moved away from: the appointment is gone from their calendar.
    if (template === "appointment_clerk_cancelled") invitation.method = "CANCEL";
    return [{ filename: "termin.ics", contentType: `text/calendar; method=${invitation.method}; charset=UTF-8`, content: new TextEncoder().encode(invitationIcs(invitation)) }];
  };
}
