import type { Compilable, Selectable } from "kysely";
import type { AppointmentRequestsTable } from "../db/schema.js";
import type { Account } from "../accounts/account.js";
import type { Store } from "../db/store.js";
import { AppError } from "../http/errors.js";
import { errorMessages } from "../http/messages.js";
import { addDays, berlinDate, berlinIso, berlinMidnight } from "../lib/berlin-time.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import { linkToken, linkTokenMatches } from "../lib/link-token.js";
import type { Tenant } from "../tenants/tenant.js";
import type { Appointment, AppointmentRequest, AppointmentServiceInfo, AppointmentServiceList, SlotDays } from "./api-types.js";
import { closedDays } from "./closed-days.js";
import type { AppointmentService, AppointmentsConfig } from "./config.js";
import { invitationIcs } from "./ics.js";
import type { BookingInput, MoveInput, RequestInput, ScheduleInput, SlotsQuery } from "./inputs.js";
import { type AppointmentLinks, appointmentMails, confirmMinutes } from "./mails.js";
import * as repo from "./repo.js";
import { freeSlots } from "./slots.js";

export interface AppointmentDeps {
  store: Store;
  clock: Clock;
  secret: string;
  onEnqueued: () => void;
}

/** The UTC days (migrations/0019) in which appointments touching a Berlin day can start. */
function touching(day: string): [number, number] {
  return [Math.floor((berlinMidnight(day) - repo.longestMs) / 86_400_000), Math.floor((berlinMidnight(addDays(day, 1)) - 1) / 86_400_000)];
}

/** The most days one slots request may span. */
const maxSpanDays = 62;
/** Tries to book a slot whose clerk or seat another booking took a moment earlier. */
const attempts = 3;

