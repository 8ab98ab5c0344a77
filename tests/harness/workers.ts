import { env } from "cloudflare:workers";
import type { OutgoingMail } from "../../server/delivery/ports.js";
import { devSmsOutbox } from "../../server/sms/dev-outbox.js";
import { workersArgon2Hasher } from "../../server/workers/argon2-hasher.js";
import { d1Store } from "../../server/workers/d1-store.js";
import { r2BlobStore } from "../../server/workers/r2-blobs.js";
import { inPlaceReceipts } from "../../server/forms/receipt.js";
import { type DeliveredMail, type TestApp, assemble, testClock } from "./types.js";

/**
 * The app on the local D1 that tests/workers/setup.ts migrated and synced. workerd cannot
 * open SMTP connections, so mail is handed to an in-memory sender here; rendering, outbox
 * and dispatcher are the real ones.
 */
export async function createTestApp(): Promise<TestApp> {
  const clock = testClock();
  const store = d1Store(env.DB);
  const sent: DeliveredMail[] = [];
  const mail = {
    async send(m: OutgoingMail) {
      const headers = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      sent.unshift({ to: [m.to], subject: m.subject, text: m.text, html: m.html, headers, attachments: m.attachments ?? [] });
    },
  };
  const sms = devSmsOutbox();
  const blobs = r2BlobStore(env.BLOBS);
  const { app, dispatcher } = assemble(store, clock, workersArgon2Hasher, mail, sms, { blobs, receipts: inPlaceReceipts });
  return {
    app,
    store,
    blobs,
    clock,
    runtime: "workers",
    deliver: () => dispatcher.drain(),
    mails: () => sent,
    sms: () => sms.list(),
    close: async () => {},
  };
}
