/**
 * The news domain: the item as the service works with it, and the shapes the API answers
 * with. Type-only and pure, so the widget can `import type` these shapes: no zod, no hono,
 * no database rows here (repo.ts maps rows to `NewsItem` and back).
 */

export type NewsStatus = "draft" | "scheduled" | "published";

/** One news item of a town. Times are epoch milliseconds. */
export interface NewsItem {
  tenantId: string;
  id: string;
  title: string;
  summary: string;
  /** The Markdown staff wrote. */
  body: string;
  /** Its sanitized rendering; safe in the widget, the feed and mails. */
  bodyHtml: string;
  topics: string[];
  urgent: boolean;
  status: NewsStatus;
  /** When a scheduled item goes out. */
  publishAt: number | null;
  publishedAt: number | null;
  /** Set once every subscriber's message is in the outbox. */
  fannedOutAt: number | null;
  /** Last account a running fan-out wrote a message for. */
  fanoutCursor: string | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

/** `GET news`: one entry of the public list. */
export interface NewsSummary {
  id: string;
  title: string;
  summary: string;
  topics: string[];
  urgent: boolean;
  /** ISO 8601. */
  publishedAt: string;
}

/** `GET news/{id}`: a published item with its text. */
export interface NewsItemPublic extends NewsSummary {
  bodyHtml: string;
  updatedAt: string;
}

/** `GET news/manage` and the answers of the staff routes: drafts and scheduled items included. */
export interface StaffNewsItem extends Omit<NewsItemPublic, "publishedAt"> {
  body: string;
  status: NewsStatus;
  publishAt: string | null;
  publishedAt: string | null;
  fannedOutAt: string | null;
  createdAt: string;
}

/** `GET news`: a page of published items, newest first; `nextCursor` is null on the last page. */
export interface NewsPage {
  items: NewsSummary[];
  nextCursor: string | null;
}

/** `GET news/manage`. */
export interface StaffNewsList {
  items: StaffNewsItem[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** What citizens see of a published item. */
export function publicNewsSummary(n: NewsItem): NewsSummary {
  return {
    id: n.id,
    title: n.title,
    summary: n.summary,
    topics: n.topics,
    urgent: n.urgent,
    publishedAt: iso(n.publishedAt ?? n.createdAt),
  };
}

export function publicNewsItem(n: NewsItem): NewsItemPublic {
  return { ...publicNewsSummary(n), bodyHtml: n.bodyHtml, updatedAt: iso(n.updatedAt) };
}

/** What staff see and edit, drafts included. */
export function staffNewsItem(n: NewsItem): StaffNewsItem {
  return {
    ...publicNewsItem(n),
    body: n.body,
    status: n.status,
    publishAt: isoOrNull(n.publishAt),
    publishedAt: isoOrNull(n.publishedAt),
    fannedOutAt: isoOrNull(n.fannedOutAt),
    createdAt: iso(n.createdAt),
  };
}

/** Where a mail's "read on the website" link points: the town's site, opening the widget on the item. */
export function newsReadUrl(website: string, newsId: string) {
  return `${website.split("#")[0]}#rathaus/news/${encodeURIComponent(newsId)}`;
}
