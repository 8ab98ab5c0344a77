import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";
import { api, call, verifiedAccount } from "./flows.js";
import { formVersion, hundesteuerData, idempotencyKey, maengelData, pdfBytes, solvedProof, upload } from "./form-flows.js";
import { type OfficeLogin, officeCall, officeLogin, staffMember } from "./office-flows.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const T = api("tangerhuette");
const M = api("musterstadt");

async function hundesteuer(citizen?: Awaited<ReturnType<typeof verifiedAccount>>) {
  const a = citizen ?? (await verifiedAccount(t, "tangerhuette"));
  const res = await call(t, "POST", `${T}/forms/hundesteuer/submissions`, {
    token: a.token,
    body: { version: await formVersion(t, "tangerhuette", "hundesteuer"), data: hundesteuerData() },
    headers: { "Idempotency-Key": idempotencyKey() },
  });
  expect(res.status, res.text).toBe(201);
  return { citizen: a, submission: res.json as { id: string; reference: string } };
}

async function officeUpload(who: OfficeLogin, submissionId: string, name: string) {
  const form = new FormData();
  form.append("file", new Blob([pdfBytes() as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), name);
  const res = await t.app.request(`${T}/office/submissions/${submissionId}/uploads`, { method: "POST", body: form, headers: { Cookie: who.cookie, "X-CSRF-Token": who.csrf } });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe("office sessions", () => {
  it("set an HttpOnly, Secure, SameSite=Strict host cookie and refuse citizens", async () => {
    const clerk = await verifiedAccount(t, "tangerhuette");
    await t.store.db.updateTable("accounts").set({ role: "staff" }).where("id", "=", clerk.account.id).execute();
    const res = await t.app.request(`${T}/office/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: clerk.email, password: clerk.password }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^__Host-dr-office-tangerhuette=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    const citizen = await verifiedAccount(t, "tangerhuette");
    const refused = await call(t, "POST", `${T}/office/login`, { body: { email: citizen.email, password: citizen.password } });
    expect(refused.status).toBe(403);
  });

  it("need the CSRF token on every write, and a bearer token counts for nothing", async () => {
    const clerk = await staffMember(t, "tangerhuette", "staff", ["kaemmerei"]);
    const { submission } = await hundesteuer();
    const noToken = await officeCall(t, clerk.office, "POST", `${T}/office/submissions/${submission.id}/notes`, { text: "x" }, { csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.json.error.code).toBe("csrf_failed");
    const wrong = await call(t, "POST", `${T}/office/submissions/${submission.id}/notes`, { body: { text: "x" }, headers: { Cookie: clerk.office.cookie, "X-CSRF-Token": "A".repeat(43) } });
    expect(wrong.status).toBe(403);
    expect((await call(t, "GET", `${T}/office/submissions`, { token: clerk.token })).status).toBe(401);
  });

  it("end after 30 idle minutes, and on logout on the server", async () => {
    const clerk = await staffMember(t, "tangerhuette", "staff", ["kaemmerei"]);
    t.clock.advance(29 * 60_000);
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/session`)).status).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/session`)).status).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/session`)).status).toBe(401);

    const again = await officeLogin(t, "tangerhuette", clerk.email, clerk.password);
    expect((await officeCall(t, again, "POST", `${T}/office/logout`)).status).toBe(204);
    expect((await officeCall(t, again, "GET", `${T}/office/session`)).status).toBe(401);
  });
});

