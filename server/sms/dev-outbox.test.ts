import { describe, expect, it } from "vitest";
import type { Clock } from "../lib/clock.js";
import { devSmsOutbox } from "./dev-outbox.js";

function steppingClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)): Clock {
  let t = start;
  return { now: () => (t += 1000) };
}

describe("devSmsOutbox", () => {
  it("lists newest first with id and time", async () => {
    const outbox = devSmsOutbox(500, steppingClock());
    await outbox.send({ to: "+491700000001", text: "eins" });
    await outbox.send({ to: "+491700000002", text: "zwei" });

    const list = outbox.list();
    expect(list.map((m) => m.text)).toEqual(["zwei", "eins"]);
    expect(list[0]).toMatchObject({ to: "+491700000002", sentAt: "2026-01-05T09:00:02.000Z" });
    expect(list[1]!.sentAt).toBe("2026-01-05T09:00:01.000Z");
    expect(new Set(list.map((m) => m.id)).size).toBe(2);
  });

  it("keeps only the newest `max`", async () => {
    const outbox = devSmsOutbox(3);
    for (let i = 1; i <= 5; i++) await outbox.send({ to: "+491700000001", text: `n${i}` });
    expect(outbox.list().map((m) => m.text)).toEqual(["n5", "n4", "n3"]);
  });

  it("hands out copies and can be cleared", async () => {
    const outbox = devSmsOutbox();
    await outbox.send({ to: "+491700000001", text: "a" });
    outbox.list()[0]!.text = "changed";
    expect(outbox.list()[0]!.text).toBe("a");
    outbox.clear();
    expect(outbox.list()).toEqual([]);
  });

  it("rejects a non-positive max", () => {
    expect(() => devSmsOutbox(0)).toThrow(RangeError);
  });

  it("waitFor resolves at once with the newest matching message already there", async () => {
    const outbox = devSmsOutbox();
    await outbox.send({ to: "+491700000001", text: "Code 111111" });
    await outbox.send({ to: "+491700000002", text: "other" });
    await outbox.send({ to: "+491700000001", text: "Code 222222" });
    const found = await outbox.waitFor((m) => m.to === "+491700000001");
    expect(found.text).toBe("Code 222222");
  });

  it("waitFor resolves with a message sent later, skipping others", async () => {
    const outbox = devSmsOutbox();
    const waiting = outbox.waitFor((m) => m.to === "+491700000009");
    await outbox.send({ to: "+491700000001", text: "not this one" });
    await outbox.send({ to: "+491700000009", text: "this one" });
    await expect(waiting).resolves.toMatchObject({ to: "+491700000009", text: "this one" });
  });

  it("waitFor serves several waiters from one message", async () => {
    const outbox = devSmsOutbox();
    const a = outbox.waitFor((m) => m.text.includes("x"));
    const b = outbox.waitFor((m) => m.text.includes("x"));
    await outbox.send({ to: "+491700000001", text: "x" });
    expect((await a).id).toBe((await b).id);
  });

  it("waitFor does not see cleared messages", async () => {
    const outbox = devSmsOutbox();
    await outbox.send({ to: "+491700000001", text: "old" });
    outbox.clear();
    await expect(outbox.waitFor(() => true, 5)).rejects.toThrow(/no matching SMS within 5 ms/);
  });

  it("waitFor rejects after the timeout, and a later send does not disturb it", async () => {
    const outbox = devSmsOutbox();
    await expect(outbox.waitFor((m) => m.text === "never", 1)).rejects.toThrow(/within 1 ms/);
    await expect(outbox.send({ to: "+491700000001", text: "never" })).resolves.toBeUndefined();
  });

  it("a throwing predicate rejects its waiter, not send()", async () => {
    const outbox = devSmsOutbox();
    const waiting = outbox.waitFor(() => {
      throw new Error("predicate bug");
    });
    await expect(outbox.send({ to: "+491700000001", text: "a" })).resolves.toBeUndefined();
    await expect(waiting).rejects.toThrow("predicate bug");
  });
});
