import { LitElement, html, nothing } from "lit";
import { ApiError } from "../../core/api.js";
import { define } from "../../core/dom.js";
import type { Lang } from "../../core/types.js";
import type { OfficeSession } from "../../../../server/office/api-types.js";
import { type OfficeApi, problemText } from "../api.js";
import { formValues } from "../forms.js";
import { officeTexts } from "../texts.js";

/**
 * The login: e-mail and password. The server answers with the session (and sets its HttpOnly
 * cookie); the app takes over from there. Rendered before any session exists, so it gets the
 * API and the language directly instead of the views' context.
 */
export class OfficeLogin extends LitElement {
  static override properties = {
    api: { attribute: false },
    lang: { type: String },
    town: { type: String },
    notice: { type: String },
    busy: { state: true },
    errors: { state: true },
    message: { state: true },
  };

  declare api: OfficeApi;
  declare lang: Lang;
  declare town: string;
  /** Why the login is shown (session expired, logged out). */
  declare notice: string;
  declare busy: boolean;
  declare errors: Partial<Record<"email" | "password", string>>;
  declare message: string;

  constructor() {
    super();
    this.busy = false;
    this.errors = {};
    this.message = "";
    this.notice = "";
    this.town = "";
  }

  protected override createRenderRoot() {
    return this;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    if (this.busy) return;
    const t = officeTexts[this.lang].login;
    const v = formValues(e.target as HTMLFormElement);
    const errors: typeof this.errors = {};
    if (!v.email) errors.email = t.emailMissing;
    if (!v.password) errors.password = t.passwordMissing;
    this.errors = errors;
    this.message = "";
    if (errors.email || errors.password) return this.focusInvalid();
    this.busy = true;
    try {
      const session = await this.api.send<OfficeSession>("POST", "office/login", { email: v.email, password: v.password });
      this.dispatchEvent(new CustomEvent<OfficeSession>("office-login", { detail: session, bubbles: true, composed: true }));
    } catch (err) {
      this.message = this.explain(err);
      // The password field is emptied: whatever was wrong, it is typed again.
      const password = this.querySelector<HTMLInputElement>("#login-password");
      if (password) password.value = "";
      await this.updateComplete;
      this.querySelector<HTMLInputElement>("#login-email")?.focus();
    } finally {
      this.busy = false;
    }
  }

  private explain(e: unknown): string {
    const t = officeTexts[this.lang].login;
    if (e instanceof ApiError) {
      if (e.status === 401) return t.invalid;
      if (e.status === 403) return t.forbidden;
      if (e.status === 429) return t.limited(e.retryAfter);
    }
    return problemText(e, this.lang);
  }

  private async focusInvalid() {
    await this.updateComplete;
    this.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  override render() {
    const all = officeTexts[this.lang];
    const t = all.login;
    const field = (name: "email" | "password", label: string, type: string, autocomplete: string) => {
      const id = `login-${name}`;
      const error = this.errors[name];
      return html`<div class="field">
        <label for=${id}>${label}</label>
        ${error ? html`<p class="error" id=${`${id}-error`}>${error}</p>` : nothing}
        <input
          id=${id}
          name=${name}
          type=${type}
          autocomplete=${autocomplete}
          spellcheck="false"
          required
          aria-invalid=${error ? "true" : "false"}
          aria-describedby=${error ? `${id}-error` : nothing}
        />
      </div>`;
    };
    return html`<div class="login card">
      <h1 tabindex="-1">${t.title}</h1>
      <p class="muted">${t.intro(this.town)}</p>
      ${this.notice ? html`<p class="info" role="status">${this.notice}</p>` : nothing}
      <form novalidate @submit=${this.submit}>
        <div class="form-error" role="alert">${this.message ? html`<p>${this.message}</p>` : nothing}</div>
        ${field("email", t.email, "email", "username")} ${field("password", t.password, "password", "current-password")}
        <button class="btn" type="submit" aria-disabled=${this.busy ? "true" : "false"}>${this.busy ? all.wait : t.submit}</button>
      </form>
      <ul class="alt" aria-label=${t.more}>
        <li><a href="#/passwort-vergessen">${t.forgot}</a></li>
        <li><a href="#einladung">${t.acceptInvite}</a></li>
      </ul>
    </div>`;
  }
}

define("office-login", OfficeLogin);
