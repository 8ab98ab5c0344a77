import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import { fileBlobStore } from "../../server/node/file-blobs.js";
import { workerReceiptRenderer } from "../../server/node/receipt-renderer.js";
import { nodeArgon2Hasher } from "../../server/node/argon2-hasher.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { startMailCatcher } from "../../server/node/mail-catcher.js";
import { smtpMailSender } from "../../server/node/smtp-sender.js";
import { devSmsOutbox } from "../../server/sms/dev-outbox.js";
import { type TestApp, assemble, testClock } from "./types.js";

export const root = fileURLToPath(new URL("../../", import.meta.url));

let shippedTowns: string | undefined;

/**
 * A copy of the shipped towns whose providers are the Test-Bürgerkonto this run started
 * (tests/support/test-idp.ts) instead of the demo's port, changed further by `edit`; removed when
 * the test process ends.
 */
export function townsCopy(edit?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "dr-towns-"));
  cpSync(`${root}tenants`, dir, { recursive: true });
  for (const slug of readdirSync(dir)) {
    const file = join(dir, slug, "tenant.json");
    if (existsSync(file)) writeFileSync(file, readFileSync(file, "utf8").replaceAll("http://localhost:8790", inject("idpIssuer")));
  }
  edit?.(dir);
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const townsWithTestIdp = () => (shippedTowns ??= townsCopy());

/**
 * A fresh in-memory SQLite with migrations and the shipped towns, per call, delivering
 * mail over SMTP to a real smtp-server on loopback.
 */
export async function createTestApp(opts: { tenantsDir?: string; app?: Parameters<typeof assemble>[6] } = {}): Promise<TestApp> {
  const clock = testClock();
  const { store } = await bootstrapStore({
    databaseFile: ":memory:",
    migrationsDir: `${root}migrations`,
    tenantsDir: opts.tenantsDir ?? townsWithTestIdp(),
    clock,
  });
  const catcher = await startMailCatcher();
  const mail = smtpMailSender(catcher.url);
  const sms = devSmsOutbox();
  const blobDir = await mkdtemp(join(tmpdir(), "dr-blobs-"));
  const blobs = fileBlobStore(blobDir);
  const receipts = workerReceiptRenderer();
  const { app, dispatcher } = assemble(store, clock, nodeArgon2Hasher, mail, sms, { blobs, receipts }, opts.app);
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
