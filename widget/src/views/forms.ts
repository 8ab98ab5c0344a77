import { type PropertyValues, html, nothing } from "lit";
import { ApiError } from "../core/api.js";
import type { WidgetState } from "../core/context.js";
import { define } from "../core/dom.js";
import type { FormList, FormSummary, SubmissionPage, SubmissionSummary } from "../core/types.js";
import { catalogList, search } from "../forms/catalog.js";
import { FormFill } from "../forms/fill.js";
import { fillView } from "../forms/fill-view.js";
import { formStyles } from "../forms/styles.js";
import { downloadReceipt, submissionList } from "../forms/submissions.js";
import { formTexts } from "../forms/texts.js";
import { identityStyles } from "../identity/buttons.js";
import { ProviderLogin } from "../identity/flow.js";
import { failureText } from "../identity/texts.js";
import { ViewElement } from "./shared/form.js";
import { listStyles, proofStyles, tabStyles, viewStyles } from "./shared/styles.js";

type Load = { status: "idle" | "loading" | "ready" } | { status: "error"; message: string };

/**
 * Forms filled in without an account, kept when the visitor leaves the forms view (to read the
 * news) so that coming back continues where they were. In memory only: nothing is stored in the
 * browser. Signed-in citizens have their drafts on the server instead.
 */
const parked = new Map<string, FormFill>();

/**
 * "Anträge": the town's online forms by category with a search, one form filled in step by
 * step (../forms/), and "Meine Anträge" for signed-in citizens.
 */
export class FormsView extends ViewElement {
  static override properties = {
    ...ViewElement.properties,
    forms: { state: true },
    list: { state: true },
    query: { state: true },
    mine: { state: true },
    mineLoad: { state: true },
    download: { state: true },
  };

  static override styles = [viewStyles, listStyles, tabStyles, proofStyles, formStyles, identityStyles];

  declare forms: FormSummary[];
  declare list: Load;
  declare query: string;
  declare mine: SubmissionSummary[];
  declare mineLoad: Load;
  declare download: string;

  private fill: FormFill | undefined;
  private mineCursor: string | null = null;
  /** The form last opened, to return focus to it in the list. */
  private lastOpened: string | undefined;
  /** For forms that need a trust level: the login at the town's identity provider, the answers kept. */
  private readonly provider = new ProviderLogin(this, (result) => {
    this.ctx.signIn(result);
    if (this.fill && !this.fill.elevated(result.trustLevel)) {
      this.provider.error = failureText(this.state.lang, "trust_level_too_low");
      this.requestUpdate();
    }
  });

  constructor() {
    super();
    this.forms = [];
    this.list = { status: "idle" };
    this.query = "";
    this.mine = [];
    this.mineLoad = { status: "idle" };
    this.download = "";
  }

