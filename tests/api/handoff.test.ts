import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import { berlinDate } from "../../server/lib/berlin-time.js";
import { createWebhookDispatcher } from "../../server/handoff/dispatcher.js";
import { silentLogger } from "../../server/http/logger.js";
import { type TestApp, testPublicUrl } from "../harness/types.js";
import { api, call, verifiedAccount } from "./flows.js";
import { formVersion, hundesteuerData, idempotencyKey, pdfBytes, upload } from "./form-flows.js";
import { type OfficeLogin, officeCall, staffMember } from "./office-flows.js";
import { readZip } from "./zip-reader.js";

/**
 * The hand-off on both runtimes: signed webhooks through an outage of the town's system, the
 * delivery log and replay, the FIT-Connect-shaped ZIP and the CSV export. The town's system is
 * a receiver that checks every delivery as the docs tell receivers to: on Node a real HTTP
 * server on loopback, in workerd (no sockets to listen on) the dispatcher's fetch port.
 */
const T = api("tangerhuette");
const secret = "whsec-tangerhuette-fachverfahren-test";
const secrets = (name: string) => (name === "WEBHOOK_TGH_FV" ? secret : undefined);

interface Arrival {
  eventId: string;
  status: number;
  signatureValid: boolean;
  body: Record<string, any>;
}

/** The town's system: answers 503 while `down()` says so, and keeps what arrived. */
class Receiver {
  arrivals: Arrival[] = [];
  constructor(
    private readonly now: () => number,
    public down: () => boolean = () => false,
  ) {}

  async handle(headers: Headers, raw: string): Promise<number> {
    const header = headers.get("x-rathaus-signature") ?? "";
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    const timestamp = headers.get("x-rathaus-timestamp");
    // Our own HMAC, not the server's code: the documented scheme, computed here.
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = m ? [...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${m[1]}.${raw}`)))].map((b) => b.toString(16).padStart(2, "0")).join("") : "";
    const fresh = m !== null && Math.abs(Math.floor(this.now() / 1000) - Number(m[1])) <= 300;
    const body = JSON.parse(raw) as Record<string, any>;
    const signatureValid = m !== null && mac === m[2] && timestamp === m[1] && fresh && headers.get("x-rathaus-event-id") === body.id && headers.get("content-type") === "application/json";
    const status = !signatureValid ? 401 : this.down() ? 503 : 200;
    this.arrivals.push({ eventId: headers.get("x-rathaus-event-id") ?? "", status, signatureValid, body });
    return status;
  }

  /** Event id → how many deliveries of it the receiver accepted. */
  accepted(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const a of this.arrivals) if (a.status === 200) counts.set(a.eventId, (counts.get(a.eventId) ?? 0) + 1);
    return counts;
  }
}

let t: TestApp;
let receiver: Receiver;
let webhookUrl: string;
let closeServer = async () => {};
let tenantId: string;
const hookConfig = (url = webhookUrl) => ({ id: "fachverfahren", forms: ["hundesteuer"], url, secretEnv: "WEBHOOK_TGH_FV" });

async function setWebhooks(webhooks: unknown[]) {
  const row = await t.store.db.selectFrom("tenants").select(["id", "config"]).where("slug", "=", "tangerhuette").executeTakeFirstOrThrow();
  await t.store.db
    .updateTable("tenants")
    .set({ config: JSON.stringify({ ...JSON.parse(row.config), webhooks }) })
    .where("id", "=", row.id)
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  receiver = new Receiver(() => t.clock.now());
  tenantId = (await t.store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
  if (t.runtime === "node") {
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
        void receiver.handle(headers, Buffer.concat(chunks).toString("utf8")).then((status) => res.writeHead(status).end(status === 200 ? "ok" : "nein"));
      });
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    webhookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/rathaus`;
    closeServer = () => new Promise<void>((ok) => server.close(() => ok()));
  } else {
    webhookUrl = "http://localhost/rathaus";
  }
  await setWebhooks([hookConfig()]);
});
afterAll(async () => {
  await closeServer();
  await t.close();
});

