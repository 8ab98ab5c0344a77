/**
 * Publishing one item to the whole town (11,000 subscribers) against a local SMTP sink,
 * compared with the same sink fed 11,000 pre-rendered mails straight through a nodemailer
 * pool: the ratio is what the outbox, fan-out, rendering and bookkeeping cost.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { silentLogger } from "../../server/http/logger.js";
import { systemClock } from "../../server/lib/clock.js";
import { renderMail } from "../../server/mail/render.js";
import { startMailCatcher } from "../../server/node/mail-catcher.js";
import { smtpMailSender } from "../../server/node/smtp-sender.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { newsFanout } from "../../server/news/fanout.js";
import { renderMarkdown } from "../../server/news/markdown.js";
import { createDispatcher } from "../../server/outbox/dispatcher.js";
import { mailBranding } from "../../server/outbox/branding.js";
import { devSmsOutbox } from "../../server/sms/dev-outbox.js";
import { findActiveTenantBySlug } from "../../server/tenants/repo.js";
import { insertPublishedNews, seedSubscribers } from "../node/seed.js";
import { fmt, rate } from "./util.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const body = "Das Gesundheitsamt des Landkreises informiert: **Ab Montag** gibt es im Rathaus ein offenes Impfangebot.\n\n- Montag 9–12 Uhr\n- Mittwoch 14–18 Uhr\n\nBitte bringen Sie Ihren Impfpass mit. Weitere Informationen unter [www.tangerhuette.de](https://www.tangerhuette.de/).";

export async function benchFanout({ recipients = 11_000 } = {}) {
  const sink = await startMailCatcher({ parse: false, max: 10 });
  const dir = mkdtempSync(join(tmpdir(), "dr-bench-fanout-"));
  const { store } = await bootstrapStore({ databaseFile: join(dir, "bench.sqlite"), migrationsDir: `${root}migrations`, tenantsDir: `${root}tenants`, clock: systemClock });
  const tenant = (await findActiveTenantBySlug(store.db, "tangerhuette"))!;
  seedSubscribers(store.sqlite, tenant.id, recipients, "gesundheit");

  // Baseline: the same number of mails, rendered once beforehand, through the same kind of pool.
  const rendered = renderMail("news", "de", mailBranding(tenant, "http://localhost:8787"), {
    name: "Einwohner",
    title: "Impfangebot im Rathaus",
    summary: "Offenes Impfangebot ab Montag.",
    bodyHtml: renderMarkdown(body),
    bodyText: body,
    readUrl: "http://localhost:8080/tangerhuette/#rathaus/news/x",
    unsubscribeUrl: "http://localhost:8787/api/v1/tenants/tangerhuette/unsubscribe/x",
    topics: "Gesundheit",
  });
  const raw = smtpMailSender(sink.url);
  const concurrency = 8;
  const baseline = await rate(recipients, concurrency, async (i) => {
    await raw.send({ to: `einwohner${i}@tangerhuette.example`, from: { name: "Stadt Tangerhütte", address: "rathaus@tangerhuette.example" }, ...rendered });
  });
  await raw.close?.();

  // Measured: publish → fan-out into the outbox → dispatcher renders and sends each one.
  const now = Date.now();
  await insertPublishedNews(store.db, tenant.id, { id: "n_bench", title: "Impfangebot im Rathaus", summary: "Offenes Impfangebot ab Montag.", body, topics: ["gesundheit"] }, now);
  const mail = smtpMailSender(sink.url);
  const fanout = newsFanout({ store, clock: systemClock, secret: "bench", publicUrl: "http://localhost:8787" });
  // The town's own SMTP rate (mail.ratePerSecond) is lifted here: this measures the pipeline.
  const dispatcher = createDispatcher({ store, clock: systemClock, mail, sms: devSmsOutbox(), logger: silentLogger, mailFrom: "rathaus@tangerhuette.example", publicUrl: "http://localhost:8787", concurrency, rateGate: { take: () => Promise.resolve() }, prepare: timedFanout });
  let fannedOut = 0;
  async function timedFanout() {
    await fanout.runDue();
    fannedOut = performance.now() - start;
  }
  const before = sink.count();
  const start = performance.now();
  // As in production: the dispatcher sends the first pages while the fan-out writes the rest.
  await dispatcher.drain();
  const ms = performance.now() - start;
  const delivered = sink.count() - before;
  await mail.close?.();
  await sink.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  if (delivered !== recipients) throw new Error(`expected ${recipients} mails, the sink accepted ${delivered}`);

  const perSecond = (recipients / ms) * 1000;
  const ratio = perSecond / baseline.perSecond;
  console.log(`news fan-out: one item to ${recipients} subscribers, SMTP sink on loopback, ${concurrency} in flight`);
  console.log(`  baseline: pre-rendered mails through a nodemailer pool: ${fmt(baseline.ms / 1000)} s, ${fmt(baseline.perSecond)} mails/s`);
  console.log(`  publish → last mail accepted:                         ${fmt(ms / 1000)} s, ${fmt(perSecond)} mails/s (fan-out into the outbox done after ${fmt(fannedOut / 1000)} s)`);
  console.log(`  ratio to baseline:                                    ${(ratio * 100).toFixed(0)}%  (goal: whole town ≤ 30 s, ≥ 70%)`);
  console.log(`  at Tangerhütte's configured mail.ratePerSecond (${tenant.config.mail.ratePerSecond}/s) the town would take ${fmt(recipients / tenant.config.mail.ratePerSecond)} s`);
  return { baseline: baseline.perSecond, perSecond, ratio, seconds: ms / 1000 };
}
