import { createChallenge, solveChallenge as altchaSolve, verifySolution } from "altcha-lib/v1";
import { createHash, createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { solveChallenge } from "../../widget/src/core/proof-solver.js";
import { applyMigrations, readMigrations } from "../node/migrations.js";
import { openSqliteStore } from "../node/sqlite-store.js";
import { DEFAULT_MAX_NUMBER, type ProofOptions, issueChallenge, verifyProof } from "./proof.js";
import { markProofUsed } from "./repo.js";

const opts: ProofOptions = { secret: "test-secret", ttlMs: 10 * 60_000 };
const now = Date.UTC(2025, 5, 1, 12, 0, 0);

const decode = (payload: string) => JSON.parse(atob(payload)) as Record<string, unknown>;
const encode = (value: unknown) => btoa(JSON.stringify(value));

async function solved(tenantId = "t_a", purpose = "form:send", o: ProofOptions = opts) {
  const ch = await issueChallenge(tenantId, purpose, now, o);
  return { ch, payload: await solveChallenge(ch) };
}

describe("issueChallenge", () => {
  it("issues a SHA-256 challenge with the default maxnumber and its expiry in the salt", async () => {
    const ch = await issueChallenge("t_a", "form:send", now, opts);
    expect(ch.algorithm).toBe("SHA-256");
    expect(ch.maxnumber).toBe(DEFAULT_MAX_NUMBER);
    expect(ch.challenge).toMatch(/^[0-9a-f]{64}$/);
    expect(ch.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(ch.salt).toMatch(new RegExp(`^[0-9a-f]{24}\\?expires=${(now + opts.ttlMs!) / 1000}&$`));
  });

  it("gives each challenge its own salt", async () => {
    const [a, b] = await Promise.all([issueChallenge("t_a", "p", now, opts), issueChallenge("t_a", "p", now, opts)]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.challenge).not.toBe(b.challenge);
  });

  it("refuses to sign without a secret", async () => {
    await expect(issueChallenge("t_a", "p", now, { secret: "" })).rejects.toThrow(/secret/);
  });
});

describe("verifyProof", () => {
  it("accepts the widget's solution, base64 or plain JSON, and names the challenge", async () => {
    const { ch, payload } = await solved();
    const expected = { ok: true, challengeId: ch.challenge, expiresAt: now + opts.ttlMs! };
    expect(await verifyProof(payload, "t_a", "form:send", now, opts)).toEqual(expected);
    expect(await verifyProof(atob(payload), "t_a", "form:send", now, opts)).toEqual(expected);
  });

  it("refuses a solution for another town, another purpose or under another secret", async () => {
    const { payload } = await solved("t_a", "form:send");
    expect(await verifyProof(payload, "t_b", "form:send", now, opts)).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyProof(payload, "t_a", "other", now, opts)).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyProof(payload, "t_a", "form:send", now, { ...opts, secret: "other" })).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a tampered number, challenge or expiry", async () => {
    const { payload } = await solved();
    const p = decode(payload);
    const verify = (v: unknown) => verifyProof(encode(v), "t_a", "form:send", now, opts);
    expect(await verify({ ...p, number: (p.number as number) + 1 })).toEqual({ ok: false, reason: "invalid" });
    expect(await verify({ ...p, challenge: "0".repeat(64) })).toEqual({ ok: false, reason: "invalid" });
    const later = String(Math.floor((now + 24 * 3600_000) / 1000));
    expect(await verify({ ...p, salt: (p.salt as string).replace(/expires=\d+/, `expires=${later}`) })).toEqual({ ok: false, reason: "invalid" });
    // An algorithm Web Crypto lacks is refused before hashing (it would throw there).
    expect(await verify({ ...p, algorithm: "MD5" })).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a challenge signed with the town's key but without an expiry", async () => {
    // The key as proof.ts derives it; a challenge made by other code with it would never expire, so it does not count.
    const key = createHmac("sha256", opts.secret).update("altcha-proof\0t_a\0form:send").digest("hex");
    const ch = await createChallenge({ hmacKey: key, maxNumber: 100 });
    const payload = await solveChallenge({ ...ch, maxnumber: 100 });
    expect(await verifySolution(payload, key)).toBe(true);
    expect(await verifyProof(payload, "t_a", "form:send", now, opts)).toEqual({ ok: false, reason: "invalid" });
    const withExpiry = await createChallenge({ hmacKey: key, maxNumber: 100, expires: new Date(now + 60_000) });
    expect(await verifyProof(await solveChallenge({ ...withExpiry, maxnumber: 100 }), "t_a", "form:send", now, opts)).toMatchObject({ ok: true });
  });

  it("refuses an expired challenge, from the expiry time on", async () => {
    const { payload } = await solved();
    const expiry = now + opts.ttlMs!;
    expect((await verifyProof(payload, "t_a", "form:send", expiry - 1, opts)).ok).toBe(true);
    expect(await verifyProof(payload, "t_a", "form:send", expiry, opts)).toEqual({ ok: false, reason: "expired" });
    expect(await verifyProof(payload, "t_a", "form:send", expiry + 3600_000, opts)).toEqual({ ok: false, reason: "expired" });
  });

  it("calls broken payloads malformed", async () => {
    const { payload } = await solved();
    const p = decode(payload);
    const malformed = { ok: false, reason: "malformed" };
    for (const bad of ["", "%%%not-base64", btoa("{not json"), btoa("null"), btoa("42"), "{", encode({ ...p, number: "7" }), encode({ ...p, number: -1 }), encode({ ...p, number: 1.5 }), encode({ ...p, salt: undefined }), encode({ ...p, signature: "zz" })]) {
      expect(await verifyProof(bad, "t_a", "form:send", now, opts), bad).toEqual(malformed);
    }
  });
});

