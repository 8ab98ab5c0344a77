import { encodeHexLowerCase } from "@oslojs/encoding";
import { createChallenge, verifySolution } from "altcha-lib/v1";

/**
 * Proof of work for anonymous form sending, in ALTCHA's challenge format (altcha-lib's `v1`
 * API: find n ≤ maxnumber with SHA-256(salt + n) = challenge, signed with HMAC). No third
 * party and no cookie: the challenge carries its own expiry and signature, and the only state
 * is the list of used challenges (repo.ts) that makes each one single-use.
 *
 * altcha-lib 2.x's default export is a different mechanism (key derivation, `cost`,
 * `keyPrefix`); the hash-and-maxnumber format lives on under `altcha-lib/v1`, and it is what
 * widget/src/core/proof-solver.ts solves.
 */

/** What the widget needs to solve (widget/src/core/proof-solver.ts takes this shape). */
export interface Challenge {
  algorithm: "SHA-256";
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}

export interface ProofOptions {
  secret: string;
  /** Upper bound of the secret number; the browser tries maxNumber / 2 digests on average. */
  maxNumber?: number;
  ttlMs?: number;
}

/**
 * 50,000: on average 25,000 SHA-256 digests. Node here manages ~115,000 batched Web Crypto
 * digests a second, so ~0.2 s; ALTCHA's own benchmarks put an iPhone 12 mini near 120,000 and
 * a Galaxy A14 near 40,000 a second, i.e. ~0.2–0.6 s on average and ~1.3 s at worst on a
 * cheap phone. 1e6 (altcha's default) would be 12 s on average there.
 */
export const DEFAULT_MAX_NUMBER = 50_000;
/** Long enough to fill in a form after the challenge was fetched; the solve itself takes a second. */
export const DEFAULT_TTL_MS = 30 * 60_000;

const ALGORITHM = "SHA-256";

export type ProofResult = { ok: true; challengeId: string; expiresAt: number } | { ok: false; reason: "malformed" | "invalid" | "expired" };

export async function issueChallenge(tenantId: string, purpose: string, now: number, opts: ProofOptions): Promise<Challenge> {
  const maxnumber = opts.maxNumber ?? DEFAULT_MAX_NUMBER;
  const ch = await createChallenge({
    algorithm: ALGORITHM,
    hmacKey: await challengeKey(opts.secret, tenantId, purpose),
    maxNumber: maxnumber,
    // altcha writes `?expires=<seconds>&` into the salt, which the challenge hash and so the signature cover.
    expires: new Date(now + (opts.ttlMs ?? DEFAULT_TTL_MS)),
  });
  return { algorithm: ALGORITHM, challenge: ch.challenge, salt: ch.salt, signature: ch.signature, maxnumber };
}

/**
 * Checks a solved challenge. `challengeId` (the challenge hash, unique through the random
 * salt) and `expiresAt` (ms) are what the caller passes to `markProofUsed`; a proof is only
 * good once that says it was fresh.
 */
export async function verifyProof(payload: string, tenantId: string, purpose: string, now: number, opts: ProofOptions): Promise<ProofResult> {
  const solution = parsePayload(payload);
  if (!solution) return { ok: false, reason: "malformed" };
  // Without our own expiry the salt was not made by issueChallenge; the signature check would fail too.
  const expires = /[?&]expires=(\d{1,12})&/.exec(solution.salt);
  if (solution.algorithm !== ALGORITHM || !expires) return { ok: false, reason: "invalid" };
  const key = await challengeKey(opts.secret, tenantId, purpose);
  // Expiry is ours to check (against `now`, not the library's clock); the library checks hash and signature.
  if (!(await verifySolution(solution, key, false))) return { ok: false, reason: "invalid" };
  const expiresAt = Number(expires[1]) * 1000;
  if (expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, challengeId: solution.challenge, expiresAt };
}

interface Solution {
  algorithm: typeof ALGORITHM;
  challenge: string;
  number: number;
  salt: string;
  signature: string;
}

/** The widget sends base64 JSON (as altcha does); a JSON body is taken as well. */
function parsePayload(payload: string): Solution | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.trimStart().startsWith("{") ? payload : atob(payload.trim()));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const hex = (s: unknown): s is string => typeof s === "string" && /^[0-9a-f]{64}$/.test(s);
  if (typeof v.algorithm !== "string" || !hex(v.challenge) || !hex(v.signature) || typeof v.salt !== "string" || v.salt.length > 200) return undefined;
  if (typeof v.number !== "number" || !Number.isSafeInteger(v.number) || v.number < 0) return undefined;
  return { algorithm: v.algorithm as typeof ALGORITHM, challenge: v.challenge, number: v.number, salt: v.salt, signature: v.signature };
}

/**
 * One HMAC key per town and purpose, derived from the deployment secret, so a challenge solved
 * for town A (or for another form action) does not verify for town B. Derived anew per call:
 * one HMAC, far cheaper than the verification it precedes.
 */
async function challengeKey(secret: string, tenantId: string, purpose: string): Promise<string> {
  if (!secret) throw new Error("proof: no secret configured");
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  // NUL separators: ("ab", "c") and ("a", "bc") must not give the same key.
  const mac = await crypto.subtle.sign("HMAC", key, enc.encode(`altcha-proof\0${tenantId}\0${purpose}`));
  return encodeHexLowerCase(new Uint8Array(mac));
}