describe("access matrix", () => {
  it("answers every office route for each kind of caller as expected", async () => {
    const { submission } = await hundesteuer();
    const sameDept = await staffMember(t, "tangerhuette", "staff", ["kaemmerei"]);
    const otherDept = await staffMember(t, "tangerhuette", "staff", ["kita"]);
    const admin = await staffMember(t, "tangerhuette", "admin");
    const otherTown = await staffMember(t, "musterstadt", "admin");
    const citizen = await verifiedAccount(t, "tangerhuette");
    const callers: Record<string, OfficeLogin | null> = { anonymous: null, citizenBearer: null, otherDept: otherDept.office, sameDept: sameDept.office, admin: admin.office, otherTownAdmin: otherTown.office };
    const S = `${T}/office/submissions/${submission.id}`;
    const draft = await officeCall(t, admin.office, "POST", `${T}/office/news`, { title: "Matrix", summary: "Kurz", body: "Text", topics: ["verwaltung"] });
    expect(draft.status, draft.text).toBe(201);
    // route → expected status per caller: anonymous, citizen (bearer only), staff of another department, of the form's department, admin, admin of another town.
    const matrix: Array<[string, string, unknown, [number, number, number, number, number, number]]> = [
      ["GET", `${T}/office/session`, undefined, [401, 401, 200, 200, 200, 401]],
      ["GET", `${T}/office/submissions`, undefined, [401, 401, 200, 200, 200, 401]],
      ["GET", S, undefined, [401, 401, 404, 200, 200, 401]],
      ["POST", `${S}/notes`, { text: "Geprüft" }, [401, 401, 404, 201, 201, 401]],
      ["POST", `${S}/assign`, { accountId: null }, [401, 401, 404, 200, 200, 401]],
      ["POST", `${S}/messages`, { text: "Guten Tag" }, [401, 401, 404, 201, 201, 401]],
      ["POST", `${S}/status`, { status: "closed" }, [401, 401, 404, 409, 409, 401]],
      ["GET", `${T}/office/news`, undefined, [401, 401, 200, 200, 200, 401]],
      ["POST", `${T}/office/news`, { title: "Neu", summary: "Kurz", body: "Text", topics: ["verwaltung"] }, [401, 401, 201, 201, 201, 401]],
      ["PATCH", `${T}/office/news/${draft.json.id}`, { title: "Geändert" }, [401, 401, 200, 200, 200, 401]],
      ["GET", `${T}/office/audit`, undefined, [401, 401, 403, 403, 200, 401]],
      ["GET", `${T}/office/audit.csv`, undefined, [401, 401, 403, 403, 200, 401]],
      ["GET", `${T}/office/staff`, undefined, [401, 401, 200, 200, 200, 401]],
      ["PATCH", `${T}/office/staff/${otherDept.account.id}`, { departments: ["kita"] }, [401, 401, 403, 403, 200, 401]],
      ["POST", `${T}/office/staff`, { email: "kollege@example.org", name: "K", role: "staff", departments: [] }, [401, 401, 403, 403, 201, 401]],
      ["GET", `${S}/export.zip`, undefined, [401, 401, 404, 200, 200, 401]],
      ["GET", `${T}/office/forms/hundesteuer/submissions.csv?from=2026-01-01&to=2026-12-31`, undefined, [401, 401, 404, 200, 200, 401]],
      ["GET", `${T}/office/webhooks`, undefined, [401, 401, 403, 403, 200, 401]],
    ];
    for (const [method, path, body, expected] of matrix) {
      const got: number[] = [];
      for (const [name, who] of Object.entries(callers)) {
        const res = name === "citizenBearer" ? await call(t, method, path, { token: citizen.token, ...(body !== undefined ? { body } : {}) }) : await officeCall(t, who, method, path, body);
        got.push(res.status);
      }
      expect(got, `${method} ${path.replace(T, "")}`).toEqual(expected);
    }
    // Another department's clerk does not even see it in the list.
    const list = await officeCall(t, otherDept.office, "GET", `${T}/office/submissions?q=${submission.reference}`);
    expect(list.json.items).toEqual([]);
  });
});

