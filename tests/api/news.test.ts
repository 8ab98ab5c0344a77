import { DOMParser } from "@xmldom/xmldom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";
import { api, call, person, verifiedAccount } from "./flows.js";

let t: TestApp;
let staff: string;
let staffB: string;
beforeAll(async () => {
  t = await createTestApp();
  staff = await staffToken("tangerhuette");
  staffB = await staffToken("musterstadt");
});
afterAll(() => t.close());

const T = api("tangerhuette");
const M = api("musterstadt");

/** A staff account as an admin would set one up: a verified account given the staff role. */
async function staffToken(slug: string) {
  const a = await verifiedAccount(t, slug);
  await t.store.db.updateTable("accounts").set({ role: "staff" }).where("id", "=", a.account.id).execute();
  return a.token;
}

let n = 0;
function draft(overrides: Record<string, unknown> = {}) {
  return { title: `Meldung ${++n}`, summary: "Kurz gesagt.", body: "Ein **wichtiger** Text.", topics: ["gesundheit"], ...overrides };
}

async function publish(body: Record<string, unknown> = {}, base = T, token = staff) {
  const created = await call(t, "POST", `${base}/news`, { token, body: draft(body) });
  expect(created.status).toBe(201);
  const published = await call(t, "POST", `${base}/news/${created.json.id}/publish`, { token });
  expect(published.status).toBe(200);
  return published.json as { id: string; title: string; status: string };
}

async function subscriber(topics: string[], smsAlerts = false) {
  const a = await verifiedAccount(t, "tangerhuette");
  const res = await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics, smsAlerts } });
  expect(res.status).toBe(200);
  return a;
}

const mailsTo = (email: string) => t.mails().filter((m) => m.to.includes(email));

