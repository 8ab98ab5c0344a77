import { LitElement, type PropertyValues, type TemplateResult, html, nothing } from "lit";
import { type FocusableView, type Position, type ViewName, type WidgetContext, type WidgetState, isStaff } from "../core/context.js";
import { define } from "../core/dom.js";
import { coreTexts } from "../core/i18n.js";
import { lazyChunk } from "../core/lazy.js";
import type { Lang } from "../core/types.js";
import accountUrl from "../views/account.js?chunk-url";
import appointmentsUrl from "../views/appointments.js?chunk-url";
import editorUrl from "../views/editor.js?chunk-url";
import formsUrl from "../views/forms.js?chunk-url";
import loginUrl from "../views/login.js?chunk-url";
import newsUrl from "../views/news.js?chunk-url";
import passwordUrl from "../views/password.js?chunk-url";
import postfachUrl from "../views/postfach.js?chunk-url";
import registerUrl from "../views/register.js?chunk-url";
import verifyUrl from "../views/verify.js?chunk-url";
import { FocusTrapController } from "./focus-trap.js";
import { panelStyles } from "./panel.styles.js";

const texts = {
  de: {
    kicker: "Digitales Rathaus",
    sections: "Bereiche",
    news: "Nachrichten",
    forms: "Anträge",
    appointments: "Termine",
    account: "Mein Konto",
    editor: "Redaktion",
    postfach: "Postfach",
    login: "Anmelden",
    loading: "Wird geladen …",
    legal: "Rechtliches",
    imprint: "Impressum",
    privacy: "Datenschutz",
    accessibility: "Barrierefreiheit",
    newWindow: "(öffnet in neuem Fenster)",
  },
  en: {
    kicker: "Digital Town Hall",
    sections: "Sections",
    news: "News",
    forms: "Applications",
    appointments: "Appointments",
    account: "My account",
    editor: "Newsroom",
    postfach: "Mailbox",
    login: "Log in",
    loading: "Loading …",
    legal: "Legal",
    imprint: "Legal notice",
    privacy: "Privacy",
    accessibility: "Accessibility",
    newWindow: "(opens in a new window)",
  },
} satisfies Record<Lang, Record<string, string>>;

/** Which chunk holds a view; each is imported the first time the view is shown. */
type Chunk = "news" | "forms" | "login" | "password" | "register" | "verify" | "account" | "editor" | "postfach" | "appointments";
const chunkOf: Record<ViewName, Chunk> = {
  appointments: "appointments",
  news: "news",
  "news-detail": "news",
  forms: "forms",
  form: "forms",
  submissions: "forms",
  login: "login",
  forgot: "password",
  reset: "password",
  register: "register",
  verify: "verify",
  account: "account",
  editor: "editor",
  postfach: "postfach",
};
/** By URL rather than `import()`, so that a failed download can be retried (core/lazy.ts). */
const loaders: Record<Chunk, () => Promise<unknown>> = {
  news: lazyChunk(newsUrl),
  forms: lazyChunk(formsUrl),
  login: lazyChunk(loginUrl),
  password: lazyChunk(passwordUrl),
  register: lazyChunk(registerUrl),
  verify: lazyChunk(verifyUrl),
  account: lazyChunk(accountUrl),
  editor: lazyChunk(editorUrl),
  postfach: lazyChunk(postfachUrl),
  appointments: lazyChunk(appointmentsUrl),
};

const closeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6 6.4 5Z" />
</svg>`;

/**
 * The panel: a native modal `<dialog>` (top layer above any page z-index, the page inert behind
 * it, Escape handled) with the town's header, the section navigation and the current view.
 *
 * @csspart panel - the dialog
 * @csspart header, logo, title, close, nav, body, footer - its regions
 */
export class RathausPanel extends LitElement {
  static override properties = {
    ctx: { attribute: false },
    state: { attribute: false },
    open: { type: Boolean },
    position: { type: String, reflect: true },
    loaded: { state: true },
    failed: { state: true },
  };

  static override styles = panelStyles;

  declare ctx: WidgetContext;
  declare state: WidgetState;
  declare open: boolean;
  declare position: Position;
  declare loaded: ReadonlySet<Chunk>;
  declare failed: Chunk | undefined;

  /** The view whose heading last got focus, so that focus moves only when the view changes. */
  private focusedKey: string | undefined;

  constructor() {
    super();
    this.open = false;
    this.loaded = new Set();
    new FocusTrapController(this, () => this.dialog);
  }

  private get dialog() {
    return this.renderRoot.querySelector("dialog");
  }

  protected override willUpdate() {
    const chunk = chunkOf[this.state.view];
    if (this.open && !this.loaded.has(chunk) && this.failed !== chunk) void this.load(chunk);
  }

  protected override updated(changed: PropertyValues<this>) {
    const dialog = this.dialog;
    if (!dialog) return;
    if (changed.has("open")) {
      if (this.open && !dialog.open) {
        dialog.showModal();
        this.focusedKey = undefined;
        this.renderRoot.querySelector<FocusableView>(".body > :not(.status)")?.reopened?.();
      } else if (!this.open && dialog.open) {
        dialog.close();
      }
    }
    if (this.open) void this.focusView();
  }

  override render() {
    const { state } = this;
    const t = texts[state.lang];
    const config = state.config;
    const chunk = chunkOf[state.view];
    // Which tab is the current section: the news, the forms, the appointments, the newsroom (staff only), the Postfach, or the account/login.
    const current = (section: "news" | "forms" | "appointments" | "editor" | "postfach" | "account") =>
      (chunk === "news" || chunk === "forms" || chunk === "appointments" || chunk === "editor" || chunk === "postfach" ? chunk : "account") === section ? "page" : nothing;
    const forms = config?.services.includes("forms");
    const appointments = config?.services.includes("appointments");
    const unread = state.unread ?? 0;
    return html`<dialog
      part="panel"
      role="dialog"
      aria-modal="true"
      aria-labelledby="dr-title"
      lang=${state.lang}
      @keydown=${this.onKeydown}
      @cancel=${this.onCancel}
      @close=${this.onClose}
      @click=${this.onBackdropClick}
    >
      <div part="header" class="header">
        ${config?.branding.logoUrl ? html`<img part="logo" class="logo" src=${config.branding.logoUrl} alt="" width="44" height="44" />` : nothing}
        <h2 id="dr-title" part="title"><span class="kicker">${t.kicker}</span> <span class="town">${config?.name ?? ""}</span></h2>
        <button part="close" class="close" type="button" aria-label=${coreTexts[state.lang].close} @click=${() => this.ctx.close()}>${closeIcon}</button>
      </div>
      <nav part="nav" class="nav" aria-label=${t.sections}>
        <button type="button" aria-current=${current("news")} @click=${() => this.ctx.navigate("news")}>${t.news}</button>
        ${forms ? html`<button type="button" aria-current=${current("forms")} @click=${() => this.ctx.navigate("forms")}>${t.forms}</button>` : nothing}
        ${appointments
          ? html`<button type="button" aria-current=${current("appointments")} @click=${() => this.ctx.navigate("appointments")}>${t.appointments}</button>`
          : nothing}
        ${state.signedIn && isStaff(state.account)
          ? html`<button type="button" aria-current=${current("editor")} @click=${() => this.ctx.navigate("editor")}>${t.editor}</button>`
          : nothing}
        ${forms && state.signedIn
          ? html`<button type="button" aria-current=${current("postfach")} @click=${() => this.ctx.navigate("postfach")}>
              ${t.postfach}${unread
                ? html` <span class="count" aria-hidden="true">${unread > 99 ? "99+" : unread}</span><span class="sr-only">${coreTexts[state.lang].unread(unread)}</span>`
                : nothing}
            </button>`
          : nothing}
        <button type="button" aria-current=${current("account")} @click=${() => this.ctx.navigate(state.signedIn ? "account" : "login")}>
          ${state.signedIn ? t.account : t.login}
        </button>
      </nav>
      <div part="body" class="body">
        <div class="status" role="status">${state.notice ? html`<p class="notice">${state.notice}</p>` : nothing}</div>
        ${this.renderView()}
      </div>
      ${config
        ? html`<nav part="footer" class="footer" aria-label=${t.legal}>
            ${this.footerLink(config.links.imprint, t.imprint)} ${this.footerLink(config.links.privacy, t.privacy)}
            ${config.links.accessibility ? this.footerLink(config.links.accessibility, t.accessibility) : nothing}
          </nav>`
        : nothing}
    </dialog>`;
  }

  private footerLink(href: string, label: string) {
    return html`<a href=${href} target="_blank" rel="noopener">${label}<span class="sr-only"> ${texts[this.state.lang].newWindow}</span></a>`;
  }

  private renderView(): TemplateResult {
    const { state, ctx } = this;
    const core = coreTexts[state.lang];
    const chunk = chunkOf[state.view];
    if (state.configError && !state.config) return this.problem(state.configError, () => ctx.reloadConfig());
    if (this.failed === chunk) return this.problem(core.offline, () => void this.load(chunk));
    if (!state.config || !this.loaded.has(chunk)) {
      return html`<div class="state" role="status"><span class="spinner" aria-hidden="true"></span><p>${texts[state.lang].loading}</p></div>`;
    }
    // One template per chunk: switching between views of one chunk (list ↔ detail) keeps the element.
    switch (chunk) {
      case "news":
        return html`<dr-news-view .ctx=${ctx} .state=${state}></dr-news-view>`;
      case "forms":
        return html`<dr-forms-view .ctx=${ctx} .state=${state}></dr-forms-view>`;
      case "login":
        return html`<dr-login-view .ctx=${ctx} .state=${state}></dr-login-view>`;
      case "password":
        return html`<dr-password-view .ctx=${ctx} .state=${state}></dr-password-view>`;
      case "register":
        return html`<dr-register-view .ctx=${ctx} .state=${state}></dr-register-view>`;
      case "verify":
        return html`<dr-verify-view .ctx=${ctx} .state=${state}></dr-verify-view>`;
      case "account":
        return html`<dr-account-view .ctx=${ctx} .state=${state}></dr-account-view>`;
      case "editor":
        return html`<dr-editor-view .ctx=${ctx} .state=${state}></dr-editor-view>`;
      case "postfach":
        return html`<dr-postfach-view .ctx=${ctx} .state=${state}></dr-postfach-view>`;
      case "appointments":
        return html`<dr-appointments-view .ctx=${ctx} .state=${state}></dr-appointments-view>`;
    }
  }

  /** A failure never leaves an empty panel: the reason and a way to try again. */
  private problem(message: string, retry: () => void) {
    return html`<div class="state" role="alert">
      <p>${message}</p>
      <button class="retry" type="button" @click=${retry}>${coreTexts[this.state.lang].retry}</button>
    </div>`;
  }

  private async load(chunk: Chunk) {
    this.failed = undefined;
    try {
      await loaders[chunk]();
      this.loaded = new Set([...this.loaded, chunk]);
    } catch {
      this.failed = chunk;
    }
  }

  /** Moves focus to the view's heading (or its chosen element) when the view changes. */
  private async focusView() {
    const view = this.renderRoot.querySelector<FocusableView>(".body > :not(.status)");
    if (!view || !view.localName.startsWith("dr-")) return;
    const key = `${this.state.view}|${this.state.param ?? ""}`;
    if (key === this.focusedKey) return;
    this.focusedKey = key;
    await (view as FocusableView & { updateComplete?: Promise<unknown> }).updateComplete;
    const target = view.initialFocus?.() ?? view.shadowRoot?.querySelector<HTMLElement>("h3");
    target?.focus();
  }

  private readonly onKeydown = (e: KeyboardEvent) => {
    if (e.key !== "Escape") return;
    // Handled here rather than by the dialog's own cancel: Chrome skips `cancel` for a dialog
    // opened without a user gesture (e.g. by DigitalesRathaus.open() from a timer).
    e.preventDefault();
    e.stopPropagation();
    this.ctx.close();
  };

  private readonly onCancel = (e: Event) => {
    e.preventDefault();
    this.ctx.close();
  };

  /**
   * The dialog closed by some other way (e.g. the browser): tell the element. The event is
   * queued as a task, so it can arrive after the panel was opened again; then it is stale.
   */
  private readonly onClose = () => {
    if (this.open && !this.dialog?.open) this.ctx.close();
  };

  private readonly onBackdropClick = (e: MouseEvent) => {
    const dialog = this.dialog;
    if (!dialog || e.target !== dialog) return;
    const r = dialog.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) this.ctx.close();
  };
}

define("dr-panel", RathausPanel);

declare global {
  interface HTMLElementTagNameMap {
    "dr-panel": RathausPanel;
  }
}
