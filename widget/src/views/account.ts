import { type PropertyValues, css, html, nothing } from "lit";
import { ApiError } from "../core/api.js";
import { isStaff } from "../core/context.js";
import { define } from "../core/dom.js";
import type { Account, Lang, Subscriptions } from "../core/types.js";
import { LinkedProviders, linkedStyles } from "../identity/linked.js";
import { providersOf } from "../identity/start.js";
import { identityTexts } from "../identity/texts.js";
import { FormController, ViewElement, formValues, isVerified, topicOptions } from "./shared/form.js";
import { viewStyles } from "./shared/styles.js";

const texts = {
  de: {
    title: "Mein Konto",
    signedInAs: "Angemeldet als",
    logout: "Abmelden",
    loggedOut: "Sie haben sich abgemeldet.",
    verifyTitle: "Bitte bestätigen Sie Ihre Angaben",
    verifyText: "Bestätigen Sie Ihre E-Mail-Adresse und Ihre Mobilnummer mit den Codes, die wir Ihnen geschickt haben. Danach können Sie Themen abonnieren.",
    verifyEmailText: "Bestätigen Sie Ihre E-Mail-Adresse mit dem Code, den wir Ihnen geschickt haben. Danach können Sie Themen abonnieren.",
    verifyButton: "Jetzt bestätigen",
    subsTitle: "Nachrichten abonnieren",
    topics: "Zu diesen Themen schicken wir Ihnen neue Meldungen per E-Mail:",
    sms: "Eilmeldungen",
    smsLabel: (mobile: string) => `Eilmeldungen zusätzlich per SMS an ${mobile} erhalten`,
    saveSubs: "Auswahl speichern",
    subsSaved: "Gespeichert. Sie erhalten Nachrichten zu den gewählten Themen.",
    subsNone: "Gespeichert. Sie haben derzeit keine Themen abonniert.",
    profileTitle: "Ihre Angaben",
    name: "Vor- und Nachname",
    contactName: "Ansprechperson",
    organisation: "Name der Organisation",
    registerNumber: "Registernummer",
    email: "E-Mail-Adresse",
    mobile: "Mobilnummer",
    confirmed: "bestätigt",
    unconfirmed: "nicht bestätigt",
    saveProfile: "Angaben speichern",
    profileSaved: "Ihre Angaben sind gespeichert.",
    dataTitle: "Ihre Daten",
    dataText: "Laden Sie alles herunter, was das Digitale Rathaus zu Ihrem Konto gespeichert hat (Datei im JSON-Format).",
    download: "Meine Daten herunterladen",
    downloaded: "Der Download wurde gestartet.",
    deleteTitle: "Konto löschen",
    deleteSummary: "Ich möchte mein Konto löschen",
    deleteText: "Ihr Konto, Ihre Abonnements und alle gespeicherten Angaben werden sofort und endgültig gelöscht. Zur Sicherheit geben Sie bitte Ihr Passwort ein.",
    password: "Ihr Passwort",
    deleteButton: "Konto endgültig löschen",
    deleted: "Ihr Konto wurde gelöscht. Eine Bestätigung ist per E-Mail unterwegs.",
    loading: "Ihr Konto wird geladen …",
    retry: "Erneut versuchen",
    editorTitle: "Redaktion",
    editorText: "Schreiben Sie Nachrichten für die Bürgerinnen und Bürger und schicken Sie sie an alle, die das Thema abonniert haben.",
    editorButton: "Nachrichten verfassen",
  },
  en: {
    title: "My account",
    signedInAs: "Logged in as",
    logout: "Log out",
    loggedOut: "You have logged out.",
    verifyTitle: "Please confirm your details",
    verifyText: "Confirm your e-mail address and mobile number with the codes we sent you. Then you can subscribe to topics.",
    verifyEmailText: "Confirm your e-mail address with the code we sent you. Then you can subscribe to topics.",
    verifyButton: "Confirm now",
    subsTitle: "Subscribe to news",
    topics: "We will e-mail you new items on these topics:",
    sms: "Urgent news",
    smsLabel: (mobile: string) => `Also get urgent news by SMS to ${mobile}`,
    saveSubs: "Save selection",
    subsSaved: "Saved. You will get news on the selected topics.",
    subsNone: "Saved. You are not subscribed to any topic at the moment.",
    profileTitle: "Your details",
    name: "First and last name",
    contactName: "Contact person",
    organisation: "Name of the organisation",
    registerNumber: "Register number",
    email: "E-mail address",
    mobile: "Mobile number",
    confirmed: "confirmed",
    unconfirmed: "not confirmed",
    saveProfile: "Save details",
    profileSaved: "Your details have been saved.",
    dataTitle: "Your data",
    dataText: "Download everything the Digital Town Hall has stored for your account (a JSON file).",
    download: "Download my data",
    downloaded: "The download has started.",
    deleteTitle: "Delete account",
    deleteSummary: "I want to delete my account",
    deleteText: "Your account, your subscriptions and all stored details are deleted immediately and for good. For your security, please enter your password.",
    password: "Your password",
    deleteButton: "Delete account for good",
    deleted: "Your account has been deleted. A confirmation is on its way by e-mail.",
    loading: "Loading your account …",
    retry: "Try again",
    editorTitle: "Newsroom",
    editorText: "Write news for the town's residents and send it to everyone who subscribed to its topics.",
    editorButton: "Write news",
  },
} satisfies Record<Lang, Record<string, unknown>>;

