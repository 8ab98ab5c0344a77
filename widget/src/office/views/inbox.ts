import { type PropertyValues, html, nothing } from "lit";
import { define } from "../../core/dom.js";
import type { FormList, SubmissionStatus } from "../../core/types.js";
import type { OfficeInbox, OfficeSubmissionSummary, PersonRef, StaffMember } from "../../../../server/office/api-types.js";
import { problemText } from "../api.js";
import { OfficeView } from "../context.js";
import { filterSelect } from "../forms.js";
import { dateTime, local } from "../format.js";
import { type InboxQuery, queryParams, routeHash } from "../routes.js";
import { statuses } from "../texts.js";

const PAGE_SIZE = 25;

/**
 * The inbox: counts per status as links, a filter form, the table, and "Weitere laden". The
 * filters live in the URL (routes.ts), so applying them is a navigation and the table follows.
 */
export class OfficeInboxView extends OfficeView {
  static override properties = {
    query: { attribute: false },
    items: { state: true },
    counts: { state: true },
    nextCursor: { state: true },
    loading: { state: true },
    loadingMore: { state: true },
    failure: { state: true },
    forms: { state: true },
    colleagues: { state: true },
  };

  declare query: InboxQuery;
  declare items: OfficeSubmissionSummary[];
  declare counts: Partial<Record<SubmissionStatus, number>>;
  declare nextCursor: string | null;
  declare loading: boolean;
  declare loadingMore: boolean;
  declare failure: string;
  declare forms: FormList["items"];
  /** The town's staff, and whoever appeared as assignee (should the staff list fail). */
  declare colleagues: PersonRef[];

  /** The query last loaded, as its URL parameters; undefined before the first load. */
  private loaded: string | undefined;
  private seq = 0;

  constructor() {
    super();
    this.query = {};
    this.items = [];
    this.counts = {};
    this.nextCursor = null;
    this.loading = true;
    this.loadingMore = false;
    this.failure = "";
    this.forms = [];
    this.colleagues = [];
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.loadChoices();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    const key = queryParams(this.query).toString();
    if ((changed.has("query") || changed.has("ctx")) && key !== this.loaded) {
      this.loaded = key;
      void this.load();
    }
  }

  /** The forms for the filter (public list) and the colleagues to filter by. */
  private async loadChoices() {
    try {
      this.forms = (await this.ctx.api.get<FormList>("forms")).items;
    } catch {
      // The filter then offers "all forms" only; the inbox itself still works.
    }
    try {
      const staff = await this.ctx.api.get<{ items: StaffMember[] }>("office/staff");
      const known = new Map(this.colleagues.map((c) => [c.id, c]));
      for (const s of staff.items) if (!s.disabled) known.set(s.id, { id: s.id, name: s.name });
      this.colleagues = [...known.values()].sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      // Colleagues are a convenience; "me" and "none" remain.
    }
  }

  private async load(cursor?: string) {
    const seq = ++this.seq;
    const params = queryParams(this.query);
    params.set("limit", String(PAGE_SIZE));
    if (cursor) params.set("cursor", cursor);
    if (cursor) this.loadingMore = true;
    else this.loading = true;
    this.failure = "";
    try {
      const page = await this.ctx.api.get<OfficeInbox>(`office/submissions?${params}`);
      if (seq !== this.seq) return;
      const before = this.items.length;
      this.items = cursor ? [...this.items, ...page.items] : page.items;
      this.counts = page.counts;
      this.nextCursor = page.nextCursor;
      this.rememberAssignees(page.items);
      this.ctx.announce(this.ctx.t.inbox.shown(this.items.length, page.nextCursor !== null));
      if (cursor) {
        // Keyboard users continue with the first row that just arrived.
        await this.updateComplete;
        this.querySelectorAll<HTMLAnchorElement>("tbody tr a")[before]?.focus();
      }
    } catch (e) {
      if (seq === this.seq) this.failure = problemText(e, this.ctx.lang);
    } finally {
      if (seq === this.seq) {
        this.loading = false;
        this.loadingMore = false;
      }
    }
  }