/** The background job as both runtimes run it; in workerd its requests reach the receiver through the fetch port. */
function dispatcher(opts: { secrets?: typeof secrets; fetch?: (req: Request) => Promise<Response> } = {}) {
  return createWebhookDispatcher({
    store: t.store,
    clock: t.clock,
    secrets: opts.secrets ?? secrets,
    logger: silentLogger,
    publicUrl: testPublicUrl,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(t.runtime === "workers" && !opts.fetch
      ? {
          fetch: async (req: Request) => {
            expect(req.url).toBe(webhookUrl);
            expect(req.method).toBe("POST");
            return new Response(null, { status: await receiver.handle(req.headers, await req.text()) });
          },
        }
      : {}),
  });
}

async function hundesteuer(opts: { dogs?: number; certificate?: boolean; data?: (d: ReturnType<typeof hundesteuerData>) => void } = {}) {
  const citizen = await verifiedAccount(t, "tangerhuette");
  const certificate = opts.certificate ? await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes("/Title (Wesenstest) "), name: "Wesenstest Bello.pdf" }, { token: citizen.token }) : undefined;
  if (certificate) expect(certificate.status, certificate.text).toBe(201);
  const data = hundesteuerData({ ...(certificate ? { certificate: certificate.json.id } : {}), dogs: opts.dogs ?? 1 });
  opts.data?.(data);
  const res = await call(t, "POST", `${T}/forms/hundesteuer/submissions`, { token: citizen.token, body: { version: await formVersion(t, "tangerhuette", "hundesteuer"), data }, headers: { "Idempotency-Key": idempotencyKey() } });
  expect(res.status, res.text).toBe(201);
  return { citizen, data, id: res.json.id as string, reference: res.json.reference as string };
}

async function deliveriesOf(submissionId: string) {
  return t.store.db
    .withTables<{ webhook_deliveries: { tenant_id: string; id: string; event_id: string; submission_id: string; status: string; attempts: number; last_status: number | null; last_error: string | null; replay_of: string | null } }>()
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("submission_id", "=", submissionId)
    .execute();
}