/** "Mein Konto": verification prompt, subscriptions, profile, the linked Bürgerkonto, data export, deletion, logout. */
export class AccountView extends ViewElement {
  static override properties = { ...ViewElement.properties, subs: { state: true }, loadError: { state: true } };
  static override styles = [
    viewStyles,
    linkedStyles,
    css`
      .who {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 12px;
      }
      .who p {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .who strong,
      .who span {
        display: block;
      }
      section {
        margin: 0 0 16px;
      }
      dl {
        display: grid;
        grid-template-columns: 1fr;
        gap: 2px;
        margin: 0 0 16px;
      }
      dt {
        font-weight: 600;
      }
      dd {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        margin: 0 0 10px;
        overflow-wrap: anywhere;
      }
      .choice.plain {
        padding: 6px 0;
      }
      details > summary {
        display: flex;
        align-items: center;
        min-height: 44px;
        color: var(--_error);
        font-weight: 700;
        cursor: pointer;
      }
      details[open] > summary {
        margin-bottom: 8px;
      }
    `,
  ];

  declare subs: Subscriptions | undefined;
  declare loadError: string | undefined;

  private readonly subsForm = new FormController(this, ["topics", "smsAlerts"], "subs-");
  private readonly profileForm = new FormController(this, ["name", "organisation", "registerNumber"], "profile-");
  private readonly dataForm = new FormController(this, [], "data-");
  private readonly deleteForm = new FormController(this, ["password"], "delete-");
  private readonly identities = new LinkedProviders(this);
  private loading = false;

  override connectedCallback() {
    super.connectedCallback();
    // Always fresh: the account may have been verified or changed in another tab.
    void this.load();
    if (providersOf(this.state.config).length) void this.identities.load();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    const account = this.state.account;
    if (changed.has("state") && account && isVerified(account) && !this.subs && !this.loading && !this.loadError) void this.loadSubscriptions();
  }

  private async load() {
    this.loading = true;
    this.loadError = undefined;
    try {
      const { account } = await this.ctx.api.get<{ account: Account }>("me", { auth: true });
      this.ctx.setAccount(account);
      if (isVerified(account)) await this.loadSubscriptions();
    } catch (e) {
      // 401 already ended the session and switched to the login.
      if (!(e instanceof ApiError && e.status === 401)) this.loadError = (e as Error).message;
    } finally {
      this.loading = false;
    }
  }

