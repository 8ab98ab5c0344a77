import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import { queueReminders } from "../../server/appointments/reminders.js";
import type { TestApp } from "../harness/types.js";
import { api, call, verifiedAccount } from "./flows.js";

/*
 * The reminder the day before an appointment, at 08:00 in Berlin: by e-mail, by SMS for those who
 * get SMS notifications, and exactly once however often (or how concurrently) the job runs and
 * even when the mark that it was queued is lost. Its own file: the clock moves by days here.
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

async function book(token: string, day: string) {
  const res = await call(t, "GET", `${T}/appointments/services/meldebescheinigung/slots?from=${day}&to=${day}`);
  const slot = res.json.days[0].slots[0] as { start: string };
  const booked = await call(t, "POST", `${T}/appointments/bookings`, { token, body: { serviceId: "meldebescheinigung", start: slot.start } });
  expect(booked.status, booked.text).toBe(201);
  return booked.json as { id: string; start: string };
}

const reminders = (email: string) => t.mails().filter((m) => m.to.includes(email) && m.subject.startsWith("Erinnerung"));

describe("the reminder the day before", () => {
  it("goes out at 08:00 the day before, by mail and SMS, exactly once", async () => {
    const withSms = await verifiedAccount(t, "tangerhuette", { name: "Sina Smsfreundin" });
    expect((await call(t, "PUT", `${T}/me/subscriptions`, { token: withSms.token, body: { topics: [], smsAlerts: true } })).status).toBe(200);
    const mailOnly = await verifiedAccount(t, "tangerhuette");
    const friday = await book(withSms.token, "2026-11-27");
    await book(mailOnly.token, "2026-11-27");
    const cancelled = await book(mailOnly.token, "2026-11-30");
    expect((await call(t, "POST", `${T}/me/appointments/${cancelled.id}/cancel`, { token: mailOnly.token })).status).toBe(200);

    // Thursday 07:59 in Berlin: not yet.
    t.clock.advance(Date.parse("2026-11-26T06:59:00Z") - t.clock.now());
    expect(await queueReminders(t.store, t.clock.now())).toBe(0);
    // 08:00: both Friday appointments; two runs at once queue each once.
    t.clock.advance(60_000);
    const [a, b] = await Promise.all([queueReminders(t.store, t.clock.now()), queueReminders(t.store, t.clock.now())]);
    expect(a + b).toBeGreaterThanOrEqual(2);
    // The mark lost (as if a crash had undone it): the outbox still knows the reminder.
    await t.store.atomic([t.store.db.updateTable("appointments").set({ reminder_queued_at: null }).where("id", "=", friday.id)]);
    await queueReminders(t.store, t.clock.now());
    await t.deliver();

    expect(reminders(withSms.email)).toHaveLength(1);
    expect(reminders(withSms.email)[0]!.text).toContain("Freitag, 27. November 2026, 08:00–08:10 Uhr");
    expect(reminders(mailOnly.email)).toHaveLength(1);
    const sms = t.sms().filter((m) => m.to === withSms.account.mobile && m.text.includes("Erinnerung"));
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain("Meldebescheinigung");
    expect(t.sms().some((m) => m.text.includes("Erinnerung") && m.to === mailOnly.account.mobile)).toBe(false);

    // Monday's was cancelled: no reminder on Sunday.
    t.clock.advance(Date.parse("2026-11-29T07:30:00Z") - t.clock.now());
    await queueReminders(t.store, t.clock.now());
    await t.deliver();
    expect(reminders(mailOnly.email)).toHaveLength(1);
  });

  it("is not sent for an appointment booked after its moment: the confirmation has just arrived", async () => {
    const late = await verifiedAccount(t, "tangerhuette");
    // Sunday 08:30 in Berlin, booking for Monday.
    await book(late.token, "2026-11-30");
    expect(await queueReminders(t.store, t.clock.now())).toBe(0);
    await t.deliver();
    expect(reminders(late.email)).toHaveLength(0);
  });
});
