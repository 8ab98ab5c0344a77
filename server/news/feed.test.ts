import { DOMParser } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import config from "../../tenants/tangerhuette/tenant.json" with { type: "json" };
import { tenantConfigSchema } from "../tenants/schema.js";
import type { Tenant } from "../tenants/tenant.js";
import { atomFeed } from "./feed.js";
import type { NewsItem } from "./news.js";

const tenant: Tenant = { id: "t_feed", slug: "tangerhuette", config: tenantConfigSchema.parse(config), configHash: "", contentVersion: 0, hasLogo: false, hasMailLogo: false };

const item = (over: Partial<NewsItem>): NewsItem => ({
  tenantId: tenant.id,
  id: "n_1",
  title: "Titel",
  summary: "Zusammenfassung",
  body: "Text",
  bodyHtml: "<p>Text</p>",
  topics: ["gesundheit"],
  urgent: false,
  status: "published",
  publishAt: null,
  publishedAt: Date.UTC(2026, 0, 2),
  fannedOutAt: null,
  fanoutCursor: null,
  createdBy: null,
  createdAt: Date.UTC(2026, 0, 1),
  updatedAt: Date.UTC(2026, 0, 2),
  ...over,
});

/** XML 1.0 §2.2 `Char`; xmldom does not check it, so it is checked here first. */
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function parse(xml: string) {
  expect(notXmlChar.exec(xml)).toBeNull();
  return new DOMParser({
    onError: (level, msg) => {
      if (level !== "warning") throw new Error(msg);
    },
  }).parseFromString(xml, "application/xml");
}

describe("atomFeed", () => {
  it("drops every character XML 1.0 forbids, lone surrogates included, and keeps the rest of the text", () => {
    const forbidden = [..."\u0000\u0001\u0008\u000b\u000c\u000e\u001f\ufffe\uffff", "\ud800", "\udfff"];
    const dirty = (s: string) => forbidden.map((c, i) => `${c}${s}${i}`).join("");
    const xml = atomFeed(tenant, [item({ title: dirty("t"), summary: dirty("s"), bodyHtml: `<p>${dirty("b")} 🚧 & <b>fett</b></p>` })], "https://rathaus.example/feed");
    const doc = parse(xml);
    const clean = (s: string) => forbidden.map((_, i) => `${s}${i}`).join("");
    expect(doc.getElementsByTagName("title")[1]!.textContent).toBe(clean("t"));
    expect(doc.getElementsByTagName("summary")[0]!.textContent).toBe(clean("s"));
    expect(doc.getElementsByTagName("content")[0]!.textContent).toBe(`<p>${clean("b")} 🚧 & <b>fett</b></p>`);
  });
});