describe("the newsroom in the office", () => {
  it("writes, publishes, withdraws and deletes news with the office session, the same items as the widget's newsroom", async () => {
    const clerk = await staffMember(t, "tangerhuette", "staff", ["kita"]);
    const N = `${T}/office/news`;
    const created = await officeCall(t, clerk.office, "POST", N, { title: "Straßensperrung Bahnhofstraße", summary: "Ab Montag gesperrt.", body: "Die **Bahnhofstraße** ist gesperrt.", topics: ["bauen-verkehr"] });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    expect(created.json).toMatchObject({ status: "draft", title: "Straßensperrung Bahnhofstraße" });
    // Without the CSRF token nothing is written.
    expect((await officeCall(t, clerk.office, "PATCH", `${N}/${id}`, { title: "Gefälscht" }, { csrf: false })).status).toBe(403);
    // Bad input: the same clear error as everywhere.
    const bad = await officeCall(t, clerk.office, "PATCH", `${N}/${id}`, { topics: [] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("validation_failed");

    const published = await officeCall(t, clerk.office, "POST", `${N}/${id}/publish`);
    expect(published.status, published.text).toBe(200);
    expect(published.json.status).toBe("published");
    expect((await call(t, "GET", `${T}/news/${id}`)).json.title).toBe("Straßensperrung Bahnhofstraße");
    // The newsroom list shows its state.
    const list = await officeCall(t, clerk.office, "GET", N);
    expect(list.json.items.find((n: { id: string }) => n.id === id)).toMatchObject({ status: "published" });

    expect((await officeCall(t, clerk.office, "POST", `${N}/${id}/unpublish`)).json.status).toBe("draft");
    expect((await call(t, "GET", `${T}/news/${id}`)).status).toBe(404);
    expect((await officeCall(t, clerk.office, "DELETE", `${N}/${id}`)).status).toBe(204);
    expect((await officeCall(t, clerk.office, "GET", N)).json.items.some((n: { id: string }) => n.id === id)).toBe(false);
    // Another town's office does not reach this town's items.
    const elsewhere = await staffMember(t, "musterstadt", "admin");
    const other = await officeCall(t, clerk.office, "POST", N, { title: "Nur hier", summary: "Kurz", body: "Text", topics: ["verwaltung"] });
    expect((await officeCall(t, elsewhere.office, "PATCH", `${api("musterstadt")}/office/news/${other.json.id}`, { title: "Fremd" })).status).toBe(404);
  });
});

describe("searching the inbox", () => {
  it("finds a submission by its reference, its number and the beginnings of the applicant's names, however spelt", async () => {
    const surname = `Ömerbaş${Math.random().toString(36).slice(2, 8)}`;
    const citizen = await verifiedAccount(t, "tangerhuette", { name: `Jürgen ${surname}` });
    const { submission } = await hundesteuer(citizen);
    const clerk = await staffMember(t, "tangerhuette", "staff", ["kaemmerei"]);
    const found = async (q: string) => {
      const res = await officeCall(t, clerk.office, "GET", `${T}/office/submissions?q=${encodeURIComponent(q)}`);
      expect(res.status, res.text).toBe(200);
      return (res.json.items as Array<{ id: string }>).map((i) => i.id);
    };
    const [, year, number] = submission.reference.split("-") as [string, string, string];
    const folded = surname.toLowerCase().replace("ö", "o").replace("ş", "s");
    for (const q of [submission.reference, submission.reference.toLowerCase(), submission.reference.slice(0, -1), String(Number(number)), number, `${year}-${number}`, surname, folded.slice(0, 7), `oe${folded.slice(1)}`, `jurg ${folded.slice(0, 4)}`, `JÜRGEN ${surname.toUpperCase()}`]) {
      expect(await found(q), q).toContain(submission.id);
    }
    // Words match beginnings of words, every word must match, and nothing of another town is found.
    for (const q of [folded.slice(2), `${surname} Anna`, `${Number(year) + 1}-${number}`, `XYZ-${year}-${number}`]) {
      expect(await found(q), q).not.toContain(submission.id);
    }
    const elsewhere = await staffMember(t, "musterstadt", "admin");
    const there = await officeCall(t, elsewhere.office, "GET", `${api("musterstadt")}/office/submissions?q=${encodeURIComponent(surname)}`);
    expect(there.json.items).toEqual([]);
    // The counts are those of the matches.
    const counted = await officeCall(t, clerk.office, "GET", `${T}/office/submissions?q=${encodeURIComponent(surname)}`);
    expect(counted.json.counts).toEqual({ received: 1, in_progress: 0, waiting: 0, approved: 0, rejected: 0, closed: 0 });
  });
});

describe("working on a submission", () => {
  it("goes eingegangen → in Bearbeitung → Rückfrage → reply → bewilligt with a Bescheid, all in the Postfach and the audit log", async () => {
    const { citizen, submission } = await hundesteuer();
    const clerk = await staffMember(t, "tangerhuette", "staff", ["kaemmerei"]);
    const admin = await staffMember(t, "tangerhuette", "admin");
    const S = `${T}/office/submissions/${submission.id}`;

    const inbox = await officeCall(t, clerk.office, "GET", `${T}/office/submissions?status=received&q=${submission.reference}`);
    expect(inbox.json.items).toEqual([expect.objectContaining({ id: submission.id, unread: true, applicantName: "Erika Mustermann", assignee: null })]);
    expect(inbox.json.counts.received).toBeGreaterThanOrEqual(1);

    const opened = await officeCall(t, clerk.office, "GET", S);
    expect(opened.json.form.id).toBe("hundesteuer");
    expect(opened.json.data.iban).toBe("DE89370400440532013000");
    expect(opened.json.nextStatuses).toEqual(["in_progress"]);
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/submissions?q=${submission.reference}`)).json.items[0].unread).toBe(false);

    expect((await officeCall(t, clerk.office, "POST", `${S}/assign`, { accountId: clerk.account.id })).json.assignee).toEqual({ id: clerk.account.id, name: "Erika Mustermann" });
    expect((await officeCall(t, clerk.office, "POST", `${S}/status`, { status: "approved" })).status).toBe(409);
    t.clock.advance(60_000);
    expect((await officeCall(t, clerk.office, "POST", `${S}/status`, { status: "in_progress" })).json.status).toBe("in_progress");
    t.clock.advance(60_000);
    const asked = await officeCall(t, clerk.office, "POST", `${S}/status`, { status: "waiting", message: "Bitte reichen Sie den Wesenstest nach." });
    expect(asked.json.status).toBe("waiting");
    await officeCall(t, clerk.office, "POST", `${S}/notes`, { text: "Intern: Rasse prüfen" });

    // The citizen gets a notice without content, and finds the question in the Postfach.
    await t.deliver();
    const notice = t.mails().find((m) => m.to.includes(citizen.email) && /Postfach|mailbox/.test(m.subject));
    expect(notice, "postfach notice").toBeDefined();
    expect(notice!.text).toContain("#rathaus/postfach");
    for (const secret of ["Wesenstest", "DE89", "Bello", submission.reference]) expect(notice!.text).not.toContain(secret);
    const box = await call(t, "GET", `${T}/me/mailbox`, { token: citizen.token });
    expect(box.json.unread).toBe(3);
    expect(box.json.items.map((e: { kind: string }) => e.kind)).toEqual(["message", "status", "status", "submitted"]);
    expect(JSON.stringify(box.json)).not.toContain("Intern");

    // The reply with a file goes back to the clerk.
    const form = new FormData();
    form.append("file", new Blob([pdfBytes() as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), "Wesenstest.pdf");
    const file = await t.app.request(`${T}/me/submissions/${submission.id}/uploads`, { method: "POST", body: form, headers: { Authorization: `Bearer ${citizen.token}` } });
    expect(file.status).toBe(201);
    const fileId = ((await file.json()) as { id: string }).id;
    const reply = await call(t, "POST", `${T}/me/submissions/${submission.id}/messages`, { token: citizen.token, body: { text: "Anbei der Wesenstest.", uploads: [fileId] } });
    expect(reply.status, reply.text).toBe(201);
    const back = await officeCall(t, clerk.office, "GET", `${T}/office/submissions?q=${submission.reference}`);
    expect(back.json.items[0]).toMatchObject({ status: "in_progress", unread: true });

    // The Bescheid: a document with the decision.
    const doc = await officeUpload(clerk.office, submission.id, "Bescheid.pdf");
    await officeCall(t, clerk.office, "POST", `${S}/messages`, { text: "Ihr Steuerbescheid.", uploads: [doc] });
    t.clock.advance(60_000);
    const done = await officeCall(t, clerk.office, "POST", `${S}/status`, { status: "approved" });
    expect(done.json.nextStatuses).toEqual([]);
    const seen = await officeCall(t, clerk.office, "GET", `${S}/files/${fileId}`);
    expect(seen.status).toBe(200);

    const final = await call(t, "GET", `${T}/me/mailbox`, { token: citizen.token });
    const withDoc = final.json.items.find((e: { documents?: Array<{ id: string }> }) => e.documents?.some((d) => d.id === doc));
    expect(withDoc.text).toBe("Ihr Steuerbescheid.");
    const download = await t.app.request(`${T}/me/documents/${doc}`, { headers: { Authorization: `Bearer ${citizen.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdfBytes());
    // Nobody else gets it.
    const stranger = await verifiedAccount(t, "tangerhuette");
    expect((await call(t, "GET", `${T}/me/documents/${doc}`, { token: stranger.token })).status).toBe(404);
    const elsewhere = await verifiedAccount(t, "musterstadt");
    expect((await call(t, "GET", `${M}/me/documents/${doc}`, { token: elsewhere.token })).status).toBe(404);

    await call(t, "POST", `${T}/me/mailbox/read`, { token: citizen.token, body: { upTo: new Date(t.clock.now() + 1000).toISOString() } });
    expect((await call(t, "GET", `${T}/me/mailbox`, { token: citizen.token })).json.unread).toBe(0);
    // A closed application takes no more replies.
    expect((await call(t, "POST", `${T}/me/submissions/${submission.id}/messages`, { token: citizen.token, body: { text: "Danke" } })).status).toBe(409);

    const audit = await officeCall(t, admin.office, "GET", `${T}/office/audit`);
    const actions = audit.json.items.filter((e: { subject: string }) => e.subject === `submission:${submission.id}`).map((e: { action: string }) => e.action);
    // Newest first; actions within one clock tick in any order.
    expect(actions[0]).toBe("submission.status");
    expect([...actions].sort()).toEqual(["submission.assign", "submission.message", "submission.note", "submission.status", "submission.status", "submission.status"]);
    const csv = await officeCall(t, admin.office, "GET", `${T}/office/audit.csv`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text).toContain(`submission:${submission.id}`);
  });

  it("requires a reason to reject, and never lets the audit log be changed", async () => {
    const { submission } = await hundesteuer();
    const clerk = await staffMember(t, "tangerhuette", "staff", ["kaemmerei"]);
    const S = `${T}/office/submissions/${submission.id}`;
    await officeCall(t, clerk.office, "POST", `${S}/status`, { status: "in_progress" });
    const noReason = await officeCall(t, clerk.office, "POST", `${S}/status`, { status: "rejected" });
    expect(noReason.status).toBe(400);
    expect(noReason.json.error.fields.reason.code).toBe("required");
    const rejected = await officeCall(t, clerk.office, "POST", `${S}/status`, { status: "rejected", reason: "Kein Hund im Haushalt." });
    expect(rejected.json.statusReason).toBe("Kein Hund im Haushalt.");
    await expect(t.store.db.updateTable("audit_log").set({ action: "x" }).execute()).rejects.toThrow(/append-only/);
    await expect(t.store.db.deleteFrom("audit_log").execute()).rejects.toThrow(/append-only/);
  });

  it("lets anonymous senders follow their submission read-only through the receipt link", async () => {
    const sent = await call(t, "POST", `${T}/forms/maengelmelder/submissions`, {
      body: { version: await formVersion(t, "tangerhuette", "maengelmelder"), data: maengelData(), email: "anwohner@example.org", proof: await solvedProof(t, "tangerhuette", "submission") },
      headers: { "Idempotency-Key": idempotencyKey() },
    });
    const token = new URL(sent.json.receiptUrl).searchParams.get("token")!;
    const clerk = await staffMember(t, "tangerhuette", "staff", ["bauhof", "ordnungsamt"]);
    await officeCall(t, clerk.office, "POST", `${T}/office/submissions/${sent.json.id}/status`, { status: "in_progress" });
    const view = await call(t, "GET", `${T}/anon/submissions/${sent.json.id}?token=${token}`);
    expect(view.json).toMatchObject({ reference: sent.json.reference, status: "in_progress" });
    expect(view.json.history.map((e: { kind: string }) => e.kind)).toEqual(["submitted", "status"]);
    expect((await call(t, "GET", `${T}/anon/submissions/${sent.json.id}?token=${"A".repeat(43)}`)).status).toBe(404);
    expect((await call(t, "GET", `${M}/anon/submissions/${sent.json.id}?token=${token}`)).status).toBe(404);
  });

  it("lets admins invite a colleague, who sets a password with the mailed code and logs in", async () => {
    const admin = await staffMember(t, "tangerhuette", "admin");
    const email = `neu.${Date.now().toString(36)}@tangerhuette.example`;
    const invited = await officeCall(t, admin.office, "POST", `${T}/office/staff`, { email, name: "Nora Neu", role: "staff", departments: ["kita"] });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.json).toMatchObject({ email, role: "staff", departments: ["kita"], disabled: false });
    await t.deliver();
    const mail = t.mails().find((m) => m.to.includes(email))!;
    expect(mail.text).toContain("/office/tangerhuette/#einladung");
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    const set = await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email, code, password: "Kita-Verwaltung-2026" } });
    expect(set.status, set.text).toBe(200);
    const session = await officeLogin(t, "tangerhuette", email, "Kita-Verwaltung-2026");
    expect((await officeCall(t, session, "GET", `${T}/office/session`)).json.departments).toEqual(["kita"]);
    expect((await officeCall(t, admin.office, "POST", `${T}/office/staff`, { email, name: "Doppelt", role: "staff", departments: [] })).status).toBe(409);
    const clerk = await staffMember(t, "tangerhuette", "staff", ["kita"]);
    expect((await officeCall(t, clerk.office, "POST", `${T}/office/staff`, { email: "x@example.org", name: "X", role: "admin", departments: [] })).status).toBe(403);
  });

  it("lets admins change departments and disable staff, whose sessions end at once", async () => {
    const admin = await staffMember(t, "tangerhuette", "admin");
    const clerk = await staffMember(t, "tangerhuette", "staff", ["kita"]);
    const { submission } = await hundesteuer();
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/submissions/${submission.id}`)).status).toBe(404);
    const moved = await officeCall(t, admin.office, "PATCH", `${T}/office/staff/${clerk.account.id}`, { departments: ["kaemmerei"] });
    expect(moved.json.departments).toEqual(["kaemmerei"]);
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/submissions/${submission.id}`)).status).toBe(200);
    expect((await officeCall(t, admin.office, "PATCH", `${T}/office/staff/${clerk.account.id}`, { departments: ["gibt-es-nicht"] })).status).toBe(400);
    await officeCall(t, admin.office, "PATCH", `${T}/office/staff/${clerk.account.id}`, { disabled: true });
    expect((await officeCall(t, clerk.office, "GET", `${T}/office/session`)).status).toBe(401);
    expect((await call(t, "POST", `${T}/office/login`, { body: { email: clerk.email, password: clerk.password } })).status).not.toBe(200);
  });
});
