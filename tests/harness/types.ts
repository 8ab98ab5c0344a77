import type { App } from "../../server/app.js";
import type { Store } from "../../server/db/store.js";
import { type AppDeps, createApp } from "../../server/app.js";
import type { PasswordHasher } from "../../server/accounts/hasher.js";
import type { MailSender, SmsSender } from "../../server/delivery/ports.js";
import { silentLogger } from "../../server/http/logger.js";
import { newsFanout } from "../../server/news/fanout.js";
import { createDispatcher } from "../../server/outbox/dispatcher.js";
import { databaseTenantRegistry } from "../../server/tenants/registry.js";
import { checkAgainstContract } from "./contract-check.js";
import type { BlobStore } from "../../server/files/blobs.js";
import { type ReceiptRenderer, receiptAttachments } from "../../server/forms/receipt.js";
import { appointmentAttachments } from "../../server/appointments/attachments.js";
import { allAttachments } from "../../server/outbox/attachment-sources.js";

/** A movable clock for expiry tests. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

/** A message as the test reads it back from where it was delivered. */
export interface DeliveredMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: Array<{ filename: string; contentType: string; content: Uint8Array }>;
}

export interface DeliveredSms {
  to: string;
  text: string;
}

export interface TestApp {
  app: App;
  store: Store;
  /** Where uploads went: tests check that refused files left nothing behind. */
  blobs: BlobStore;
  clock: TestClock;
  runtime: "node" | "workers";
  /** Runs the outbox dispatcher until nothing is due. */
  deliver(): Promise<void>;
  /** Newest first. On Node these went through a real SMTP server. */
  mails(): DeliveredMail[];
  sms(): DeliveredSms[];
  close(): Promise<void>;
}

export function testClock(start = Date.UTC(2026, 10, 25, 9, 0, 0)): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/**
 * The connection's peer address as a runtime would report it: X-Test-IP if a test sets it,
 * otherwise a fresh IPv6 /64 per request, so per-IP limits only bite where tested. The app's
 * own rules (canonical spelling, /64 buckets) apply on top, as in production.
 */
export function testPeer(c: { req: { header(name: string): string | undefined } }): string {
  const [a, b] = crypto.getRandomValues(new Uint16Array(2));
  return c.req.header("x-test-ip") ?? `2001:db8:${a!.toString(16)}:${b!.toString(16)}::1`;
}

/** Rate gate that never waits: tests measure behaviour, not the towns' sending speed. */
export const openGate = { take: () => Promise.resolve() };

/** The app and its dispatcher as both runtimes' harnesses build them, from their own adapters. */
export function assemble(store: Store, clock: TestClock, hasher: PasswordHasher, mail: MailSender, sms: SmsSender, files: { blobs: BlobStore; receipts: ReceiptRenderer }, extra: Pick<AppDeps, "env" | "saml" | "oidcFetch"> = {}) {
  const fanout = newsFanout({ store, clock, secret: testSecret, publicUrl: testPublicUrl });
  const dispatcher = createDispatcher({
    store,
    clock,
    mail,
    sms,
    logger: silentLogger,
    mailFrom: "rathaus@test.example",
    publicUrl: testPublicUrl,
    rateGate: openGate,
    prepare: fanout.runDue,
    attachments: allAttachments(receiptAttachments(store, files.receipts), appointmentAttachments(store)),
  });
  const app = createApp({
    store,
    clock,
    tenants: databaseTenantRegistry(store, clock, 0),
    hasher,
    logger: silentLogger,
    clientAddress: { peer: testPeer, trustProxy: 0 },
    secret: testSecret,
    publicUrl: testPublicUrl,
    blobs: files.blobs,
    receipts: files.receipts,
    proof: testProof,
    env: (name) => (name === "OIDC_TEST_BUERGERKONTO_SECRET" ? testIdpSecret : undefined),
    ...extra,
  });
  const fetch = app.fetch;
  // `app.request` goes through `app.fetch`: every answer in the API suite meets the contract check.
  app.fetch = async (request, env, ctx) => {
    const response = await fetch(request, env, ctx);
    await checkAgainstContract(request, response);
    return response;
  };
  return { app, dispatcher, fanout };
}

export const testSecret = "test-secret-not-for-production";
/** The client secret of the towns at the tests' Test-Bürgerkonto. */
export const testIdpSecret = "test-buergerkonto-secret-for-tests";
/** Easy challenges: the proof is checked the same way, just solved in milliseconds. */
export const testProof = { maxNumber: 2_000 };
export const testPublicUrl = "http://rathaus.test";
