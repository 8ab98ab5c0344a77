import { css, html, nothing } from "lit";
import type { IdentityLogin, LinkIntent, LinkedIdentities } from "../../../server/identity/api-types.js";
import { ApiError, NetworkError } from "../core/api.js";
import { coreTexts, formatDate } from "../core/i18n.js";
import type { Lang } from "../core/types.js";
import { loginStatus } from "./buttons.js";
import { ProviderLogin, type ProviderLoginHost } from "./flow.js";
import { type PublicIdentityProvider, providerLabel } from "./start.js";
import { identityTexts } from "./texts.js";

type Linked = LinkedIdentities["items"][number];

export const linkedStyles = css`
  ul.identities {
    margin: 0 0 12px;
    padding: 0;
    list-style: none;
  }
  ul.identities li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 8px 12px;
    padding: 12px 0;
    border-top: 1px solid var(--_border);
  }
  ul.identities li:first-child {
    border-top: 0;
  }
  ul.identities p {
    margin: 0;
    overflow-wrap: anywhere;
  }
  ul.identities strong,
  ul.identities span {
    display: block;
  }
  ul.identities span {
    color: var(--_muted);
  }
`;

/**
 * "Bürgerkonto" in "Mein Konto": the town's providers, which of them this account is linked with,
 * and linking (a login at the provider with the server's intent) or unlinking each.
 */
export class LinkedProviders {
  /** Undefined until loaded. */
  items: Linked[] | undefined;
  loadError = "";
  /** What the last link or unlink did; why one failed is the login's error (one alert region for both). */
  success = "";
  private unlinking: string | undefined;
  readonly login: ProviderLogin;

  constructor(private readonly host: ProviderLoginHost) {
    this.login = new ProviderLogin(host, (result, provider) => this.linked(result, provider));
  }

  private get t() {
    return identityTexts[this.host.state.lang];
  }

  async load() {
    this.loadError = "";
    try {
      this.items = (await this.host.ctx.api.get<LinkedIdentities>("me/identities", { auth: true, fresh: true })).items;
    } catch (e) {
      // 401 already ended the session.
      if (!(e instanceof ApiError && e.status === 401)) this.loadError = (e as Error).message;
    }
    this.host.requestUpdate();
  }

  private link(p: PublicIdentityProvider) {
    if (this.unlinking) return;
    this.success = "";
    const { ctx } = this.host;
    this.login.start(p.id, {
      intent: async () => (await ctx.api.send<LinkIntent>("POST", `me/identities/${encodeURIComponent(p.id)}/link`, undefined, true)).intent,
      returnTo: { view: "account" },
    });
  }

  /** The login at the provider ended in this same account, with a new session (carrying its trust level). */
  private async linked(result: IdentityLogin, provider: string) {
    this.host.ctx.signIn(result);
    await this.load();
    const label = this.items?.find((i) => i.providerId === provider)?.label;
    this.success = this.t.linked(label ? providerLabel({ label }, this.host.state.lang) : provider);
    this.host.requestUpdate();
  }

  private async unlink(item: Linked) {
    if (this.unlinking) return;
    this.unlinking = item.providerId;
    this.success = "";
    this.login.error = "";
    this.host.requestUpdate();
    try {
      await this.host.ctx.api.send("DELETE", `me/identities/${encodeURIComponent(item.providerId)}`, undefined, true);
      this.items = this.items?.filter((i) => i.providerId !== item.providerId);
      this.success = this.t.unlinked(providerLabel(item, this.host.state.lang));
    } catch (e) {
      const lang = this.host.state.lang;
      this.login.error =
        e instanceof ApiError ? (e.code === "last_login_method" ? this.t.lastMethod : e.message) : e instanceof NetworkError ? e.message : coreTexts[lang].unavailable;
    } finally {
      this.unlinking = undefined;
      this.host.requestUpdate();
    }
  }

  render(providers: readonly PublicIdentityProvider[], lang: Lang) {
    if (!providers.length) return nothing;
    const t = identityTexts[lang];
    const items = this.items;
    return html`<section class="card" aria-labelledby="identities-title">
      <h4 id="identities-title">${t.accountTitle}</h4>
      <p>${t.accountIntro}</p>
      <div class="success" role="status">${this.success ? html`<p>${this.success}</p>` : nothing}</div>
      ${this.loadError
        ? html`<div class="box"><p>${this.loadError}</p><p><button class="btn secondary" type="button" @click=${() => void this.load()}>${coreTexts[lang].retry}</button></p></div>`
        : items
          ? html`<ul class="identities">
              ${providers.map((p) => this.row(p, items.find((i) => i.providerId === p.id), lang))}
            </ul>`
          : nothing}
      ${loginStatus(this.login, lang)}
    </section>`;
  }

  private row(p: PublicIdentityProvider, linked: Linked | undefined, lang: Lang) {
    const t = identityTexts[lang];
    const id = `identity-${p.id}`;
    const state = linked
      ? [t.linkedSince(formatDate(linked.linkedAt, lang)), linked.lastLoginAt ? t.lastLogin(formatDate(linked.lastLoginAt, lang)) : ""].filter(Boolean).join(", ")
      : t.notLinked;
    const busy = this.login.busy || this.unlinking !== undefined;
    return html`<li>
      <p id=${id}><strong>${providerLabel(p, lang)}</strong><span>${state}</span></p>
      ${linked
        ? html`<button class="btn secondary" type="button" aria-describedby=${id} aria-disabled=${busy ? "true" : "false"} @click=${() => void this.unlink(linked)}>
            ${t.disconnect}
          </button>`
        : html`<button class="btn secondary" type="button" aria-describedby=${id} aria-disabled=${busy ? "true" : "false"} @click=${() => this.link(p)}>
            ${t.connect}<span class="sr-only"> ${t.newWindow}</span>
          </button>`}
    </li>`;
  }
}
