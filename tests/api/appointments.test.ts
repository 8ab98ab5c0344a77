import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";
import { parseInvitation } from "../support/ics.js";
import { api, call, verifiedAccount } from "./flows.js";
import { solvedProof } from "./form-flows.js";
import { officeCall, staffMember } from "./office-flows.js";

/*
 * Termine on both runtimes: the demo towns' Bürgerbüro (tenants/<slug>/appointments.json), free
 * slots by day, booking, the race for the last slot, the calendar invitations in the mails,
 * cancelling by the widget and by the mail's link, and that nothing crosses towns.
 * The test clock starts on Wednesday 2026-11-25, 10:00 in Berlin.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const T = api("tangerhuette");

interface Slots {
  days: Array<{ date: string; slots: Array<{ start: string; end: string }> }>;
}

async function slots(service: string, q = "", slug = "tangerhuette"): Promise<Slots> {
  const res = await call(t, "GET", `${api(slug)}/appointments/services/${service}/slots${q}`);
  expect(res.status, res.text).toBe(200);
  return res.json as Slots;
}

const invitationsTo = (email: string) =>
  t
    .mails()
    .filter((m) => m.to.includes(email))
    .flatMap((m) => m.attachments.filter((a) => a.contentType.startsWith("text/calendar")).map((a) => ({ mail: m, ics: parseInvitation(new TextDecoder().decode(a.content)) })));

describe("the services and their free slots", () => {
  it("lists the Bürgerbüro's services with location, duration and what to bring", async () => {
    const res = await call(t, "GET", `${T}/appointments/services`);
    expect(res.status).toBe(200);
    expect(res.json.services.map((s: { id: string; mode: string }) => `${s.id}:${s.mode}`)).toEqual(["personalausweis:booking", "meldebescheinigung:booking", "fuehrungszeugnis:booking", "beratung:request"]);
    expect(res.json.services[0]).toMatchObject({ durationMinutes: 20, location: { id: "buergerbuero", address: "Bahnhofstraße 2, 39517 Tangerhütte" }, bring: expect.arrayContaining([expect.objectContaining({ de: "ein aktuelles biometrisches Passfoto" })]) });
  });

  it("offers slots on working days within opening hours, never on holidays, weekends or the town's closed days", async () => {
    const { days } = await slots("personalausweis", "?from=2026-12-21&to=2027-01-08");
    const dates = days.map((d) => d.date);
    expect(dates).toEqual(["2026-12-21", "2026-12-22", "2026-12-23", "2026-12-28", "2026-12-29", "2026-12-30", "2027-01-04", "2027-01-05", "2027-01-07", "2027-01-08"]);
    // 2027-01-06 is Heilige Drei Könige in Sachsen-Anhalt; Musterstadt (Niedersachsen) is open.
    expect((await slots("personalausweis", "?from=2027-01-06&to=2027-01-06", "musterstadt")).days).toHaveLength(1);
    const tuesday = days.find((d) => d.date === "2026-12-22")!;
    expect(tuesday.slots[0]).toEqual({ start: "2026-12-22T08:00:00+01:00", end: "2026-12-22T08:20:00+01:00" });
    expect(tuesday.slots.at(-1)).toEqual({ start: "2026-12-22T17:40:00+01:00", end: "2026-12-22T18:00:00+01:00" });
    expect(tuesday.slots.some((s) => s.start.startsWith("2026-12-22T12:"))).toBe(false);
  });

  it("starts no earlier than an hour from now and ends with the booking window", async () => {
    const { days } = await slots("meldebescheinigung", "?from=2026-11-01&to=2027-12-31");
    expect(days[0]!.slots[0]!.start).toBe("2026-11-25T11:00:00+01:00");
    expect(days.at(-1)!.date <= "2027-01-20").toBe(true);
  });

  it("answers a request-only service, a wrong service and bad input clearly", async () => {
    expect((await call(t, "GET", `${T}/appointments/services/beratung/slots`)).json.error.code).toBe("service_by_request");
    expect((await call(t, "GET", `${T}/appointments/services/gibtsnicht/slots`)).status).toBe(404);
    const bad = await call(t, "GET", `${T}/appointments/services/personalausweis/slots?from=morgen`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.from).toBeDefined();
  });
});

describe("booking", () => {
  it("books a slot, sends both sides a calendar invitation, and frees it again when cancelled", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette", { name: "Erika Terminfreundin" });
    // A Monday morning: both clerks are in.
    const [day] = (await slots("personalausweis", "?from=2026-11-30&to=2026-11-30")).days;
    const slot = day!.slots[0]!;
    const booked = await call(t, "POST", `${T}/appointments/bookings`, { token: citizen.token, body: { serviceId: "personalausweis", start: slot.start } });
    expect(booked.status, booked.text).toBe(201);
    expect(booked.json).toMatchObject({ serviceId: "personalausweis", status: "confirmed", start: slot.start, end: slot.end, name: "Erika Terminfreundin", cancellableUntil: "2026-11-29T08:00:00+01:00" });

    // Two clerks serve it and it has two seats: the same start is still free once, then gone.
    const after = (await slots("personalausweis", "?from=2026-11-30&to=2026-11-30")).days[0]!;
    expect(after.slots[0]).toEqual(slot);
    const second = await call(t, "POST", `${T}/appointments/bookings`, { token: (await verifiedAccount(t, "tangerhuette")).token, body: { serviceId: "personalausweis", start: slot.start } });
    expect(second.status, second.text).toBe(201);
    expect((await slots("personalausweis", "?from=2026-11-30&to=2026-11-30")).days[0]!.slots[0]).not.toEqual(slot);
    const mine = await call(t, "GET", `${T}/me/appointments`, { token: citizen.token });
    expect(mine.json.items.map((a: { id: string }) => a.id)).toEqual([booked.json.id]);

    await t.deliver();
    const [toCitizen] = invitationsTo(citizen.email);
    expect(toCitizen!.mail.subject).toContain("Personalausweis beantragen");
    expect(toCitizen!.mail.text).toContain("Montag, 30. November 2026, 08:00–08:20 Uhr");
    expect(toCitizen!.ics).toMatchObject({
      method: "REQUEST",
      sequence: 0,
      status: "CONFIRMED",
      start: Date.parse(slot.start),
      end: Date.parse(slot.end),
      timezone: "Europe/Berlin",
      summary: "Personalausweis beantragen – Bürgerbüro Tangerhütte",
      organizer: "mailto:buergerbuero@tangerhuette.example",
    });
    expect(toCitizen!.ics.uid).toContain(booked.json.id);
    expect(toCitizen!.ics.attendees[0]).toBe(`mailto:${citizen.email}`);
    const clerk = toCitizen!.ics.attendees[1]!.replace("mailto:", "");
    expect(["schulze@tangerhuette.example", "becker@tangerhuette.example"]).toContain(clerk);
    const toClerk = invitationsTo(clerk).find((i) => i.ics.uid === toCitizen!.ics.uid);
    expect(toClerk!.ics).toMatchObject({ method: "REQUEST", sequence: 0 });

    // The calendar file from the link matches the mail's.
    const file = await call(t, "GET", booked.json.calendarUrl.replace(/^https?:\/\/[^/]+/, ""));
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect(parseInvitation(file.text)).toMatchObject({ method: "REQUEST", uid: toCitizen!.ics.uid });

    const cancelled = await call(t, "POST", `${T}/me/appointments/${booked.json.id}/cancel`, { token: citizen.token });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json).toMatchObject({ status: "cancelled", cancellableUntil: null });
    expect((await call(t, "POST", `${T}/me/appointments/${booked.json.id}/cancel`, { token: citizen.token })).json.error.code).toBe("appointment_cancelled");
    await t.deliver();
    const cancellation = invitationsTo(citizen.email).find((i) => i.ics.method === "CANCEL");
    expect(cancellation!.ics).toMatchObject({ uid: toCitizen!.ics.uid, sequence: 1, status: "CANCELLED", start: Date.parse(slot.start) });
    expect(invitationsTo(clerk).find((i) => i.ics.method === "CANCEL" && i.ics.uid === toCitizen!.ics.uid)!.ics.sequence).toBe(1);
    expect(parseInvitation((await call(t, "GET", booked.json.calendarUrl.replace(/^https?:\/\/[^/]+/, ""))).text).method).toBe("CANCEL");
  });

  it("of 50 bookings racing for one slot, exactly one gets it; the others get 409 slot_taken with fresh slots", async () => {
    const people = await Promise.all(Array.from({ length: 10 }, () => verifiedAccount(t, "tangerhuette")));
    // The Führungszeugnis: one clerk serves it, one at a time.
    const day = (await slots("fuehrungszeugnis", "?from=2026-12-02&to=2026-12-02")).days[0]!;
    const slot = day.slots[0]!;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(t, "POST", `${T}/appointments/bookings`, { token: people[i % people.length]!.token, body: { serviceId: "fuehrungszeugnis", start: slot.start } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array<number>(49).fill(409)]);
    for (const lost of answers.filter((a) => a.status === 409)) {
      expect(lost.json.error.code).toBe("slot_taken");
      expect(lost.json.error.slots.days[0].slots).not.toContainEqual(slot);
    }
    expect((await slots("fuehrungszeugnis", "?from=2026-12-02&to=2026-12-02")).days[0]!.slots).not.toContainEqual(slot);
  });

  it("refuses what is not a free slot, a request-only service, and cancelling after the cut-off", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette");
    const book = (serviceId: string, start: string) => call(t, "POST", `${T}/appointments/bookings`, { token: citizen.token, body: { serviceId, start } });
    expect((await book("personalausweis", "2026-12-01T08:07:00+01:00")).json.error.code).toBe("slot_taken");
    expect((await book("personalausweis", "2026-12-25T09:00:00+01:00")).json.error.code).toBe("slot_taken");
    expect((await book("beratung", "2026-12-01T08:00:00+01:00")).json.error.code).toBe("service_by_request");
    const bad = await book("personalausweis", "morgen um acht");
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.start).toBeDefined();
    // Without an account: name and e-mail are needed (and a solved challenge).
    const anonymous = await call(t, "POST", `${T}/appointments/bookings`, { body: { serviceId: "personalausweis", start: "2026-12-01T08:00:00+01:00" } });
    expect(anonymous.status).toBe(400);
    expect(Object.keys(anonymous.json.error.fields).sort()).toEqual(["email", "name"]);
    const noProof = await call(t, "POST", `${T}/appointments/bookings`, { body: { serviceId: "personalausweis", start: "2026-12-01T08:00:00+01:00", name: "Max Muster", email: "max@example.org" } });
    expect(noProof.status).toBe(400);
    expect(noProof.json.error.fields.proof.code).toBe("proof_required");

    const soon = (await slots("meldebescheinigung", "?from=2026-11-26&to=2026-11-26")).days[0]!.slots[0]!;
    const booked = await book("meldebescheinigung", soon.start);
    expect(booked.status, booked.text).toBe(201);
    // Less than 24 hours before it starts: the widget says to call.
    const late = await call(t, "POST", `${T}/me/appointments/${booked.json.id}/cancel`, { token: citizen.token });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe("cancel_too_late");
    expect(booked.json.cancellableUntil).toBeNull();
  });

  it("cancels through the mail's link, and keeps every town's appointments to itself", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette");
    const slot = (await slots("meldebescheinigung", "?from=2026-12-03&to=2026-12-03")).days[0]!.slots[0]!;
    const booked = await call(t, "POST", `${T}/appointments/bookings`, { token: citizen.token, body: { serviceId: "meldebescheinigung", start: slot.start } });
    const id = booked.json.id as string;
    const token = new URL(booked.json.calendarUrl).searchParams.get("token")!;

    const other = await verifiedAccount(t, "musterstadt");
    const M = api("musterstadt");
    expect((await call(t, "GET", `${M}/appointments/bookings/${id}.ics?token=${token}`)).status).toBe(404);
    expect((await call(t, "POST", `${M}/appointments/bookings/${id}/cancel?token=${token}`)).status).toBe(404);
    expect((await call(t, "POST", `${M}/me/appointments/${id}/cancel`, { token: other.token })).status).toBe(404);
    expect((await call(t, "POST", `${T}/me/appointments/${id}/cancel`, { token: other.token })).status).toBe(401);
    const stranger = await verifiedAccount(t, "tangerhuette");
    expect((await call(t, "POST", `${T}/me/appointments/${id}/cancel`, { token: stranger.token })).status).toBe(404);
    expect((await call(t, "GET", `${T}/appointments/bookings/${id}.ics?token=${"A".repeat(43)}`)).status).toBe(404);
    expect((await call(t, "GET", `${M}/me/appointments`, { token: other.token })).json.items).toEqual([]);

    // The link opens a page with a button; its POST answers a person with a page.
    const page = await call(t, "GET", `${T}/appointments/bookings/${id}/cancel?token=${token}`);
    expect(page.text).toContain("Termin absagen");
    const viaLink = await call(t, "POST", `${T}/appointments/bookings/${id}/cancel?token=${token}`);
    expect(viaLink.status, viaLink.text).toBe(200);
    expect(viaLink.headers.get("content-type")).toMatch(/^text\/html/);
    expect(viaLink.text).toContain("Ihr Termin ist abgesagt");
    const again = await call(t, "POST", `${T}/appointments/bookings/${id}/cancel?token=${token}`, { headers: { Accept: "application/json" } });
    expect(again.json.error.code).toBe("appointment_cancelled");
    expect((await slots("meldebescheinigung", "?from=2026-12-03&to=2026-12-03")).days[0]!.slots).toContainEqual(slot);
  });

  it("without an account: held until confirmed through the mail's link within 30 minutes, then announced with the invitation; otherwise released", async () => {
    const slot = (await slots("fuehrungszeugnis", "?from=2026-12-07&to=2026-12-07")).days[0]!.slots[0]!;
    const book = async (email: string, start: string) =>
      call(t, "POST", `${T}/appointments/bookings`, { body: { serviceId: "fuehrungszeugnis", start, name: "Max Ohnekonto", email, proof: await solvedProof(t, "tangerhuette", "appointment") } });
    const held = await book("max.ohnekonto@example.org", slot.start);
    expect(held.status, held.text).toBe(201);
    expect(held.json.status).toBe("pending");
    expect((await slots("fuehrungszeugnis", "?from=2026-12-07&to=2026-12-07")).days[0]!.slots).not.toContainEqual(slot);

    await t.deliver();
    const mail = t.mails().find((m) => m.to.includes("max.ohnekonto@example.org"))!;
    expect(mail.subject).toContain("Bitte bestätigen");
    expect(mail.attachments).toHaveLength(0);
    const confirmUrl = /https?:\/\/\S+\/confirm\?token=[\w-]+/.exec(mail.text)![0].replace(/^https?:\/\/[^/]+/, "");
    // Opening the link (or a mail scanner prefetching it) only shows a button.
    const page = await call(t, "GET", confirmUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain("<form method=\"post\">");
    expect((await call(t, "GET", `${T}/me/appointments`)).status).toBe(401);
    const confirmed = await call(t, "POST", confirmUrl, { headers: { Accept: "application/json" } });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json.status).toBe("confirmed");
    await t.deliver();
    const invitation = invitationsTo("max.ohnekonto@example.org").find((i) => i.ics.uid.startsWith(held.json.id));
    expect(invitation!.ics).toMatchObject({ method: "REQUEST", start: Date.parse(slot.start) });
    expect(invitationsTo("schulze@tangerhuette.example").some((i) => i.ics.uid === invitation!.ics.uid)).toBe(true);
    // Confirming twice changes nothing.
    expect((await call(t, "POST", confirmUrl, { headers: { Accept: "application/json" } })).json.status).toBe("confirmed");

    // Another reservation nobody confirms: after 30 minutes its slot is free again and the link says so.
    const next = (await slots("fuehrungszeugnis", "?from=2026-12-07&to=2026-12-07")).days[0]!.slots[0]!;
    const forgotten = await book("vergesslich@example.org", next.start);
    expect(forgotten.status, forgotten.text).toBe(201);
    await t.deliver();
    const forgottenUrl = /https?:\/\/\S+\/confirm\?token=[\w-]+/.exec(t.mails().find((m) => m.to.includes("vergesslich@example.org"))!.text)![0].replace(/^https?:\/\/[^/]+/, "");
    t.clock.advance(31 * 60_000);
    expect((await slots("fuehrungszeugnis", "?from=2026-12-07&to=2026-12-07")).days[0]!.slots).toContainEqual(next);
    const late = await call(t, "POST", forgottenUrl, { headers: { Accept: "application/json" } });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe("confirmation_expired");
    expect((await call(t, "GET", forgottenUrl)).text).toContain("Reservierung abgelaufen");
    // And someone else can book it.
    expect((await book("puenktlich@example.org", next.start)).status).toBe(201);
  });
});

describe("in the office", () => {
  it("takes Terminanfragen, which coordinators answer with a free time of a clerk, announced like a booking", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette", { name: "Rita Rückfrage" });
    const ask = (body: unknown, token?: string) => call(t, "POST", `${T}/appointments/requests`, { body, ...(token ? { token } : {}) });
    const asked = await ask({ serviceId: "beratung", preferences: [{ date: "2026-12-10", time: "morning" }, { date: "2026-12-11", time: "any" }], note: "Gewerbeanmeldung" }, citizen.token);
    expect(asked.status, asked.text).toBe(201);
    expect(asked.json).toMatchObject({ status: "open", serviceId: "beratung", name: "Rita Rückfrage", note: "Gewerbeanmeldung", appointmentId: null });
    expect((await ask({ serviceId: "beratung", preferences: [{ date: "2026-12-10", time: "morning" }] })).json.error.fields).toHaveProperty("name");
    const far = await ask({ serviceId: "beratung", preferences: [{ date: "2028-01-03", time: "any" }] }, citizen.token);
    expect(far.status).toBe(400);
    expect(far.json.error.fields).toHaveProperty(["preferences.0.date"]);

    const coordinator = await staffMember(t, "tangerhuette", "staff", ["ordnungsamt"]);
    const queue = await officeCall(t, coordinator.office, "GET", `${T}/office/appointments/requests`);
    expect(queue.json.items.map((r: { id: string }) => r.id)).toContain(asked.json.id);
    expect((await officeCall(t, (await staffMember(t, "tangerhuette", "staff", ["kita"])).office, "GET", `${T}/office/appointments/requests`)).json.items).toEqual([]);

    const S = `${T}/office/appointments/requests/${asked.json.id}/schedule`;
    expect((await officeCall(t, coordinator.office, "POST", S, { clerkId: "niemand", start: "2026-12-10T08:00:00+01:00" })).status).toBe(400);
    // Herr Becker works on Thursday mornings; not at 12:30.
    expect((await officeCall(t, coordinator.office, "POST", S, { clerkId: "becker", start: "2026-12-10T12:30:00+01:00" })).json.error.code).toBe("slot_taken");
    const scheduled = await officeCall(t, coordinator.office, "POST", S, { clerkId: "becker", start: "2026-12-10T08:00:00+01:00" });
    expect(scheduled.status, scheduled.text).toBe(201);
    expect(scheduled.json).toMatchObject({ serviceId: "beratung", status: "confirmed", start: "2026-12-10T08:00:00+01:00", end: "2026-12-10T08:30:00+01:00" });
    expect((await officeCall(t, coordinator.office, "POST", S, { clerkId: "schulze", start: "2026-12-10T09:00:00+01:00" })).status).toBe(409);
    expect((await officeCall(t, coordinator.office, "GET", `${T}/office/appointments/requests`)).json.items.map((r: { id: string }) => r.id)).not.toContain(asked.json.id);
    expect((await call(t, "GET", `${T}/me/appointments`, { token: citizen.token })).json.items.map((a: { id: string }) => a.id)).toContain(scheduled.json.id);
    await t.deliver();
    const invitation = invitationsTo(citizen.email).find((i) => i.ics.uid.startsWith(scheduled.json.id));
    expect(invitation!.ics).toMatchObject({ method: "REQUEST", start: Date.parse("2026-12-10T08:00:00+01:00") });
    expect(invitationsTo("becker@tangerhuette.example").some((i) => i.ics.uid === invitation!.ics.uid)).toBe(true);
  });

  it("cancels an appointment that has not begun, with a reason the citizen reads, for the services' departments only", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette", { name: "Clara Clerkkrank" });
    const day = "2026-12-15";
    const slot = (await slots("fuehrungszeugnis", `?from=${day}&to=${day}`)).days[0]!.slots[0]!;
    const booked = await call(t, "POST", `${T}/appointments/bookings`, { token: citizen.token, body: { serviceId: "fuehrungszeugnis", start: slot.start } });
    expect(booked.status, booked.text).toBe(201);
    await t.deliver();
    const office = await staffMember(t, "tangerhuette", "staff", ["ordnungsamt"]);
    const C = `${T}/office/appointments/${booked.json.id}/cancel`;
    expect((await officeCall(t, (await staffMember(t, "tangerhuette", "staff", ["kita"])).office, "POST", C, { reason: "Frau Schulze ist erkrankt." })).status).toBe(404);
    expect((await officeCall(t, office.office, "POST", C, { reason: "" })).json.error.fields.reason).toBeDefined();
    expect((await officeCall(t, office.office, "POST", C, { reason: "Frau Schulze ist erkrankt." }, { csrf: false })).status).toBe(403);

    const cancelled = await officeCall(t, office.office, "POST", C, { reason: "Frau Schulze ist erkrankt." });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json).toMatchObject({ id: booked.json.id, status: "cancelled" });
    expect((await slots("fuehrungszeugnis", `?from=${day}&to=${day}`)).days[0]!.slots).toContainEqual(slot);
    // Really free: someone else books it.
    expect((await call(t, "POST", `${T}/appointments/bookings`, { token: (await verifiedAccount(t, "tangerhuette")).token, body: { serviceId: "fuehrungszeugnis", start: slot.start } })).status).toBe(201);
    expect((await officeCall(t, office.office, "POST", C, { reason: "Frau Schulze ist erkrankt." })).json.error.code).toBe("appointment_cancelled");

    await t.deliver();
    const mail = t.mails().find((m) => m.to.includes(citizen.email) && m.subject.startsWith("Abgesagt"))!;
    expect(mail.text).toContain("Grund: Frau Schulze ist erkrankt.");
    const [ics] = invitationsTo(citizen.email).filter((i) => i.mail.subject === mail.subject);
    expect(ics!.ics).toMatchObject({ method: "CANCEL", sequence: 1 });
    expect(invitationsTo("schulze@tangerhuette.example").some((i) => i.ics.uid === ics!.ics.uid && i.ics.method === "CANCEL")).toBe(true);
    const log = await officeCall(t, (await staffMember(t, "tangerhuette", "admin")).office, "GET", `${T}/office/audit`);
    expect(log.json.items.map((e: { action: string }) => e.action)).toContain("appointments.cancelled");
  });

  it("shows the calendar to the services' departments, takes absences out of the slots, and marks no-shows, all in the audit log", async () => {
    const clerk = await staffMember(t, "tangerhuette", "staff", ["ordnungsamt"]);
    const elsewhere = await staffMember(t, "tangerhuette", "staff", ["kita"]);
    const citizen = await verifiedAccount(t, "tangerhuette", { name: "Otto Ortstermin" });
    const day = "2026-12-09";
    const slot = (await slots("fuehrungszeugnis", `?from=${day}&to=${day}`)).days[0]!.slots[0]!;
    const booked = await call(t, "POST", `${T}/appointments/bookings`, { token: citizen.token, body: { serviceId: "fuehrungszeugnis", start: slot.start } });
    expect(booked.status, booked.text).toBe(201);

    const C = `${T}/office/appointments?from=${day}&to=${day}`;
    const calendar = await officeCall(t, clerk.office, "GET", C);
    expect(calendar.status, calendar.text).toBe(200);
    expect(calendar.json.clerks.map((k: { id: string }) => k.id)).toEqual(["schulze", "becker"]);
    expect(calendar.json.appointments).toContainEqual(expect.objectContaining({ id: booked.json.id, clerkId: "schulze", name: "Otto Ortstermin", start: slot.start, status: "confirmed" }));
    // Kita staff do not serve the Bürgerbüro: nothing of it.
    expect((await officeCall(t, elsewhere.office, "GET", C)).json).toEqual({ clerks: [], appointments: [], absences: [] });
    expect((await call(t, "GET", C, { token: citizen.token })).status).toBe(401);
    expect((await officeCall(t, (await staffMember(t, "musterstadt", "admin")).office, "GET", C)).status).toBe(401);
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/appointments?from=${day}&to=2027-03-01`)).status).toBe(400);

    // The printable day list: per clerk, with who comes.
    const list = await officeCall(t, clerk.office, "GET", `${T}/office/appointments/day.html?date=${day}`);
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toMatch(/^text\/html/);
    expect(list.text).toContain("Terminliste Mittwoch, 9. Dezember 2026");
    expect(list.text).toMatch(new RegExp(`${slot.start.slice(11, 16)}–\\d\\d:\\d\\d</td><td>Führungszeugnis beantragen</td><td>Otto Ortstermin</td>`));
    expect((await officeCall(t, elsewhere.office, "GET", `${T}/office/appointments/day.html?date=${day}`)).text).not.toContain("Otto Ortstermin");

    // Frau Schulze is away that day: her service has no slots then, and the booked appointment is named.
    const away = { clerkId: "schulze", start: `${day}T00:00:00+01:00`, end: "2026-12-10T00:00:00+01:00", note: "Fortbildung" };
    expect((await officeCall(t, clerk.office, "POST", `${T}/office/appointments/absences`, away, { csrf: false })).status).toBe(403);
    expect((await officeCall(t, elsewhere.office, "POST", `${T}/office/appointments/absences`, away)).status).toBe(404);
    const absent = await officeCall(t, clerk.office, "POST", `${T}/office/appointments/absences`, away);
    expect(absent.status, absent.text).toBe(201);
    expect(absent.json.conflicts.map((a: { id: string }) => a.id)).toEqual([booked.json.id]);
    expect((await slots("fuehrungszeugnis", `?from=${day}&to=${day}`)).days).toEqual([]);
    expect((await slots("meldebescheinigung", `?from=${day}&to=${day}`)).days[0]!.slots.length).toBeGreaterThan(0);
    const bad = await officeCall(t, clerk.office, "POST", `${T}/office/appointments/absences`, { ...away, end: away.start });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.end).toBeDefined();
    expect((await officeCall(t, clerk.office, "DELETE", `${T}/office/appointments/absences/${absent.json.absence.id}`)).status).toBe(204);
    expect((await slots("fuehrungszeugnis", `?from=${day}&to=${day}`)).days[0]!.slots.length).toBeGreaterThan(0);

    // Not before it starts; then once.
    const noShow = `${T}/office/appointments/${booked.json.id}/no-show`;
    expect((await officeCall(t, clerk.office, "POST", noShow)).json.error.code).toBe("invalid_transition");
    t.clock.advance(Date.parse(slot.end) - t.clock.now());
    // Days later: the office sessions of then have long ended (30 minutes idle).
    const next = await staffMember(t, "tangerhuette", "staff", ["ordnungsamt"]);
    const marked = await officeCall(t, next.office, "POST", noShow);
    expect(marked.status, marked.text).toBe(200);
    expect(marked.json.status).toBe("no_show");
    expect((await officeCall(t, next.office, "POST", noShow)).status).toBe(409);
    const log = await officeCall(t, (await staffMember(t, "tangerhuette", "admin")).office, "GET", `${T}/office/audit`);
    expect(log.json.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["appointments.no_show", "appointments.absence", "appointments.absence_removed"]));
  });
});

