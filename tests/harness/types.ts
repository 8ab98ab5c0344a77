import type { App } from "../../server/app.js";
import type { Store } from "../../server/db/store.js";
import { createApp } from "../../server/app.js";
import type { PasswordHasher } from "../../server/accounts/hasher.js";
import type { MailSender, SmsSender } from "../../server/delivery/ports.js";
import { silentLogger } from "../../server/http/logger.js";
import { newsFanout } from "../../server/news/fanout.js";
import { createDispatcher } from "../../server/outbox/dispatcher.js";
import { databaseTenantRegistry } from "../../server/tenants/registry.js";

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
}

export interface DeliveredSms {
  to: string;
  text: string;
}

export interface TestApp {
  app: App;
  store: Store;
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

/** Each request comes from its own address unless a test sets X-Test-IP, so per-IP limits only bite where tested. */
export function testClientIp(c: { req: { header(name: string): string | undefined } }): string {
  return c.req.header("x-test-ip") ?? `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`;
}

/** Rate gate that never waits: tests measure behaviour, not the towns' sending speed. */
export const openGate = { take: () => Promise.resolve() };

/** The app and its dispatcher as both runtimes' harnesses build them, from their own adapters. */
export function assemble(store: Store, clock: TestClock, hasher: PasswordHasher, mail: MailSender, sms: SmsSender) {
  const fanout = newsFanout({ store, clock, secret: testSecret, publicUrl: testPublicUrl });
  const dispatcher = createDispatcher({ store, clock, mail, sms, logger: silentLogger, mailFrom: "rathaus@test.example", publicUrl: testPublicUrl, rateGate: openGate, prepare: fanout.runDue });
  const app = createApp({ store, clock, tenants: databaseTenantRegistry(store, clock, 0), hasher, logger: silentLogger, clientIp: testClientIp, secret: testSecret, publicUrl: testPublicUrl });
  return { app, dispatcher, fanout };
}

export const testSecret = "test-secret-not-for-production";
export const testPublicUrl = "http://rathaus.test";
