import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import { pruneUnusedUploads } from "../../server/forms/uploads.js";
import type { TestApp } from "../harness/types.js";
import { api, call, verifiedAccount } from "./flows.js";
import { formVersion, hundesteuerData, idempotencyKey, maengelData, pdfBytes, pngBytes, solvedProof, upload } from "./form-flows.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const T = api("tangerhuette");
const M = api("musterstadt");

async function submit(slug: string, formId: string, body: Record<string, unknown>, opts: { token?: string; key?: string } = {}) {
  return call(t, "POST", `${api(slug)}/forms/${formId}/submissions`, {
    body: { version: await formVersion(t, slug, formId), ...body },
    ...(opts.token ? { token: opts.token } : {}),
    headers: { "Idempotency-Key": opts.key ?? idempotencyKey() },
  });
}

describe("GET forms", () => {
  it("lists each town's forms, the catalogue's Hundesteuer with the town's adaptations", async () => {
    const tgh = await call(t, "GET", `${T}/forms`);
    expect(tgh.status).toBe(200);
    const ids = tgh.json.items.map((f: { id: string }) => f.id);
    expect(ids).toEqual(expect.arrayContaining(["hundesteuer", "kita-anmeldung", "maengelmelder", "osterfeuer"]));
    const mst = await call(t, "GET", `${M}/forms`);
    expect(mst.json.items.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining(["hundesteuer", "maengelmelder"]));
    const anonymous = tgh.json.items.find((f: { id: string }) => f.id === "maengelmelder");
    expect(anonymous.access.anonymous).toBe(true);
  });

  it("serves a definition with its version, an ETag and 304", async () => {
    const res = await call(t, "GET", `${T}/forms/hundesteuer`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: "hundesteuer", source: "catalog", version: expect.any(Number) });
    const etag = res.headers.get("etag")!;
    expect((await call(t, "GET", `${T}/forms/hundesteuer`, { headers: { "If-None-Match": etag } })).status).toBe(304);
  });

  it("applies a town's `hide` to a catalogue form for that town only", async () => {
    const fieldsOf = (def: { steps: Array<{ items: Array<{ id: string; items?: Array<{ id: string }> }> }> }) =>
      def.steps.flatMap((s) => s.items.flatMap((i) => [i.id, ...(i.items ?? []).map((c) => `${i.id}.${c.id}`)]));
    expect(fieldsOf((await call(t, "GET", `${T}/forms/hundesteuer`)).json)).toContain("halter.telefon");
    expect(fieldsOf((await call(t, "GET", `${M}/forms/hundesteuer`)).json)).not.toContain("halter.telefon");
  });

  it("answers 404 for an unknown form and a malformed id", async () => {
    expect((await call(t, "GET", `${T}/forms/gibt-es-nicht`)).status).toBe(404);
    expect((await call(t, "GET", `${T}/forms/..%2Fetc`)).status).toBe(404);
  });

  it("publishes a JSON Schema 2020-12 of the data", async () => {
    const res = await call(t, "GET", `${T}/forms/hundesteuer/schema.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/schema+json");
    expect(res.json.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(res.json.$id).toBe("http://rathaus.test/api/v1/tenants/tangerhuette/forms/hundesteuer/schema.json");
  });
});

describe("drafts", () => {
  it("saves, reads back, replaces and deletes one draft per account and form", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const version = await formVersion(t, "tangerhuette", "hundesteuer");
    const path = `${T}/forms/hundesteuer/draft`;
    expect((await call(t, "GET", path, { token: a.token })).json.error.code).toBe("draft_not_found");
    const saved = await call(t, "PUT", path, { token: a.token, body: { version, data: { halter: { name: "Erika" } } } });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ version, outdated: false, data: { halter: { name: "Erika" } } });
    await call(t, "PUT", path, { token: a.token, body: { version, data: { zahlungsart: "lastschrift" } } });
    expect((await call(t, "GET", path, { token: a.token })).json.data).toEqual({ zahlungsart: "lastschrift" });
    expect((await call(t, "DELETE", path, { token: a.token })).status).toBe(204);
    expect((await call(t, "GET", path, { token: a.token })).status).toBe(404);
  });

  it("names the files a draft refers to, so it can be resumed on another device", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const b = await verifiedAccount(t, "tangerhuette");
    const version = await formVersion(t, "tangerhuette", "hundesteuer");
    const mine = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes(), name: "Sachkunde.pdf" }, { token: a.token });
    const theirs = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes(), name: "Fremd.pdf" }, { token: b.token });
    await call(t, "PUT", `${T}/forms/hundesteuer/draft`, { token: a.token, body: { version, data: { hunde: [{ nachweis: [mine.json.id, theirs.json.id] }] } } });
    const draft = await call(t, "GET", `${T}/forms/hundesteuer/draft`, { token: a.token });
    // Another citizen's upload id in the draft reveals nothing about that file.
    expect(draft.json.uploads).toEqual([{ id: mine.json.id, name: "Sachkunde.pdf", size: pdfBytes().length, mediaType: "application/pdf" }]);
  });

  it("flags a draft saved against an older version as outdated", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const version = await formVersion(t, "tangerhuette", "kita-anmeldung");
    await call(t, "PUT", `${T}/forms/kita-anmeldung/draft`, { token: a.token, body: { version: version + 7, data: {} } });
    expect((await call(t, "GET", `${T}/forms/kita-anmeldung/draft`, { token: a.token })).json.outdated).toBe(true);
  });

  it("keeps drafts apart: another citizen finds none, and without a session there is none", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const b = await verifiedAccount(t, "tangerhuette");
    const version = await formVersion(t, "tangerhuette", "osterfeuer");
    await call(t, "PUT", `${T}/forms/osterfeuer/draft`, { token: a.token, body: { version, data: { ort_beschreibung: "geheim" } } });
    expect((await call(t, "GET", `${T}/forms/osterfeuer/draft`, { token: b.token })).status).toBe(404);
    expect((await call(t, "GET", `${T}/forms/osterfeuer/draft`)).status).toBe(401);
    // A session of one town is nothing in another.
    expect((await call(t, "GET", `${M}/forms/osterfeuer/draft`, { token: a.token })).status).toBe(401);
  });

  it("keeps a draft 30 days after its last change", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const version = await formVersion(t, "tangerhuette", "maengelmelder");
    await call(t, "PUT", `${T}/forms/maengelmelder/draft`, { token: a.token, body: { version, data: { ort: "Markt 1" } } });
    t.clock.advance(29 * 24 * 3600_000);
    expect((await call(t, "GET", `${T}/forms/maengelmelder/draft`, { token: a.token })).status).toBe(200);
    t.clock.advance(2 * 24 * 3600_000);
    expect((await call(t, "GET", `${T}/forms/maengelmelder/draft`, { token: a.token })).status).toBe(404);
  });

  it("refuses a draft that is not an object of answers", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const res = await call(t, "PUT", `${T}/forms/hundesteuer/draft`, { token: a.token, body: { version: 1, data: [1, 2] } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
  });
});

describe("POST forms/{id}/submissions with an account", () => {
  it("takes a Hundesteuer with two dogs and a certificate, numbers it, and mails receipt and department", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const up = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes(), name: "Wesenstest.pdf", type: "application/pdf" }, { token: a.token });
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({ name: "Wesenstest.pdf", mediaType: "application/pdf", size: pdfBytes().length });
    const res = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData({ certificate: up.json.id, dogs: 2 }) }, { token: a.token });
    expect(res.status, res.text).toBe(201);
    expect(res.json.reference).toMatch(/^TGH-2026-\d{6}$/);

    await t.deliver();
    const receipt = t.mails().find((m) => m.to.includes(a.email) && m.subject.includes(res.json.reference));
    expect(receipt, "receipt mail").toBeDefined();
    expect(receipt!.attachments).toHaveLength(1);
    expect(receipt!.attachments[0]!.contentType).toBe("application/pdf");
    expect(new TextDecoder().decode(receipt!.attachments[0]!.content.slice(0, 5))).toBe("%PDF-");
    const notice = t.mails().find((m) => m.to.includes("steuern@tangerhuette.example") && m.subject.includes(res.json.reference));
    expect(notice, "department notification").toBeDefined();
    // The department learns that something came, not who sent what.
    for (const secret of ["Mustermann", "DE89", "Bello", a.email]) expect(notice!.text).not.toContain(secret);
    expect(notice!.attachments).toHaveLength(0);

    const mine = await call(t, "GET", `${T}/me/submissions`, { token: a.token });
    expect(mine.json.items).toEqual([expect.objectContaining({ id: res.json.id, reference: res.json.reference, formId: "hundesteuer", status: "received" })]);
    const detail = await call(t, "GET", `${T}/me/submissions/${res.json.id}`, { token: a.token });
    expect(detail.json.data.hunde).toHaveLength(2);
    expect(detail.json.data.iban).toBe("DE89370400440532013000");
    expect(detail.json.uploads).toEqual([expect.objectContaining({ id: up.json.id, name: "Wesenstest.pdf" })]);
  });

  it("answers 400 validation_failed with the rules' field codes, and stores nothing", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const data = { ...hundesteuerData(), iban: "DE00 1234", hunde: [{ ...hundesteuerData().hunde[0], listenhund: true }] };
    const res = await submit("tangerhuette", "hundesteuer", { data }, { token: a.token });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
    expect(res.json.error.fields.iban.code).toBe("invalid_iban");
    expect(res.json.error.fields["hunde.0.nachweis"].code).toBe("required");
    expect(res.json.error.fields.iban.messages.de).toBeTruthy();
    expect((await call(t, "GET", `${T}/me/submissions`, { token: a.token })).json.items).toEqual([]);
  });

  it("drops answers of hidden fields instead of storing them", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const data = { ...hundesteuerData(), zahlungsart: "ueberweisung" };
    const res = await submit("tangerhuette", "hundesteuer", { data }, { token: a.token });
    expect(res.status, res.text).toBe(201);
    const stored = (await call(t, "GET", `${T}/me/submissions/${res.json.id}`, { token: a.token })).json.data;
    expect(stored.zahlungsart).toBe("ueberweisung");
    expect(stored).not.toHaveProperty("iban");
    expect(stored).not.toHaveProperty("kontoinhaber");
    expect(stored).not.toHaveProperty("sepa_mandat");
  });

  it("answers the same Idempotency-Key with the same submission, and refuses it for other content", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const key = idempotencyKey();
    const first = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData() }, { token: a.token, key });
    const again = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData() }, { token: a.token, key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect((await call(t, "GET", `${T}/me/submissions`, { token: a.token })).json.items).toHaveLength(1);
    const other = await submit("tangerhuette", "hundesteuer", { data: { ...hundesteuerData(), zahlungsart: "ueberweisung" } }, { token: a.token, key });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe("idempotency_key_reused");
  });

  it("gives parallel submissions distinct, consecutive reference numbers", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const results = await Promise.all(Array.from({ length: 8 }, () => submit("tangerhuette", "hundesteuer", { data: hundesteuerData() }, { token: a.token })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const numbers = results.map((r) => Number(r.json.reference.slice(-6))).sort((x, y) => x - y);
    expect(new Set(numbers).size).toBe(8);
    expect(numbers[7]! - numbers[0]!).toBe(7);
  });

  it("refuses a submission against another version than the current one", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const res = await call(t, "POST", `${T}/forms/hundesteuer/submissions`, { token: a.token, body: { version: 999, data: hundesteuerData() } });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("form_changed");
  });

  it("refuses account kinds the form is not for, and unverified accounts", async () => {
    const verein = await verifiedAccount(t, "tangerhuette", { kind: "association", organisation: "Hundesportverein Tangerhütte e. V." });
    const res = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData() }, { token: verein.token });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("account_kind_not_allowed");
  });

  it("needs an account for account-only forms", async () => {
    const res = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData(), email: "x@example.org" });
    expect(res.status).toBe(401);
  });
});

describe("sending without an account", () => {
  it("takes a defect report with a photo, with proof of work and an e-mail for the receipt", async () => {
    const photo = await upload(t, "tangerhuette", "maengelmelder", "fotos", { bytes: pngBytes(), name: "schlagloch.png", type: "image/png" }, { proof: await solvedProof(t, "tangerhuette", "upload") });
    expect(photo.status, photo.text).toBe(201);
    const res = await submit("tangerhuette", "maengelmelder", { data: maengelData(photo.json.id), email: "anwohner@example.org", proof: await solvedProof(t, "tangerhuette", "submission") });
    expect(res.status, res.text).toBe(201);
    await t.deliver();
    const receipt = t.mails().find((m) => m.to.includes("anwohner@example.org"));
    expect(receipt?.subject).toContain(res.json.reference);
    // The link in the mail opens the receipt without an account.
    const pdf = await t.app.request(new URL(res.json.receiptUrl).pathname + new URL(res.json.receiptUrl).search);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toContain("attachment");
    expect(receipt!.text).toContain(res.json.receiptUrl);
  });

  it("refuses a missing, a wrong and a reused proof", async () => {
    const missing = await submit("tangerhuette", "maengelmelder", { data: maengelData(), email: "a@example.org" });
    expect(missing.status).toBe(400);
    expect(missing.json.error.fields.proof.code).toBe("proof_required");
    const wrong = await submit("tangerhuette", "maengelmelder", { data: maengelData(), email: "a@example.org", proof: btoa(JSON.stringify({ algorithm: "SHA-256", challenge: "x", number: 1, salt: "y", signature: "z" })) });
    expect(wrong.status).toBe(400);
    const proof = await solvedProof(t, "tangerhuette", "submission");
    expect((await submit("tangerhuette", "maengelmelder", { data: maengelData(), email: "a@example.org", proof })).status).toBe(201);
    expect((await submit("tangerhuette", "maengelmelder", { data: maengelData(), email: "a@example.org", proof })).status).toBe(400);
    // A proof solved for one town is worthless in another.
    const other = await submit("musterstadt", "maengelmelder", { data: maengelData(), email: "a@example.org", proof: await solvedProof(t, "tangerhuette", "submission") });
    expect(other.status).toBe(400);
  });

  it("limits anonymous submissions per address to 20 an hour", async () => {
    const from = { "X-Test-IP": "198.51.100.77" };
    const send = async () =>
      call(t, "POST", `${T}/forms/maengelmelder/submissions`, {
        body: { version: await formVersion(t, "tangerhuette", "maengelmelder"), data: maengelData(), email: "viel@example.org", proof: await solvedProof(t, "tangerhuette", "submission") },
        headers: { ...from, "Idempotency-Key": idempotencyKey() },
      });
    for (let i = 0; i < 20; i++) expect((await send()).status).toBe(201);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("asks for the e-mail address for the receipt", async () => {
    const res = await submit("tangerhuette", "maengelmelder", { data: maengelData(), proof: await solvedProof(t, "tangerhuette", "submission") });
    expect(res.status).toBe(400);
    expect(res.json.error.fields.email.code).toBe("required");
  });
});

describe("uploads", () => {
  it("decides the type by content: HTML named photo.jpg is 415, a PDF with JavaScript 422", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const html = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: new TextEncoder().encode("<html><script>alert(1)</script></html>"), name: "photo.jpg", type: "image/jpeg" }, { token: a.token });
    expect(html.status).toBe(415);
    expect(JSON.parse(html.text).error.code).toBe("unsupported_type");
    const js = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes("/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "), name: "antrag.pdf" }, { token: a.token });
    expect(js.status).toBe(422);
    expect(js.json.error.code).toBe("unsafe_pdf");
    // A PNG is a fine file, but not one this field takes.
    const png = await upload(t, "tangerhuette", "osterfeuer", "lageplan", { bytes: pngBytes(), name: "x.png" }, { token: a.token });
    expect([400, 415]).toContain(png.status);
  });

  it("refuses a decompression bomb posing as a photo", async () => {
    // A PNG header announcing 100,000 × 100,000 pixels: tiny to upload, 40 GB to decode.
    const head = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0, 8, 6, 0, 0, 0, 0, 0, 0, 0]);
    const bomb = new Uint8Array(4096);
    bomb.set(head);
    const res = await upload(t, "tangerhuette", "maengelmelder", "fotos", { bytes: bomb, name: "foto.png" }, { proof: await solvedProof(t, "tangerhuette", "upload") });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("image_too_large");
  });

  it("stops a 2 GB upload at the field's limit while it streams, keeping nothing", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const boundary = "----dr2gb";
    const prefix = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nhunde.0.nachweis\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="riesig.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
    );
    const chunk = new Uint8Array(64 * 1024);
    const total = 2 * 1024 ** 3;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) return controller.close();
        const next = pulled === 0 ? prefix : chunk;
        pulled += next.byteLength;
        controller.enqueue(next);
      },
    });
    const res = await t.app.request(
      new Request(`http://rathaus.test${T}/forms/hundesteuer/uploads`, {
        method: "POST",
        body,
        headers: { Authorization: `Bearer ${a.token}`, "Content-Type": `multipart/form-data; boundary=${boundary}` },
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    // The field allows 10 MB: reading stopped right after, nowhere near 2 GB.
    expect(pulled).toBeLessThan(12 * 1024 * 1024);
    expect(await t.store.db.selectFrom("uploads").select("id").where("name", "=", "riesig.pdf").execute()).toEqual([]);
  });

  it("cleans file names and keeps the extension of the real type", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const res = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes(), name: "../../etc/passwd" }, { token: a.token });
    expect(res.status).toBe(201);
    expect(res.json.name).toBe("passwd.pdf");
  });

  it("refuses a file larger than the field allows with 413, keeping nothing", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(pdfBytes());
    const res = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: big, name: "gross.pdf" }, { token: a.token });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("file_too_large");
    expect(await t.store.db.selectFrom("uploads").select("id").where("name", "=", "gross.pdf").execute()).toEqual([]);
  });

  it("answers 400 for a truncated body and for an unknown field", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const truncated = await t.app.request(`${T}/forms/hundesteuer/uploads`, {
      method: "POST",
      headers: { Authorization: `Bearer ${a.token}`, "Content-Type": "multipart/form-data; boundary=XyZ" },
      body: '--XyZ\r\nContent-Disposition: form-data; name="field"\r\n\r\nhunde.0.nachweis\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 abc',
    });
    expect(truncated.status).toBe(400);
    expect(((await truncated.json()) as { error: { code: string } }).error.code).toBe("malformed_multipart");
    const unknown = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.rasse", { bytes: pdfBytes(), name: "a.pdf" }, { token: a.token });
    expect(unknown.status).toBe(400);
    const notMultipart = await call(t, "POST", `${T}/forms/hundesteuer/uploads`, { token: a.token, body: { field: "x" } });
    expect(notMultipart.status).toBe(415);
  });

  it("does not let one citizen's upload into another's submission, nor one town's into another", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const b = await verifiedAccount(t, "tangerhuette");
    const up = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes(), name: "a.pdf" }, { token: a.token });
    const res = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData({ certificate: up.json.id }) }, { token: b.token });
    expect(res.status).toBe(400);
    expect(res.json.error.fields["hunde.0.nachweis"].code).toBe("upload_not_found");
    const m = await verifiedAccount(t, "musterstadt");
    const cross = await submit("musterstadt", "hundesteuer", { data: hundesteuerData({ certificate: up.json.id }) }, { token: m.token });
    expect(cross.status).toBe(400);
    expect(cross.json.error.fields["hunde.0.nachweis"].code).toBe("upload_not_found");
    // And the owner cannot use it twice.
    expect((await submit("tangerhuette", "hundesteuer", { data: hundesteuerData({ certificate: up.json.id }) }, { token: a.token })).status).toBe(201);
    const twice = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData({ certificate: up.json.id }) }, { token: a.token });
    expect(twice.status).toBe(400);
  });

  it("deletes uploads no submission took after 24 hours, bytes and record, and keeps the sent ones", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const unused = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes(), name: "liegen-gelassen.pdf" }, { token: a.token });
    const used = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes(), name: "gesendet.pdf" }, { token: a.token });
    expect((await submit("tangerhuette", "hundesteuer", { data: hundesteuerData({ certificate: used.json.id }) }, { token: a.token })).status).toBe(201);
    const keyOf = async (id: string) => (await t.store.db.selectFrom("uploads").select("blob_key").where("id", "=", id).executeTakeFirst())?.blob_key;
    const unusedKey = (await keyOf(unused.json.id))!;
    const usedKey = (await keyOf(used.json.id))!;

    await pruneUnusedUploads(t.store, t.blobs, t.clock.now() + 23 * 3600_000);
    expect(await keyOf(unused.json.id)).toBe(unusedKey);
    await pruneUnusedUploads(t.store, t.blobs, t.clock.now() + 25 * 3600_000);
    expect(await keyOf(unused.json.id)).toBeUndefined();
    expect(await t.blobs.get(unusedKey)).toBeNull();
    const kept = await t.blobs.get(usedKey);
    expect(kept?.size).toBe(pdfBytes().length);
    await kept?.body.cancel();
  });

  it("lets the owner remove an upload not yet sent; others get 404", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const b = await verifiedAccount(t, "tangerhuette");
    const up = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes(), name: "a.pdf" }, { token: a.token });
    expect((await call(t, "DELETE", `${T}/forms/hundesteuer/uploads/${up.json.id}`, { token: b.token })).status).toBe(404);
    expect((await call(t, "DELETE", `${T}/forms/hundesteuer/uploads/${up.json.id}`)).status).toBe(404);
    expect((await call(t, "DELETE", `${T}/forms/hundesteuer/uploads/${up.json.id}`, { token: a.token })).status).toBe(204);
    const res = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData({ certificate: up.json.id }) }, { token: a.token });
    expect(res.json.error.fields["hunde.0.nachweis"].code).toBe("upload_not_found");
  });

  it("needs a proof for anonymous uploads and an account on account-only forms", async () => {
    expect((await upload(t, "tangerhuette", "maengelmelder", "fotos", { bytes: pngBytes(), name: "a.png" })).status).toBe(400);
    expect((await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes(), name: "a.pdf" }, { proof: await solvedProof(t, "tangerhuette", "upload") })).status).toBe(401);
  });
});

