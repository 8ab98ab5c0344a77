/**
 * `<office-app tenant="…">`: the staff office, a full page at `/office/<slug>/` (server/office/page.ts).
 * Its own bundle (dist/public/office/assets/office.js); citizens' pages never load it.
 *
 * The session is an HttpOnly cookie the server sets at the login; this page only keeps the
 * session's CSRF token in memory and sends it with every write. A 401 within a session means it
 * ended on the server (idle timeout, logout elsewhere): back to the login, saying so.
 */
import { LitElement, type PropertyValues, html, nothing } from "lit";
import { isHexColor, onColor, readableOn } from "../core/color.js";
import { define } from "../core/dom.js";
import type { Lang, TenantConfig } from "../core/types.js";
import type { OfficeSession } from "../../../server/office/api-types.js";
import { OfficeApi } from "./api.js";
import { type OfficeContext, setPageTitle } from "./context.js";
import { local } from "./format.js";
import { type Route, parseRoute, routeHash } from "./routes.js";
import { officeStyles } from "./styles.js";
import { officeTexts } from "./texts.js";
import "./views/appointment-absence.js";
import "./views/appointment-requests.js";
import "./views/appointments.js";
import "./views/audit.js";
import "./views/detail.js";
import "./views/inbox.js";
import "./views/login.js";
import "./views/news.js";
import "./views/password.js";
import "./views/staff.js";

/** office.js lives at `<base>/office/assets/office.js`: the API is two levels up. */
const apiBase = new URL(/* @vite-ignore */ "../../", import.meta.url).href.replace(/\/$/, "");
const LANG_KEY = "digitales-rathaus:office-lang";

/** The page itself: no margin, the office's background behind everything. */
const pageSheet = new CSSStyleSheet();
pageSheet.replaceSync("html,body{margin:0;padding:0;background:#f4f5f7}");
document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSheet];

export class OfficeApp extends LitElement {
  static override properties = {
    tenant: { type: String },
    lang: { state: true },
    phase: { state: true },
    session: { state: true },
    route: { state: true },
    notice: { state: true },
    config: { state: true },
    said: { state: true },
  };

  static override styles = officeStyles;

  declare tenant: string;
  declare lang: Lang;
  declare phase: "starting" | "signed-out" | "signed-in";
  declare session: OfficeSession | undefined;
  declare route: Route;
  /** Shown above the login: why it is shown. */
  declare notice: string;
  /** The town's public configuration, for its name and color before the login. */
  declare config: TenantConfig | undefined;
  /** The live region's text. */
  declare said: string;

  private api: OfficeApi | undefined;
  private readonly theme = new CSSStyleSheet();
  private ctx: OfficeContext | undefined;
  private focusView = true;
  private configLoad: Promise<void> | undefined;

  constructor() {
    super();
    this.tenant = "";
    this.lang = initialLang();
    this.phase = "starting";
    this.route = parseRoute(location.hash);
    this.notice = "";
    this.said = "";
  }

