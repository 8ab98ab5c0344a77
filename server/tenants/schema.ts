import { identityProvidersSchema } from "../identity/config.js";
import { z } from "zod";
import { appointmentsConfigSchema } from "../appointments/config.js";
import { webhookSecretName } from "../handoff/secrets.js";

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a color like #1f6f3f");
const httpsOrLocalUrl = z.url({ protocol: /^https?$/ });

/**
 * An origin as browsers send it in the `Origin` header: scheme, host and optional port,
 * nothing else (no path, no trailing slash, no wildcard).
 */
export const origin = z.string().refine(
  (value) => {
    try {
      const u = new URL(value);
      const host = /^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/;
      return (u.protocol === "https:" || u.protocol === "http:") && u.origin === value && host.test(u.hostname);
    } catch {
      return false;
    }
  },
  { message: "an origin like https://www.example.de (scheme and host, no path, no trailing slash)" },
);

const text = z.object({ de: z.string().min(1), en: z.string().min(1).optional() }).strict();

export const topic = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lowercase letters, digits and dashes"),
    label: text,
    description: text.optional(),
  })
  .strict();

const itemId = /^[a-z][a-z0-9_]{0,39}$/;
export const formIdPattern = /^[a-z0-9][a-z0-9-]{0,59}$/;

/** A department of the town hall: receives the notification mails of its forms. */
export const department = z
  .object({
    id: z.string().regex(itemId, "lowercase letters, digits and _"),
    name: text,
    email: z.email(),
  })
  .strict();

/**
 * A catalogue form (tenants/_catalog/forms/<id>.json) switched on for this town, with the
 * town's adaptations; the form itself is not copied, so catalogue fixes reach every town.
 */
export const catalogFormAdaptation = z
  .object({
    id: z.string().regex(formIdPattern, "the file name of a form in tenants/_catalog/forms, without .json"),
    department: z.string().regex(itemId).optional(),
    title: text.optional(),
    summary: text.optional(),
    category: text.optional(),
    fees: text.optional(),
    intro: text.optional(),
    afterSubmit: text.optional(),
    /** Dot paths of items this town does not ask for; they must not be required by a condition. */
    hide: z.array(z.string().min(1)).optional(),
    /** Extra help per item, by dot path; replaces the catalogue's help. */
    help: z.record(z.string(), text).optional(),
  })
  .strict();

/** https, or plain http to this machine only (tests, development). No credentials in the URL. */
const webhookUrl = z.string().refine(
  (value) => {
    try {
      const u = new URL(value);
      if (u.username || u.password || u.hash) return false;
      return u.protocol === "https:" || (u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname));
    } catch {
      return false;
    }
  },
  { message: "an https:// URL (http:// only to localhost or 127.0.0.1), without user, password or #fragment" },
);

/**
 * A system of the town that receives the submissions of some forms as signed JSON POSTs
 * (server/handoff, docs/handoff.md). The secret is read from the environment variable named.
 */
export const webhook = z
  .object({
    id: z.string().regex(itemId, "lowercase letters, digits and _"),
    /** Form ids of this town; checked against its forms at sync. */
    forms: z.array(z.string().regex(formIdPattern, "a form id")).min(1),
    url: webhookUrl,
    secretEnv: z.string().regex(webhookSecretName, "the name of an environment variable WEBHOOK_…: capitals, digits and _"),
  })
  .strict();

export const serviceNames = ["news", "accounts", "forms", "appointments", "mailbox"] as const;
export type ServiceName = (typeof serviceNames)[number];

export const tenantConfigSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, "lowercase letters, digits and dashes, 2–40 characters"),
    name: z.string().min(1).max(80),
    officialName: z.string().min(1).max(160),
    locale: z.enum(["de", "en"]),
    allowedOrigins: z.array(origin).min(1),
    branding: z
      .object({
        primaryColor: hexColor,
        accentColor: hexColor,
        logo: z.string().regex(/^[a-z0-9-]+\.svg$/, "the file name of an SVG in the tenant folder").optional(),
        /** PNG for e-mails (mail clients do not show SVG); without it mails show the town's name. */
        mailLogo: z.string().regex(/^[a-z0-9-]+\.png$/, "the file name of a PNG in the tenant folder").optional(),
      })
      .strict(),
    contact: z
      .object({
        email: z.email(),
        phone: z.string().min(3).optional(),
        address: z.string().min(3).optional(),
        website: httpsOrLocalUrl,
      })
      .strict(),
    links: z
      .object({
        imprint: httpsOrLocalUrl,
        privacy: httpsOrLocalUrl,
        accessibility: httpsOrLocalUrl.optional(),
      })
      .strict(),
    /** Version of the privacy policy a citizen agrees to when registering. */
    privacyPolicyVersion: z.string().min(1).max(40),
    topics: z
      .array(topic)
      .min(1)
      .refine((ts) => new Set(ts.map((t) => t.id)).size === ts.length, { message: "topic ids must be unique" }),
    services: z.array(z.enum(serviceNames)).refine((s) => new Set(s).size === s.length, {
      message: "services must not repeat",
    }),
    departments: z
      .array(department)
      .default([])
      .refine((ds) => new Set(ds.map((d) => d.id)).size === ds.length, { message: "department ids must be unique" }),
    forms: z
      .object({
        /** Start of the town's reference numbers (`TGH-2026-000123`); default: the slug's first three letters. */
        referencePrefix: z.string().regex(/^[A-Z]{2,6}$/, "2–6 capital letters").optional(),
        catalog: z
          .array(catalogFormAdaptation)
          .default([])
          .refine((fs) => new Set(fs.map((f) => f.id)).size === fs.length, { message: "catalogue form ids must not repeat" }),
      })
      .strict()
      .default({ catalog: [] }),
    webhooks: z
      .array(webhook)
      .default([])
      .refine((ws) => new Set(ws.map((w) => w.id)).size === ws.length, { message: "webhook ids must be unique" }),
    /** Login with the Bürgerkonto: OIDC providers and BundID over SAML (server/identity/config.ts). */
    identityProviders: identityProvidersSchema,
    /** From `tenants/<slug>/appointments.json` (server/appointments/config.ts), not written in tenant.json. */
    appointments: appointmentsConfigSchema.optional(),
    mail: z
      .object({
        fromName: z.string().min(1).max(80),
        /** Sender address; defaults to the deployment's MAIL_FROM. */
        fromAddress: z.email().optional(),
        /** Mails per second the town's SMTP provider accepts. */
        ratePerSecond: z.number().int().min(1).max(10_000).default(200),
      })
      .strict(),
  })
  .strict();

export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type TenantConfigInput = z.input<typeof tenantConfigSchema>;
export type CatalogFormAdaptation = z.output<typeof catalogFormAdaptation>;
export type Department = z.output<typeof department>;
export type Webhook = z.output<typeof webhook>;