describe("news for the public", () => {
  it("shows only published items, newest first, with ETag and 304", async () => {
    const d = await call(t, "POST", `${T}/news`, { token: staff, body: draft({ title: "Noch ein Entwurf" }) });
    expect(d.json.status).toBe("draft");
    const first = await publish({ title: "Erste" });
    t.clock.advance(1000);
    const second = await publish({ title: "Zweite" });
    const list = await call(t, "GET", `${T}/news`);
    const ids = list.json.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(first.id);
    expect(ids).toContain(second.id);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    expect(ids).not.toContain(d.json.id);
    // A list entry is the summary only: no body, no state, nothing for staff.
    expect(list.json.items.find((i: { id: string }) => i.id === first.id)).toEqual({
      id: first.id,
      title: "Erste",
      summary: "Kurz gesagt.",
      topics: ["gesundheit"],
      urgent: false,
      publishedAt: new Date(t.clock.now() - 1000).toISOString(),
    });
    expect(list.headers.get("cache-control")).toBe("public, max-age=30");
    expect((await call(t, "GET", `${T}/news/${d.json.id}`)).status).toBe(404);
    const detail = await call(t, "GET", `${T}/news/${first.id}`);
    expect(detail.json).toEqual({
      id: first.id,
      title: "Erste",
      summary: "Kurz gesagt.",
      topics: ["gesundheit"],
      urgent: false,
      publishedAt: new Date(t.clock.now() - 1000).toISOString(),
      updatedAt: new Date(t.clock.now() - 1000).toISOString(),
      bodyHtml: "<p>Ein <strong>wichtiger</strong> Text.</p>\n",
    });
    expect(detail.headers.get("cache-control")).toBe("public, max-age=30");
    const etag = detail.headers.get("etag")!;
    expect((await t.app.request(`${T}/news/${first.id}`, { headers: { "If-None-Match": etag } })).status).toBe(304);
    const listEtag = list.headers.get("etag")!;
    expect((await t.app.request(`${T}/news`, { headers: { "If-None-Match": listEtag } })).status).toBe(304);
  });

  it("filters by topic and pages with a cursor without gaps or repeats", async () => {
    const mine = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      mine.push((await publish({ topics: ["veranstaltungen"], title: `Fest ${i}` })).id);
    }
    await publish({ topics: ["verwaltung"] });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call(t, "GET", `${T}/news?topic=veranstaltungen&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      for (const item of page.json.items) expect(item.topics).toContain("veranstaltungen");
      seen.push(...page.json.items.map((i: { id: string }) => i.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...mine].reverse());
    const broken = await call(t, "GET", `${T}/news?cursor=kaputt`);
    expect(broken.status).toBe(400);
    expect(broken.json.error.fields.cursor.code).toBe("invalid");
    expect((await call(t, "GET", `${T}/news?limit=500`)).status).toBe(400);
  });

  it("publishes an Atom feed that parses as XML, per town and per topic", async () => {
    const item = await publish({ title: "Feed & <Test>", topics: ["bauen-verkehr"] });
    const res = await t.app.request(`${T}/news/feed.atom?topic=bauen-verkehr`);
    expect(res.headers.get("content-type")).toContain("application/atom+xml");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("etag")).toBeTruthy();
    const text = await res.text();
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, msg) => void (level !== "warning" && errors.push(msg)) }).parseFromString(text, "application/xml");
    expect(errors).toEqual([]);
    expect(doc.documentElement!.namespaceURI).toBe("http://www.w3.org/2005/Atom");
    const titles = Array.from(doc.getElementsByTagName("entry")).map((e) => e.getElementsByTagName("title")[0]!.textContent);
    expect(titles).toContain("Feed & <Test>");
    const entry = Array.from(doc.getElementsByTagName("entry")).find((e) => e.getElementsByTagName("title")[0]!.textContent === "Feed & <Test>")!;
    expect(entry.getElementsByTagName("link")[0]!.getAttribute("href")).toBe(`http://localhost:8080/tangerhuette/#rathaus/news/${item.id}`);
    expect(entry.getElementsByTagName("content")[0]!.textContent).toBe("<p>Ein <strong>wichtiger</strong> Text.</p>\n");
    for (const e of Array.from(doc.getElementsByTagName("entry"))) {
      expect(Array.from(e.getElementsByTagName("category")).map((c) => c.getAttribute("term"))).toContain("bauen-verkehr");
    }
    expect((await t.app.request(`${T}/news/feed.atom?topic=gibtsnicht`)).status).toBe(404);
  });
});

