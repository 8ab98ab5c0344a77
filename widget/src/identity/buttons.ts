import { css, html, nothing } from "lit";
import type { Lang } from "../core/types.js";
import type { ProviderLogin, StartOptions } from "./flow.js";
import { type PublicIdentityProvider, providerLabel } from "./start.js";
import { identityTexts } from "./texts.js";

/** For the views that show the buttons: the "Oder" rule and the status line. */
export const identityStyles = css`
  .or {
    display: flex;
    align-items: center;
    gap: 12px;
    margin: 20px 0 16px;
    color: var(--_muted);
  }
  .or::before,
  .or::after {
    content: "";
    flex: 1;
    border-top: 1px solid var(--_border);
  }
  .providers {
    display: grid;
    gap: 8px;
  }
  .providers .pending:not(:empty) {
    margin: 4px 0 0;
  }
  .providers .pending p {
    margin: 0 0 4px;
  }
`;

/**
 * One button per provider of the town and the login's two live regions: what is going on (the
 * popup is open, the page is about to leave) and what went wrong. Nothing when the town has no
 * providers. The same buttons on the login, in a form that needs a trust level, and in "Mein Konto".
 */
export function providerButtons(login: ProviderLogin, providers: readonly PublicIdentityProvider[], lang: Lang, opts: StartOptions = {}) {
  if (!providers.length) return nothing;
  const t = identityTexts[lang];
  return html`<div class="providers">
    ${providers.map(
      (p) => html`<button
        class="btn secondary wide provider"
        type="button"
        data-provider=${p.id}
        aria-disabled=${login.busy && login.provider !== p.id ? "true" : "false"}
        @click=${() => login.start(p.id, opts)}
      >
        ${providerLabel(p, lang)}<span class="sr-only"> ${t.newWindow}</span>
      </button>`,
    )}
    ${loginStatus(login, lang)}
  </div>`;
}

/** The live regions, always rendered (a region that appears with its text is often not read out). */
export function loginStatus(login: ProviderLogin, lang: Lang) {
  const t = identityTexts[lang];
  const status = { idle: "", popup: t.pending, redirecting: t.redirecting, finishing: t.finishing }[login.phase];
  return html`<div class="pending" role="status">${status
      ? html`<p>${status}</p>${login.phase === "popup"
          ? html`<p class="actions">
              <button class="link" type="button" @click=${() => login.focusPopup()}>${t.showWindow}</button>
              <button class="link" type="button" @click=${() => login.cancel()}>${t.cancel}</button>
            </p>`
          : nothing}`
      : nothing}</div>
    <div class="form-error" role="alert">${login.error ? html`<p>${login.error}</p>` : nothing}</div>`;
}
