import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fileBlobStore } from "../../server/node/file-blobs.js";
import { workerReceiptRenderer } from "../../server/node/receipt-renderer.js";
import { nodeArgon2Hasher } from "../../server/node/argon2-hasher.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { startMailCatcher } from "../../server/node/mail-catcher.js";
import { smtpMailSender } from "../../server/node/smtp-sender.js";
import { devSmsOutbox } from "../../server/sms/dev-outbox.js";
import { type TestApp, assemble, testClock } from "./types.js";

export const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * A fresh in-memory SQLite with migrations and the shipped towns, per call, delivering
 * mail over SMTP to a real smtp-server on loopback.
 */
export async function createTestApp(): Promise<TestApp> {
  const clock = testClock();
  const { store } = await bootstrapStore({
    databaseFile: ":memory:",
    migrationsDir: `${root}migrations`,
    tenantsDir: `${root}tenants`,
    clock,
  });
  const catcher = await startMailCatcher();
  const mail = smtpMailSender(catcher.url);
  const sms = devSmsOutbox();
  const blobDir = await mkdtemp(join(tmpdir(), "dr-blobs-"));
  const blobs = fileBlobStore(blobDir);
  const receipts = workerReceiptRenderer();
  const { app, dispatcher } = assemble(store, clock, nodeArgon2Hasher, mail, sms, { blobs, receipts });
  return {
    app,
    store,
    blobs,
    clock,
    runtime: "node",
    deliver: () => dispatcher.drain(),
    mails: () => catcher.list().map((m) => ({ ...m, attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: new Uint8Array(Buffer.from(a.contentBase64, "base64")) })) })),
    sms: () => sms.list(),
    async close() {
      await mail.close?.();
      await catcher.close();
      await store.close();
      await receipts.close();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}