describe("signed webhooks", () => {
  it("deliver every event once the receiver is back from ten minutes of 503, exactly once per event id", async () => {
    const start = t.clock.now();
    receiver.down = () => t.clock.now() < start + 10 * 60_000;
    const jobs = dispatcher();
    const sent = [await hundesteuer({ certificate: true })];
    // An hour of simulated time, the job running every 15 seconds as the Node loop and the Cron would;
    // two more submissions arrive during the outage.
    for (let minute = 0; t.clock.now() < start + 60 * 60_000; t.clock.advance(15_000)) {
      if (t.clock.now() === start + 60_000 * (minute + 1) && minute < 2) {
        minute++;
        sent.push(await hundesteuer({ dogs: minute }));
      }
      await jobs.runDue();
    }
    // Each submission queued its delivery in the same write: one per submission, one event id each.
    const queued = await Promise.all(sent.map(async (s) => (await deliveriesOf(s.id))[0]!));
    expect(queued).toHaveLength(3);
    expect(new Set(queued.map((d) => d.event_id)).size).toBe(3);

    const refused = receiver.arrivals.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(9);
    expect(receiver.arrivals.every((a) => a.signatureValid)).toBe(true);
    expect(Object.fromEntries(receiver.accepted())).toEqual(Object.fromEntries(queued.map((d) => [d.event_id, 1])));
    // Nothing accepted during the outage; every event was tried during it.
    for (const d of queued) expect(refused.some((a) => a.eventId === d.event_id)).toBe(true);

    const first = receiver.arrivals.find((a) => a.status === 200 && a.eventId === queued[0]!.event_id)!.body;
    expect(first).toEqual({
      event: "submission.created",
      id: queued[0]!.event_id,
      tenant: "tangerhuette",
      form: "hundesteuer",
      formVersion: await formVersion(t, "tangerhuette", "hundesteuer"),
      submission: {
        id: sent[0]!.id,
        reference: sent[0]!.reference,
        submittedAt: new Date(start).toISOString(),
        data: expect.objectContaining({ hunde: [expect.objectContaining({ name: "Bello", nachweis: [expect.stringMatching(/^u_/)] })] }),
        files: [
          {
            id: expect.stringMatching(/^u_/),
            name: "Wesenstest Bello.pdf",
            size: pdfBytes("/Title (Wesenstest) ").length,
            mediaType: "application/pdf",
            sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
            url: expect.stringMatching(new RegExp(`^${testPublicUrl}/api/v1/tenants/tangerhuette/office/submissions/${sent[0]!.id}/files/u_`)),
          },
        ],
      },
    });
    // Every try of an event carried the same content.
    for (const d of queued) expect(new Set(receiver.arrivals.filter((a) => a.eventId === d.event_id).map((a) => JSON.stringify(a.body))).size).toBe(1);

    // The log: attempts with the receiver's answers, the backoff of the outbox (0, 0.5, 1.5, 3.5, 7.5, then 15.5 min).
    const admin = await staffMember(t, "tangerhuette", "admin");
    const log = await officeCall(t, admin.office, "GET", `${T}/office/webhooks`);
    expect(log.status, log.text).toBe(200);
    const entry = log.json.items.find((i: { eventId: string }) => i.eventId === queued[0]!.event_id);
    expect(entry).toMatchObject({ status: "delivered", webhookId: "fachverfahren", url: webhookUrl, submission: { id: sent[0]!.id, reference: sent[0]!.reference }, lastStatusCode: 200, lastError: null, replayOf: null, attempts: 6 });
    expect(entry.log.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 503, 503, 503, 503, 200]);
    expect(entry.log.map((a: { at: string }) => (Date.parse(a.at) - start) / 60_000)).toEqual([0, 0.5, 1.5, 3.5, 7.5, 15.5]);
    expect(Date.parse(entry.deliveredAt)).toBeGreaterThanOrEqual(start + 10 * 60_000);

    // Once delivered, never again.
    const before = receiver.arrivals.length;
    t.clock.advance(24 * 3600_000);
    await jobs.runDue();
    expect(receiver.arrivals.length).toBe(before);
  });

  it("are replayed with the same event id, by admins only", async () => {
    receiver.down = () => false;
    const jobs = dispatcher();
    const s = await hundesteuer();
    await jobs.runDue();
    const [original] = await deliveriesOf(s.id);
    expect(receiver.accepted().get(original!.event_id)).toBe(1);

    const clerk = await staffMember(t, "tangerhuette", "staff", ["kaemmerei"]);
    expect((await officeCall(t, clerk.office, "POST", `${T}/office/webhooks/${original!.id}/replay`)).status).toBe(403);
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/webhooks`)).status).toBe(403);
    const admin = await staffMember(t, "tangerhuette", "admin");
    const otherTown = await staffMember(t, "musterstadt", "admin");
    expect((await officeCall(t, otherTown.office, "POST", `${api("musterstadt")}/office/webhooks/${original!.id}/replay`)).status).toBe(404);
    expect((await officeCall(t, admin.office, "POST", `${T}/office/webhooks/wd_doesnotexist/replay`)).status).toBe(404);
    expect((await officeCall(t, admin.office, "POST", `${T}/office/webhooks/${original!.id}/replay`, undefined, { csrf: false })).status).toBe(403);

    const replay = await officeCall(t, admin.office, "POST", `${T}/office/webhooks/${original!.id}/replay`);
    expect(replay.status, replay.text).toBe(202);
    expect(replay.json).toMatchObject({ eventId: original!.event_id, replayOf: original!.id, status: "pending", attempts: 0, log: [] });
    expect(replay.json.id).not.toBe(original!.id);
    await jobs.runDue();
    expect(receiver.accepted().get(original!.event_id)).toBe(2);
    const both = receiver.arrivals.filter((a) => a.eventId === original!.event_id);
    expect(both[0]!.body).toEqual(both[1]!.body);

    const failedOnly = await officeCall(t, admin.office, "GET", `${T}/office/webhooks?status=delivered`);
    expect(failedOnly.json.items.every((i: { status: string }) => i.status === "delivered")).toBe(true);
    const audit = await officeCall(t, admin.office, "GET", `${T}/office/audit`);
    expect(audit.json.items[0]).toMatchObject({ action: "webhook.replay", subject: `submission:${s.id}`, actor: { id: admin.account.id } });
  });

  it("tell the town's system of each status change a clerk makes, with the reason, the same change on a replay", async () => {
    receiver.down = () => false;
    const jobs = dispatcher();
    const s = await hundesteuer();
    const clerk = await staffMember(t, "tangerhuette", "staff", ["kaemmerei"]);
    const S = `${T}/office/submissions/${s.id}`;
    t.clock.advance(60_000);
    expect((await officeCall(t, clerk.office, "POST", `${S}/status`, { status: "in_progress" })).status).toBe(200);
    const changedAt = t.clock.now() + 60_000;
    t.clock.advance(60_000);
    expect((await officeCall(t, clerk.office, "POST", `${S}/status`, { status: "rejected", reason: "Der Hund ist bereits angemeldet." })).status).toBe(200);
    // A refused change tells nobody anything.
    expect((await officeCall(t, clerk.office, "POST", `${S}/status`, { status: "approved" })).status).toBe(409);
    await jobs.runDue();

    const deliveries = await deliveriesOf(s.id);
    expect(deliveries.map((d) => d.event).sort()).toEqual(["submission.created", "submission.status_changed", "submission.status_changed"]);
    const changes = receiver.arrivals.filter((a) => a.status === 200 && deliveries.some((d) => d.event === "submission.status_changed" && d.event_id === a.eventId));
    expect(changes.every((a) => a.signatureValid)).toBe(true);
    const rejected = changes.map((a) => a.body as { status: { value: string } }).find((b) => b.status.value === "rejected");
    expect(rejected).toEqual({
      event: "submission.status_changed",
      id: expect.stringMatching(/^evt_/),
      tenant: "tangerhuette",
      form: "hundesteuer",
      formVersion: await formVersion(t, "tangerhuette", "hundesteuer"),
      submission: { id: s.id, reference: s.reference, submittedAt: expect.any(String) },
      status: { value: "rejected", reason: "Der Hund ist bereits angemeldet.", changedAt: new Date(changedAt).toISOString() },
    });
    // No form data in a status event: the system has it from submission.created.
    expect(JSON.stringify(rejected)).not.toContain("DE89370400440532013000");

    // A replay reports the same change, not the submission's status of today.
    const admin = await staffMember(t, "tangerhuette", "admin");
    const inProgress = deliveries.find((d) => d.event === "submission.status_changed" && changes.some((a) => a.eventId === d.event_id && (a.body as { status: { value: string } }).status.value === "in_progress"))!;
    expect((await officeCall(t, admin.office, "POST", `${T}/office/webhooks/${inProgress.id}/replay`)).status).toBe(202);
    await jobs.runDue();
    const both = receiver.arrivals.filter((a) => a.eventId === inProgress.event_id && a.status === 200);
    expect(both).toHaveLength(2);
    expect(both[1]!.body).toEqual(both[0]!.body);
  });

  it("count a refused connection as a failed attempt, to be tried again after the backoff", async () => {
    receiver.down = () => false;
    let refuse: ((req: Request) => Promise<Response>) | undefined;
    if (t.runtime === "node") {
      // A port that was just free: nothing listens there.
      const { createServer } = await import("node:http");
      const probe = createServer();
      await new Promise<void>((ok) => probe.listen(0, "127.0.0.1", ok));
      const port = (probe.address() as { port: number }).port;
      await new Promise<void>((ok) => probe.close(() => ok()));
      await setWebhooks([hookConfig(`http://127.0.0.1:${port}/rathaus`)]);
    } else {
      refuse = async () => {
        throw new TypeError("Network connection lost.");
      };
    }
    try {
      const s = await hundesteuer();
      await dispatcher(refuse ? { fetch: refuse } : {}).runDue();
      const [d] = await deliveriesOf(s.id);
      expect(d).toMatchObject({ status: "pending", attempts: 1, last_status: null });
      expect(d!.last_error).toMatch(t.runtime === "node" ? /ECONNREFUSED/ : /Network connection lost/);
      await setWebhooks([hookConfig()]);
      t.clock.advance(30_000);
      await dispatcher().runDue();
      expect((await deliveriesOf(s.id))[0]).toMatchObject({ status: "delivered", attempts: 2, last_status: 200, last_error: null });
    } finally {
      await setWebhooks([hookConfig()]);
    }
  });

  it("wait without using up attempts while the secret is not set, and leave other forms alone", async () => {
    receiver.down = () => false;
    const s = await hundesteuer();
    await dispatcher({ secrets: () => undefined }).runDue();
    const [waiting] = await deliveriesOf(s.id);
    expect(waiting).toMatchObject({ status: "pending", attempts: 0, last_error: "environment variable WEBHOOK_TGH_FV is not set" });
    expect(receiver.arrivals.some((a) => a.body.submission.id === s.id)).toBe(false);
    t.clock.advance(5 * 60_000);
    await dispatcher().runDue();
    expect((await deliveriesOf(s.id))[0]).toMatchObject({ status: "delivered", attempts: 1 });

    // The Mängelmelder has no webhook: nothing is queued for it.
    const citizen = await verifiedAccount(t, "tangerhuette");
    const res = await call(t, "POST", `${T}/forms/maengelmelder/submissions`, {
      token: citizen.token,
      body: { version: await formVersion(t, "tangerhuette", "maengelmelder"), data: { kategorie: "strassenschaden", ort: "Markt 1", beschreibung: "Ein Schlagloch vor dem Rathaus.", rueckruf: false } },
      headers: { "Idempotency-Key": idempotencyKey() },
    });
    expect(res.status, res.text).toBe(201);
    expect(await deliveriesOf(res.json.id)).toEqual([]);
  });
});

