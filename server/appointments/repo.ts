import { type Compilable, type Expression, type ExpressionBuilder, type Selectable, type SqlBool, expressionBuilder, sql } from "kysely";
import type { AppointmentsTable, Database, Db } from "../db/schema.js";
import type { Interval } from "./slots.js";

/** Rows of the appointments tables; mapped to API shapes in the service. */

export type AppointmentRow = Selectable<AppointmentsTable>;

/** What holds time: confirmed appointments, and bookings without an account until their confirmation is due. */
const holding = (now: number) => (eb: ExpressionBuilder<Database, "appointments">) => eb.or([eb("status", "=", "confirmed"), eb.and([eb("status", "=", "pending"), eb("confirm_by", ">", now)])]);

/** No appointment is longer (config.ts): the lower bound that lets a start index find all that overlap. */
export const longestMs = 480 * 60_000;

/**
 * Appointments and absences that overlap [from, to): per clerk, and the appointments of one
 * service; `excluding` one being moved. `heldUntil`: when the first reservation among them that
 * waits for its confirmation stops holding its time.
 */
export async function busyBetween(db: Db, tenantId: string, serviceId: string, clerkIds: ReadonlyArray<string>, from: number, to: number, now: number, excluding?: string) {
  const busy = new Map<string, Interval[]>(clerkIds.map((id) => [id, []]));
  const ofService: Interval[] = [];
  let heldUntil = Number.POSITIVE_INFINITY;
  if (clerkIds.length === 0) return { busy, ofService, heldUntil };
  const [booked, served, absent] = await Promise.all([
    db
      .selectFrom("appointments")
      .select(["clerk_id", "start_at", "end_at", "confirm_by"])
      .where("tenant_id", "=", tenantId)
      .where("clerk_id", "in", clerkIds)
      .where("start_at", ">", from - longestMs)
      .where("start_at", "<", to)
      .where("end_at", ">", from)
      .where(holding(now))
      .$if(excluding !== undefined, (q) => q.where("id", "!=", excluding!))
      .execute(),
    db
      .selectFrom("appointments")
      .select(["start_at", "end_at", "confirm_by"])
      .where("tenant_id", "=", tenantId)
      .where("service_id", "=", serviceId)
      .where("start_at", ">", from - longestMs)
      .where("start_at", "<", to)
      .where("end_at", ">", from)
      .where(holding(now))
      .$if(excluding !== undefined, (q) => q.where("id", "!=", excluding!))
      .execute(),
    db.selectFrom("clerk_absences").select(["clerk_id", "start_at", "end_at"]).where("tenant_id", "=", tenantId).where("clerk_id", "in", clerkIds).where("start_at", "<", to).where("end_at", ">", from).execute(),
  ]);
  for (const b of booked) {
    busy.get(b.clerk_id)?.push({ start: b.start_at, end: b.end_at });
    if (b.confirm_by !== null && b.confirm_by < heldUntil) heldUntil = b.confirm_by;
  }
  for (const b of served) {
    ofService.push({ start: b.start_at, end: b.end_at });
    if (b.confirm_by !== null && b.confirm_by < heldUntil) heldUntil = b.confirm_by;
  }
  for (const a of absent) busy.get(a.clerk_id)?.push({ start: a.start_at, end: a.end_at });
  return { busy, ofService, heldUntil };
}

const cellMs = 5 * 60_000;

/**
 * The cells an appointment claims for its clerk and its seat of the service; with `onlyIf`,
 * written only if that holds in the same write (a move that really happened).
 */
export function cellWrites(db: Db, a: Pick<AppointmentRow, "tenant_id" | "id" | "clerk_id" | "service_id" | "seat" | "start_at" | "end_at">, onlyIf?: Expression<SqlBool>): Compilable[] {
  const cells: Array<{ tenant_id: string; resource: string; cell: number; appointment_id: string }> = [];
  for (let t = a.start_at; t < a.end_at; t += cellMs) {
    const cell = Math.floor(t / cellMs);
    cells.push({ tenant_id: a.tenant_id, resource: `clerk:${a.clerk_id}`, cell, appointment_id: a.id });
    cells.push({ tenant_id: a.tenant_id, resource: `seat:${a.service_id}:${a.seat}`, cell, appointment_id: a.id });
  }
  // D1 binds at most 100 parameters to a statement: 24 cells of 4 each.
  if (!onlyIf) {
    const writes: Compilable[] = [];
    for (let i = 0; i < cells.length; i += 24) writes.push(db.insertInto("appointment_cells").values(cells.slice(i, i + 24)));
    return writes;
  }
  // Conditional: the cells as one JSON parameter, inserted only where the condition holds.
  const json = JSON.stringify(cells.map((c) => [c.resource, c.cell]));
  return [
    db
      .insertInto("appointment_cells")
      .columns(["tenant_id", "resource", "cell", "appointment_id"])
      .expression(
        db
          .selectFrom(sql<{ value: string }>`json_each(${json})`.as("j"))
          .select([sql.val(a.tenant_id).as("tenant_id"), sql<string>`json_extract(j.value, '$[0]')`.as("resource"), sql<number>`json_extract(j.value, '$[1]')`.as("cell"), sql.val(a.id).as("appointment_id")])
          .where(onlyIf),
      ),
  ];
}

