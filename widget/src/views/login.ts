import { html, nothing } from "lit";
import { define } from "../core/dom.js";
import type { AuthResult, Lang } from "../core/types.js";
import { identityStyles, providerButtons } from "../identity/buttons.js";
import { ProviderLogin } from "../identity/flow.js";
import { providersOf } from "../identity/start.js";
import { identityTexts } from "../identity/texts.js";
import { FormController, ViewElement, formValues, isVerified } from "./shared/form.js";
import { viewStyles } from "./shared/styles.js";

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

/** The login: e-mail address and password, or one of the town's identity providers (Bürgerkonto). */
export class LoginView extends ViewElement {
  static override styles = [viewStyles, identityStyles];

  private readonly form = new FormController(this, ["email", "password"]);
  private readonly provider = new ProviderLogin(this, (result) => this.done(result));

  private async submit(e: SubmitEvent) {
    const v = formValues(e);
    await this.form.submit(async () => {
      this.done(await this.ctx.api.send<AuthResult>("POST", "auth/login", { email: v.email ?? "", password: v.password ?? "" }));
    });
  }

  /** Either way in, the same session: stored, announced, and on to the account (or where the visitor was going). */
  private done(result: AuthResult) {
    this.ctx.signIn(result);
    this.ctx.navigate(isVerified(result.account) ? "account" : "verify");
  }

  override render() {
    const t = texts[this.state.lang];
    const f = this.form;
    const providers = providersOf(this.state.config);
    return html`<h3 tabindex="-1">${t.title}</h3>
      <p class="intro">${t.intro(this.state.config!.name)}</p>
      <form novalidate @submit=${this.submit}>
        ${f.status()}
        ${f.field({ name: "email", label: t.email, type: "email", autocomplete: "email", inputmode: "email" })}
        ${f.field({ name: "password", label: t.password, type: "password", autocomplete: "current-password" })}
        ${f.button(t.submit)}
      </form>
      <p class="actions"><button class="link" type="button" @click=${() => this.ctx.navigate("forgot")}>${t.forgot}</button></p>
      ${providers.length
        ? html`<p class="or">${identityTexts[this.state.lang].or}</p>
            ${providerButtons(this.provider, providers, this.state.lang, { returnTo: this.state.returnTo })}`
        : nothing}
      <div class="alt">
        <p>${t.noAccount} <button class="link" type="button" @click=${() => this.ctx.navigate("register")}>${t.register}</button></p>
      </div>`;
  }
}

define("dr-login-view", LoginView);
