import { LitElement, html, nothing } from "lit";
import { define } from "../../core/dom.js";
import type { AuthResult, Lang } from "../../core/types.js";
import type { OfficeSession } from "../../../../server/office/api-types.js";
import { ApiError, type OfficeApi } from "../api.js";
import { FormState, formValues } from "../forms.js";
import { officeTexts } from "../texts.js";

/**
 * Setting a password while signed out: with the code of an invitation (`#einladung`, linked from
 * the invitation mail) or, after "Passwort vergessen", with a code requested here. The account
 * API's password reset does the work; it answers with a widget session, which is ended at once,
 * and the office logs in with the new password and hands its session to the app.
 */
export class OfficePassword extends LitElement {
  static override properties = {
    api: { attribute: false },
    lang: { type: String },
    town: { type: String },
    mode: { type: String },
    sentTo: { state: true },
  };

  declare api: OfficeApi;
  declare lang: Lang;
  declare town: string;
  declare mode: "invitation" | "forgot";
  /** Forgot: the address a code was requested for; the form for the code follows. */
  declare sentTo: string;

  private readonly request = new FormState(this, "forgot", ["email"]);
  private readonly confirm = new FormState(this, "reset", ["email", "code", "password"]);

  constructor() {
    super();
    this.town = "";
    this.mode = "invitation";
    this.sentTo = "";
  }

  /** What the forms need: the language and the texts. */
  get ctx() {
    return { lang: this.lang, t: officeTexts[this.lang] };
  }

  protected override createRenderRoot() {
    return this;
  }

  private async requestCode(e: SubmitEvent) {
    e.preventDefault();
    const t = officeTexts[this.lang].password;
    const { email } = formValues(e.target as HTMLFormElement);
    if (!this.request.check({ email: !email && t.emailMissing })) return;
    const ok = await this.request.run(async () => {
      await this.api.send("POST", "auth/password-reset", { email });
      return undefined;
    });
    if (!ok) return;
    this.sentTo = email!;
    await this.updateComplete;
    this.querySelector<HTMLElement>("#reset-code")?.focus();
  }

  private async setPassword(e: SubmitEvent) {
    e.preventDefault();
    const t = officeTexts[this.lang].password;
    const v = formValues(e.target as HTMLFormElement);
    const email = v.email ?? this.sentTo;
    const code = (v.code ?? "").replace(/\D/g, "");
    if (!this.confirm.check({ email: !email && t.emailMissing, code: !code && t.codeMissing, password: !v.password && t.passwordMissing })) return;
    await this.confirm.run(async () => {
      const result = await this.api.send<AuthResult>("POST", "auth/password-reset/confirm", { email, code, password: v.password });
      // The reset opens a widget session; the office has its own, so that one ends here.
      await this.api.send("POST", "auth/logout", undefined, { Authorization: `Bearer ${result.token}` }).catch(() => undefined);
      try {
        const session = await this.api.send<OfficeSession>("POST", "office/login", { email, password: v.password });
        this.dispatchEvent(new CustomEvent<OfficeSession>("office-login", { detail: session, bubbles: true, composed: true }));
      } catch (err) {
        // The password is set; only the office refuses (a citizen account).
        if (err instanceof ApiError && err.status === 403) throw new ApiError(403, err.code, officeTexts[this.lang].login.forbidden);
        throw err;
      }
      return undefined;
    });
  }

  override render() {
    const all = officeTexts[this.lang];
    const t = all.password;
    const invitation = this.mode === "invitation";
    return html`<div class="login card">
      <h1 tabindex="-1">${invitation ? t.inviteTitle : t.forgotTitle}</h1>
      ${invitation
        ? html`<p class="muted">${t.inviteIntro(this.town)}</p>`
        : this.sentTo
          ? html`<p class="info">${t.codeSent(this.sentTo)}</p>`
          : html`<p class="muted">${t.forgotIntro}</p>`}
      ${!invitation && !this.sentTo
        ? html`<form novalidate @submit=${this.requestCode}>
            ${this.request.status()} ${this.request.field({ name: "email", label: t.email, type: "email", autocomplete: "username", inputmode: "email" })}
            ${this.request.button(t.sendCode)}
          </form>`
        : html`<form novalidate @submit=${this.setPassword}>
            ${this.confirm.status()}
            ${invitation ? this.confirm.field({ name: "email", label: t.email, type: "email", autocomplete: "username", inputmode: "email" }) : nothing}
            ${this.confirm.field({ name: "code", label: t.code, hint: t.codeHint, autocomplete: "one-time-code", inputmode: "numeric", maxlength: 7 })}
            ${this.confirm.field({ name: "password", label: t.password, hint: t.passwordHint, type: "password", autocomplete: "new-password" })}
            ${this.confirm.button(t.save)}
          </form>`}
      <ul class="alt">
        <li><a href="#/inbox">${t.back}</a></li>
      </ul>
    </div>`;
  }
}

define("office-password", OfficePassword);