  private async loadSubscriptions() {
    this.loading = true;
    try {
      this.subs = await this.ctx.api.get<Subscriptions>("me/subscriptions", { auth: true });
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) this.loadError = (e as Error).message;
    } finally {
      this.loading = false;
    }
  }

  private async saveSubscriptions(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const body: Subscriptions = { topics: data.getAll("topics").map(String), smsAlerts: data.get("smsAlerts") === "on" };
    const t = texts[this.state.lang];
    await this.subsForm.submit(async () => {
      this.subs = await this.ctx.api.send<Subscriptions>("PUT", "me/subscriptions", body, true);
      this.subsForm.success = this.subs.topics.length ? t.subsSaved : t.subsNone;
    });
  }

  private async saveProfile(e: SubmitEvent) {
    const v = formValues(e);
    const org = this.state.account?.kind !== "person";
    const t = texts[this.state.lang];
    await this.profileForm.submit(async () => {
      const body = { name: v.name ?? "", ...(org ? { organisation: v.organisation ?? "", registerNumber: v.registerNumber ?? null } : {}) };
      const { account } = await this.ctx.api.send<{ account: Account }>("PATCH", "me", body, true);
      this.ctx.setAccount(account);
      this.profileForm.success = t.profileSaved;
    });
  }

  /** The export needs the bearer token, so a plain link cannot do it: fetch, then save the blob. */
  private async download() {
    const t = texts[this.state.lang];
    await this.dataForm.submit(async () => {
      const res = await this.ctx.api.fetch("GET", "me/export", { auth: true });
      const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? "digitales-rathaus-daten.json";
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      this.renderRoot.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      this.dataForm.success = t.downloaded;
    });
  }

  private async deleteAccount(e: SubmitEvent) {
    const { password = "" } = formValues(e);
    const t = texts[this.state.lang];
    await this.deleteForm.submit(async () => {
      await this.ctx.api.send("DELETE", "me", { password }, true);
      await this.ctx.signOut({ callApi: false, notice: t.deleted });
    });
  }

  override render() {
    const t = texts[this.state.lang];
    const account = this.state.account;
    // The heading stays the same element while the account loads, so focus on it survives.
    return html`<h3 tabindex="-1">${t.title}</h3>
      ${account ? this.renderAccount(account) : this.loadError ? this.problem(this.loadError) : html`<p class="state" role="status">${t.loading}</p>`}`;
  }

  private renderAccount(account: Account) {
    const t = texts[this.state.lang];
    const verified = isVerified(account);
    return html`<div class="card who">
        <p>${t.signedInAs} <strong>${account.organisation ?? account.name}</strong> <span>${account.email}</span></p>
        <button class="btn secondary" type="button" @click=${() => void this.ctx.signOut({ notice: t.loggedOut })}>${t.logout}</button>
      </div>
      ${isStaff(account)
        ? html`<section class="box" aria-labelledby="editor-title">
            <h4 id="editor-title">${t.editorTitle}</h4>
            <p>${t.editorText}</p>
            <p><button class="btn" type="button" @click=${() => this.ctx.navigate("editor")}>${t.editorButton}</button></p>
          </section>`
        : nothing}
      ${verified
        ? nothing
        : html`<section class="box" aria-labelledby="verify-title">
            <h4 id="verify-title">${t.verifyTitle}</h4>
            <p>${account.identityVerified ? t.verifyEmailText : t.verifyText}</p>
            <p><button class="btn" type="button" @click=${() => this.ctx.navigate("verify")}>${t.verifyButton}</button></p>
          </section>`}
      ${this.loadError ? this.problem(this.loadError) : nothing}
      ${verified ? this.renderSubscriptions(account) : nothing} ${this.renderProfile(account)}
      ${this.identities.render(providersOf(this.state.config), this.state.lang)}
      <section class="card" aria-labelledby="data-title">
        <h4 id="data-title">${t.dataTitle}</h4>
        <p>${t.dataText}</p>
        ${this.dataForm.status()}
        <button class="btn secondary" type="button" @click=${() => void this.download()}>${t.download}</button>
      </section>
      <section class="card" aria-labelledby="delete-title">
        <h4 id="delete-title">${t.deleteTitle}</h4>
        <details>
          <summary>${t.deleteSummary}</summary>
          <p>${t.deleteText}</p>
          <form novalidate @submit=${this.deleteAccount}>
            ${this.deleteForm.status()}
            <input type="email" name="username" autocomplete="username" .value=${account.email} hidden />
            ${this.deleteForm.field({ name: "password", label: t.password, type: "password", autocomplete: "current-password" })}
            ${this.deleteForm.button(t.deleteButton, "btn danger")}
          </form>
        </details>
      </section>`;
  }

  private problem(message: string) {
    return html`<div class="box" role="alert">
      <p>${message}</p>
      <p><button class="btn" type="button" @click=${() => void this.load()}>${texts[this.state.lang].retry}</button></p>
    </div>`;
  }

  private renderSubscriptions(account: Account) {
    const t = texts[this.state.lang];
    const subs = this.subs;
    if (!subs) return html`<section class="card"><h4>${t.subsTitle}</h4><p role="status">${t.loading}</p></section>`;
    return html`<section class="card" aria-labelledby="subs-title">
      <h4 id="subs-title">${t.subsTitle}</h4>
      <form novalidate @submit=${this.saveSubscriptions}>
        ${this.subsForm.status()}
        ${this.subsForm.checkboxes({ name: "topics", legend: t.topics, options: topicOptions(this.state), checked: subs.topics })}
        ${account.mobile
          ? html`<fieldset>
              <legend>${t.sms}</legend>
              <label class="choice plain">
                <input type="checkbox" name="smsAlerts" .checked=${subs.smsAlerts} />
                <span>${t.smsLabel(account.mobile)}</span>
              </label>
            </fieldset>`
          : nothing}
        ${this.subsForm.button(t.saveSubs, "btn")}
      </form>
    </section>`;
  }

  private renderProfile(account: Account) {
    const t = texts[this.state.lang];
    const f = this.profileForm;
    const org = account.kind !== "person";
    const badge = (ok: boolean) => html`<span class="badge ${ok ? "ok" : "todo"}">${ok ? t.confirmed : t.unconfirmed}</span>`;
    return html`<section class="card" aria-labelledby="profile-title">
      <h4 id="profile-title">${t.profileTitle}</h4>
      <dl>
        <dt>${t.email}</dt>
        <dd>${account.email} ${badge(account.emailVerified)}</dd>
        ${account.mobile
          ? html`<dt>${t.mobile}</dt>
              <dd>${account.mobile} ${badge(account.mobileVerified)}</dd>`
          : nothing}
        ${account.identityVerified
          ? html`<dt>${identityTexts[this.state.lang].identity}</dt>
              <dd><span class="badge ok">${identityTexts[this.state.lang].identityConfirmed}</span></dd>`
          : nothing}
      </dl>
      <form novalidate @submit=${this.saveProfile}>
        ${f.status()}
        ${org
          ? html`${f.field({ name: "organisation", label: t.organisation, autocomplete: "organization", value: account.organisation ?? "" })}
            ${f.field({ name: "registerNumber", label: t.registerNumber, autocomplete: "off", optional: true, value: account.registerNumber ?? "" })}`
          : nothing}
        ${f.field({ name: "name", label: org ? t.contactName : t.name, autocomplete: "name", value: account.name })}
        ${f.button(t.saveProfile, "btn secondary")}
      </form>
    </section>`;
  }
}

define("dr-account-view", AccountView);
