import { DOMParser } from "@xmldom/xmldom";
import { memoryAnswerStore, publicAnswers } from "../../server/http/public-answers.js";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { AppEnv } from "../../server/http/env.js";
import { AppError } from "../../server/http/errors.js";
import { newsFanout } from "../../server/news/fanout.js";
import { renderMarkdown } from "../../server/news/markdown.js";
import { newsRoutes } from "../../server/news/routes.js";
import { newsService } from "../../server/news/service.js";
import { findTenantById } from "../../server/tenants/repo.js";
import type { TestApp } from "../harness/types.js";
import { api, call, verifiedAccount } from "./flows.js";

let t: TestApp;
let staff: string;
let tenantId: string;
beforeAll(async () => {
  t = await createTestApp();
  const a = await verifiedAccount(t, "tangerhuette");
  await t.store.db.updateTable("accounts").set({ role: "staff" }).where("id", "=", a.account.id).execute();
  staff = a.token;
  tenantId = (await t.store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
});
afterAll(() => t.close());

const T = api("tangerhuette");
const draft = (overrides: Record<string, unknown> = {}) => ({ title: "Meldung", summary: "Kurz gesagt.", body: "Text.", topics: ["verwaltung"], ...overrides });

async function publish(body: Record<string, unknown>) {
  const created = await call(t, "POST", `${T}/news`, { token: staff, body: draft(body) });
  expect(created.status).toBe(201);
  expect((await call(t, "POST", `${T}/news/${created.json.id}/publish`, { token: staff })).status).toBe(200);
  return created.json.id as string;
}

async function subscriber(topics: string[]) {
  const a = await verifiedAccount(t, "tangerhuette");
  expect((await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics, smsAlerts: false } })).status).toBe(200);
  return a;
}

