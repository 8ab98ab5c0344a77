import { LitElement, type PropertyValues, html, nothing } from "lit";
import { Api, type ApiError } from "./core/api.js";
import { isHexColor, onColor, readableOn } from "./core/color.js";
import { loadConfig } from "./core/config.js";
import { type Position, type PublicView, type Section, type ViewName, type WidgetContext, type WidgetState, isStaff } from "./core/context.js";
import { deepActiveElement, emit } from "./core/dom.js";
import { coreTexts, resolveLang } from "./core/i18n.js";
import { TokenStore } from "./core/session.js";
import type { AuthResult, MailboxPage, TenantConfig } from "./core/types.js";
import { elementStyles } from "./element.styles.js";

/**
 * The API lives where this script came from: `…/widget/v1/rathaus.js` (or a pinned
 * `…/widget/0.1.0/…`) → two levels up. This also keeps a deployment under a path prefix working.
 */
const scriptBase = new URL("../../", import.meta.url).href.replace(/\/$/, "");

const positions: readonly Position[] = ["bottom-right", "bottom-left", "inline"];
const themes = ["light", "dark", "auto"] as const;

/** Views that only make sense signed in, and views that only make sense signed out. */
const needsSession = new Set<ViewName>(["account", "verify", "editor", "submissions", "postfach"]);
const needsNoSession = new Set<ViewName>(["login", "register", "forgot", "reset"]);
/** Views on the way to a session: a pending `returnTo` survives them. */
const authFlow = new Set<ViewName>([...needsNoSession, "verify"]);
const sections = new Set<string>(["news", "forms", "login", "register", "account", "postfach"] satisfies Section[]);
const itemId = /^[\w-]{1,80}$/;
/** The result of a login by redirect in the address (widget/src/identity/return.ts). */
const loginResult = /(?:^#|&)dr-login(?:-error)?=/;

const supportsSheets = typeof CSSStyleSheet !== "undefined" && "replaceSync" in CSSStyleSheet.prototype && "adoptedStyleSheets" in Document.prototype;

/** Town-hall pictogram; decorative, the button's text names it. */
const icon = html`<svg part="launcher-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M12 1.8 2 6.6V9h20V6.6L12 1.8Zm0 2.3 5.6 2.7H6.4L12 4.1ZM4 10.5v7.2h2.4v-7.2H4Zm4.6 0v7.2H11v-7.2H8.6Zm4.4 0v7.2h2.4v-7.2H13Zm4.6 0v7.2H20v-7.2h-2.4ZM2 19.2V22h20v-2.8H2Z"/>
</svg>`;

/**
 * `<digitales-rathaus tenant="…">`: the launcher button, the widget's state and its actions.
 * The dialog and every view are separate chunks, imported the first time they are needed, so
 * a town page only downloads this element and Lit until someone opens the panel.
 *
 * @csspart launcher - the button that opens the panel
 * @csspart launcher-icon - its pictogram
 * @csspart launcher-label - its text
 * @csspart launcher-badge - the number of unread entries in the Postfach, after login
 * @fires dr:ready - the town's configuration has loaded; detail `{tenant}`
 * @fires dr:open - the panel opened; detail `{view}`
 * @fires dr:close - the panel closed
 * @fires dr:login - a visitor logged in or registered; detail `{tenant}`
 * @fires dr:logout - the session ended (logout, deleted account or expired); detail `{tenant, reason}`
 */
export class RathausElement extends LitElement {
  static override properties = {
    tenant: { type: String },
    api: { type: String },
    position: { type: String },
    // `lang` is a native HTMLElement property; observe the attribute under another name.
    langAttr: { type: String, attribute: "lang" },
    theme: { type: String },
    zIndex: { type: String, attribute: "z-index" },
    state: { state: true },
    isOpen: { state: true },
    panel: { state: true },
    settled: { state: true },
  };

  static override styles = elementStyles;

  declare tenant: string | undefined;
  declare api: string | undefined;
  declare position: string | undefined;
  declare langAttr: string | undefined;
  declare theme: string | undefined;
  declare zIndex: string | undefined;
  declare state: WidgetState;
  declare isOpen: boolean;
  declare panel: "idle" | "loading" | "ready" | "failed";
  /** The launcher waits for the branding (or its failure) so it never flashes in a default color. */
  declare settled: boolean;

  private client: Api | undefined;
  private tokens: TokenStore | undefined;
  private returnFocus: Element | null = null;
  private readonly sheet = supportsSheets ? new CSSStyleSheet() : undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private readyFired = false;
  /** Counts the answers about unread entries: an older one arriving late must not overwrite a newer. */
  private unreadAsked = 0;

  constructor() {
    super();
    this.state = { lang: "de", view: "news", signedIn: false };
    this.isOpen = false;
    this.panel = "idle";
    this.settled = false;
  }

  /** The context handed to the panel and views: one stable object for the element's lifetime. */
  private readonly ctx: WidgetContext = this.createContext();

  // ---- public API (also reached through window.DigitalesRathaus) ----

  /**
   * Opens the panel, on `view` if given (account views and the Postfach lead to the login when
   * signed out); `forms/<id>` opens one form.
   */
  open(view?: PublicView) {
    if (!view) return this.show(this.state.view, this.state.param);
    const form = view.startsWith("forms/") ? view.slice(6) : undefined;
    if (form !== undefined) this.show(itemId.test(form) ? "form" : "forms", itemId.test(form) ? form : undefined);
    else this.show(sections.has(view) ? (view as Section) : "news", undefined);
  }

  private show(view: ViewName, param: string | undefined) {
    if (!this.isOpen) this.returnFocus = deepActiveElement();
    const route = this.route(view, param);
    this.setState(route);
    if (this.isOpen) return;
    this.isOpen = true;
    void this.loadPanel();
    emit(this, "dr:open", { view: route.view });
  }

  close() {
    if (!this.isOpen) return;
    this.isOpen = false;
    emit(this, "dr:close");
    // Back to where the visitor was: the launcher, or the page's own button that opened us.
    const back = this.returnFocus;
    this.returnFocus = null;
    void this.updateComplete.then(() => {
      const target = back && back.isConnected && back !== document.body && back instanceof HTMLElement ? back : this.launcher;
      target?.focus();
    });
  }

  // ---- lifecycle ----

  protected override createRenderRoot() {
    const root = super.createRenderRoot() as ShadowRoot;
    // Branding goes into a constructable sheet: a strict CSP (no 'unsafe-inline') blocks
    // <style> elements and style attributes, but not adopted stylesheets.
    if (this.sheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.sheet];
    return root;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (!this.settled) this.settleTimer = setTimeout(() => (this.settled = true), 3000);
    window.addEventListener("hashchange", this.onHashChange);
    window.addEventListener("storage", this.onStorage);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.settleTimer);
    window.removeEventListener("hashchange", this.onHashChange);
    window.removeEventListener("storage", this.onStorage);
    // An SPA swapping the page removes us; the dialog goes with the DOM, the state must follow.
    if (this.isOpen) {
      this.isOpen = false;
      this.returnFocus = null;
      emit(this, "dr:close");
    }
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("langAttr") || !this.hasUpdated) this.state = { ...this.state, lang: resolveLang(this.langAttr) };
    if ((changed.has("tenant") || changed.has("api")) && this.tenant) {
      const base = normaliseBase(this.api) ?? scriptBase;
      this.tokens = TokenStore.for(base, this.tenant);
      this.client = new Api({
        base,
        tenant: this.tenant,
        lang: () => this.state.lang,
        token: () => this.tokens?.get() ?? null,
        onUnauthorized: (e) => this.sessionExpired(e),
      });
      this.state = { ...this.state, config: undefined, signedIn: this.tokens.get() !== null, account: undefined };
      void this.fetchConfig();
      if (loginResult.test(location.hash)) void this.finishLoginByRedirect();
    }
  }

  protected override firstUpdated() {
    if (!this.tenant) console.error('<digitales-rathaus>: the "tenant" attribute is missing, e.g. <digitales-rathaus tenant="tangerhuette">');
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has("state") || changed.has("zIndex")) this.sheet?.replaceSync(themeCss(this.state.config, this.zIndex));
  }

  override render() {
    if (!this.tenant) return nothing;
    const t = coreTexts[this.state.lang];
    const position = positions.includes(this.position as Position) ? (this.position as Position) : "bottom-right";
    const theme = themes.includes(this.theme as (typeof themes)[number]) ? this.theme : "light";
    const unread = this.state.unread ?? 0;
    // With something new in the Postfach, the launcher leads there; the number is read out as a sentence.
    return html`<div class="root" data-theme=${theme!} data-position=${position}>
      ${this.settled
        ? html`<button part="launcher" class="launcher" type="button" aria-haspopup="dialog" @click=${() => this.open(unread ? "postfach" : undefined)}>
            ${icon}<span part="launcher-label">${t.launcher}</span>
            ${unread
              ? html`<span part="launcher-badge" class="count" aria-hidden="true">${unread > 99 ? "99+" : unread}</span><span class="sr-only">${t.unread(unread)}</span>`
              : nothing}
          </button>`
        : nothing}
      ${this.panel === "ready"
        ? html`<dr-panel
            exportparts="panel, header, logo, title, close, nav, body, footer"
            .ctx=${this.ctx}
            .state=${this.state}
            .open=${this.isOpen}
            .position=${position}
          ></dr-panel>`
        : nothing}
      ${this.isOpen && this.panel === "failed"
        ? html`<div class="load-error" role="alert" lang=${this.state.lang}>
            <p>${t.offline}</p>
            <button type="button" @click=${() => void this.loadPanel()}>${t.retry}</button>
            <button type="button" @click=${() => this.close()}>${t.close}</button>
          </div>`
        : nothing}
    </div>`;
  }

  // ---- internals ----

  private get launcher() {
    return this.renderRoot.querySelector<HTMLButtonElement>(".launcher");
  }

  private createContext(): WidgetContext {
    // The `api` getter below has its own `this`; the arrows use the element's.
    const el = this;
    return {
      get api(): Api {
        return el.requireClient();
      },
      navigate: (view, param) => this.setState({ ...this.route(view, param), notice: undefined }),
      detour: (view, notice) => this.setState({ returnTo: { view: this.state.view, param: this.state.param }, view: this.guard(view), param: undefined, notice }),
      signIn: (result) => this.signIn(result),
      signOut: (opts) => this.signOut(opts),
      setAccount: (account) => this.setState({ account }),
      setUnread: (unread) => {
        this.unreadAsked++;
        this.setState({ unread });
      },
      close: () => this.close(),
      reloadConfig: () => void this.fetchConfig(),
    };
  }

  private requireClient(): Api {
    if (!this.client) throw new Error('<digitales-rathaus> needs a "tenant" attribute');
    return this.client;
  }

  private setState(patch: Partial<WidgetState>) {
    this.state = { ...this.state, ...patch };
  }

  /**
   * Where a navigation to `view` leads: through the guard, and once signed in back to a pending
   * `returnTo` (the login, registration and verification all end on "account").
   */
  private route(view: ViewName, param: string | undefined): { view: ViewName; param: string | undefined; returnTo: WidgetState["returnTo"] } {
    const target = this.guard(view);
    const back = this.state.returnTo;
    if (back && this.state.signedIn && target === "account") return { view: this.guard(back.view), param: back.param, returnTo: undefined };
    // The Postfach link of a notification mail: after the login, straight to what is new.
    if (view === "postfach" && target === "login") return { view: target, param: undefined, returnTo: { view, param } };
    return { view: target, param, returnTo: back && authFlow.has(target) ? back : undefined };
  }

  private guard(view: ViewName): ViewName {
    if (!this.state.signedIn && needsSession.has(view)) return "login";
    if (this.state.signedIn && needsNoSession.has(view)) return "account";
    // The newsroom is for staff; the server refuses everyone else (403) anyway.
    if (view === "editor" && this.state.account && !isStaff(this.state.account)) return "account";
    return view;
  }

  private async fetchConfig() {
    const client = this.client;
    if (!client) return;
    this.setState({ configError: undefined });
    try {
      const config = await loadConfig(client);
      if (client !== this.client) return;
      this.setState({ config });
      void this.fetchUnread();
      if (!this.readyFired) {
        this.readyFired = true;
        emit(this, "dr:ready", { tenant: this.tenant });
        this.onHashChange();
      }
    } catch (e) {
      if (client === this.client) this.setState({ configError: (e as Error).message });
    } finally {
      clearTimeout(this.settleTimer);
      this.settled = true;
    }
  }

  /**
   * Deep links into the widget from the town's own pages and from news mails:
   * `#rathaus/news/<id>`, `#rathaus/news`, `#rathaus/forms/<id>`, `#rathaus/forms`,
   * `#rathaus/login`, `#rathaus/register`, `#rathaus/account`, and from Postfach mails
   * `#rathaus/postfach` (or one submission's entries: `#rathaus/postfach/<submission id>`).
   */
  private readonly onHashChange = () => {
    const link = /^#rathaus\/(news|forms|login|register|account|postfach)(?:\/([\w-]{1,80}))?$/.exec(location.hash);
    if (!link || !this.state.config || document.querySelector("digitales-rathaus") !== this) return;
    const [, view, id] = link as unknown as [string, Section, string | undefined];
    this.show(id && view === "news" ? "news-detail" : id && view === "forms" ? "form" : view, id);
  };

  /** Logged in or out in another tab of the same site: follow it. */
  private readonly onStorage = (e: StorageEvent) => {
    if (!this.tokens || e.key !== this.tokens.key) return;
    const signedIn = e.newValue !== null;
    if (signedIn === this.state.signedIn) return;
    this.setState({ signedIn, account: undefined, unread: undefined });
    this.setState({ view: this.guard(this.state.view) });
    void this.fetchUnread();
  };

  /**
   * Back from a login at the town's identity provider by redirect (the popup was blocked): the
   * session, and the panel open where the visitor was going, or on the login with the reason.
   * The code for it is loaded only then (with the panel's chunk, which the panel needs anyway).
   */
  private async finishLoginByRedirect() {
    try {
      const { loginReturn } = await import("./identity/return.js");
      const back = await loginReturn(this.ctx, this.state.lang);
      if (!back) return;
      if (back.result) this.signIn(back.result);
      this.setState({ returnTo: back.returnTo, notice: back.notice });
      this.show(back.view, undefined);
    } catch {
      // Offline: the result stays in the address, and a reload tries again.
    }
  }

  private async loadPanel() {
    if (this.panel === "ready" || this.panel === "loading") return;
    this.panel = "loading";
    try {
      // Retried under its own URL, not a fresh one as the views are (core/lazy.ts): the views
      // import what they share from the panel's chunk by that URL, and there must be one copy.
      // Browsers that follow the current HTML standard fetch a failed module again; older ones
      // (and Chromium without ModuleMapDoNotCacheFailedFetch) only after a reload.
      await import("./panel/panel.js");
      this.panel = "ready";
    } catch {
      // Offline, or a deploy replaced the chunk this (cached) entry points to.
      this.panel = "failed";
    }
  }

  private signIn({ token, account }: AuthResult) {
    this.tokens?.set(token);
    this.setState({ signedIn: true, account, notice: undefined, unread: undefined });
    emit(this, "dr:login", { tenant: this.tenant });
    void this.fetchUnread();
  }

  /**
   * The launcher's badge: `GET me/mailbox?limit=1` answers with the Postfach's unread count.
   * Asked when a session starts or the page loads with one; the Postfach view keeps it current.
   * A failure only leaves the badge out (the Postfach itself reports problems).
   */
  private async fetchUnread() {
    const { client, state } = this;
    // Accounts not yet confirmed have no Postfach (the API would refuse with 403); towns without forms neither.
    const a = state.account;
    if (!client || !state.signedIn || !state.config?.services.includes("forms") || (a && !(a.emailVerified && (a.mobileVerified || a.identityVerified)))) return;
    const asked = ++this.unreadAsked;
    try {
      const { unread } = await client.get<MailboxPage>("me/mailbox?limit=1", { auth: true, fresh: true });
      if (asked === this.unreadAsked && client === this.client && this.state.signedIn) this.setState({ unread });
    } catch {
      // No badge is better than a wrong one.
    }
  }

  private async signOut(opts: { notice?: string; callApi?: boolean } = {}) {
    if (opts.callApi !== false && this.tokens?.get()) {
      try {
        await this.client?.settled();
        await this.client?.send("POST", "auth/logout", undefined, true);
      } catch {
        // Logging out must work offline too: the token is forgotten below either way.
      }
    }
    this.endSession("logout", opts.notice);
  }

  private sessionExpired(error: ApiError) {
    this.endSession("expired", error.message);
  }

  private endSession(reason: string, notice?: string) {
    this.tokens?.clear();
    // A session that ran out while filling in a form leads back to it after the next login.
    const { view, param } = this.state;
    const returnTo = reason === "expired" && view === "form" ? { view, param } : undefined;
    this.setState({ signedIn: false, account: undefined, unread: undefined, view: "login", param: undefined, notice, returnTo });
    emit(this, "dr:logout", { tenant: this.tenant, reason });
  }
}

function normaliseBase(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value, document.baseURI).href.replace(/\/$/, "");
  } catch {
    return undefined;
  }
}

function themeCss(config: TenantConfig | undefined, zIndex: string | undefined): string {
  const d: string[] = [];
  const primary = config?.branding.primaryColor;
  if (isHexColor(primary)) {
    d.push(
      `--_brand:${primary}`,
      `--_on-brand:${onColor(primary)}`,
      // Against the lightest and the darkest panel surface, so links pass on both.
      `--_brand-text-light:${readableOn(primary, "#f4f5f7")}`,
      `--_brand-text-dark:${readableOn(primary, "#1f2226")}`,
    );
  }
  if (isHexColor(config?.branding.accentColor)) d.push(`--_accent:${config.branding.accentColor}`);
  const z = Number.parseInt(zIndex ?? "", 10);
  if (Number.isFinite(z)) d.push(`--_z:${z}`);
  return `:host{${d.join(";")}}`;
}

declare global {
  interface HTMLElementTagNameMap {
    "digitales-rathaus": RathausElement;
  }
}
