import { type PropertyValues, css, html, nothing } from "lit";
import { ApiError } from "../core/api.js";
import { define } from "../core/dom.js";
import type { Account, Lang } from "../core/types.js";
import { FormController, ViewElement, digits, formValues, isVerified } from "./shared/form.js";
import { viewStyles } from "./shared/styles.js";

type Channel = "email" | "mobile";

const texts = {
  de: {
    title: "Angaben bestätigen",
    intro: "Damit wir Ihnen Nachrichten schicken dürfen, bestätigen Sie bitte Ihre E-Mail-Adresse und Ihre Mobilnummer. Das dauert nur einen Moment.",
    step: { email: "1. E-Mail-Adresse", mobile: "2. Mobilnummer" },
    sent: { email: "Wir haben einen 6-stelligen Code an diese Adresse geschickt:", mobile: "Wir haben einen 6-stelligen Code per SMS an diese Nummer geschickt:" },
    code: { email: "Code aus der E-Mail", mobile: "Code aus der SMS" },
    codeHint: "6 Ziffern. Der Code ist 15 Minuten gültig.",
    confirm: "Bestätigen",
    resend: "Neuen Code senden",
    resent: { email: "Wir haben Ihnen einen neuen Code per E-Mail geschickt.", mobile: "Wir haben Ihnen einen neuen Code per SMS geschickt." },
    wait: (s: number) => `Bitte warten Sie noch ${s} Sekunden.`,
    spam: "Keine E-Mail erhalten? Sehen Sie bitte auch im Spam-Ordner nach.",
    done: "bestätigt",
    open: "noch offen",
    allDone: "Vielen Dank! Ihre E-Mail-Adresse und Ihre Mobilnummer sind bestätigt. Jetzt können Sie Themen abonnieren.",
    continue: "Weiter zu Mein Konto",
    continueForm: "Weiter zum Antrag",
    loading: "Ihre Angaben werden geladen …",
    retry: "Erneut versuchen",
  },
  en: {
    title: "Confirm your details",
    intro: "So that we may send you news, please confirm your e-mail address and your mobile number. It only takes a moment.",
    step: { email: "1. E-mail address", mobile: "2. Mobile number" },
    sent: { email: "We have sent a 6-digit code to this address:", mobile: "We have sent a 6-digit code by SMS to this number:" },
    code: { email: "Code from the e-mail", mobile: "Code from the SMS" },
    codeHint: "6 digits. The code is valid for 15 minutes.",
    confirm: "Confirm",
    resend: "Send a new code",
    resent: { email: "We have sent you a new code by e-mail.", mobile: "We have sent you a new code by SMS." },
    wait: (s: number) => `Please wait another ${s} seconds.`,
    spam: "No e-mail? Please also check your spam folder.",
    done: "confirmed",
    open: "pending",
    allDone: "Thank you! Your e-mail address and mobile number are confirmed. You can now subscribe to topics.",
    continue: "Continue to my account",
    continueForm: "Continue with the application",
    loading: "Loading your details …",
    retry: "Try again",
  },
} satisfies Record<Lang, Record<string, unknown>>;

const checkIcon = html`<svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false"><path fill="currentColor" d="m9 16.2-4.2-4.2-1.4 1.4L9 19 21 7l-1.4-1.4L9 16.2Z" /></svg>`;

/** E-mail and SMS codes, one after the other, each with "send a new code". */
export class VerifyView extends ViewElement {
  static override properties = { ...ViewElement.properties, loadError: { state: true } };
  static override styles = [
    viewStyles,
    css`
      section.card h4 {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
      }
      .address {
        font-weight: 700;
        overflow-wrap: anywhere;
      }
    `,
  ];

