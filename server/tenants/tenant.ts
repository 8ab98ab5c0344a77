import type { PublicIdentityProvider } from "../identity/api-types.js";
import type { TenantConfig } from "./schema.js";

/** A town as the app sees it after resolving the slug from the URL. */
export interface Tenant {
  id: string;
  slug: string;
  config: TenantConfig;
  configHash: string;
  /** Raised by every change to the town's public content (news); public answers are cached per version. */
  contentVersion: number;
  hasLogo: boolean;
  hasMailLogo: boolean;
}

/** What the widget may know about a town: everything public, nothing operational. */
export function publicTenantConfig(t: Tenant, apiBase: string) {
  const c = t.config;
  return {
    slug: c.slug,
    name: c.name,
    officialName: c.officialName,
    locale: c.locale,
    branding: {
      primaryColor: c.branding.primaryColor,
      accentColor: c.branding.accentColor,
      logoUrl: t.hasLogo ? `${apiBase}/api/v1/tenants/${c.slug}/logo.svg` : null,
    },
    topics: c.topics,
    services: c.services,
    contact: c.contact,
    links: c.links,
    privacyPolicyVersion: c.privacyPolicyVersion,
    /** The login buttons the widget shows ("Mit BundID anmelden"). */
    identityProviders: c.identityProviders.map((p): PublicIdentityProvider => ({ id: p.id, type: p.type, label: p.label })),
  };
}

/** `GET /api/v1/tenants/{slug}`: what the widget reads (it imports this type). */
export type PublicTenantConfig = ReturnType<typeof publicTenantConfig>;
export type TenantText = PublicTenantConfig["topics"][number]["label"];
