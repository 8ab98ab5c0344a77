import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import { queueReminders } from "../../server/appointments/reminders.js";
import type { TestApp } from "../harness/types.js";
import { parseInvitation } from "../support/ics.js";
import { api, call, verifiedAccount } from "./flows.js";
import { officeCall, staffMember } from "./office-flows.js";

/*
 * Moving an appointment, on both runtimes: by its holder in the widget's API and through the link
 * in the mail, to another free slot of its service, with the changed invitation (same UID,
 * SEQUENCE raised) to citizen and clerk; the old time free again at once; refused when the time
 * is taken, after the cut-off, or for someone else's appointment; and atomic when moves and
 * bookings race. Also the office's free times of one clerk, for giving a Terminanfrage a time.
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
type Slot = { start: string; end: string };

async function free(service: string, day: string): Promise<Slot[]> {
  const res = await call(t, "GET", `${T}/appointments/services/${service}/slots?from=${day}&to=${day}`);
  expect(res.status, res.text).toBe(200);
  return (res.json.days[0]?.slots ?? []) as Slot[];
}

async function book(token: string, service: string, start: string) {
  const res = await call(t, "POST", `${T}/appointments/bookings`, { token, body: { serviceId: service, start } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; start: string; end: string; calendarUrl: string; cancellableUntil: string | null };
}

const move = (token: string, id: string, start: string) => call(t, "POST", `${T}/me/appointments/${id}/move`, { token, body: { start } });

const invitations = (email: string, uidOf: string) =>
  t
    .mails()
    .filter((m) => m.to.includes(email))
    .flatMap((m) => m.attachments.filter((a) => a.contentType.startsWith("text/calendar")).map((a) => ({ mail: m, ics: parseInvitation(new TextDecoder().decode(a.content)) })))
    .filter((i) => i.ics.uid.startsWith(uidOf))
    .sort((a, b) => a.ics.sequence - b.ics.sequence);

describe("moving an appointment", () => {
  it("moves to another free time: same appointment and calendar entry, SEQUENCE raised, the old time free again, the clerk kept and told", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette", { name: "Volker Verschieber" });
    // The Führungszeugnis: only Frau Schulze serves it, one at a time.
    const before = (await free("fuehrungszeugnis", "2026-11-30"))[0]!;
    const booked = await book(citizen.token, "fuehrungszeugnis", before.start);
    await t.deliver();
    const target = (await free("fuehrungszeugnis", "2026-12-01")).find((s) => s.start.includes("T09:00"))!;

    const moved = await move(citizen.token, booked.id, target.start);
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json).toMatchObject({ id: booked.id, status: "confirmed", start: target.start, end: target.end, cancellableUntil: "2026-11-30T09:00:00+01:00" });
    expect(await free("fuehrungszeugnis", "2026-11-30")).toContainEqual(before);
    expect(await free("fuehrungszeugnis", "2026-12-01")).not.toContainEqual(target);
    expect((await call(t, "GET", `${T}/me/appointments`, { token: citizen.token })).json.items).toEqual([expect.objectContaining({ id: booked.id, start: target.start })]);
    // The old time can be booked by someone else; the new one cannot.
    const other = await verifiedAccount(t, "tangerhuette");
    await book(other.token, "fuehrungszeugnis", before.start);
    expect((await call(t, "POST", `${T}/appointments/bookings`, { token: other.token, body: { serviceId: "fuehrungszeugnis", start: target.start } })).json.error.code).toBe("slot_taken");

    await t.deliver();
    const toCitizen = invitations(citizen.email, booked.id);
    expect(toCitizen.map((i) => [i.ics.method, i.ics.sequence])).toEqual([
      ["REQUEST", 0],
      ["REQUEST", 1],
    ]);
    expect(toCitizen[0]!.mail.text).toMatch(/Termin verschieben: https?:\/\/\S+\/move\?token=/);
    const [, changed] = toCitizen;
    expect(changed!.ics).toMatchObject({ start: Date.parse(target.start), end: Date.parse(target.end), uid: toCitizen[0]!.ics.uid, timezone: "Europe/Berlin" });
    expect(changed!.mail.subject).toBe("Verschoben: Führungszeugnis beantragen jetzt am Dienstag, 1. Dezember 2026, 09:00–09:15 Uhr");
    expect(changed!.mail.text).toContain("Statt: Montag, 30. November 2026, 08:00–08:15 Uhr");
    const toClerk = invitations("schulze@tangerhuette.example", booked.id);
    expect(toClerk.map((i) => [i.mail.subject.split(":")[0], i.ics.method, i.ics.sequence])).toEqual([
      ["Neuer Termin", "REQUEST", 0],
      ["Verschoben", "REQUEST", 1],
    ]);
  });

  it("gives it to another clerk when its own is away then: the old clerk's calendar loses it, the new one is invited", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette");
    const booked = await book(citizen.token, "personalausweis", (await free("personalausweis", "2026-12-07"))[0]!.start);
    await t.deliver();
    const office = await staffMember(t, "tangerhuette", "staff", ["ordnungsamt"]);
    const calendar = await officeCall(t, office.office, "GET", `${T}/office/appointments?from=2026-12-07&to=2026-12-07`);
    const own = calendar.json.appointments.find((a: { id: string }) => a.id === booked.id).clerkId as string;
    const away = await officeCall(t, office.office, "POST", `${T}/office/appointments/absences`, { clerkId: own, start: "2026-12-10T00:00:00+01:00", end: "2026-12-11T00:00:00+01:00" });
    expect(away.status, away.text).toBe(201);

    const moved = await move(citizen.token, booked.id, "2026-12-10T08:00:00+01:00");
    expect(moved.status, moved.text).toBe(200);
    const now = (await officeCall(t, office.office, "GET", `${T}/office/appointments?from=2026-12-10&to=2026-12-10`)).json.appointments.find((a: { id: string }) => a.id === booked.id);
    const next = own === "schulze" ? "becker" : "schulze";
    expect(now).toMatchObject({ clerkId: next, start: "2026-12-10T08:00:00+01:00" });

    await t.deliver();
    const gone = invitations(`${own}@tangerhuette.example`, booked.id).at(-1)!;
    expect(gone.mail.subject.startsWith("Abgesagt")).toBe(true);
    expect(gone.mail.text).toContain("Montag, 7. Dezember 2026, 08:00–08:20 Uhr");
    expect(gone.ics).toMatchObject({ method: "CANCEL", sequence: 1 });
    const invited = invitations(`${next}@tangerhuette.example`, booked.id);
    expect(invited.map((i) => [i.ics.method, i.ics.sequence, i.ics.start])).toEqual([["REQUEST", 1, Date.parse("2026-12-10T08:00:00+01:00")]]);
  });

  it("moves through the mail's link: a page with a week of free times in one form, without logging in", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette", { name: "Lina Linkklick" });
    const booked = await book(citizen.token, "meldebescheinigung", (await free("meldebescheinigung", "2026-12-02"))[0]!.start);
    await t.deliver();
    const mail = t.mails().find((m) => m.to.includes(citizen.email) && m.subject.startsWith("Ihr Termin"))!;
    const link = /https?:\/\/\S+\/move\?token=[\w-]+/.exec(mail.text)![0].replace(/^https?:\/\/[^/]+/, "");

    const page = await call(t, "GET", `${link}&from=2026-12-07`);
    expect(page.status, page.text).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.text).toContain("Termin verschieben");
    expect(page.text).toContain('<optgroup label="Montag, 7. Dezember">');
    expect(page.text).toContain('<option value="2026-12-07T08:00:00+01:00">08:00 Uhr</option>');
    // Saturday and Sunday have none; the week ends on Sunday the 13th, the link goes on from the 14th.
    expect(page.text).not.toContain("Samstag");
    expect(page.text).toContain("from=2026-12-14");

    const viaForm = await t.app.request(`${link}&from=2026-12-07`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "start=2026-12-08T13%3A10%3A00%2B01%3A00" });
    const html = await viaForm.text();
    expect(viaForm.status, html).toBe(200);
    expect(html).toContain("Ihr Termin ist verschoben");
    expect(html).toContain("Dienstag, 8. Dezember 2026 um 13:10");
    expect((await call(t, "GET", `${T}/me/appointments`, { token: citizen.token })).json.items[0].start).toBe("2026-12-08T13:10:00+01:00");
    // A client asking for JSON gets the appointment.
    const viaJson = await call(t, "POST", link, { body: { start: "2026-12-08T13:20:00+01:00" }, headers: { Accept: "application/json" } });
    expect(viaJson.status, viaJson.text).toBe(200);
    expect(viaJson.json).toMatchObject({ id: booked.id, start: "2026-12-08T13:20:00+01:00" });

    // Another town, a wrong token, or no choice: nothing moves.
    const token = new URL(`http://x${link}`).searchParams.get("token")!;
    expect((await call(t, "POST", `${api("musterstadt")}/appointments/bookings/${booked.id}/move?token=${token}`, { body: { start: "2026-12-08T13:30:00+01:00" } })).status).toBe(404);
    expect((await call(t, "POST", link.replace(token, "A".repeat(43)), { body: { start: "2026-12-08T13:30:00+01:00" } })).status).toBe(404);
    const empty = await t.app.request(link, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" }, body: "" });
    expect(empty.status).toBe(400);
    expect((await call(t, "GET", `${T}/me/appointments`, { token: citizen.token })).json.items[0].start).toBe("2026-12-08T13:20:00+01:00");
  });

  it("refuses a taken time, someone else's appointment, bad input, a cancelled one, and moving after the cut-off", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette");
    const [first, second] = await free("fuehrungszeugnis", "2026-12-14");
    const mine = await book(citizen.token, "fuehrungszeugnis", first!.start);
    await book((await verifiedAccount(t, "tangerhuette")).token, "fuehrungszeugnis", second!.start);

    const taken = await move(citizen.token, mine.id, second!.start);
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe("slot_taken");
    expect(taken.json.error.slots.days[0].slots).not.toContainEqual(second);
    expect((await move(citizen.token, mine.id, "2026-12-14T08:07:00+01:00")).json.error.code).toBe("slot_taken");
    expect((await move(citizen.token, mine.id, "2026-12-25T09:00:00+01:00")).json.error.code).toBe("slot_taken");
    const bad = await move(citizen.token, mine.id, "übermorgen");
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields.start).toBeDefined();
    const stranger = await verifiedAccount(t, "tangerhuette");
    expect((await move(stranger.token, mine.id, "2026-12-15T08:00:00+01:00")).status).toBe(404);
    expect((await call(t, "POST", `${T}/me/appointments/${mine.id}/move`, { body: { start: "2026-12-15T08:00:00+01:00" } })).status).toBe(401);
    expect((await call(t, "POST", `${api("musterstadt")}/me/appointments/${mine.id}/move`, { token: (await verifiedAccount(t, "musterstadt")).token, body: { start: "2026-12-15T08:00:00+01:00" } })).status).toBe(404);
    // Nothing of it changed the appointment.
    expect((await call(t, "GET", `${T}/me/appointments`, { token: citizen.token })).json.items).toEqual([expect.objectContaining({ id: mine.id, start: first!.start })]);

    expect((await call(t, "POST", `${T}/me/appointments/${mine.id}/cancel`, { token: citizen.token })).status).toBe(200);
    expect((await move(citizen.token, mine.id, "2026-12-15T08:00:00+01:00")).json.error.code).toBe("appointment_cancelled");

    const tomorrow = await book(citizen.token, "meldebescheinigung", (await free("meldebescheinigung", "2026-11-26"))[0]!.start);
    const late = await move(citizen.token, tomorrow.id, (await free("meldebescheinigung", "2026-12-15"))[0]!.start);
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe("move_too_late");
    expect(late.json.error.messages.de).toContain("nicht mehr online verschoben");
  });

  it("of moves and bookings racing for one free time exactly one gets it; concurrent moves of one appointment leave it in one place", async () => {
    const day = "2026-12-16";
    const [target, ...rest] = await free("fuehrungszeugnis", day);
    const holders = await Promise.all(Array.from({ length: 6 }, () => verifiedAccount(t, "tangerhuette")));
    const held = await Promise.all(holders.map(async (h, i) => book(h.token, "fuehrungszeugnis", rest[i]!.start)));
    const bookers = await Promise.all(Array.from({ length: 4 }, () => verifiedAccount(t, "tangerhuette")));
    const answers = await Promise.all([
      ...held.map((a, i) => move(holders[i]!.token, a.id, target!.start)),
      ...bookers.map((b) => call(t, "POST", `${T}/appointments/bookings`, { token: b.token, body: { serviceId: "fuehrungszeugnis", start: target!.start } })),
    ]);
    expect(answers.filter((a) => a.status === 200 || a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).every((a) => a.json.error.code === "slot_taken")).toBe(true);
    expect(await free("fuehrungszeugnis", day)).not.toContainEqual(target);

    // One appointment moved to five times at once: it ends at one of them, and only that one is taken.
    const citizen = await verifiedAccount(t, "tangerhuette");
    const wanderer = await book(citizen.token, "fuehrungszeugnis", (await free("fuehrungszeugnis", "2026-12-17"))[0]!.start);
    const targets = (await free("fuehrungszeugnis", "2026-12-18")).slice(0, 5);
    await Promise.all(targets.map((s) => move(citizen.token, wanderer.id, s.start)));
    const [now] = (await call(t, "GET", `${T}/me/appointments`, { token: citizen.token })).json.items as Slot[];
    expect(targets.map((s) => s.start)).toContain(now!.start);
    const left = await free("fuehrungszeugnis", "2026-12-18");
    expect(targets.filter((s) => !left.some((l) => l.start === s.start)).map((s) => s.start)).toEqual([now!.start]);
    expect(await free("fuehrungszeugnis", "2026-12-17")).toContainEqual(expect.objectContaining({ start: wanderer.start }));
    // The times it left are really free: each can be booked.
    const taker = await verifiedAccount(t, "tangerhuette");
    for (const s of targets.filter((x) => x.start !== now!.start)) await book(taker.token, "fuehrungszeugnis", s.start);
    await book(taker.token, "fuehrungszeugnis", wanderer.start);
  });

  it("is reminded of again when moved after its reminder went out", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette", { name: "Rudi Remind" });
    // Tuesday afternoon: the reminder comes at 08:00 on Monday, the cut-off only at 13:00.
    const tuesday = (await free("meldebescheinigung", "2026-12-01")).find((s) => s.start.includes("T13:00"))!;
    const booked = await book(citizen.token, "meldebescheinigung", tuesday.start);
    t.clock.advance(Date.parse("2026-11-30T07:00:00Z") - t.clock.now());
    await queueReminders(t.store, t.clock.now());
    t.clock.advance(60 * 60_000);
    expect((await move(citizen.token, booked.id, (await free("meldebescheinigung", "2026-12-02"))[0]!.start)).status).toBe(200);
    t.clock.advance(Date.parse("2026-12-01T07:00:00Z") - t.clock.now());
    await queueReminders(t.store, t.clock.now());
    await queueReminders(t.store, t.clock.now());
    await t.deliver();
    const reminded = t.mails().filter((m) => m.to.includes(citizen.email) && m.subject.startsWith("Erinnerung")).reverse();
    expect(reminded.map((m) => /\w+, \d+\. Dezember 2026, \d\d:\d\d/.exec(m.text)?.[0])).toEqual(["Dienstag, 1. Dezember 2026, 13:00", "Mittwoch, 2. Dezember 2026, 08:00"]);
  });
});

describe("the office's free times of one clerk", () => {
  it("lists a clerk's free times for a service, also one given on request, to the service's department only", async () => {
    const coordinator = await staffMember(t, "tangerhuette", "staff", ["ordnungsamt"]);
    const res = await officeCall(t, coordinator.office, "GET", `${T}/office/appointments/slots?service=beratung&clerk=becker&from=2026-12-22&to=2026-12-22`);
    expect(res.status, res.text).toBe(200);
    // Herr Becker works Tuesday afternoons only; the consultation takes 30 minutes.
    expect(res.json.days).toEqual([{ date: "2026-12-22", slots: expect.arrayContaining([{ start: "2026-12-22T13:00:00+01:00", end: "2026-12-22T13:30:00+01:00" }]) }]);
    expect(res.json.days[0].slots.every((s: Slot) => s.start >= "2026-12-22T13:00")).toBe(true);
    expect(res.json.days[0].slots.at(-1)).toEqual({ start: "2026-12-22T17:30:00+01:00", end: "2026-12-22T18:00:00+01:00" });
    const schulze = await officeCall(t, coordinator.office, "GET", `${T}/office/appointments/slots?service=beratung&clerk=schulze&from=2026-12-22&to=2026-12-22`);
    expect(schulze.json.days[0].slots[0].start).toBe("2026-12-22T08:00:00+01:00");

    expect((await officeCall(t, coordinator.office, "GET", `${T}/office/appointments/slots?service=fuehrungszeugnis&clerk=becker`)).status).toBe(404);
    expect((await officeCall(t, (await staffMember(t, "tangerhuette", "staff", ["kita"])).office, "GET", `${T}/office/appointments/slots?service=beratung&clerk=becker`)).status).toBe(404);
    expect((await officeCall(t, coordinator.office, "GET", `${T}/office/appointments/slots?service=beratung`)).status).toBe(400);
    expect((await call(t, "GET", `${T}/office/appointments/slots?service=beratung&clerk=becker`)).status).toBe(401);
  });
});