/**
 * Frees an appointment's time, in the same write as the change that cancels it, and only if it
 * is cancelled by then: a cancel that lost a race to a confirmation frees nothing.
 */
export function releaseCells(db: Db, tenantId: string, appointmentId: string): Compilable {
  return db.deleteFrom("appointment_cells").where("tenant_id", "=", tenantId).where("appointment_id", "=", appointmentId).where(hasStatus(tenantId, appointmentId, "cancelled"));
}

/** True in a statement of the same write once the appointment has this status. */
export function hasStatus(tenantId: string, id: string, status: AppointmentsTable["status"]): Expression<SqlBool> {
  const eb = expressionBuilder<Database, never>();
  return eb.exists(eb.selectFrom("appointments").select(sql`1`.as("one")).where("tenant_id", "=", tenantId).where("id", "=", id).where("status", "=", status));
}

/** True in a statement of the same write once the appointment is at this time with this clerk, seat and SEQUENCE: a move that happened. */
export function isAt(a: Pick<AppointmentRow, "tenant_id" | "id" | "sequence" | "start_at" | "clerk_id" | "seat">): Expression<SqlBool> {
  const eb = expressionBuilder<Database, never>();
  return eb.exists(
    eb
      .selectFrom("appointments")
      .select(sql`1`.as("one"))
      .where("tenant_id", "=", a.tenant_id)
      .where("id", "=", a.id)
      .where("sequence", "=", a.sequence)
      .where("start_at", "=", a.start_at)
      .where("clerk_id", "=", a.clerk_id)
      .where("seat", "=", a.seat),
  );
}

/** Bookings without an account not confirmed before `now`, oldest first. */
export async function unconfirmedBefore(db: Db, now: number, tenantId?: string) {
  let q = db.selectFrom("appointments").select(["tenant_id", "id"]).where("status", "=", "pending").where("confirm_by", "<=", now);
  if (tenantId) q = q.where("tenant_id", "=", tenantId);
  return q.orderBy("confirm_by").limit(200).execute();
}

export async function findAppointment(db: Db, tenantId: string, id: string): Promise<AppointmentRow | undefined> {
  return db.selectFrom("appointments").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
}

/** An account's appointments from `since` on, soonest first. */
export async function appointmentsOfAccount(db: Db, tenantId: string, accountId: string, since: number): Promise<AppointmentRow[]> {
  return db.selectFrom("appointments").selectAll().where("tenant_id", "=", tenantId).where("account_id", "=", accountId).where("end_at", ">", since).orderBy("start_at").limit(100).execute();
}

/** Seats of a service taken by appointments overlapping [start, end). */
export async function seatsInUse(db: Db, tenantId: string, serviceId: string, start: number, end: number, now: number, excluding?: string): Promise<number[]> {
  const rows = await db
    .selectFrom("appointments")
    .select("seat")
    .where("tenant_id", "=", tenantId)
    .where("service_id", "=", serviceId)
    .where(holding(now))
    .where("start_at", "<", end)
    .where("end_at", ">", start)
    .$if(excluding !== undefined, (q) => q.where("id", "!=", excluding!))
    .execute();
  return rows.map((r) => r.seat);
}

/** The town's version (migrations/0017, 0021): it changes with absences longer than a year, which every day depends on. */
export async function appointmentsVersion(db: Db, tenantId: string): Promise<number> {
  return (await db.selectFrom("appointment_versions").select("version").where("tenant_id", "=", tenantId).executeTakeFirst())?.version ?? 0;
}

/** The versions of the UTC days [first, last] (migrations/0019, 0021): each changes with every change of an appointment starting that day, and of an absence covering it. */
export async function dayVersions(db: Db, tenantId: string, first: number, last: number): Promise<Map<number, number>> {
  const rows = await db.selectFrom("appointment_day_versions").select(["day", "version"]).where("tenant_id", "=", tenantId).where("day", ">=", first).where("day", "<=", last).execute();
  return new Map(rows.map((r) => [r.day, r.version]));
}

/** The clerks' appointments (not cancelled) that overlap [from, to), by start. */
export async function appointmentsBetween(db: Db, tenantId: string, clerkIds: ReadonlyArray<string>, from: number, to: number): Promise<AppointmentRow[]> {
  if (clerkIds.length === 0) return [];
  return db
    .selectFrom("appointments")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("clerk_id", "in", clerkIds)
    .where("start_at", ">", from - longestMs)
    .where("start_at", "<", to)
    .where("end_at", ">", from)
    .where("status", "!=", "cancelled")
    .orderBy("start_at")
    .execute();
}

export async function absencesBetween(db: Db, tenantId: string, clerkIds: ReadonlyArray<string>, from: number, to: number) {
  if (clerkIds.length === 0) return [];
  return db.selectFrom("clerk_absences").selectAll().where("tenant_id", "=", tenantId).where("clerk_id", "in", clerkIds).where("start_at", "<", to).where("end_at", ">", from).orderBy("start_at").execute();
}
