/**
 * Shapes of the API's JSON as the widget reads them. Kept by hand (the widget must not import
 * server code, which pulls in zod and Hono); the e2e tests catch drift against the real server.
 */

export type Lang = "de" | "en";

/** Tenant texts are German first; English is optional. */
export interface TenantText {
  de: string;
  en?: string;
}

export interface Topic {
  id: string;
  label: TenantText;
  description?: TenantText;
}

export interface TenantConfig {
  slug: string;
  name: string;
  officialName: string;
  locale: Lang;
  branding: { primaryColor: string; accentColor: string; logoUrl: string | null };
  topics: Topic[];
  services: string[];
  contact: { email: string; website: string; phone?: string; address?: string };
  links: { imprint: string; privacy: string; accessibility?: string };
  privacyPolicyVersion: string;
}

export type AccountKind = "person" | "association" | "company";

export interface Account {
  id: string;
  kind: AccountKind;
  role: string;
  name: string;
  organisation: string | null;
  registerNumber: string | null;
  email: string;
  emailVerified: boolean;
  mobile: string;
  mobileVerified: boolean;
  lang: Lang | null;
  createdAt: string;
}

export interface AuthResult {
  token: string;
  account: Account;
}

export interface NewsSummary {
  id: string;
  title: string;
  summary: string;
  topics: string[];
  urgent: boolean;
  publishedAt: string;
}

export interface NewsPage {
  items: NewsSummary[];
  nextCursor: string | null;
}

export interface NewsItem extends NewsSummary {
  /** Sanitised by the server; rendered as HTML. */
  bodyHtml: string;
  updatedAt: string;
}

export type NewsStatus = "draft" | "scheduled" | "published";

/** A news item as staff see it in the newsroom (`GET news/manage`), drafts included. */
export interface ManagedNews {
  id: string;
  title: string;
  summary: string;
  body: string;
  topics: string[];
  urgent: boolean;
  status: NewsStatus;
  /** When a scheduled item goes out; null: at once. */
  publishAt: string | null;
  publishedAt: string | null;
  updatedAt: string;
}

/** What staff send to create (all fields) or edit (any of them) an item. */
export interface NewsInput {
  title: string;
  summary: string;
  body: string;
  topics: string[];
  urgent: boolean;
  publishAt?: string | null;
}

export interface Subscriptions {
  topics: string[];
  smsAlerts: boolean;
}