/** A row as it may sit in the database from before a check existed: written around the API. */
async function insertRow(id: string, fields: { title: string; summary: string; body: string; bodyHtml: string; topics: string[]; fannedOut: boolean }) {
  const now = t.clock.now() + 1000;
  await t.store.db
    .insertInto("news")
    .values({
      tenant_id: tenantId,
      id,
      title: fields.title,
      summary: fields.summary,
      body: fields.body,
      body_html: fields.bodyHtml,
      topics: JSON.stringify(fields.topics),
      urgent: 0,
      status: "published",
      publish_at: null,
      published_at: now,
      fanned_out_at: fields.fannedOut ? now : null,
      fanout_cursor: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/**
 * XML 1.0 well-formedness as far as characters go (§2.2 `Char`, also behind character
 * references), then a parse. xmldom alone accepts control characters, so it cannot tell.
 */
function parseStrictXml(text: string) {
  const isChar = (cp: number) => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
  for (const ch of text) expect(isChar(ch.codePointAt(0)!), `U+${ch.codePointAt(0)!.toString(16).padStart(4, "0")} in the feed`).toBe(true);
  for (const [, ref] of text.matchAll(/&#(x[0-9a-fA-F]+|[0-9]+);/g)) {
    const cp = ref!.startsWith("x") ? Number.parseInt(ref!.slice(1), 16) : Number(ref);
    expect(isChar(cp), `&#${ref}; in the feed`).toBe(true);
  }
  return new DOMParser({
    onError: (level, msg) => {
      if (level !== "warning") throw new Error(`XML ${level}: ${msg}`);
    },
  }).parseFromString(text, "application/xml");
}

describe("characters XML cannot carry", () => {
  const forbidden = { "U+0001": "\u0001", "U+0008 (backspace)": "\u0008", "U+0000": "\u0000", "U+001F": "\u001f", "U+FFFE": "\ufffe", "U+FFFF": "\uffff", "lone high surrogate": "\ud800", "lone low surrogate": "\udc00" };

  it("are refused in title, summary and body, naming the field, on create and on edit", async () => {
    for (const [name, ch] of Object.entries(forbidden)) {
      for (const field of ["title", "summary", "body"]) {
        const res = await call(t, "POST", `${T}/news`, { token: staff, body: draft({ [field]: `Vor${ch}nach` }) });
        expect(res.status, `${name} in ${field}`).toBe(400);
        expect(res.json.error.code).toBe("validation_failed");
        expect(Object.keys(res.json.error.fields)).toEqual([field]);
        expect(res.json.error.fields[field].code).toBe("invalid_characters");
        expect(res.json.error.fields[field].messages.de).toContain("Steuerzeichen");
        expect(res.json.error.fields[field].messages.en).toContain("control characters");
      }
    }
    const id = (await call(t, "POST", `${T}/news`, { token: staff, body: draft() })).json.id as string;
    const edit = await call(t, "PATCH", `${T}/news/${id}`, { token: staff, body: { summary: "Tab\tist gut, \u0007 nicht" } });
    expect(edit.status).toBe(400);
    expect(edit.json.error.fields.summary.code).toBe("invalid_characters");
    // Tabs, newlines and characters beyond the BMP are text like any other.
    const fine = await call(t, "PATCH", `${T}/news/${id}`, { token: staff, body: { summary: "Tab\tund\r\nZeile 🚧" } });
    expect(fine.status).toBe(200);
    expect(fine.json.summary).toBe("Tab\tund\r\nZeile 🚧");
  });

  it("takes Word's line and page breaks (U+000B, U+000C) as newlines", async () => {
    const res = await call(t, "POST", `${T}/news`, { token: staff, body: draft({ title: "Zeile eins\u000bZeile zwei", body: "Absatz\u000cnächste Seite\u000b" }) });
    expect(res.status).toBe(201);
    expect(res.json.title).toBe("Zeile eins\nZeile zwei");
    expect(res.json.body).toBe("Absatz\nnächste Seite");
  });

  it("are left out of the feed even when a stored item holds them", async () => {
    const id = `n_ctrl_${crypto.randomUUID()}`;
    await insertRow(id, {
      title: "Hoch\u0001wasser\u000b\u0008Warnung\ufffe",
      summary: "Pegel\u001f steigt\uffff",
      body: "x",
      bodyHtml: "<p>Sandsäcke\u000b am\u0000 Bauhof</p>",
      topics: ["schule-kita"],
      fannedOut: true,
    });
    try {
      for (const path of ["/news/feed.atom", "/news/feed.atom?topic=schule-kita"]) {
        const res = await t.app.request(`${T}${path}`);
        expect(res.status).toBe(200);
        const doc = parseStrictXml(await res.text());
        const entry = Array.from(doc.getElementsByTagName("entry")).find((e) => e.getElementsByTagName("id")[0]!.textContent!.endsWith(`:news:${id}`));
        expect(entry, path).toBeDefined();
        expect(entry!.getElementsByTagName("title")[0]!.textContent).toBe("HochwasserWarnung");
        expect(entry!.getElementsByTagName("summary")[0]!.textContent).toBe("Pegel steigt");
        expect(entry!.getElementsByTagName("content")[0]!.textContent).toBe("<p>Sandsäcke am Bauhof</p>");
      }
    } finally {
      await t.store.db.deleteFrom("news").where("tenant_id", "=", tenantId).where("id", "=", id).execute();
    }
  });
});

describe("images in news", () => {
  const body = [
    "Die Umleitung: ![Umleitungskarte](http://localhost:8080/tangerhuette/karte.png)",
    "Zähler: ![Besucherzähler](https://tracker.example/p.gif?u=1) und ![](https://cdn.tracker.example/leer.gif)",
    "Relativ: ![Lageplan](/lageplan.png), Daten: ![Punkt](data:image/png;base64,iVBORw0KGgo=)",
  ].join("\n\n");

  it("keep only those from the town's own origins, in the API and in the mail; the rest become their alt text", async () => {
    const reader = await subscriber(["bauen-verkehr"]);
    const id = await publish({ title: "Bilder-Test", body, topics: ["bauen-verkehr"] });
    const html = (await call(t, "GET", `${T}/news/${id}`)).json.bodyHtml as string;
    await t.deliver();
    const mail = t.mails().find((m) => m.to.includes(reader.email) && m.subject === "Bilder-Test");
    expect(mail).toBeDefined();
    for (const [where, text] of [["api", html], ["mail", mail!.html]] as const) {
      expect(text, where).toContain('<img src="http://localhost:8080/tangerhuette/karte.png" alt="Umleitungskarte">');
      expect(text, where).not.toContain("tracker.example");
      expect(text, where).not.toContain("lageplan.png");
      expect(text, where).not.toContain("data:image");
      expect(text, where).toContain("Zähler: Besucherzähler und </p>");
      expect(text, where).toContain("Relativ: Lageplan, Daten: Punkt</p>");
    }
    expect(mail!.text).toContain("Zähler: Besucherzähler und");
    expect(mail!.text).toContain("Die Umleitung: Umleitungskarte");
  });

  it("are filtered in the mail of an item stored before the rule, from its Markdown", async () => {
    const reader = await subscriber(["veranstaltungen"]);
    const id = `n_img_${crypto.randomUUID()}`;
    const legacy = "Alt: ![Pixel](https://tracker.example/alt.gif)";
    // Rendered without the rule, as the stored HTML of an old item is.
    const unfiltered = renderMarkdown(legacy, { imageOrigins: ["https://tracker.example"] });
    expect(unfiltered).toContain("tracker.example");
    await insertRow(id, { title: "Altbestand", summary: "s", body: legacy, bodyHtml: unfiltered, topics: ["veranstaltungen"], fannedOut: false });
    try {
      await t.deliver();
      const mail = t.mails().find((m) => m.to.includes(reader.email) && m.subject === "Altbestand");
      expect(mail).toBeDefined();
      expect(mail!.html).not.toContain("tracker.example");
      expect(mail!.html).toContain("Alt: Pixel");
    } finally {
      await t.store.db.deleteFrom("news").where("tenant_id", "=", tenantId).where("id", "=", id).execute();
    }
  });
});

describe("withdrawing news", () => {
  it("removes every message not yet sent, claimed ones included, and a re-publish sends each recipient the item once", async () => {
    const reader = await subscriber(["gesundheit"]);
    const other = await subscriber(["gesundheit"]);
    const id = await publish({ title: "Zurückgezogen", topics: ["gesundheit"] });
    // Fan out without sending, then one message is claimed by a dispatcher, the other waits.
    await newsFanout({ store: t.store, clock: t.clock, secret: "s", publicUrl: "http://rathaus.test" }).runDue();
    const messages = () => t.store.db.selectFrom("outbox").select(["recipient", "status"]).where("tenant_id", "=", tenantId).where("dedupe_key", "like", `news:${id}:%`).execute();
    const mine = (await messages()).filter((m) => m.recipient === reader.email || m.recipient === other.email);
    expect(mine.map((m) => m.status)).toEqual(["pending", "pending"]);
    await t.store.db.updateTable("outbox").set({ status: "sending", attempts: 1 }).where("tenant_id", "=", tenantId).where("recipient", "=", reader.email).where("dedupe_key", "like", `news:${id}:%`).execute();

    expect((await call(t, "POST", `${T}/news/${id}/unpublish`, { token: staff })).status).toBe(200);
    expect(await messages()).toEqual([]);
    expect(await t.store.db.selectFrom("outbox_shared").select("id").where("tenant_id", "=", tenantId).where("id", "like", `news:${id}:%`).execute()).toEqual([]);
    await t.deliver();
    expect(t.mails().filter((m) => m.subject === "Zurückgezogen")).toHaveLength(0);

    expect((await call(t, "POST", `${T}/news/${id}/publish`, { token: staff })).status).toBe(200);
    await t.deliver();
    for (const a of [reader, other]) expect(t.mails().filter((m) => m.subject === "Zurückgezogen" && m.to.includes(a.email))).toHaveLength(1);
  });

  it("on delete, too", async () => {
    const reader = await subscriber(["verwaltung"]);
    const id = await publish({ title: "Gelöscht", topics: ["verwaltung"] });
    await newsFanout({ store: t.store, clock: t.clock, secret: "s", publicUrl: "http://rathaus.test" }).runDue();
    await t.store.db.updateTable("outbox").set({ status: "sending", attempts: 1 }).where("tenant_id", "=", tenantId).where("recipient", "=", reader.email).where("dedupe_key", "like", `news:${id}:%`).execute();
    expect((await call(t, "DELETE", `${T}/news/${id}`, { token: staff })).status).toBe(204);
    expect(await t.store.db.selectFrom("outbox").select("id").where("tenant_id", "=", tenantId).where("dedupe_key", "like", `news:${id}:%`).execute()).toEqual([]);
    await t.deliver();
    expect(t.mails().filter((m) => m.subject === "Gelöscht")).toHaveLength(0);
  });
});

describe("the news router", () => {
  it("switches itself off for a town without the news service, on its own paths only", async () => {
    const town = (await findTenantById(t.store.db, tenantId))!;
    const withoutNews = { ...town, config: { ...town.config, services: town.config.services.filter((s) => s !== "news") } };
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set("tenant", c.req.header("x-town") === "with" ? town : withoutNews);
      await next();
    });
    const news = newsService({ store: t.store, clock: t.clock, onPublished: () => {}, onPublicChange: () => {} });
    app.route("/", newsRoutes(t.store, t.clock, news, publicAnswers(memoryAnswerStore()), () => "http://rathaus.test"));
    // Another feature's router mounted beside it, as in server/app.ts.
    app.get("/elsewhere", (c) => c.text("other feature"));
    app.onError((e, c) => (e instanceof AppError ? c.json({ code: e.code }, e.status) : c.json({ code: "internal" }, 500)));

    for (const [method, path] of [["GET", "/news"], ["GET", "/news/feed.atom"], ["GET", "/news/manage"], ["GET", "/news/n_x"], ["POST", "/news"], ["PATCH", "/news/n_x"], ["DELETE", "/news/n_x"], ["POST", "/news/n_x/publish"]] as const) {
      const res = await app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toEqual({ code: "not_found" });
    }
    expect((await app.request("/elsewhere")).status).toBe(200);
    // With the service on, the same router answers.
    expect((await app.request("/news", { headers: { "x-town": "with" } })).status).toBe(200);
    expect((await app.request("/news/manage", { headers: { "x-town": "with" } })).status).toBe(401);
  });
});
