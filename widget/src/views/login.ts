import { html } from "lit";
import { define } from "../core/dom.js";
import type { AuthResult, Lang } from "../core/types.js";
import { FormController, ViewElement, formValues, isVerified } from "./shared/form.js";

const texts = {
  de: {
    title: "Anmelden",
    intro: (town: string) => `Melden Sie sich mit Ihrem Konto beim Digitalen Rathaus ${town} an.`,
    email: "E-Mail-Adresse",
    password: "Passwort",
    submit: "Anmelden",
    forgot: "Passwort vergessen?",
    noAccount: "Sie haben noch kein Konto?",
    register: "Jetzt registrieren",
  },
  en: {
    title: "Log in",
    intro: (town: string) => `Log in to the Digital Town Hall of ${town} with your account.`,
    email: "E-mail address",
    password: "Password",
    submit: "Log in",
    forgot: "Forgot your password?",
    noAccount: "No account yet?",
    register: "Register now",
  },
} satisfies Record<Lang, Record<string, unknown>>;

export class LoginView extends ViewElement {
  private readonly form = new FormController(this, ["email", "password"]);

  private async submit(e: SubmitEvent) {
    const v = formValues(e);
    await this.form.submit(async () => {
      const result = await this.ctx.api.send<AuthResult>("POST", "auth/login", { email: v.email ?? "", password: v.password ?? "" });
      this.ctx.signIn(result);
      this.ctx.navigate(isVerified(result.account) ? "account" : "verify");
    });
  }

  override render() {
    const t = texts[this.state.lang];
    const f = this.form;
    return html`<h3 tabindex="-1">${t.title}</h3>
      <p class="intro">${t.intro(this.state.config!.name)}</p>
      <form novalidate @submit=${this.submit}>
        ${f.status()}
        ${f.field({ name: "email", label: t.email, type: "email", autocomplete: "email", inputmode: "email" })}
        ${f.field({ name: "password", label: t.password, type: "password", autocomplete: "current-password" })}
        ${f.button(t.submit)}
      </form>
      <p class="actions"><button class="link" type="button" @click=${() => this.ctx.navigate("forgot")}>${t.forgot}</button></p>
      <div class="alt">
        <p>${t.noAccount} <button class="link" type="button" @click=${() => this.ctx.navigate("register")}>${t.register}</button></p>
      </div>`;
  }
}

define("dr-login-view", LoginView);
