import { html, nothing } from "lit";
import type { TenantConfig } from "../core/types.js";

/** The town's phone number and e-mail address as links, for everything not done online. */
export function contactLinks(config: TenantConfig | undefined, labels: { phone: string; email: string }) {
  const c = config?.contact;
  if (!c) return nothing;
  return html`<ul class="contact">
    ${c.phone ? html`<li>${labels.phone}: <a href="tel:${c.phone.replace(/[^\d+]/g, "")}">${c.phone}</a></li>` : nothing}
    ${c.email ? html`<li>${labels.email}: <a href="mailto:${c.email}">${c.email}</a></li>` : nothing}
  </ul>`;
}
