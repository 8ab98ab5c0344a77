import { html } from "lit";
import { define } from "../core/dom.js";
import type { AuthResult, Lang } from "../core/types.js";
import { FormController, ViewElement, digits, formValues } from "./shared/form.js";

const texts = {
  de: {
    forgotTitle: "Passwort vergessen",
    forgotIntro: "Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir schicken Ihnen einen Code, mit dem Sie ein neues Passwort festlegen.",
    email: "E-Mail-Adresse",
    send: "Code anfordern",
    resetTitle: "Neues Passwort festlegen",
    resetIntro: (email: string) =>
      `Wenn zu ${email} ein Konto besteht, haben wir einen 6-stelligen Code dorthin geschickt. Er ist eine Stunde gültig. Sehen Sie bitte auch im Spam-Ordner nach.`,
    code: "Code aus der E-Mail",
    codeHint: "6 Ziffern",
    password: "Neues Passwort",
    passwordHint: "Mindestens 10 Zeichen. Am sichersten ist ein Satz aus mehreren Wörtern.",
    save: "Passwort speichern",
    otherEmail: "Andere E-Mail-Adresse eingeben",
    back: "Zurück zur Anmeldung",
  },
  en: {
    forgotTitle: "Forgot your password",
    forgotIntro: "Enter the e-mail address of your account. We will send you a code to set a new password.",
    email: "E-mail address",
    send: "Send code",
    resetTitle: "Set a new password",
    resetIntro: (email: string) =>
      `If there is an account for ${email}, we have sent a 6-digit code there. It is valid for one hour. Please also check your spam folder.`,
    code: "Code from the e-mail",
    codeHint: "6 digits",
    password: "New password",
    passwordHint: "At least 10 characters. A sentence of several words is safest.",
    save: "Save password",
    otherEmail: "Use another e-mail address",
    back: "Back to log in",
  },
} satisfies Record<Lang, Record<string, unknown>>;

/** Forgot password (request a code) and reset (code + new password), both signed out. */
export class PasswordView extends ViewElement {
  private readonly request = new FormController(this, ["email"]);
  private readonly confirm = new FormController(this, ["code", "password"]);

  private async submitRequest(e: SubmitEvent) {
    const { email = "" } = formValues(e);
    await this.request.submit(async () => {
      await this.ctx.api.send("POST", "auth/password-reset", { email });
      this.ctx.navigate("reset", email);
    });
  }

  private async submitConfirm(e: SubmitEvent) {
    const v = formValues(e);
    await this.confirm.submit(async () => {
      const result = await this.ctx.api.send<AuthResult>("POST", "auth/password-reset/confirm", {
        email: this.state.param ?? "",
        code: digits(v.code),
        password: v.password ?? "",
      });
      this.ctx.signIn(result);
      this.ctx.navigate("account");
    });
  }

  override render() {
    const t = texts[this.state.lang];
    const back = html`<div class="alt"><p><button class="link" type="button" @click=${() => this.ctx.navigate("login")}>${t.back}</button></p></div>`;
    if (this.state.view === "reset" && this.state.param) {
      const f = this.confirm;
      return html`<h3 tabindex="-1">${t.resetTitle}</h3>
        <p class="intro">${t.resetIntro(this.state.param)}</p>
        <form novalidate @submit=${this.submitConfirm}>
          ${f.status()}
          <input type="email" name="username" autocomplete="username" .value=${this.state.param} hidden />
          ${f.field({ name: "code", label: t.code, hint: t.codeHint, autocomplete: "one-time-code", inputmode: "numeric", maxlength: 7, className: "code" })}
          ${f.field({ name: "password", label: t.password, hint: t.passwordHint, type: "password", autocomplete: "new-password" })}
          ${f.button(t.save)}
        </form>
        <p class="actions"><button class="link" type="button" @click=${() => this.ctx.navigate("forgot")}>${t.otherEmail}</button></p>
        ${back}`;
    }
    const f = this.request;
    return html`<h3 tabindex="-1">${t.forgotTitle}</h3>
      <p class="intro">${t.forgotIntro}</p>
      <form novalidate @submit=${this.submitRequest}>
        ${f.status()}
        ${f.field({ name: "email", label: t.email, type: "email", autocomplete: "email", inputmode: "email" })}
        ${f.button(t.send)}
      </form>
      ${back}`;
  }
}

define("dr-password-view", PasswordView);
