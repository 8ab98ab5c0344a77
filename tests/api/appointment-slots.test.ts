import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";
import { api, call, verifiedAccount } from "./flows.js";
import { solvedProof } from "./form-flows.js";
import { officeCall, staffMember } from "./office-flows.js";

/*
 * Free slots are kept in memory per service and day and answered from there until something of
 * that day changes (server/appointments/service.ts, migrations/0019). What a citizen relies on:
 * every answer is what is booked now, on every day of a range asked before, whether the change
 * came through this server, another process writing the same database (another Workers isolate,
 * a second Node process), an absence, or a reservation whose 30 minutes ran out.
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
type Days = Array<{ date: string; slots: Array<{ start: string; end: string }> }>;

async function slots(service: string, from: string, to: string): Promise<Days> {
  const res = await call(t, "GET", `${T}/appointments/services/${service}/slots?from=${from}&to=${to}`);
  expect(res.status, res.text).toBe(200);
  return res.json.days as Days;
}

const on = (days: Days, date: string) => days.find((d) => d.date === date)?.slots ?? [];
const without = (days: Days, date: string) => days.filter((d) => d.date !== date);

describe("free slots asked again", () => {
  it("show a booking on its day and leave the other days as they were", async () => {
    const before = await slots("meldebescheinigung", "2027-01-04", "2027-01-15");
    const first = on(before, "2027-01-04")[0]!;
    // Two clerks and two seats: the slot is gone after the second booking.
    for (let i = 0; i < 2; i++) {
      const booked = await call(t, "POST", `${T}/appointments/bookings`, { token: (await verifiedAccount(t, "tangerhuette")).token, body: { serviceId: "meldebescheinigung", start: first.start } });
      expect(booked.status, booked.text).toBe(201);
    }
    const after = await slots("meldebescheinigung", "2027-01-04", "2027-01-15");
    expect(on(after, "2027-01-04")).not.toContainEqual(first);
    expect(on(after, "2027-01-04")).toEqual(on(before, "2027-01-04").slice(1));
    expect(without(after, "2027-01-04")).toEqual(without(before, "2027-01-04"));
  });

  it("show what another process wrote into the same database", async () => {
    const before = await slots("fuehrungszeugnis", "2027-01-11", "2027-01-15");
    const first = on(before, "2027-01-12")[0]!;
    const tenant = await t.store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow();
    const now = t.clock.now();
    await t.store.atomic([
      t.store.db.insertInto("appointments").values({
        tenant_id: tenant.id,
        id: "ap_elsewhere",
        service_id: "meldebescheinigung",
        location_id: "buergerbuero",
        clerk_id: "schulze",
        seat: 0,
        start_at: Date.parse(first.start),
        end_at: Date.parse(first.start) + 10 * 60_000,
        status: "confirmed",
        account_id: null,
        name: "Anderswo Gebucht",
        email: "anderswo@example.org",
        lang: "de",
        sequence: 0,
        confirm_by: null,
        reminder_queued_at: null,
        created_at: now,
        updated_at: now,
        cancelled_at: null,
        request_id: null,
      }),
    ]);
    const after = await slots("fuehrungszeugnis", "2027-01-11", "2027-01-15");
    expect(on(after, "2027-01-12")).not.toContainEqual(first);
    expect(without(after, "2027-01-12")).toEqual(without(before, "2027-01-12"));
    await t.store.atomic([t.store.db.deleteFrom("appointments").where("id", "=", "ap_elsewhere")]);
    expect(await slots("fuehrungszeugnis", "2027-01-11", "2027-01-15")).toEqual(before);
  });

  it("show an absence on every day it spans, and the time again once it is removed", async () => {
    const before = await slots("fuehrungszeugnis", "2027-01-04", "2027-01-15");
    const office = await staffMember(t, "tangerhuette", "staff", ["ordnungsamt"]);
    const away = await officeCall(t, office.office, "POST", `${T}/office/appointments/absences`, { clerkId: "schulze", start: "2027-01-07T00:00:00+01:00", end: "2027-01-09T00:00:00+01:00" });
    expect(away.status, away.text).toBe(201);
    const during = await slots("fuehrungszeugnis", "2027-01-04", "2027-01-15");
    expect(during.map((d) => d.date)).toEqual(before.map((d) => d.date).filter((d) => d !== "2027-01-07" && d !== "2027-01-08"));
    expect((await officeCall(t, office.office, "DELETE", `${T}/office/appointments/absences/${away.json.absence.id}`)).status).toBe(204);
    expect(await slots("fuehrungszeugnis", "2027-01-04", "2027-01-15")).toEqual(before);
  });

  it("show an absence longer than a year (which every day depends on) and its end", async () => {
    const before = await slots("fuehrungszeugnis", "2026-12-28", "2027-01-08");
    expect(before.length).toBeGreaterThan(0);
    const office = await staffMember(t, "tangerhuette", "staff", ["ordnungsamt"]);
    const away = await officeCall(t, office.office, "POST", `${T}/office/appointments/absences`, { clerkId: "schulze", start: "2025-06-01T00:00:00+02:00", end: "2027-06-01T00:00:00+02:00", note: "Elternzeit" });
    expect(away.status, away.text).toBe(201);
    expect(await slots("fuehrungszeugnis", "2026-12-28", "2027-01-08")).toEqual([]);
    expect((await officeCall(t, office.office, "DELETE", `${T}/office/appointments/absences/${away.json.absence.id}`)).status).toBe(204);
    expect(await slots("fuehrungszeugnis", "2026-12-28", "2027-01-08")).toEqual(before);
  });

  it("show a reservation's time free again once its 30 minutes ran out, though nothing was written", async () => {
    const before = await slots("fuehrungszeugnis", "2027-01-18", "2027-01-22");
    const first = on(before, "2027-01-19")[0]!;
    const held = await call(t, "POST", `${T}/appointments/bookings`, {
      body: { serviceId: "fuehrungszeugnis", start: first.start, name: "Rosa Reserviert", email: "rosa@example.org", proof: await solvedProof(t, "tangerhuette", "appointment") },
    });
    expect(held.status, held.text).toBe(201);
    expect(on(await slots("fuehrungszeugnis", "2027-01-18", "2027-01-22"), "2027-01-19")).not.toContainEqual(first);
    t.clock.advance(29 * 60_000);
    expect(on(await slots("fuehrungszeugnis", "2027-01-18", "2027-01-22"), "2027-01-19")).not.toContainEqual(first);
    t.clock.advance(2 * 60_000);
    expect(on(await slots("fuehrungszeugnis", "2027-01-18", "2027-01-22"), "2027-01-19")).toContainEqual(first);
  });
});
