import type { NewsTable } from "../db/schema.js";

/** What citizens see of a published item. */
export function publicNewsSummary(n: NewsTable) {
  return {
    id: n.id,
    title: n.title,
    summary: n.summary,
    topics: JSON.parse(n.topics) as string[],
    urgent: n.urgent === 1,
    publishedAt: new Date(n.published_at ?? n.created_at).toISOString(),
  };
}

export function publicNewsItem(n: NewsTable) {
  return { ...publicNewsSummary(n), bodyHtml: n.body_html, updatedAt: new Date(n.updated_at).toISOString() };
}

/** What staff see and edit, drafts included. */
export function staffNewsItem(n: NewsTable) {
  return {
    ...publicNewsItem(n),
    body: n.body,
    status: n.status,
    publishAt: n.publish_at === null ? null : new Date(n.publish_at).toISOString(),
    publishedAt: n.published_at === null ? null : new Date(n.published_at).toISOString(),
    fannedOutAt: n.fanned_out_at === null ? null : new Date(n.fanned_out_at).toISOString(),
    createdAt: new Date(n.created_at).toISOString(),
  };
}

/** Where a mail's "read on the website" link points: the town's site, opening the widget on the item. */
export function newsReadUrl(website: string, newsId: string) {
  return `${website.split("#")[0]}#rathaus/news/${encodeURIComponent(newsId)}`;
}
