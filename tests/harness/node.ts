import { fileURLToPath } from "node:url";
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
  const { app, dispatcher } = assemble(store, clock, nodeArgon2Hasher, mail, sms);
  return {
    app,
    store,
    clock,
    runtime: "node",
    deliver: () => dispatcher.drain(),
    mails: () => catcher.list(),
    sms: () => sms.list(),
    async close() {
      await mail.close?.();
      await catcher.close();
      await store.close();
    },
  };
}