export function appointmentsService(deps: AppointmentDeps) {
  const { store, clock } = deps;
  const db = store.db;
  /** Free slots as last answered per town, configuration, service and days, and as last computed per day; each with the versions it saw. */
  const answered = new Map<string, { stamp: string; until: number; days: SlotDays }>();
  const byDay = new Map<string, { stamp: string; until: number; slots: SlotDays["days"][number]["slots"] }>();

  function configOf(tenant: Tenant): AppointmentsConfig {
    const c = tenant.config.appointments;
    if (!c) throw AppError.of(404, "not_found");
    return c;
  }

  function serviceOf(c: AppointmentsConfig, id: string): AppointmentService {
    const s = c.services.find((x) => x.id === id);
    if (!s) throw AppError.of(404, "not_found");
    return s;
  }

  function info(c: AppointmentsConfig, s: AppointmentService): AppointmentServiceInfo {
    const l = c.locations.find((x) => x.id === s.location)!;
    return { id: s.id, name: s.name, description: s.description ?? null, durationMinutes: s.durationMinutes, mode: s.mode, bring: s.bring, location: { id: l.id, name: l.name, address: l.address } };
  }

  /** Free slots of a service between two Berlin days, from what is booked now. */
  async function compute(tenant: Tenant, c: AppointmentsConfig, s: AppointmentService, from: string, to: string, only: { clerkId?: string | undefined; excluding?: string | undefined } = {}) {
    return (await computeHeld(tenant, c, s, from, to, only)).days;
  }

  /** The same, and until when it holds at most: when the first unconfirmed reservation it counted runs out. */
  async function computeHeld(tenant: Tenant, c: AppointmentsConfig, s: AppointmentService, from: string, to: string, only: { clerkId?: string | undefined; excluding?: string | undefined } = {}) {
    const clerks = c.clerks.filter((k) => k.services.includes(s.id) && (!only.clerkId || k.id === only.clerkId));
    const { busy, ofService, heldUntil } = await repo.busyBetween(db, tenant.id, s.id, clerks.map((k) => k.id), berlinMidnight(from), berlinMidnight(addDays(to, 1)), clock.now(), only.excluding);
    const days = freeSlots({
      service: s,
      location: c.locations.find((l) => l.id === s.location)!,
      clerks,
      closed: closedDays(c, from, to),
      busy,
      ofService,
      from,
      to,
      earliest: clock.now() + c.minLeadMinutes * 60_000,
    });
    return { days, heldUntil };
  }

  const asDays = (days: Awaited<ReturnType<typeof compute>>): SlotDays => ({
    days: days.map((d) => ({ date: d.date, slots: d.slots.map((s) => ({ start: berlinIso(s.start), end: berlinIso(s.end) })) })),
  });

  /** The days a town offers slots on: from today to the end of its booking window. */
  function window(c: AppointmentsConfig): { first: string; last: string } {
    const first = berlinDate(clock.now());
    return { first, last: addDays(first, c.bookingWindowDays) };
  }

  async function view(tenant: Tenant, c: AppointmentsConfig, a: repo.AppointmentRow, base: string): Promise<Appointment> {
    const s = c.services.find((x) => x.id === a.service_id);
    const l = c.locations.find((x) => x.id === a.location_id);
    const until = a.start_at - c.cancelCutoffHours * 3600_000;
    const open = (a.status === "confirmed" || a.status === "pending") && clock.now() < until;
    return {
      id: a.id,
      serviceId: a.service_id,
      serviceName: s?.name ?? { de: a.service_id },
      status: a.status,
      start: berlinIso(a.start_at),
      end: berlinIso(a.end_at),
      location: l ? { id: l.id, name: l.name, address: l.address } : { id: a.location_id, name: { de: a.location_id }, address: "" },
      bring: s?.bring ?? [],
      name: a.name,
      email: a.email,
      cancellableUntil: open ? berlinIso(until) : null,
      calendarUrl: (await linksOf(tenant, a.id, base)).calendarUrl,
    };
  }

  async function linksOf(tenant: Tenant, id: string, base: string): Promise<AppointmentLinks> {
    const token = await linkToken(deps.secret, "appointment", tenant.id, id);
    const at = `${base}/api/v1/tenants/${tenant.slug}/appointments/bookings/${id}`;
    return { calendarUrl: `${at}.ics?token=${token}`, cancelUrl: `${at}/cancel?token=${token}`, confirmUrl: `${at}/confirm?token=${token}`, moveUrl: `${at}/move?token=${token}` };
  }

  /**
   * Takes a slot: looked up fresh, a clerk (the given one, or another on each try so that two
   * bookings of one slot do not keep colliding) and a free seat chosen, and the appointment
   * written with the cells it claims, its mails and `extra` writes in one atomic write. If
   * another booking took the clerk or the seat in the meantime, the write fails as a whole and
   * the next is tried; when none is left, 409 slot_taken with the day's free slots as they are now.
   */
  async function claim(
    tenant: Tenant,
    c: AppointmentsConfig,
    s: AppointmentService,
    start: number,
    person: { name: string; email: string; lang: "de" | "en"; accountId: string | null; confirmed: boolean },
    base: string,
    opts: { clerkId?: string; requestId?: string; extra?: (row: repo.AppointmentRow) => Compilable[] } = {},
  ): Promise<repo.AppointmentRow> {
    await releaseUnconfirmed(store, clock.now(), tenant.id);
    for (let attempt = 0; attempt < attempts; attempt++) {
      const { slot, clerks, seat } = await pick(tenant, c, s, start, opts);
      const now = clock.now();
      const row: repo.AppointmentRow = {
        tenant_id: tenant.id,
        id: randomId("ap"),
        service_id: s.id,
        location_id: s.location,
        clerk_id: clerks[attempt % clerks.length]!,
        seat,
        start_at: slot.start,
        end_at: slot.end,
        status: person.confirmed ? "confirmed" : "pending",
        account_id: person.accountId,
        name: person.name,
        email: person.email,
        lang: person.lang,
        sequence: 0,
        confirm_by: person.confirmed ? null : now + confirmMinutes * 60_000,
        reminder_queued_at: null,
        created_at: now,
        updated_at: now,
        cancelled_at: null,
        request_id: opts.requestId ?? null,
      };
      const mails = appointmentMails(db, tenant, c, row, person.confirmed ? "booked" : "confirm", now, await linksOf(tenant, row.id, base));
      try {
        await store.atomic([db.insertInto("appointments").values(row), ...repo.cellWrites(db, row), ...mails, ...(opts.extra?.(row) ?? [])]);
      } catch (e) {
        if (isConflict(e)) continue;
        throw e;
      }
      deps.onEnqueued();
      return row;
    }
    throw slotTaken(asDays(await compute(tenant, c, s, berlinDate(start), berlinDate(start))));
  }

  /**
   * The free slot starting at `start`, looked up fresh: the clerks free for it (the given one
   * only, or the preferred one first) and a free seat of the service. `excluding` an appointment
   * being moved, whose own time does not stand in its way.
   */
  async function pick(tenant: Tenant, c: AppointmentsConfig, s: AppointmentService, start: number, opts: { clerkId?: string | undefined; prefer?: string | undefined; excluding?: string | undefined }) {
    const day = berlinDate(start);
    const days = await compute(tenant, c, s, day, day, { excluding: opts.excluding });
    const slot = days[0]?.slots.find((x) => x.start === start);
    const clerks = slot?.clerks.filter((k) => !opts.clerkId || k === opts.clerkId).sort((a, b) => Number(b === opts.prefer) - Number(a === opts.prefer)) ?? [];
    if (!slot || clerks.length === 0) throw slotTaken(asDays(days));
    const seats = await repo.seatsInUse(db, tenant.id, s.id, slot.start, slot.end, clock.now(), opts.excluding);
    const seat = Array.from({ length: s.capacity }, (_, i) => i).find((i) => !seats.includes(i));
    if (seat === undefined) throw slotTaken(asDays(days));
    return { slot, clerks, seat };
  }

  /**
   * Cancels in one write: the status and a raised SEQUENCE (only if unchanged since read), the
   * time freed, the mails (a booking never confirmed was never announced: nothing to take back)
   * and `extra`. Moved or confirmed in the same moment, nothing was cancelled: 409, decide again.
   */
  async function cancelNow(tenant: Tenant, c: AppointmentsConfig, a: repo.AppointmentRow, change: "cancelled" | { cancelledByTown: string }, base: string, extra: Compilable[] = []): Promise<Appointment> {
    const now = clock.now();
    const cancelled = { ...a, status: "cancelled" as const, sequence: a.sequence + 1, cancelled_at: now, updated_at: now };
    await store.atomic([
      db
        .updateTable("appointments")
        .set({ status: "cancelled", sequence: cancelled.sequence, cancelled_at: now, updated_at: now })
        .where("tenant_id", "=", tenant.id)
        .where("id", "=", a.id)
        .where("status", "=", a.status)
        .where("sequence", "=", a.sequence),
      repo.releaseCells(db, tenant.id, a.id),
      ...(a.status === "confirmed" ? appointmentMails(db, tenant, c, cancelled, change, now, await linksOf(tenant, a.id, base), repo.hasStatus(tenant.id, a.id, "cancelled")) : []),
      ...extra,
    ]);
    if ((await repo.findAppointment(db, tenant.id, a.id))?.sequence !== cancelled.sequence) throw AppError.of(409, "appointment_changed");
    deps.onEnqueued();
    return view(tenant, c, cancelled, base);
  }

  const slotTaken = (fresh: SlotDays) => new AppError(409, "slot_taken", errorMessages.slot_taken, undefined, undefined, { slots: fresh });
  const isConflict = (e: unknown) => e instanceof Error && /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(`${e.message} ${(e as { code?: string }).code ?? ""}`);

  return {
    services(tenant: Tenant): AppointmentServiceList {
      const c = configOf(tenant);
      return { services: c.services.map((s) => info(c, s)), cancelCutoffHours: c.cancelCutoffHours, bookingWindowDays: c.bookingWindowDays };
    },

    /**
     * Free slots by day. Kept in memory per service and day, with the versions of what they were
     * computed from (the town's absences, the appointments of the days that can touch it, and
     * for the days the lead time cuts into, the minute): a booking makes only its day be computed
     * again. `fresh` (a client's `Cache-Control: no-cache`) first releases reservations whose
     * confirmation is overdue, which change no version on their own.
     */
    async slots(tenant: Tenant, serviceId: string, q: SlotsQuery, fresh = false): Promise<SlotDays> {
      const c = configOf(tenant);
      const s = serviceOf(c, serviceId);
      if (s.mode !== "booking") throw AppError.of(409, "service_by_request");
      const { first, last } = window(c);
      const from = q.from && q.from > first ? q.from : first;
      const to = [q.to ?? addDays(from, 27), last, addDays(from, maxSpanDays - 1)].sort()[0]!;
      if (from > to) return { days: [] };
      if (fresh) await releaseUnconfirmed(store, clock.now(), tenant.id);
      const [town, versions] = await Promise.all([repo.appointmentsVersion(db, tenant.id), repo.dayVersions(db, tenant.id, touching(from)[0], touching(to)[1])]);
      const minute = Math.floor(clock.now() / 60_000);
      const earliest = clock.now() + c.minLeadMinutes * 60_000;
      const dates: string[] = [];
      for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
      const stamps = dates.map((d) => {
        const [a, b] = touching(d);
        let v = `${town}`;
        for (let u = a; u <= b; u++) v += `.${versions.get(u) ?? 0}`;
        return earliest > berlinMidnight(d) ? `${v}@${minute}` : v;
      });
      const range = `${tenant.id}|${tenant.configHash}|${s.id}|${from}|${to}`;
      const stamp = stamps.join(",");
      const now = clock.now();
      const known = answered.get(range);
      if (known?.stamp === stamp && known.until > now) return known.days;

      const day = (d: string) => `${tenant.id}|${tenant.configHash}|${s.id}|${d}`;
      const kept = dates.map((d, i) => {
        const k = byDay.get(day(d));
        return k && k.stamp === stamps[i] && k.until > now ? k : undefined;
      });
      // Runs of stale days are computed together: a cold start reads the window once, not day by day.
      for (let i = 0; i < dates.length; i++) {
        if (kept[i]) continue;
        let j = i;
        while (j + 1 < dates.length && !kept[j + 1]) j++;
        const run = await computeHeld(tenant, c, s, dates[i]!, dates[j]!);
        const computed = new Map(asDays(run.days).days.map((x) => [x.date, x.slots]));
        if (byDay.size > 50_000) byDay.clear();
        for (let k = i; k <= j; k++) {
          const entry = { stamp: stamps[k]!, until: run.heldUntil, slots: computed.get(dates[k]!) ?? [] };
          kept[k] = entry;
          byDay.set(day(dates[k]!), entry);
        }
        i = j;
      }
      const days = { days: kept.flatMap((k, i) => (k!.slots.length > 0 ? [{ date: dates[i]!, slots: k!.slots }] : [])) };
      if (answered.size >= 500) answered.clear();
      answered.set(range, { stamp, until: Math.min(...kept.map((k) => k!.until)), days });
      return days;
    },

    /**
     * Books a free slot, for an account holder at once, for anyone else held until confirmed
     * through the link in the mail (30 minutes). The slot is looked up fresh, a clerk and a seat
     * chosen from it, and the appointment written with the cells it claims in one atomic write:
     * if another booking took the clerk or the seat in the meantime, the write fails as a whole
     * and the next free clerk or seat is tried; when none is left, 409 slot_taken with the
     * day's free slots as they are now.
     */
    async book(tenant: Tenant, who: Booker, input: BookingInput, base: string): Promise<Appointment> {
      const c = configOf(tenant);
      const account = "account" in who ? who.account : null;
      const person = "account" in who ? { name: who.account.name, email: who.account.email, lang: who.account.lang } : who.anonymous;
      const s = serviceOf(c, input.serviceId);
      if (s.mode !== "booking") throw AppError.of(409, "service_by_request");
      const start = Date.parse(input.start);
      const day = berlinDate(start);
      const { first, last } = window(c);
      if (day < first || day > last) throw slotTaken({ days: [] });
      const row = await claim(tenant, c, s, start, { ...person, accountId: account?.id ?? null, confirmed: account !== null }, base);
      return view(tenant, c, row, base);
    },

    /** A Terminanfrage for a service given on request: the office answers with a time. */
    async request(tenant: Tenant, who: Booker, input: RequestInput): Promise<AppointmentRequest> {
      const c = configOf(tenant);
      const s = serviceOf(c, input.serviceId);
      const now = clock.now();
      const { first, last } = window(c);
      const late = input.preferences.findIndex((p) => p.date < first || p.date > last);
      if (late >= 0) {
        throw AppError.of(400, "validation_failed", { [`preferences.${late}.date`]: { code: "invalid", messages: { de: "Bitte wählen Sie einen Tag ab heute innerhalb der nächsten Wochen.", en: "Please choose a day from today within the coming weeks." } } });
      }
      const person = "account" in who ? { name: who.account.name, email: who.account.email, lang: who.account.lang, accountId: who.account.id } : { ...who.anonymous, accountId: null };
      const row = { tenant_id: tenant.id, id: randomId("rq"), service_id: s.id, account_id: person.accountId, name: person.name, email: person.email, lang: person.lang, preferences: JSON.stringify(input.preferences), note: input.note ?? null, status: "open" as const, appointment_id: null, created_at: now, updated_at: now };
      await store.atomic([db.insertInto("appointment_requests").values(row)]);
      return requestView(c, row);
    },

    /**
     * The office gives a request a time with a clerk: an appointment like a booking (the same
     * atomic claim), announced to citizen and clerk with the invitation; the request is scheduled
     * in the same write, and a second scheduling of it is refused by the database.
     */
    async schedule(tenant: Tenant, requestId: string, input: ScheduleInput, base: string, extra: Compilable[]): Promise<Appointment> {
      const c = configOf(tenant);
      const r = await db.selectFrom("appointment_requests").selectAll().where("tenant_id", "=", tenant.id).where("id", "=", requestId).executeTakeFirst();
      if (!r) throw AppError.of(404, "not_found");
      if (r.status !== "open") throw AppError.of(409, "invalid_transition");
      const s = serviceOf(c, r.service_id);
      if (!c.clerks.some((k) => k.id === input.clerkId && k.services.includes(s.id))) {
        throw AppError.of(400, "validation_failed", { clerkId: { code: "invalid", messages: { de: "Diese Person bietet das Anliegen nicht an.", en: "This person does not offer this service." } } });
      }
      const now = clock.now();
      const row = await claim(tenant, c, s, Date.parse(input.start), { name: r.name, email: r.email, lang: r.lang, accountId: r.account_id, confirmed: true }, base, {
        clerkId: input.clerkId,
        requestId: r.id,
        extra: (a) => [db.updateTable("appointment_requests").set({ status: "scheduled", appointment_id: a.id, updated_at: now }).where("tenant_id", "=", tenant.id).where("id", "=", r.id).where("status", "=", "open"), ...extra],
      });
      return view(tenant, c, row, base);
    },

    /** Open requests of some services, oldest first (the coordinators' queue). */
    async openRequests(tenant: Tenant, serviceIds: ReadonlyArray<string>): Promise<AppointmentRequest[]> {
      const c = configOf(tenant);
      if (serviceIds.length === 0) return [];
      const rows = await db.selectFrom("appointment_requests").selectAll().where("tenant_id", "=", tenant.id).where("status", "=", "open").where("service_id", "in", serviceIds).orderBy("created_at").limit(200).execute();
      return rows.map((r) => requestView(c, r));
    },

    async mine(tenant: Tenant, account: Account, base: string) {
      const c = configOf(tenant);
      const rows = await repo.appointmentsOfAccount(db, tenant.id, account.id, clock.now());
      return { items: await Promise.all(rows.map((r) => view(tenant, c, r, base))) };
    },

    /** Cancels by its holder (account) or through the mail's link (token); frees the time at once. */
    async cancel(tenant: Tenant, who: { account: Account } | { token: string }, id: string, base: string): Promise<Appointment> {
      const c = configOf(tenant);
      const a = await allowed(tenant, who, id);
      if (a.status === "cancelled") throw AppError.of(409, "appointment_cancelled");
      if (a.status === "no_show" || clock.now() >= a.start_at - c.cancelCutoffHours * 3600_000) throw AppError.of(409, "cancel_too_late");
      return cancelNow(tenant, c, a, "cancelled", base);
    },

    /**
     * Moves an appointment to another free slot of its service, by its holder or through the
     * mail's link, until the same cut-off as cancelling. Its own time does not stand in the way
     * (a move by ten minutes keeps the clerk); the clerk is kept when free. In one atomic write the
     * appointment takes the new time with SEQUENCE raised, its cells are given up and the new
     * ones claimed, and citizen and clerk get the changed invitation (the same UID). If the
     * appointment changed meanwhile, the write does nothing and the move is tried on what it is now.
     */
    async move(tenant: Tenant, who: { account: Account } | { token: string }, id: string, input: MoveInput, base: string): Promise<Appointment> {
      const c = configOf(tenant);
      const start = Date.parse(input.start);
      await releaseUnconfirmed(store, clock.now(), tenant.id);
      for (let attempt = 0; attempt < attempts; attempt++) {
        const a = await allowed(tenant, who, id);
        if (a.status === "cancelled") throw AppError.of(409, "appointment_cancelled");
        if (a.status === "no_show" || clock.now() >= a.start_at - c.cancelCutoffHours * 3600_000) throw AppError.of(409, "move_too_late");
        if (a.start_at === start) return view(tenant, c, a, base);
        const s = serviceOf(c, a.service_id);
        const { first, last } = window(c);
        if (berlinDate(start) < first || berlinDate(start) > last) throw slotTaken({ days: [] });
        const { slot, clerks, seat } = await pick(tenant, c, s, start, { prefer: a.clerk_id, excluding: a.id });
        const now = clock.now();
        const moved: repo.AppointmentRow = { ...a, start_at: slot.start, end_at: slot.end, clerk_id: clerks[attempt % clerks.length]!, seat, sequence: a.sequence + 1, reminder_queued_at: null, updated_at: now };
        const happened = repo.isAt(moved);
        try {
          await store.atomic([
            db
              .updateTable("appointments")
              .set({ start_at: moved.start_at, end_at: moved.end_at, clerk_id: moved.clerk_id, seat, sequence: moved.sequence, reminder_queued_at: null, updated_at: now })
              .where("tenant_id", "=", tenant.id)
              .where("id", "=", id)
              .where("status", "=", a.status)
              .where("sequence", "=", a.sequence),
            db.deleteFrom("appointment_cells").where("tenant_id", "=", tenant.id).where("appointment_id", "=", id).where(happened),
            ...repo.cellWrites(db, moved, happened),
            // A booking not yet confirmed was never announced: its confirmation mail shows the time it has then.
            ...(a.status === "confirmed" ? appointmentMails(db, tenant, c, moved, { moved: a }, now, await linksOf(tenant, id, base), happened) : []),
          ]);
        } catch (e) {
          if (isConflict(e)) continue;
          throw e;
        }
        const after = (await repo.findAppointment(db, tenant.id, id))!;
        if (after.sequence !== moved.sequence || after.start_at !== moved.start_at || after.clerk_id !== moved.clerk_id) continue;
        deps.onEnqueued();
        return view(tenant, c, after, base);
      }
      throw slotTaken(asDays(await compute(tenant, c, serviceOf(c, (await allowed(tenant, who, id)).service_id), berlinDate(start), berlinDate(start), { excluding: id })));
    },

    /** The page behind the mail's move link: the appointment, and the free times of its service in the week from `from` (today at the earliest). */
    async moveChoices(tenant: Tenant, id: string, token: string, from: string | undefined, base: string) {
      const c = configOf(tenant);
      await releaseUnconfirmed(store, clock.now(), tenant.id);
      const a = await allowed(tenant, { token }, id);
      const s = serviceOf(c, a.service_id);
      const { first, last } = window(c);
      const start = from && from > first ? from : first;
      const end = [addDays(start, 6), last].sort()[0]!;
      const free = start > end ? [] : (await compute(tenant, c, s, start, end, { excluding: a.id })).map((d) => ({ ...d, slots: d.slots.filter((x) => x.start !== a.start_at) }));
      return { appointment: await view(tenant, c, a, base), free: asDays(free), next: addDays(start, 7) };
    },

    /** Free slots of a service with one clerk, for the office giving a Terminanfrage a time (any mode). */
    async clerkSlots(tenant: Tenant, serviceId: string, clerkId: string, q: SlotsQuery): Promise<SlotDays> {
      const c = configOf(tenant);
      const s = serviceOf(c, serviceId);
      if (!c.clerks.some((k) => k.id === clerkId && k.services.includes(s.id))) throw AppError.of(404, "not_found");
      const { first, last } = window(c);
      const from = q.from && q.from > first ? q.from : first;
      const to = [q.to ?? addDays(from, 13), last, addDays(from, 30)].sort()[0]!;
      if (from > to) return { days: [] };
      return asDays(await compute(tenant, c, s, from, to, { clerkId }));
    },

    /**
     * The office cancels an appointment that has not begun (a clerk falls ill, the office
     * closes): at any time before it, with a reason the citizen reads in the mail; the time is
     * free at once, and citizen and clerk get the cancellation for their calendars.
     */
    async cancelByTown(tenant: Tenant, id: string, reason: string, base: string, extra: Compilable[]): Promise<Appointment> {
      const c = configOf(tenant);
      const a = await repo.findAppointment(db, tenant.id, id);
      if (!a) throw AppError.of(404, "not_found");
      if (a.status === "cancelled") throw AppError.of(409, "appointment_cancelled");
      const now = clock.now();
      if (a.status === "no_show" || a.start_at <= now) throw AppError.of(409, "invalid_transition");
      return cancelNow(tenant, c, a, { cancelledByTown: reason }, base, extra);
    },

    /** The appointment behind a mail's link, for the page that link opens. */
    async peek(tenant: Tenant, id: string, token: string, base: string): Promise<Appointment> {
      const c = configOf(tenant);
      await releaseUnconfirmed(store, clock.now(), tenant.id);
      return view(tenant, c, await allowed(tenant, { token }, id), base);
    },

    /** The link in the mail to a booking without an account: it is confirmed, and announced to citizen and clerk. */
    async confirm(tenant: Tenant, id: string, token: string, base: string): Promise<Appointment> {
      const c = configOf(tenant);
      const a = await allowed(tenant, { token }, id);
      if (a.status === "confirmed") return view(tenant, c, a, base);
      const now = clock.now();
      if (a.status !== "pending" || (a.confirm_by ?? 0) <= now) {
        await releaseUnconfirmed(store, now, tenant.id);
        throw AppError.of(409, "confirmation_expired");
      }
      const confirmed = { ...a, status: "confirmed" as const, confirm_by: null, updated_at: now };
      await store.atomic([
        db.updateTable("appointments").set({ status: "confirmed", confirm_by: null, updated_at: now }).where("tenant_id", "=", tenant.id).where("id", "=", id).where("status", "=", "pending").where("confirm_by", ">", now),
        ...appointmentMails(db, tenant, c, confirmed, "booked", now, await linksOf(tenant, id, base), repo.hasStatus(tenant.id, id, "confirmed")),
      ]);
      const after = (await repo.findAppointment(db, tenant.id, id))!;
      if (after.status !== "confirmed") throw AppError.of(409, "confirmation_expired");
      deps.onEnqueued();
      return view(tenant, c, after, base);
    },

    /** The appointment's calendar file: an invitation, or a cancellation once it is cancelled. */
    async calendar(tenant: Tenant, id: string, token: string): Promise<string> {
      const c = configOf(tenant);
      const a = await allowed(tenant, { token }, id);
      return invitationIcs(invitationOf(tenant, c, a, clock.now()));
    },
  };

  async function allowed(tenant: Tenant, who: { account: Account } | { token: string }, id: string): Promise<repo.AppointmentRow> {
    const a = await repo.findAppointment(db, tenant.id, id);
    const ok = a && ("account" in who ? a.account_id === who.account.id : await linkTokenMatches(deps.secret, "appointment", tenant.id, id, who.token));
    if (!a || !ok) throw AppError.of(404, "not_found");
    return a;
  }
}