describe("submission files", () => {
  it("are downloads for their sender and the town's staff, as attachments that never render", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const b = await verifiedAccount(t, "tangerhuette");
    const up = await upload(t, "tangerhuette", "hundesteuer", "hunde.0.nachweis", { bytes: pdfBytes(), name: "Wesenstest.pdf" }, { token: a.token });
    const sent = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData({ certificate: up.json.id }) }, { token: a.token });
    const path = `${T}/submissions/${sent.json.id}/files/${up.json.id}`;
    const own = await t.app.request(path, { headers: { Authorization: `Bearer ${a.token}` } });
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("application/pdf");
    expect(own.headers.get("content-disposition")).toMatch(/^attachment; filename="Wesenstest\.pdf"/);
    expect(own.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await own.arrayBuffer())).toEqual(pdfBytes());

    const clerk = await verifiedAccount(t, "tangerhuette");
    await t.store.db.updateTable("accounts").set({ role: "staff" }).where("id", "=", clerk.account.id).execute();
    expect((await t.app.request(path, { headers: { Authorization: `Bearer ${clerk.token}` } })).status).toBe(200);

    expect((await call(t, "GET", path, { token: b.token })).status).toBe(404);
    expect((await call(t, "GET", path)).status).toBe(401);
    const m = await verifiedAccount(t, "musterstadt");
    expect((await call(t, "GET", `${M}/submissions/${sent.json.id}/files/${up.json.id}`, { token: m.token })).status).toBe(404);
  });
});