  private rememberAssignees(items: OfficeSubmissionSummary[]) {
    const me = this.ctx.session.account.id;
    const known = new Map(this.colleagues.map((c) => [c.id, c]));
    for (const i of items) if (i.assignee && i.assignee.id !== me) known.set(i.assignee.id, i.assignee);
    if (known.size !== this.colleagues.length) this.colleagues = [...known.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private apply(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => {
      const v = data.get(k);
      return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
    };
    const query: InboxQuery = {};
    if (this.query.status) query.status = this.query.status;
    const values = { form: text("form"), assignee: text("assignee"), q: text("q"), from: text("from"), to: text("to") };
    for (const [k, v] of Object.entries(values)) if (v) query[k as keyof typeof values] = v;
    if (data.get("unread") === "true") query.unread = true;
    if (data.get("sort") === "oldest") query.sort = "oldest";
    this.ctx.navigate({ view: "inbox", query });
  }

  private reset() {
    this.querySelector<HTMLFormElement>("#inbox-filters")?.reset();
    this.ctx.navigate({ view: "inbox", query: {} });
  }

  override render() {
    const t = this.ctx.t;
    const ti = t.inbox;
    return html`<h1 tabindex="-1">${ti.title}</h1>
      ${this.renderTabs()} ${this.renderFilters()}
      ${this.failure
        ? html`<div class="alert" role="alert"><p>${this.failure}</p>
            <button class="btn secondary" type="button" @click=${() => void this.load()}>${t.retry}</button></div>`
        : nothing}
      ${this.loading && this.items.length === 0 ? html`<p role="status">${t.loading}</p>` : this.renderTable()}`;
  }

  private renderTabs() {
    const t = this.ctx.t;
    const total = statuses.reduce((n, s) => n + (this.counts[s] ?? 0), 0);
    const tab = (status: SubmissionStatus | undefined, label: string, count: number) => {
      const query: InboxQuery = { ...this.query };
      if (status) query.status = status;
      else delete query.status;
      return html`<li>
        <a href=${routeHash({ view: "inbox", query })} aria-current=${this.query.status === status ? "page" : nothing}>${label} <span>(${count})</span></a>
      </li>`;
    };
    return html`<nav class="tabs" aria-label=${t.inbox.statusNav}>
      <ul>
        ${tab(undefined, t.inbox.all, total)} ${statuses.map((s) => tab(s, t.status[s], this.counts[s] ?? 0))}
      </ul>
    </nav>`;
  }

  private renderFilters() {
    const t = this.ctx.t;
    const ti = t.inbox;
    const q = this.query;
    const me = this.ctx.session.account.id;
    const colleagues = this.colleagues.filter((c) => c.id !== me);
    // An assignee from a shared link that this list does not know is still shown as chosen.
    const unknownAssignee = q.assignee && q.assignee !== "me" && q.assignee !== "none" && !colleagues.some((c) => c.id === q.assignee) ? q.assignee : undefined;
    return html`<form id="inbox-filters" class="card" role="search" aria-label=${ti.filters} @submit=${this.apply}>
      <div class="filters">
        <div class="field wide">
          <label for="f-q">${ti.search}</label>
          <input id="f-q" name="q" type="search" autocomplete="off" spellcheck="false" aria-describedby="f-q-hint" .value=${q.q ?? ""} />
          <p class="hint" id="f-q-hint">${ti.searchHint}</p>
        </div>
        ${filterSelect({ id: "f-form", name: "form", label: ti.form, any: ti.anyForm, choices: this.forms.map((f) => ({ value: f.id, label: local(f.title, this.ctx.lang) })), chosen: q.form })}
        <div class="field">
          <label for="f-assignee">${ti.assignee}</label>
          <select id="f-assignee" name="assignee">
            <option value="" ?selected=${!q.assignee}>${ti.anyAssignee}</option>
            <option value="me" ?selected=${q.assignee === "me"}>${ti.me}</option>
            <option value="none" ?selected=${q.assignee === "none"}>${ti.none}</option>
            ${colleagues.map((c) => html`<option value=${c.id} ?selected=${q.assignee === c.id}>${c.name}</option>`)}
            ${unknownAssignee ? html`<option value=${unknownAssignee} selected>${unknownAssignee}</option>` : nothing}
          </select>
        </div>
        <div class="field">
          <label for="f-from">${ti.from}</label>
          <input id="f-from" name="from" type="date" .value=${q.from ?? ""} />
        </div>
        <div class="field">
          <label for="f-to">${ti.to}</label>
          <input id="f-to" name="to" type="date" .value=${q.to ?? ""} />
        </div>
        <div class="field">
          <label for="f-sort">${ti.sort}</label>
          <select id="f-sort" name="sort">
            <option value="newest" ?selected=${q.sort !== "oldest"}>${ti.newest}</option>
            <option value="oldest" ?selected=${q.sort === "oldest"}>${ti.oldest}</option>
          </select>
        </div>
        <div class="field">
          <label class="check"><input type="checkbox" name="unread" value="true" .checked=${q.unread === true} /> ${ti.unread}</label>
        </div>
        <div class="buttons">
          <button class="btn" type="submit">${ti.apply}</button>
          <button class="btn secondary" type="button" @click=${this.reset}>${ti.reset}</button>
        </div>
      </div>
    </form>`;
  }

  private renderTable() {
    const t = this.ctx.t;
    const ti = t.inbox;
    if (this.items.length === 0) return this.failure ? nothing : html`<p class="card">${ti.empty}</p>`;
    return html`<div class="table-wrap">
        <table>
          <caption>
            ${ti.caption}
          </caption>
          <thead>
            <tr>
              <th scope="col">${ti.reference}</th>
              <th scope="col">${ti.form}</th>
              <th scope="col">${ti.applicant}</th>
              <th scope="col">${ti.received}</th>
              <th scope="col">${ti.status}</th>
              <th scope="col">${ti.assignee}</th>
            </tr>
          </thead>
          <tbody>
            ${this.items.map(
              (s) => html`<tr class=${s.unread ? "unread" : ""}>
                <td>
                  <a href=${routeHash({ view: "submission", id: s.id })}>${s.reference}</a>${s.unread ? html`<span class="mark">${ti.unreadMark}</span>` : nothing}
                </td>
                <td>${local(s.formTitle, this.ctx.lang)}</td>
                <td>${s.applicantName}</td>
                <td>${dateTime(s.submittedAt, this.ctx.lang)}</td>
                <td><span class=${`badge ${s.status}`}>${t.status[s.status]}</span></td>
                <td>${s.assignee ? s.assignee.name : html`<span class="muted">${ti.none}</span>`}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this.nextCursor
        ? html`<p class="more">
            <button class="btn secondary" type="button" aria-disabled=${this.loadingMore ? "true" : "false"} @click=${() => !this.loadingMore && void this.load(this.nextCursor!)}>
              ${this.loadingMore ? t.loading : t.loadMore}
            </button>
          </p>`
        : nothing}`;
  }
}

define("office-inbox", OfficeInboxView);