/** The calendar entry of an appointment, for the citizen's and the clerk's calendars alike. */
export function invitationOf(tenant: Tenant, c: AppointmentsConfig, a: repo.AppointmentRow, now: number) {
  const s = c.services.find((x) => x.id === a.service_id);
  const l = c.locations.find((x) => x.id === a.location_id);
  const clerk = c.clerks.find((k) => k.id === a.clerk_id);
  const bring = (s?.bring ?? []).map((b) => b.de);
  return {
    method: a.status === "cancelled" ? ("CANCEL" as const) : ("REQUEST" as const),
    uid: `${a.id}@${tenant.slug}.digitales-rathaus`,
    sequence: a.sequence,
    start: a.start_at,
    end: a.end_at,
    stamp: now,
    summary: `${s?.name.de ?? a.service_id} – ${l?.name.de ?? tenant.config.name}`,
    location: l ? `${l.name.de}, ${l.address}` : tenant.config.name,
    description: [`Termin für ${a.name}${clerk ? ` bei ${clerk.name}` : ""}.`, ...(bring.length ? [`Bitte mitbringen: ${bring.join("; ")}.`] : [])].join("\n"),
    organizer: { name: tenant.config.officialName, email: tenant.config.contact.email },
    attendees: [{ name: a.name, email: a.email }, ...(clerk ? [{ name: clerk.name, email: clerk.email }] : [])],
  };
}

