import type { Tenant } from "../tenants/tenant.js";
import { stripXmlForbiddenChars } from "./chars.js";
import { type NewsItem, newsReadUrl } from "./news.js";

/**
 * Escapes text for XML, and drops the characters XML cannot carry at all: input refuses
 * them, but one stored before that check (or written around it) must not break the feed.
 */
const xml = (s: string) => stripXmlForbiddenChars(s).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
const iso = (ms: number) => new Date(ms).toISOString();

/** Atom 1.0 (RFC 4287) for the town's own website and feed readers. */
export function atomFeed(tenant: Tenant, items: ReadonlyArray<NewsItem>, selfUrl: string, topic?: string): string {
  const c = tenant.config;
  const topicLabel = topic ? c.topics.find((t) => t.id === topic)?.label.de : undefined;
  const updated = items.reduce((max, n) => Math.max(max, n.updatedAt), 0) || Date.UTC(2026, 0, 1);
  const entries = items.map((n) => {
    const link = newsReadUrl(c.contact.website, n.id);
    const categories = n.topics
      .map((id) => `    <category term="${xml(id)}" label="${xml(c.topics.find((t) => t.id === id)?.label.de ?? id)}"/>`)
      .join("\n");
    return `  <entry>
    <id>urn:digitales-rathaus:${xml(tenant.slug)}:news:${xml(n.id)}</id>
    <title>${xml(n.title)}</title>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <published>${iso(n.publishedAt ?? n.createdAt)}</published>
    <updated>${iso(n.updatedAt)}</updated>
    <summary>${xml(n.summary)}</summary>
    <content type="html">${xml(n.bodyHtml)}</content>
${categories}
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${c.locale}">
  <id>urn:digitales-rathaus:${xml(tenant.slug)}:news${topic ? `:${xml(topic)}` : ""}</id>
  <title>${xml(`${c.officialName} – Nachrichten${topicLabel ? `: ${topicLabel}` : ""}`)}</title>
  <subtitle>${xml(`Aktuelles aus ${c.name} im Digitalen Rathaus`)}</subtitle>
  <link rel="self" type="application/atom+xml" href="${xml(selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${xml(c.contact.website)}"/>
  <updated>${iso(updated)}</updated>
  <author><name>${xml(c.officialName)}</name><email>${xml(c.contact.email)}</email></author>
${entries.join("\n")}
</feed>
`;
}
