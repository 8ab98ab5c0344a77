import type { MailBranding } from "../mail/render.js";
import type { Tenant } from "../tenants/tenant.js";

export function mailBranding(tenant: Tenant, publicUrl: string): MailBranding {
  const c = tenant.config;
  return {
    townName: c.name,
    officialName: c.officialName,
    primaryColor: c.branding.primaryColor,
    accentColor: c.branding.accentColor,
    // Without a public base URL (a Worker missing PUBLIC_URL) a mail goes out without the logo rather than not at all.
    // Mail clients show PNG, many not SVG: the SVG is only the fallback.
    logoUrl: !/^https?:\/\//.test(publicUrl)
      ? null
      : tenant.hasMailLogo
        ? `${publicUrl}/api/v1/tenants/${c.slug}/logo.png`
        : tenant.hasLogo
          ? `${publicUrl}/api/v1/tenants/${c.slug}/logo.svg`
          : null,
    websiteUrl: c.contact.website,
    imprintUrl: c.links.imprint,
    privacyUrl: c.links.privacy,
    contactEmail: c.contact.email,
  };
}
