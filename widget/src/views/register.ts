import { css, html, nothing } from "lit";
import { define } from "../core/dom.js";
import type { AccountKind, AuthResult, Lang } from "../core/types.js";
import { FormController, ViewElement, formValues } from "./shared/form.js";
import { viewStyles } from "./shared/styles.js";

const texts = {
  de: {
    title: "Konto anlegen",
    intro: (town: string) => `Mit einem Konto beim Digitalen Rathaus ${town} erhalten Sie Nachrichten zu Ihren Themen per E-Mail und auf Wunsch Eilmeldungen per SMS.`,
    kind: "Ich registriere mich als",
    kinds: {
      person: ["Privatperson", "Einwohnerin oder Einwohner"],
      association: ["Verein", "für einen eingetragenen oder nicht eingetragenen Verein"],
      company: ["Unternehmen", "für eine Firma oder einen Betrieb"],
    },
    organisation: { association: "Name des Vereins", company: "Name des Unternehmens" },
    registerNumber: "Registernummer",
    registerHint: "Zum Beispiel VR 1234 (Vereinsregister) oder HRB 5678 (Handelsregister).",
    name: "Vor- und Nachname",
    contactName: "Ansprechperson (Vor- und Nachname)",
    email: "E-Mail-Adresse",
    emailHint: "Dorthin schicken wir einen Bestätigungscode und später Ihre Nachrichten.",
    mobile: "Mobilnummer",
    mobileHint: "Für einen Bestätigungscode per SMS und, wenn Sie möchten, Eilmeldungen. Zum Beispiel 0171 2345678.",
    password: "Passwort",
    passwordHint: "Mindestens 10 Zeichen. Am sichersten ist ein Satz aus mehreren Wörtern.",
    privacyBefore: "Ich habe die ",
    privacyLink: "Datenschutzerklärung",
    privacyAfter: " gelesen und bin einverstanden, dass meine Angaben für das Digitale Rathaus verarbeitet werden.",
    newWindow: "(öffnet in neuem Fenster)",
    submit: "Konto anlegen",
    haveAccount: "Sie haben schon ein Konto?",
    login: "Anmelden",
  },
  en: {
    title: "Create an account",
    intro: (town: string) => `With an account at the Digital Town Hall of ${town} you get news on your topics by e-mail and, if you like, urgent news by SMS.`,
    kind: "I am registering as",
    kinds: {
      person: ["Private person", "a resident"],
      association: ["Association", "for a club or association (Verein)"],
      company: ["Company", "for a business"],
    },
    organisation: { association: "Name of the association", company: "Name of the company" },
    registerNumber: "Register number",
    registerHint: "For example VR 1234 (register of associations) or HRB 5678 (commercial register).",
    name: "First and last name",
    contactName: "Contact person (first and last name)",
    email: "E-mail address",
    emailHint: "We will send a confirmation code and later your news there.",
    mobile: "Mobile number",
    mobileHint: "For a confirmation code by SMS and, if you like, urgent news. For example +49 171 2345678.",
    password: "Password",
    passwordHint: "At least 10 characters. A sentence of several words is safest.",
    privacyBefore: "I have read the ",
    privacyLink: "privacy policy",
    privacyAfter: " and agree that my details are processed for the Digital Town Hall.",
    newWindow: "(opens in a new window)",
    submit: "Create account",
    haveAccount: "Already have an account?",
    login: "Log in",
  },
} satisfies Record<Lang, Record<string, unknown>>;

const kinds: readonly AccountKind[] = ["person", "association", "company"];

/** Registration as a person, a Verein or a company, with e-mail, mobile and privacy consent. */
export class RegisterView extends ViewElement {
  static override properties = { ...ViewElement.properties, kind: { state: true } };
  static override styles = [
    viewStyles,
    css`
      .choice span {
        display: block;
      }
      .choice strong {
        font-weight: 600;
      }
    `,
  ];

  declare kind: AccountKind;
  private readonly form = new FormController(this, ["kind", "organisation", "registerNumber", "name", "email", "mobile", "password", "acceptPrivacy"]);

  constructor() {
    super();
    this.kind = "person";
  }

  private async submit(e: SubmitEvent) {
    const v = formValues(e);
    const organisation = this.kind === "person" ? {} : { organisation: v.organisation ?? "", ...(v.registerNumber ? { registerNumber: v.registerNumber } : {}) };
    await this.form.submit(async () => {
      const result = await this.ctx.api.send<AuthResult>("POST", "auth/register", {
        kind: this.kind,
        name: v.name ?? "",
        ...organisation,
        email: v.email ?? "",
        mobile: v.mobile ?? "",
        password: v.password ?? "",
        acceptPrivacy: v.acceptPrivacy === "on",
        lang: this.state.lang,
      });
      this.ctx.signIn(result);
      this.ctx.navigate("verify");
    });
  }

  override render() {
    const t = texts[this.state.lang];
    const f = this.form;
    const config = this.state.config!;
    const org = this.kind !== "person";
    return html`<h3 tabindex="-1">${t.title}</h3>
      <p class="intro">${t.intro(config.name)}</p>
      <form novalidate @submit=${this.submit}>
        ${f.status()}
        <fieldset>
          <legend>${t.kind}</legend>
          <div class="choices">
            ${kinds.map(
              (k) => html`<label class="choice">
                <input type="radio" name="kind" value=${k} .checked=${this.kind === k} @change=${() => (this.kind = k)} />
                <span><strong>${t.kinds[k][0]}</strong><small>${t.kinds[k][1]}</small></span>
              </label>`,
            )}
          </div>
        </fieldset>
        ${org
          ? html`${f.field({ name: "organisation", label: t.organisation[this.kind as "association" | "company"], autocomplete: "organization" })}
            ${f.field({ name: "registerNumber", label: t.registerNumber, hint: t.registerHint, autocomplete: "off", optional: true })}`
          : nothing}
        ${f.field({ name: "name", label: org ? t.contactName : t.name, autocomplete: "name" })}
        ${f.field({ name: "email", label: t.email, hint: t.emailHint, type: "email", autocomplete: "email", inputmode: "email" })}
        ${f.field({ name: "mobile", label: t.mobile, hint: t.mobileHint, type: "tel", autocomplete: "tel", inputmode: "tel" })}
        ${f.field({ name: "password", label: t.password, hint: t.passwordHint, type: "password", autocomplete: "new-password" })}
        ${f.checkbox(
          "acceptPrivacy",
          html`${t.privacyBefore}<a href=${config.links.privacy} target="_blank" rel="noopener">${t.privacyLink}<span class="sr-only"> ${t.newWindow}</span></a>${t.privacyAfter}`,
          { required: true },
        )}
        ${f.button(t.submit)}
      </form>
      <div class="alt">
        <p>${t.haveAccount} <button class="link" type="button" @click=${() => this.ctx.navigate("login")}>${t.login}</button></p>
      </div>`;
  }
}

define("dr-register-view", RegisterView);
