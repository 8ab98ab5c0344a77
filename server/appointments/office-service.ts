import type { Account } from "../accounts/account.js";
import type { Store } from "../db/store.js";
import { AppError } from "../http/errors.js";
import { addDays, berlinIso, berlinMidnight } from "../lib/berlin-time.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import { audit } from "../office/repo.js";
import type { Scope } from "../office/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import type { AbsenceCreated, AppointmentRequestList, OfficeCalendar } from "./api-types.js";
import type { AppointmentsConfig } from "./config.js";
import type { AbsenceInput, CalendarQuery, ClerkSlotsQuery, OfficeCancelInput, ScheduleInput } from "./inputs.js";
import * as repo from "./repo.js";
import type { AppointmentsService } from "./service.js";

/**
 * Appointments in the office: the calendar of a location or clerk, clerks' absences, no-shows.
 * Staff see the services of their departments (and those without one), admins all; every change
 * goes into the audit log.
 */
export function appointmentsOffice(deps: { store: Store; clock: Clock; scopeOf: (tenant: Tenant, account: Account) => Promise<Scope>; appointments: AppointmentsService }) {
  const { store, clock } = deps;
  const db = store.db;

  async function visible(tenant: Tenant, account: Account) {
    const c = tenant.config.appointments;
    if (!c) throw AppError.of(404, "not_found");
    const scope = await deps.scopeOf(tenant, account);
    const services = c.services.filter((s) => scope.admin || !s.department || scope.departments.includes(s.department));
    const clerks = c.clerks.filter((k) => k.services.some((id) => services.some((s) => s.id === id)));
    return { c, services, clerks };
  }

  const appointmentView = (c: AppointmentsConfig, a: repo.AppointmentRow): OfficeCalendar["appointments"][number] => ({
    id: a.id,
    serviceId: a.service_id,
    serviceName: c.services.find((s) => s.id === a.service_id)?.name ?? { de: a.service_id },
    locationId: a.location_id,
    clerkId: a.clerk_id,
    start: berlinIso(a.start_at),
    end: berlinIso(a.end_at),
    status: a.status,
    name: a.name,
    email: a.email,
  });

  return {
    /** Appointments (not cancelled) and absences between two Berlin days, at most 31 of them. */
    async calendar(tenant: Tenant, account: Account, q: CalendarQuery): Promise<OfficeCalendar> {
      const { c, services, clerks } = await visible(tenant, account);
      if (q.to < q.from || addDays(q.from, 30) < q.to) {
        throw AppError.of(400, "validation_failed", { to: { code: "invalid", messages: { de: "Bitte wählen Sie höchstens 31 Tage ab dem Anfangsdatum.", en: "Please choose at most 31 days from the start date." } } });
      }
      const shown = clerks.filter((k) => !q.clerk || k.id === q.clerk);
      const from = berlinMidnight(q.from);
      const to = berlinMidnight(addDays(q.to, 1));
      const rows = await repo.appointmentsBetween(db, tenant.id, shown.map((k) => k.id), from, to);
      const absences = await repo.absencesBetween(db, tenant.id, shown.map((k) => k.id), from, to);
      return {
        clerks: shown.map((k) => ({ id: k.id, name: k.name })),
        appointments: rows.filter((a) => services.some((s) => s.id === a.service_id) && (!q.location || a.location_id === q.location)).map((a) => appointmentView(c, a)),
        absences: absences.map((a) => ({ id: a.id, clerkId: a.clerk_id, start: berlinIso(a.start_at), end: berlinIso(a.end_at), note: a.note })),
      };
    },

    /** A clerk's absence; appointments it collides with are named so the office can move or cancel them. */
    async addAbsence(tenant: Tenant, account: Account, input: AbsenceInput): Promise<AbsenceCreated> {
      const { c, clerks } = await visible(tenant, account);
      if (!clerks.some((k) => k.id === input.clerkId)) throw AppError.of(404, "not_found");
      const now = clock.now();
      const row = { tenant_id: tenant.id, id: randomId("ab"), clerk_id: input.clerkId, start_at: Date.parse(input.start), end_at: Date.parse(input.end), note: input.note ?? null, created_by: account.id, created_at: now };
      await store.atomic([
        db.insertInto("clerk_absences").values(row),
        audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "appointments.absence", subject: `clerk:${row.clerk_id}`, after: { absence: row.id, start: input.start, end: input.end }, at: now }),
      ]);
      const conflicts = await repo.appointmentsBetween(db, tenant.id, [row.clerk_id], row.start_at, row.end_at);
      return {
        absence: { id: row.id, clerkId: row.clerk_id, start: berlinIso(row.start_at), end: berlinIso(row.end_at), note: row.note },
        conflicts: conflicts.filter((a) => a.status === "confirmed" || a.status === "pending").map((a) => appointmentView(c, a)),
      };
    },

    async removeAbsence(tenant: Tenant, account: Account, id: string): Promise<void> {
      const { clerks } = await visible(tenant, account);
      const absence = await db.selectFrom("clerk_absences").selectAll().where("tenant_id", "=", tenant.id).where("id", "=", id).executeTakeFirst();
      if (!absence || !clerks.some((k) => k.id === absence.clerk_id)) throw AppError.of(404, "not_found");
      const now = clock.now();
      await store.atomic([
        db.deleteFrom("clerk_absences").where("tenant_id", "=", tenant.id).where("id", "=", id),
        audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "appointments.absence_removed", subject: `clerk:${absence.clerk_id}`, before: { absence: id, start: berlinIso(absence.start_at), end: berlinIso(absence.end_at) }, at: now }),
      ]);
    },

    /** The free times of a clerk for a service of this staff member's departments, to give a request one. */
    async clerkSlots(tenant: Tenant, account: Account, q: ClerkSlotsQuery) {
      const { services } = await visible(tenant, account);
      if (!services.some((s) => s.id === q.service)) throw AppError.of(404, "not_found");
      return await deps.appointments.clerkSlots(tenant, q.service, q.clerk, { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) });
    },

    /** The coordinators' queue: open Terminanfragen of the services this staff member may see. */
    async requests(tenant: Tenant, account: Account): Promise<AppointmentRequestList> {
      const { services } = await visible(tenant, account);
      return { items: await deps.appointments.openRequests(tenant, services.map((s) => s.id)) };
    },

    async schedule(tenant: Tenant, account: Account, requestId: string, input: ScheduleInput, base: string) {
      const { services } = await visible(tenant, account);
      const r = await db.selectFrom("appointment_requests").select("service_id").where("tenant_id", "=", tenant.id).where("id", "=", requestId).executeTakeFirst();
      if (!r || !services.some((s) => s.id === r.service_id)) throw AppError.of(404, "not_found");
      const trail = audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "appointments.request_scheduled", subject: `request:${requestId}`, after: { clerk: input.clerkId, start: input.start }, at: clock.now() });
      return deps.appointments.schedule(tenant, requestId, input, base, [trail]);
    },

    /** Cancels an appointment of the staff member's services that has not begun; the citizen is told the reason. */
    async cancel(tenant: Tenant, account: Account, id: string, input: OfficeCancelInput, base: string) {
      const { c, services } = await visible(tenant, account);
      const a = await repo.findAppointment(db, tenant.id, id);
      if (!a || !services.some((s) => s.id === a.service_id)) throw AppError.of(404, "not_found");
      const trail = audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "appointments.cancelled", subject: `appointment:${id}`, before: { status: a.status }, after: { status: "cancelled", reason: input.reason }, at: clock.now() });
      const cancelled = await deps.appointments.cancelByTown(tenant, id, input.reason, base, [trail]);
      return appointmentView(c, { ...a, status: cancelled.status, updated_at: clock.now() });
    },

    /** The citizen did not come: only a confirmed appointment, once it has started. */
    async noShow(tenant: Tenant, account: Account, id: string) {
      const { c, services } = await visible(tenant, account);
      const a = await repo.findAppointment(db, tenant.id, id);
      if (!a || !services.some((s) => s.id === a.service_id)) throw AppError.of(404, "not_found");
      const now = clock.now();
      if (a.status !== "confirmed" || now < a.start_at) throw AppError.of(409, "invalid_transition");
      await store.atomic([
        db.updateTable("appointments").set({ status: "no_show", updated_at: now }).where("tenant_id", "=", tenant.id).where("id", "=", id).where("status", "=", "confirmed"),
        audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "appointments.no_show", subject: `appointment:${id}`, before: { status: a.status }, after: { status: "no_show" }, at: now }),
      ]);
      return appointmentView(c, { ...a, status: "no_show", updated_at: now });
    },
  };
}

export type AppointmentsOffice = ReturnType<typeof appointmentsOffice>;