describe("who may write", () => {
  it("lets staff write and citizens not", async () => {
    const citizen = await verifiedAccount(t, "tangerhuette");
    expect((await call(t, "POST", `${T}/news`, { token: citizen.token, body: draft() })).status).toBe(403);
    expect((await call(t, "POST", `${T}/news`, { body: draft() })).status).toBe(401);
    const bad = await call(t, "POST", `${T}/news`, { token: staff, body: draft({ topics: ["umwelt"] }) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields["topics.0"].code).toBe("unknown_topic");
  });

  it("keeps each town's staff to their own town's news", async () => {
    const item = await publish();
    // Another town's staff token means nothing here…
    for (const [method, path] of [["PATCH", `/news/${item.id}`], ["DELETE", `/news/${item.id}`], ["POST", `/news/${item.id}/publish`], ["POST", `/news/${item.id}/unpublish`], ["GET", "/news/manage"]] as const) {
      const res = await call(t, method, `${T}${path}`, { token: staffB, ...(method === "PATCH" ? { body: { title: "Übernommen" } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    // …and this town's item ids do not exist in the other town.
    for (const [method, path] of [["GET", `/news/${item.id}`], ["PATCH", `/news/${item.id}`], ["DELETE", `/news/${item.id}`], ["POST", `/news/${item.id}/publish`]] as const) {
      const res = await call(t, method, `${M}${path}`, { token: staffB, ...(method === "PATCH" ? { body: { title: "Übernommen" } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await call(t, "GET", `${T}/news/${item.id}`)).json.title).toBe(item.title);
  });

  it("edits, withdraws and deletes", async () => {
    const item = await publish();
    expect((await call(t, "PATCH", `${T}/news/${item.id}`, { token: staff, body: { title: "Korrigiert" } })).json.title).toBe("Korrigiert");
    expect((await call(t, "GET", `${T}/news/${item.id}`)).json.title).toBe("Korrigiert");
    expect((await call(t, "POST", `${T}/news/${item.id}/unpublish`, { token: staff })).json.status).toBe("draft");
    expect((await call(t, "GET", `${T}/news/${item.id}`)).status).toBe(404);
    const manage = await call(t, "GET", `${T}/news/manage`, { token: staff });
    expect(manage.headers.get("cache-control")).toBe("no-store");
    expect(manage.json.items.find((i: { id: string }) => i.id === item.id)).toMatchObject({ title: "Korrigiert", status: "draft", publishedAt: null });
    expect((await call(t, "DELETE", `${T}/news/${item.id}`, { token: staff })).status).toBe(204);
    expect((await call(t, "GET", `${T}/news/manage`, { token: staff })).json.items.map((i: { id: string }) => i.id)).not.toContain(item.id);
    expect((await call(t, "PATCH", `${T}/news/${item.id}`, { token: staff, body: { title: "Wieder da?" } })).status).toBe(404);
  });
});

describe("sanitized Markdown", () => {
  it("never lets script, event handlers or javascript: links through to the API, the feed or the mail", async () => {
    const reader = await subscriber(["verwaltung"]);
    const body = [
      "<script>alert('x')</script>",
      '<img src=x onerror="alert(1)">',
      "[klick](javascript:alert(1)) [KLICK](JAVASCRIPT:alert(2)) [data](data:text/html;base64,PHNjcmlwdD4=)",
      '<a href="javascript:alert(3)" onclick="alert(4)">x</a>',
      "![bild](javascript:alert(5))",
      "Normaler [Link](https://www.tangerhuette.de/).",
    ].join("\n\n");
    const item = await publish({ body, topics: ["verwaltung"], title: "Sicherheitstest" });
    const html = (await call(t, "GET", `${T}/news/${item.id}`)).json.bodyHtml as string;
    const feed = await (await t.app.request(`${T}/news/feed.atom`)).text();
    await t.deliver();
    const mail = mailsTo(reader.email).find((m) => m.subject.includes("Sicherheitstest"))!;
    for (const [where, text] of [["api", html], ["feed", decodeXml(feed)], ["mail", mail.html]] as const) {
      expect(text, where).not.toMatch(/<script/i);
      expect(text, where).not.toMatch(/<[^>]+\son(error|click)\s*=/i);
      expect(text, where).not.toMatch(/href\s*=\s*["']?\s*(javascript|data):/i);
      expect(text, where).not.toMatch(/src\s*=\s*["']?\s*javascript:/i);
    }
    for (const [where, text] of [["api", html], ["feed", decodeXml(feed)], ["mail", mail.html]] as const) {
      // The harmless rest of the text arrives everywhere, the script as visible text.
      expect(text, where).toContain('<a href="https://www.tangerhuette.de/" rel="noopener noreferrer">Link</a>');
      expect(text, where).toContain("&lt;script&gt;alert(");
    }
  });
});

function decodeXml(s: string) {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

describe("subscriptions", () => {
  it("are only for verified accounts and only for the town's topics", async () => {
    const reg = await call(t, "POST", `${T}/auth/register`, { body: person() });
    const res = await call(t, "PUT", `${T}/me/subscriptions`, { token: reg.json.token, body: { topics: ["gesundheit"], smsAlerts: false } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("verification_required");
    const a = await verifiedAccount(t, "tangerhuette");
    expect((await call(t, "GET", `${T}/me/subscriptions`, { token: a.token })).json).toEqual({ topics: [], smsAlerts: false });
    const wrong = await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics: ["gesundheit", "kultur"], smsAlerts: false } });
    expect(wrong.json.error.fields["topics.1"].code).toBe("unknown_topic");
    await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics: ["verwaltung", "gesundheit", "gesundheit"], smsAlerts: true } });
    expect((await call(t, "GET", `${T}/me/subscriptions`, { token: a.token })).json).toEqual({ topics: ["gesundheit", "verwaltung"], smsAlerts: true });
    const exported = await call(t, "GET", `${T}/me/export`, { token: a.token });
    expect(exported.json.newsSubscriptions.topics.map((s: { topic: string }) => s.topic)).toEqual(["gesundheit", "verwaltung"]);
  });
});

describe("news by e-mail", () => {
  it("sends exactly one mail per subscriber, with branding, unsubscribe headers and a link to the website", async () => {
    const both = await subscriber(["gesundheit", "schule-kita"]);
    const other = await subscriber(["veranstaltungen"]);
    const item = await publish({ title: "Grippewelle: Impfangebot im Rathaus", summary: "Ab Montag impft das Gesundheitsamt.", topics: ["gesundheit", "schule-kita"] });
    // A second click, and a second run of the jobs, change nothing.
    await call(t, "POST", `${T}/news/${item.id}/publish`, { token: staff });
    await t.deliver();
    await t.deliver();
    const got = mailsTo(both.email).filter((m) => m.subject.includes("Grippewelle"));
    expect(got).toHaveLength(1);
    const mail = got[0]!;
    expect(mail.text).toContain("Ab Montag impft das Gesundheitsamt.");
    expect(mail.text).toContain(both.account.name);
    expect(mail.html).toContain("#1f6f3f");
    expect(mail.html).toContain(`#rathaus/news/${item.id}`);
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    const unsubscribeUrl = /<([^>]+)>/.exec(mail.headers["list-unsubscribe"]!)![1]!;
    expect(unsubscribeUrl).toMatch(/^http:\/\/rathaus\.test\/api\/v1\/tenants\/tangerhuette\/unsubscribe\//);
    expect(unsubscribeUrl).not.toContain(both.account.id);
    expect(mailsTo(other.email).filter((m) => m.subject.includes("Grippewelle"))).toHaveLength(0);
  });

  it("unsubscribes with one click, without login, and nothing more arrives", async () => {
    const a = await subscriber(["verwaltung"]);
    const stays = await subscriber(["verwaltung"]);
    await publish({ title: "Bürgerbüro geschlossen", topics: ["verwaltung"] });
    await t.deliver();
    const mail = mailsTo(a.email).find((m) => m.subject.includes("Bürgerbüro geschlossen"))!;
    const path = new URL(/<([^>]+)>/.exec(mail.headers["list-unsubscribe"]!)![1]!).pathname;
    // A link scanner's GET changes nothing.
    const page = await t.app.request(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<form method=\"post\"");
    expect((await call(t, "GET", `${T}/me/subscriptions`, { token: a.token })).json.topics).toEqual(["verwaltung"]);
    // The RFC 8058 one-click POST, as a mail client sends it.
    const res = await t.app.request(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(res.status).toBe(200);
    expect((await call(t, "GET", `${T}/me/subscriptions`, { token: a.token })).json.topics).toEqual([]);
    await publish({ title: "Bürgerbüro wieder geöffnet", topics: ["verwaltung"] });
    await t.deliver();
    expect(mailsTo(a.email).filter((m) => m.subject.includes("wieder geöffnet"))).toHaveLength(0);
    expect(mailsTo(stays.email).filter((m) => m.subject.includes("wieder geöffnet"))).toHaveLength(1);
    // A forged or foreign token does nothing.
    expect((await t.app.request(`${T}/unsubscribe/${"A".repeat(120)}`, { method: "POST" })).status).toBe(404);
    expect((await t.app.request(path.replace("tangerhuette", "musterstadt"), { method: "POST" })).status).toBe(404);
  });

  it("sends nothing to a deleted account", async () => {
    const a = await subscriber(["gesundheit"]);
    const stays = await subscriber(["gesundheit"]);
    expect((await call(t, "DELETE", `${T}/me`, { token: a.token, body: { password: a.password } })).status).toBe(204);
    await publish({ title: "Nach der Löschung", topics: ["gesundheit"] });
    await t.deliver();
    expect(mailsTo(a.email).filter((m) => m.subject.includes("Nach der Löschung"))).toHaveLength(0);
    expect(mailsTo(stays.email).filter((m) => m.subject.includes("Nach der Löschung"))).toHaveLength(1);
  });

  it("sends scheduled items when due and not before", async () => {
    const a = await subscriber(["veranstaltungen"]);
    const at = new Date(t.clock.now() + 2 * 3600_000).toISOString();
    const created = await call(t, "POST", `${T}/news`, { token: staff, body: draft({ title: "Stadtfest am Samstag", topics: ["veranstaltungen"], publishAt: at }) });
    expect((await call(t, "POST", `${T}/news/${created.json.id}/publish`, { token: staff })).json.status).toBe("scheduled");
    await t.deliver();
    expect(mailsTo(a.email).filter((m) => m.subject.includes("Stadtfest"))).toHaveLength(0);
    expect((await call(t, "GET", `${T}/news/${created.json.id}`)).status).toBe(404);
    t.clock.advance(2 * 3600_000 - 1000);
    await t.deliver();
    expect(mailsTo(a.email).filter((m) => m.subject.includes("Stadtfest"))).toHaveLength(0);
    t.clock.advance(1000);
    await t.deliver();
    expect(mailsTo(a.email).filter((m) => m.subject.includes("Stadtfest"))).toHaveLength(1);
    expect((await call(t, "GET", `${T}/news/${created.json.id}`)).json.publishedAt).toBe(at.replace(/\.\d{3}Z$/, ".000Z"));
  });

  it("fans out an item withdrawn and then scheduled again when its new time comes", async () => {
    const first = await subscriber(["schule-kita"]);
    const created = await call(t, "POST", `${T}/news`, { token: staff, body: draft({ title: "Kita-Anmeldung", topics: ["schule-kita"] }) });
    const id = created.json.id as string;
    await call(t, "POST", `${T}/news/${id}/publish`, { token: staff });
    await t.deliver();
    expect(mailsTo(first.email).filter((m) => m.subject.includes("Kita-Anmeldung"))).toHaveLength(1);
    await call(t, "POST", `${T}/news/${id}/unpublish`, { token: staff });
    // Someone subscribes meanwhile; the item comes back at a set time.
    const later = await subscriber(["schule-kita"]);
    const at = new Date(t.clock.now() + 3600_000).toISOString();
    expect((await call(t, "PATCH", `${T}/news/${id}`, { token: staff, body: { publishAt: at } })).status).toBe(200);
    expect((await call(t, "POST", `${T}/news/${id}/publish`, { token: staff })).json.status).toBe("scheduled");
    t.clock.advance(3600_000);
    await t.deliver();
    expect(mailsTo(later.email).filter((m) => m.subject.includes("Kita-Anmeldung"))).toHaveLength(1);
    // The first subscriber had it already: not twice.
    expect(mailsTo(first.email).filter((m) => m.subject.includes("Kita-Anmeldung"))).toHaveLength(1);
  });

  it("also sends urgent items by SMS to accounts that opted in", async () => {
    const sms = await subscriber(["gesundheit"], true);
    const noSms = await subscriber(["gesundheit"], false);
    await publish({ title: "Trinkwasser abkochen", topics: ["gesundheit"], urgent: true });
    await t.deliver();
    const texts = t.sms().filter((s) => s.text.includes("Trinkwasser abkochen") && [sms.account.mobile, noSms.account.mobile].includes(s.to));
    expect(texts.map((s) => s.to)).toEqual([sms.account.mobile]);
    expect(texts[0]!.text).toContain("Tangerhütte");
    expect(mailsTo(noSms.email).filter((m) => m.subject.includes("Trinkwasser"))).toHaveLength(1);
  });
});