describe("me/submissions", () => {
  it("shows a citizen only their own submissions; another's is 404, as is one of another town", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const b = await verifiedAccount(t, "tangerhuette");
    const res = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData() }, { token: a.token });
    expect((await call(t, "GET", `${T}/me/submissions/${res.json.id}`, { token: b.token })).status).toBe(404);
    expect((await call(t, "GET", `${T}/me/submissions/${res.json.id}/receipt.pdf`, { token: b.token })).status).toBe(404);
    const m = await verifiedAccount(t, "musterstadt");
    expect((await call(t, "GET", `${M}/me/submissions/${res.json.id}`, { token: m.token })).status).toBe(404);
    expect((await call(t, "GET", `${T}/me/submissions/${res.json.id}/receipt.pdf`, { token: a.token })).status).toBe(200);
  });

  it("opens a receipt by its mail link only with the right token", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const res = await submit("tangerhuette", "hundesteuer", { data: hundesteuerData() }, { token: a.token });
    const url = new URL(res.json.receiptUrl);
    expect((await t.app.request(url.pathname + url.search)).status).toBe(200);
    expect((await t.app.request(`${url.pathname}?token=${"A".repeat(43)}`)).status).toBe(404);
    expect((await t.app.request(`${api("musterstadt")}/me/submissions/${res.json.id}/receipt.pdf${url.search}`)).status).toBe(404);
    expect((await t.app.request(url.pathname)).status).toBe(401);
  });

  it("pages through a citizen's submissions newest first", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      ids.push((await submit("tangerhuette", "hundesteuer", { data: hundesteuerData() }, { token: a.token })).json.id);
    }
    const first = await call(t, "GET", `${T}/me/submissions?limit=2`, { token: a.token });
    expect(first.json.items.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    const second = await call(t, "GET", `${T}/me/submissions?limit=2&cursor=${first.json.nextCursor}`, { token: a.token });
    expect(second.json.items.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    expect(second.json.nextCursor).toBeNull();
  });
});