  private get t() {
    return formTexts[this.state.lang];
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has("state")) return;
    const { view, param } = this.state;
    const before = (changed.get("state") as WidgetState | undefined)?.view;
    if (view === "forms" && this.list.status === "idle") void this.loadList();
    // Fresh each time it is opened: a form may just have been sent.
    if (view === "submissions" && (before !== view || this.mineLoad.status === "idle")) void this.loadMine();
    if (view !== "form" && this.fill?.phase === "done") this.fill = undefined;
    if (view === "form" && param && this.fill?.id !== param) this.openForm(param);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    if (this.fill) this.park(this.fill);
  }

  /** Leaving a form: a draft saves what is pending, answers without an account wait in memory. */
  private park(fill: FormFill) {
    fill.leave();
    if (fill.anonymous && (fill.phase === "step" || fill.phase === "review")) parked.set(this.parkKey(fill.id), fill);
  }

  private parkKey(id: string) {
    return `${this.ctx.api.tenantUrl}|${id}`;
  }

  private openForm(id: string) {
    if (this.fill) this.park(this.fill);
    const key = this.parkKey(id);
    const kept = this.state.signedIn ? undefined : parked.get(key);
    parked.delete(key);
    if (kept) {
      kept.host = this;
      this.fill = kept;
      return;
    }
    this.fill = new FormFill(this, id);
    void this.fill.load();
  }

  override initialFocus() {
    if (this.state.view === "forms" && this.lastOpened) {
      const button = this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(this.lastOpened)}"]`);
      if (button) return button;
    }
    return super.initialFocus();
  }

  private async loadList() {
    this.list = { status: "loading" };
    try {
      this.forms = (await this.ctx.api.get<FormList>("forms")).items;
      this.list = { status: "ready" };
    } catch (e) {
      this.list = { status: "error", message: (e as Error).message };
    }
  }

  private async loadMine(more = false) {
    this.mineLoad = { status: "loading" };
    const q = new URLSearchParams({ limit: "20" });
    if (more && this.mineCursor) q.set("cursor", this.mineCursor);
    try {
      const page = await this.ctx.api.get<SubmissionPage>(`me/submissions?${q}`, { auth: true });
      this.mine = more ? [...this.mine, ...page.items] : page.items;
      this.mineCursor = page.nextCursor;
      this.mineLoad = { status: "ready" };
    } catch (e) {
      // 401 already ended the session and switched to the login.
      if (!(e instanceof ApiError && e.status === 401)) this.mineLoad = { status: "error", message: (e as Error).message };
    }
  }

  private open(id: string) {
    this.lastOpened = id;
    this.ctx.navigate("form", id);
  }

  private readonly receipt = async (id: string, reference: string) => {
    this.download = "";
    try {
      await downloadReceipt(this.ctx.api, id, reference, this.renderRoot);
      this.download = this.t.downloaded;
    } catch (e) {
      this.download = (e as Error).message;
    }
  };

  override render() {
    if (this.state.view === "form" && this.fill) {
      return html`${fillView(this.fill, { ctx: this.ctx, download: this.receipt, login: this.provider })}
        <p class="sr-only" role="status">${this.download}</p>`;
    }
    const t = this.t;
    const mine = this.state.view === "submissions";
    return html`<h3 tabindex="-1">${mine ? t.mine : t.title}</h3>
      ${this.state.signedIn
        ? html`<nav class="tabs" aria-label=${t.tabs}>
            <button type="button" aria-current=${mine ? nothing : "page"} @click=${() => this.ctx.navigate("forms")}>${t.all}</button>
            <button type="button" aria-current=${mine ? "page" : nothing} @click=${() => this.ctx.navigate("submissions")}>${t.mine}</button>
          </nav>`
        : nothing}
      ${mine ? this.renderMine() : this.renderList()}`;
  }

  private problem(message: string, retry: () => void) {
    return html`<div class="box" role="alert">
      <p>${message}</p>
      <p><button class="btn" type="button" @click=${retry}>${this.t.retry}</button></p>
    </div>`;
  }

  private renderList() {
    const t = this.t;
    const { lang } = this.state;
    const list = this.list;
    const found = search(this.forms, this.query, lang);
    return html`<p class="intro">${t.intro(this.state.config!.name)}</p>
      ${list.status === "ready" && this.forms.length
        ? html`<div class="field search">
            <label for="form-search">${t.search}</label>
            <p class="hint" id="form-search-hint">${t.searchHint}</p>
            <input
              id="form-search"
              type="search"
              autocomplete="off"
              aria-describedby="form-search-hint"
              aria-controls="form-results"
              .value=${this.query}
              @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
            />
          </div>`
        : nothing}
      <p class="sr-only" role="status">${list.status === "ready" && this.query.trim() ? (found.length ? t.count(found.length) : t.none) : ""}</p>
      ${list.status === "loading" || list.status === "idle" ? html`<p class="state">${t.loading}</p>` : nothing}
      ${list.status === "error" ? this.problem(list.message, () => void this.loadList()) : nothing}
      ${list.status === "ready" && !this.forms.length ? html`<p class="box">${t.empty}</p>` : nothing}
      ${list.status === "ready" && this.forms.length && !found.length ? html`<p class="box">${t.none}</p>` : nothing}
      <div id="form-results">${list.status === "ready" ? catalogList(found, lang, (id) => this.open(id)) : nothing}</div>`;
  }

  private renderMine() {
    const t = this.t;
    const load = this.mineLoad;
    return html`<p class="intro">${t.mineIntro}</p>
      <p class="sr-only" role="status">${this.download}</p>
      ${load.status === "error" ? this.problem(load.message, () => void this.loadMine()) : nothing}
      ${load.status === "ready" && !this.mine.length ? html`<p class="box">${t.mineEmpty}</p>` : nothing}
      ${this.mine.length ? submissionList(this.mine, this.state.lang, (s) => void this.receipt(s.id, s.reference)) : nothing}
      ${load.status === "loading" || load.status === "idle" ? html`<p class="state">${t.mineLoading}</p>` : nothing}
      ${this.mineCursor && load.status === "ready"
        ? html`<p><button class="btn secondary wide" type="button" @click=${() => void this.loadMine(true)}>${t.more}</button></p>`
        : nothing}`;
  }
}

define("dr-forms-view", FormsView);

declare global {
  interface HTMLElementTagNameMap {
    "dr-forms-view": FormsView;
  }
}