  declare loadError: string | undefined;
  private readonly forms: Record<Channel, FormController> = {
    email: new FormController(this, ["code"], "email-"),
    mobile: new FormController(this, ["code"], "mobile-"),
  };

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("state") && !this.state.account && !this.loadError) void this.loadAccount();
  }

  private async loadAccount() {
    this.loadError = undefined;
    try {
      const { account } = await this.ctx.api.get<{ account: Account }>("me", { auth: true });
      this.ctx.setAccount(account);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) this.loadError = (e as Error).message;
    }
  }

  private async verify(channel: Channel, e: SubmitEvent) {
    const { code } = formValues(e);
    const ok = await this.forms[channel].submit(async () => {
      const { account } = await this.ctx.api.send<{ account: Account }>("POST", `auth/verify-${channel}`, { code: digits(code) }, true);
      this.ctx.setAccount(account);
    });
    if (!ok) return;
    // Go on where the visitor is needed next: the other code, or the way out. The new account
    // reaches this view through the element and the panel (microtasks): wait a task, then render.
    await new Promise((r) => setTimeout(r));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("input.code, .continue")?.focus();
  }

  private async resend(channel: Channel) {
    const form = this.forms[channel];
    const t = texts[this.state.lang];
    await form.submit(async () => {
      try {
        await this.ctx.api.send("POST", "auth/resend", { channel }, true);
      } catch (e) {
        if (e instanceof ApiError && e.retryAfter) throw new ApiError(e.status, e.code, `${e.message} ${t.wait(e.retryAfter)}`, e.fields);
        throw e;
      }
      form.success = t.resent[channel];
    });
  }

  override render() {
    const t = texts[this.state.lang];
    const account = this.state.account;
    // The heading stays the same element while the account loads, so focus on it survives.
    return html`<h3 tabindex="-1">${t.title}</h3>
      ${account
        ? this.renderSteps(account)
        : this.loadError
          ? html`<div class="box" role="alert">
              <p>${this.loadError}</p>
              <p><button class="btn" type="button" @click=${() => void this.loadAccount()}>${t.retry}</button></p>
            </div>`
          : html`<p class="state" role="status">${t.loading}</p>`}`;
  }

  private renderSteps(account: Account) {
    const t = texts[this.state.lang];
    const done = isVerified(account);
    return html`${done ? nothing : html`<p class="intro">${t.intro}</p>`}
      ${this.step("email", account.email, account.emailVerified)}
      ${this.step("mobile", account.mobile, account.mobileVerified)}
      <div role="status">
        ${done
          ? html`<div class="success"><p>${t.allDone}</p></div>
              <button class="btn wide continue" type="button" @click=${() => this.ctx.navigate("account")}>${this.state.returnTo?.view === "form" ? t.continueForm : t.continue}</button>`
          : nothing}
      </div>`;
  }

  private step(channel: Channel, address: string, verified: boolean) {
    const t = texts[this.state.lang];
    const f = this.forms[channel];
    return html`<section class="card" aria-labelledby="step-${channel}">
      <h4 id="step-${channel}">
        <span>${t.step[channel]}</span>
        ${verified ? html`<span class="badge ok">${checkIcon} ${t.done}</span>` : html`<span class="badge todo">${t.open}</span>`}
      </h4>
      ${verified
        ? html`<p class="address">${address}</p>`
        : html`<p>${t.sent[channel]} <span class="address">${address}</span></p>
            <form novalidate @submit=${(e: SubmitEvent) => this.verify(channel, e)}>
              ${f.status()}
              ${f.field({ name: "code", label: t.code[channel], hint: t.codeHint, autocomplete: "one-time-code", inputmode: "numeric", maxlength: 7, className: "code" })}
              <div class="actions">
                ${f.button(t.confirm, "btn")}
                <button class="link" type="button" @click=${() => this.resend(channel)}>${t.resend}</button>
              </div>
              ${channel === "email" ? html`<p class="hint">${t.spam}</p>` : nothing}
            </form>`}
    </section>`;
  }
}

define("dr-verify-view", VerifyView);