describe("compatibility with altcha-lib", () => {
  it("verifies what altcha-lib's own solver finds", async () => {
    const ch = await issueChallenge("t_a", "form:send", now, { ...opts, maxNumber: 5_000 });
    const solution = await altchaSolve(ch.challenge, ch.salt, ch.algorithm, ch.maxnumber).promise;
    expect(solution).not.toBeNull();
    const payload = encode({ algorithm: ch.algorithm, challenge: ch.challenge, number: solution!.number, salt: ch.salt, signature: ch.signature, took: solution!.took });
    expect(await verifyProof(payload, "t_a", "form:send", now, opts)).toMatchObject({ ok: true, challengeId: ch.challenge });
  });

  it("gives altcha-lib's verifySolution a payload it accepts", async () => {
    const ch = await createChallenge({ hmacKey: "k", maxNumber: 5_000, expires: new Date(Date.now() + 60_000) });
    const payload = await solveChallenge({ ...ch, maxnumber: 5_000 });
    expect(decode(payload)).toMatchObject({ algorithm: "SHA-256", challenge: ch.challenge, salt: ch.salt, signature: ch.signature, took: expect.any(Number) });
    expect(await verifySolution(payload, "k")).toBe(true);
    expect(await verifySolution(payload, "other")).toBe(false);
  });
});

describe("solveChallenge (widget)", () => {
  const fixed = async (number: number, maxnumber: number) => ({ ...(await createChallenge({ hmacKey: "k", number, maxNumber: maxnumber })), maxnumber });

  it("finds the number at either end of the range and across batch boundaries", async () => {
    for (const number of [0, 999, 1000, 1001, 4_321]) {
      expect(decode(await solveChallenge(await fixed(number, 4_321))).number).toBe(number);
    }
  });

  it("gives the event loop back between batches and reports progress", async () => {
    const ch = await fixed(4_500, 5_000);
    // Node resolves Web Crypto digests from its thread pool, i.e. as macrotasks, which would let timers in anyway;
    // a browser may resolve them sooner. Digests resolved as microtasks leave the solver's own yield as the only way out.
    const digest = vi.spyOn(crypto.subtle, "digest").mockImplementation(async (_algorithm, data) => {
      const h = createHash("sha256").update(data as Uint8Array).digest();
      return h.buffer.slice(h.byteOffset, h.byteOffset + h.byteLength) as ArrayBuffer;
    });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const progress: number[] = [];
    try {
      expect(decode(await solveChallenge(ch, { onProgress: (f) => progress.push(f) })).number).toBe(4_500);
      expect(digest).toHaveBeenCalledTimes(5_000);
    } finally {
      clearInterval(timer);
      digest.mockRestore();
    }
    expect(ticks).toBeGreaterThan(0);
    expect(progress).toEqual([1000 / 5001, 2000 / 5001, 3000 / 5001, 4000 / 5001]);
  });

  it("stops when aborted", async () => {
    const ch = await fixed(50_000, 50_000);
    const ac = new AbortController();
    const solving = solveChallenge(ch, { signal: ac.signal, onProgress: (f) => f > 0.05 && ac.abort() });
    await expect(solving).rejects.toMatchObject({ name: "AbortError" });
  });

  it("fails when the number lies beyond maxnumber", async () => {
    const ch = await fixed(3_000, 3_000);
    await expect(solveChallenge({ ...ch, maxnumber: 2_500 })).rejects.toThrow(/no solution/);
  });
});

describe("markProofUsed", () => {
  const store = openSqliteStore(":memory:");
  applyMigrations(store.sqlite, readMigrations(fileURLToPath(new URL("../../migrations", import.meta.url))));
  afterAll(() => store.close());

  it("lets each proof of a town through once", async () => {
    const { ch, payload } = await solved();
    const r = await verifyProof(payload, "t_a", "form:send", now, opts);
    if (!r.ok) throw new Error(r.reason);
    const results = await Promise.all([markProofUsed(store.db, "t_a", r.challengeId, r.expiresAt), markProofUsed(store.db, "t_a", r.challengeId, r.expiresAt)]);
    expect(results.sort()).toEqual([false, true]);
    expect(await markProofUsed(store.db, "t_a", r.challengeId, r.expiresAt)).toBe(false);
    expect(await markProofUsed(store.db, "t_b", r.challengeId, r.expiresAt)).toBe(true);
    const rows = await store.db.selectFrom("proof_uses").selectAll().orderBy("tenant_id").execute();
    expect(rows).toEqual([
      { tenant_id: "t_a", id: ch.challenge, expires_at: now + opts.ttlMs! },
      { tenant_id: "t_b", id: ch.challenge, expires_at: now + opts.ttlMs! },
    ]);
  });
});
