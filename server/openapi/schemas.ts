import { z } from "zod";

/**
 * The shapes the API answers with, as schemas for the OpenAPI document. Strict objects: a key
 * that is not documented (a leaked `password_hash`) fails the response check of the API suite.
 */
const iso = z.iso.datetime({ offset: true }).describe("ISO 8601 time");
const bilingual = z.object({ de: z.string(), en: z.string() }).strict();

export const errorEnvelope = z
  .object({
    error: z
      .object({
        code: z.string().describe("stable machine-readable code, e.g. validation_failed"),
        message: z.string().describe("in the language of Accept-Language (German by default)"),
        messages: bilingual,
        fields: z
          .record(z.string(), z.object({ code: z.string(), message: z.string(), messages: bilingual }).strict())
          .optional()
          .describe("the offending fields by path, e.g. address.postalCode"),
      })
      .strict(),
  })
  .strict()
  .meta({ id: "Error" });

export const health = z.object({ status: z.enum(["ok", "unavailable"]) }).strict();

const tenantText = z.object({ de: z.string(), en: z.string().optional() }).strict();

export const tenantConfig = z
  .object({
    slug: z.string(),
    name: z.string(),
    officialName: z.string(),
    locale: z.enum(["de", "en"]),
    branding: z.object({ primaryColor: z.string(), accentColor: z.string(), logoUrl: z.string().nullable() }).strict(),
    topics: z.array(z.object({ id: z.string(), label: tenantText, description: tenantText.optional() }).strict()),
    services: z.array(z.enum(["news", "accounts", "forms", "appointments", "mailbox"])),
    contact: z.object({ email: z.string(), website: z.string(), phone: z.string().optional(), address: z.string().optional() }).strict(),
    links: z.object({ imprint: z.string(), privacy: z.string(), accessibility: z.string().optional() }).strict(),
    privacyPolicyVersion: z.string(),
  })
  .strict()
  .meta({ id: "TenantConfig" });

export const account = z
  .object({
    id: z.string(),
    kind: z.enum(["person", "association", "company"]),
    role: z.enum(["citizen", "staff", "admin"]),
    name: z.string(),
    organisation: z.string().nullable(),
    registerNumber: z.string().nullable(),
    address: z.object({ street: z.string(), postalCode: z.string(), city: z.string() }).strict().nullable(),
    email: z.string(),
    emailVerified: z.boolean(),
    mobile: z.string().describe("E.164, e.g. +491712345678"),
    mobileVerified: z.boolean(),
    lang: z.enum(["de", "en"]),
    createdAt: iso,
  })
  .strict()
  .meta({ id: "Account" });

export const session = z.object({ token: z.string().describe("send as Authorization: Bearer <token>"), account }).strict();
export const accountOnly = z.object({ account }).strict();
export const accepted = z.object({ status: z.literal("sent") }).strict();

export const accountExport = z
  .object({ exportedAt: iso, account })
  .catchall(z.unknown())
  .describe("everything stored about the account (DSGVO Art. 15/20)");

export const subscriptions = z.object({ topics: z.array(z.string()), smsAlerts: z.boolean() }).strict();
export const unsubscribed = z.object({ status: z.literal("unsubscribed") }).strict();

const newsSummary = z
  .object({ id: z.string(), title: z.string(), summary: z.string(), topics: z.array(z.string()), urgent: z.boolean(), publishedAt: iso })
  .strict()
  .meta({ id: "NewsSummary" });

export const newsPage = z.object({ items: z.array(newsSummary), nextCursor: z.string().nullable() }).strict();

export const newsItem = newsSummary.extend({ bodyHtml: z.string().describe("sanitized HTML"), updatedAt: iso }).strict().meta({ id: "NewsItem" });

export const staffNewsItem = z
  .object({
    id: z.string(),
    title: z.string(),
    summary: z.string(),
    body: z.string().describe("Markdown"),
    bodyHtml: z.string(),
    topics: z.array(z.string()),
    urgent: z.boolean(),
    status: z.enum(["draft", "scheduled", "published"]),
    publishAt: iso.nullable(),
    publishedAt: iso.nullable(),
    fannedOutAt: iso.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .strict()
  .meta({ id: "StaffNewsItem" });

export const staffNewsList = z.object({ items: z.array(staffNewsItem) }).strict();