async function download(who: OfficeLogin, path: string) {
  const res = await t.app.request(path, { headers: { Cookie: who.cookie } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
const sha512 = async (bytes: Uint8Array) => hex(await crypto.subtle.digest("SHA-512", bytes as Uint8Array<ArrayBuffer>));

describe("the FIT-Connect-shaped package", () => {
  it("holds metadata whose hashes match data.json and the attachments, for staff who may see the submission", async () => {
    const s = await hundesteuer({ certificate: true });
    const clerk = await staffMember(t, "tangerhuette", "staff", ["kaemmerei"]);
    const res = await download(clerk.office, `${T}/office/submissions/${s.id}/export.zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain(`${s.reference}.zip`);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(Number(res.headers.get("content-length"))).toBe(res.bytes.length);

    const files = readZip(res.bytes);
    expect([...files.keys()]).toEqual(["metadata.json", "data.json", "attachments/Wesenstest Bello.pdf"]);
    const metadata = JSON.parse(new TextDecoder().decode(files.get("metadata.json")));
    const data = files.get("data.json")!;
    expect(JSON.parse(new TextDecoder().decode(data))).toEqual((await officeCall(t, clerk.office, "GET", `${T}/office/submissions/${s.id}`)).json.data);
    expect(files.get("attachments/Wesenstest Bello.pdf")).toEqual(pdfBytes("/Title (Wesenstest) "));
    expect(metadata).toEqual({
      contentStructure: {
        data: {
          hash: { type: "sha512", content: await sha512(data) },
          submissionSchema: { schemaUri: `${testPublicUrl}/api/v1/tenants/tangerhuette/forms/hundesteuer/schema.json`, mimeType: "application/json" },
        },
        attachments: [
          {
            attachmentId: s.data.hunde[0]!.nachweis![0],
            hash: { type: "sha512", content: await sha512(pdfBytes("/Title (Wesenstest) ")) },
            purpose: "attachment",
            filename: "Wesenstest Bello.pdf",
            mimeType: "application/pdf",
          },
        ],
      },
      publicServiceType: { name: expect.stringContaining("Hundesteuer"), identifier: "urn:de:fim:leika:leistung:99008002001000" },
      additionalReferenceInfo: { senderReference: s.reference, applicationDate: berlinDate(t.clock.now()) },
      replyChannel: { eMail: { address: s.citizen.email } },
    });
    // The schema it names is served.
    expect((await call(t, "GET", new URL(metadata.contentStructure.data.submissionSchema.schemaUri).pathname)).status).toBe(200);

    const otherDept = await staffMember(t, "tangerhuette", "staff", ["kita"]);
    expect((await download(otherDept.office, `${T}/office/submissions/${s.id}/export.zip`)).status).toBe(404);
    expect((await call(t, "GET", `${T}/office/submissions/${s.id}/export.zip`, { token: s.citizen.token })).status).toBe(401);
    const admin = await staffMember(t, "tangerhuette", "admin");
    expect((await download(admin.office, `${T}/office/submissions/${s.id}/export.zip`)).status).toBe(200);
    const audit = await officeCall(t, admin.office, "GET", `${T}/office/audit`);
    expect(audit.json.items.filter((e: { action: string; subject: string }) => e.action === "submission.export" && e.subject === `submission:${s.id}`)).toHaveLength(2);
  });
});

/** RFC 4180 as a spreadsheet reads it: quoted cells with doubled quotes, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const cell = /"((?:[^"]|"")*)"(,|\r\n)/gy;
  let row: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = cell.exec(text))) {
    row.push(m[1]!.replace(/""/g, '"'));
    if (m[2] === "\r\n") {
      rows.push(row);
      row = [];
    }
  }
  expect(cell.lastIndex === 0 ? text.length : cell.lastIndex, "the whole text is quoted cells").toBe(text.length);
  return rows;
}

describe("the CSV export", () => {
  it("has one row per submission of the period, one column per answer, and no formulas", async () => {
    // A day of its own, so the other tests' submissions stay out.
    t.clock.advance(3 * 24 * 3600_000);
    const day = berlinDate(t.clock.now());
    const one = await hundesteuer({ data: (d) => (d.hunde[0]!.name = '=HYPERLINK("http://böse.example","Bello")') });
    t.clock.advance(60_000);
    const two = await hundesteuer({ dogs: 2 });
    t.clock.advance(2 * 24 * 3600_000);
    await hundesteuer();

    const clerk = await staffMember(t, "tangerhuette", "staff", ["kaemmerei"]);
    const res = await download(clerk.office, `${T}/office/forms/hundesteuer/submissions.csv?from=${day}&to=${day}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain(`hundesteuer-${day}-${day}.csv`);
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(res.bytes.subarray(3)));
    const [header, ...records] = rows;
    expect(header!.slice(0, 8)).toEqual(["reference", "submittedAt", "status", "applicant", "halter.name", "halter.geburtsdatum", "halter.anschrift.street", "halter.anschrift.postalCode"]);
    expect(header).toContain("hunde.1.name");
    expect(header).not.toContain("hunde.2.name");
    expect(records.map((r) => r[0])).toEqual([one.reference, two.reference]);
    const row = (r: string[]) => Object.fromEntries(header!.map((h, i) => [h, r[i]]));
    expect(row(records[0]!)).toMatchObject({
      status: "received",
      applicant: "Erika Mustermann",
      "halter.anschrift.city": "Tangerhütte",
      "hunde.0.name": `'=HYPERLINK("http://böse.example","Bello")`,
      "hunde.1.name": "",
      iban: "DE89370400440532013000",
      sepa_mandat: "true",
    });
    expect(row(records[1]!)).toMatchObject({ "hunde.0.name": "Bello", "hunde.1.name": "Hund 2" });
    expect(records.every((r) => r.length === header!.length)).toBe(true);

    // Another department's clerk does not find the form; bad periods are refused.
    const otherDept = await staffMember(t, "tangerhuette", "staff", ["kita"]);
    expect((await download(otherDept.office, `${T}/office/forms/hundesteuer/submissions.csv?from=${day}&to=${day}`)).status).toBe(404);
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/forms/hundesteuer/submissions.csv?from=${day}&to=2020-01-01`)).status).toBe(400);
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/forms/hundesteuer/submissions.csv?from=2026-02-30&to=2026-03-01`)).status).toBe(400);
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/forms/gibtesnicht/submissions.csv?from=${day}&to=${day}`)).status).toBe(404);
    expect((await call(t, "GET", `${T}/office/forms/hundesteuer/submissions.csv?from=${day}&to=${day}`)).status).toBe(401);
  });
});