  protected override createRenderRoot() {
    const root = super.createRenderRoot() as ShadowRoot;
    // Town colors as custom properties in an adopted sheet: a strict CSP blocks style attributes.
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.theme];
    return root;
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener("hashchange", this.onHashChange);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener("hashchange", this.onHashChange);
  }

  private readonly onHashChange = () => {
    const next = parseRoute(location.hash);
    // Within the inbox and the calendar only the filters or the period change: focus stays where
    // the person is (the filter form, the link to the next week). In the newsroom every change is
    // another screen (the list, an item).
    this.focusView = next.view !== this.route.view || next.view === "submission" || next.view === "news";
    this.route = next;
  };

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("tenant") && this.tenant) {
      this.api = new OfficeApi({
        base: apiBase,
        tenant: this.tenant,
        lang: () => this.lang,
        csrf: () => this.session?.csrfToken ?? null,
        onExpired: () => this.signedOut(officeTexts[this.lang].expired),
      });
      void this.start();
    }
    if (changed.has("lang")) document.documentElement.lang = this.lang;
    if (changed.has("lang") || changed.has("session")) this.ctx = this.session ? this.context(this.session) : undefined;
    if (changed.has("session") || changed.has("config")) this.theme.replaceSync(themeCss(this.session?.town.primaryColor ?? this.config?.branding.primaryColor));
  }

  protected override async updated() {
    const shown = this.renderRoot.querySelector<HTMLElement>("#main > *");
    if (shown instanceof LitElement) await shown.updateComplete;
    setPageTitle(this.renderRoot, officeTexts[this.lang].appName);
    if (!this.focusView || this.phase === "starting") return;
    this.focusView = false;
    shown?.querySelector<HTMLElement>("h1")?.focus();
  }

  private async start() {
    const api = this.api!;
    void this.loadConfig();
    try {
      this.signedIn(await api.get<OfficeSession>("office/session"));
    } catch {
      // No session (401) or none reachable: the login says what goes wrong when it is used.
      this.phase = "signed-out";
      this.focusView = true;
    }
  }

  /** The town's public configuration: its name and color before the login, its topics for the newsroom. */
  private loadConfig(): Promise<void> {
    // One request at a time: the start and a quick sign-in both ask.
    this.configLoad ??= this.api!.get<TenantConfig>("").then(
      (c) => {
        this.config = c;
      },
      () => {
        // The login works without it; signing in tries again.
        this.configLoad = undefined;
      },
    );
    return this.configLoad;
  }

  private signedIn(session: OfficeSession) {
    if (!this.config) void this.loadConfig();
    this.session = session;
    this.notice = "";
    this.phase = "signed-in";
    let route = parseRoute(location.hash);
    if (route.view === "invitation" || route.view === "forgot") {
      // Done with the password: the inbox, and Back does not lead to the form again.
      route = { view: "inbox", query: {} };
      history.replaceState(history.state, "", routeHash(route));
    }
    this.route = route;
    this.focusView = true;
  }

  private signedOut(notice: string) {
    if (this.phase !== "signed-in") return;
    this.session = undefined;
    this.notice = notice;
    this.phase = "signed-out";
    this.focusView = true;
  }

  private async logout() {
    try {
      await this.api!.send("POST", "office/logout");
    } catch {
      // Expired already, or offline: either way this page forgets the session.
    }
    this.signedOut(officeTexts[this.lang].loggedOut);
  }

  private switchLang() {
    this.lang = this.lang === "de" ? "en" : "de";
    try {
      localStorage.setItem(LANG_KEY, this.lang);
    } catch {
      // Storage may be blocked; the choice then lasts for this page.
    }
  }

  private context(session: OfficeSession): OfficeContext {
    const lang = this.lang;
    return {
      api: this.api!,
      lang,
      t: officeTexts[lang],
      session,
      isAdmin: session.account.role === "admin",
      navigate: (route) => {
        const hash = routeHash(route);
        if (location.hash === hash) return;
        location.hash = hash;
      },
      announce: (text) => {
        // A repeated text must change the region's content to be read again.
        this.said = "";
        void this.updateComplete.then(() => (this.said = text));
      },
      departmentName: (id) => local(session.town.departments.find((d) => d.id === id)?.name, lang) || id,
    };
  }

  private skip(e: Event) {
    e.preventDefault();
    // Not a plain #main link: the hash is the office's route.
    this.renderRoot.querySelector<HTMLElement>("#main")?.focus();
  }

  override render() {
    if (!this.tenant) return nothing;
    const t = officeTexts[this.lang];
    const town = this.session?.town.name ?? this.config?.name ?? "";
    const logo = this.session?.town.logoUrl ?? this.config?.branding.logoUrl ?? null;
    return html`<a class="skip" href="#main" @click=${this.skip}>${t.skip}</a>
      <header class="top">
        <div class="top-inner">
          <div class="brand">${logo ? html`<img src=${logo} alt="" />` : nothing}<span>${town ? `${town} · ` : ""}${t.appName}</span></div>
          ${this.phase === "signed-in" ? this.renderNav() : nothing}
          <div class="who">
            ${this.session ? html`<span>${t.signedInAs(this.session.account.name)}</span>` : nothing}
            <button type="button" lang=${t.otherLangCode} @click=${this.switchLang}>${t.otherLang}</button>
            ${this.session ? html`<button type="button" @click=${() => void this.logout()}>${t.logout}</button>` : nothing}
          </div>
        </div>
      </header>
      <main id="main" tabindex="-1">${this.renderMain()}</main>
      <div class="sr-only" role="status" aria-live="polite">${this.said}</div>`;
  }

  private renderNav() {
    const t = officeTexts[this.lang];
    const admin = this.session?.account.role === "admin";
    const v = this.route.view;
    const current = v === "submission" ? "inbox" : v === "appointment-requests" || v === "appointment-absence" ? "appointments" : v;
    const hrefs = { inbox: "#/inbox", appointments: "#/termine", news: "#/news", audit: "#/audit", staff: "#/staff" };
    const link = (view: keyof typeof hrefs, label: string) => html`<li><a href=${hrefs[view]} aria-current=${current === view ? "page" : nothing}>${label}</a></li>`;
    return html`<nav aria-label=${t.mainNav}>
      <ul>
        ${link("inbox", t.navInbox)} ${this.hasAppointments ? link("appointments", t.navAppointments) : nothing} ${this.hasNews ? link("news", t.navNews) : nothing}
        ${admin ? link("audit", t.navAudit) : nothing} ${admin ? link("staff", t.navStaff) : nothing}
      </ul>
    </nav>`;
  }

  /** Every member of staff sees Termine in towns that give appointments; the server shows each the calendars of their departments. */
  private get hasAppointments() {
    return this.config?.services.includes("appointments") ?? false;
  }

  /** Every member of staff writes news, in towns that have them. */
  private get hasNews() {
    return this.config?.services.includes("news") ?? false;
  }

  private renderMain() {
    const t = officeTexts[this.lang];
    if (this.phase === "starting") return html`<p role="status">${t.loading}</p>`;
    if (this.phase === "signed-out" || !this.ctx) {
      if (this.route.view === "invitation" || this.route.view === "forgot") {
        return html`<office-password
          .api=${this.api}
          lang=${this.lang}
          town=${this.config?.name ?? ""}
          mode=${this.route.view}
          @office-login=${(e: CustomEvent<OfficeSession>) => this.signedIn(e.detail)}
        ></office-password>`;
      }
      return html`<office-login
        .api=${this.api}
        lang=${this.lang}
        town=${this.config?.name ?? ""}
        notice=${this.notice}
        @office-login=${(e: CustomEvent<OfficeSession>) => this.signedIn(e.detail)}
      ></office-login>`;
    }
    const ctx = this.ctx;
    const r = this.route;
    if ((r.view === "audit" || r.view === "staff") && !ctx.isAdmin) {
      return html`<div><h1 tabindex="-1">${r.view === "audit" ? t.auditView.title : t.staffView.title}</h1><p class="alert">${t.adminsOnly}</p></div>`;
    }
    if (r.view === "news" && this.config && !this.hasNews) {
      return html`<div><h1 tabindex="-1">${t.newsView.title}</h1><p class="alert">${t.newsView.unavailable}</p></div>`;
    }
    if ((r.view === "appointments" || r.view === "appointment-requests" || r.view === "appointment-absence") && this.config && !this.hasAppointments) {
      return html`<div><h1 tabindex="-1">${t.appointmentsView.title}</h1><p class="alert">${t.appointmentsView.unavailable}</p></div>`;
    }
    switch (r.view) {
      case "inbox":
        return html`<office-inbox .ctx=${ctx} .query=${r.query}></office-inbox>`;
      case "submission":
        return html`<office-detail .ctx=${ctx} .submissionId=${r.id}></office-detail>`;
      case "audit":
        return html`<office-audit .ctx=${ctx}></office-audit>`;
      case "staff":
        return html`<office-staff .ctx=${ctx}></office-staff>`;
      case "news":
        return html`<office-news .ctx=${ctx} .config=${this.config} .itemId=${r.id}></office-news>`;
      case "appointments":
        return html`<office-appointments .ctx=${ctx} .query=${r.query}></office-appointments>`;
      case "appointment-requests":
        return html`<office-appointment-requests .ctx=${ctx}></office-appointment-requests>`;
      case "appointment-absence":
        return html`<office-absence .ctx=${ctx} .query=${r.query}></office-absence>`;
      case "invitation":
      case "forgot":
        // Signed in already: nothing to set; the inbox.
        return html`<office-inbox .ctx=${ctx} .query=${{}}></office-inbox>`;
      default:
        return html`<div><h1 tabindex="-1">${t.notFound}</h1><p><a href="#/inbox">${t.navInbox}</a></p></div>`;
    }
  }
}

/** A language chosen in the office earlier wins over the page's (the server's guess from the browser). */
function initialLang(): Lang {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LANG_KEY);
  } catch {
    // Storage blocked: the page's language.
  }
  const tag = (stored ?? document.documentElement.lang ?? "").toLowerCase();
  return tag.startsWith("en") ? "en" : "de";
}

function themeCss(primary: string | undefined): string {
  if (!isHexColor(primary)) return ":host{}";
  return `:host{--brand:${primary};--on-brand:${onColor(primary)};--brand-text:${readableOn(primary, "#f4f5f7")}}`;
}

define("office-app", OfficeApp);

declare global {
  interface HTMLElementTagNameMap {
    "office-app": OfficeApp;
  }
}