export type AppointmentsService = ReturnType<typeof appointmentsService>;

function requestView(c: AppointmentsConfig, r: Selectable<AppointmentRequestsTable>): AppointmentRequest {
  return {
    id: r.id,
    serviceId: r.service_id,
    serviceName: c.services.find((s) => s.id === r.service_id)?.name ?? { de: r.service_id },
    status: r.status,
    preferences: JSON.parse(r.preferences) as AppointmentRequest["preferences"],
    note: r.note,
    name: r.name,
    email: r.email,
    createdAt: new Date(r.created_at).toISOString(),
    appointmentId: r.appointment_id,
  };
}

/** Who books: an account holder, or someone with a name and an e-mail address. */
export type Booker = { account: Account } | { anonymous: { name: string; email: string; lang: "de" | "en" } };

/**
 * Bookings without an account whose confirmation did not come in time: cancelled, their time
 * free again. Run before every booking of the town and by the housekeeping of both runtimes.
 */
export async function releaseUnconfirmed(store: Store, now: number, tenantId?: string): Promise<number> {
  const overdue = await repo.unconfirmedBefore(store.db, now, tenantId);
  for (const a of overdue) {
    await store.atomic([
      store.db.updateTable("appointments").set({ status: "cancelled", cancelled_at: now, updated_at: now }).where("tenant_id", "=", a.tenant_id).where("id", "=", a.id).where("status", "=", "pending").where("confirm_by", "<=", now),
      repo.releaseCells(store.db, a.tenant_id, a.id),
    ]);
  }
  return overdue.length;
}
