import { html, nothing } from "lit";
import { define } from "../../core/dom.js";
import type { AuditEntry, AuditPage } from "../../../../server/office/api-types.js";
import { problemText } from "../api.js";
import { OfficeView } from "../context.js";
import { dateTime } from "../format.js";

/** Before/after values as compact JSON; absent values stay empty. */
const json = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v, null, 1).replace(/\n\s*/g, " "));

/** The audit log (admins): newest first, paged, and the whole log as a CSV download. */
export class OfficeAuditView extends OfficeView {
  static override properties = {
    items: { state: true },
    nextCursor: { state: true },
    loading: { state: true },
    failure: { state: true },
  };

  declare items: AuditEntry[];
  declare nextCursor: string | null;
  declare loading: boolean;
  declare failure: string;

  constructor() {
    super();
    this.items = [];
    this.nextCursor = null;
    this.loading = true;
    this.failure = "";
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load(cursor?: string) {
    this.loading = true;
    this.failure = "";
    try {
      const page = await this.ctx.api.get<AuditPage>(`office/audit${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
      const before = this.items.length;
      this.items = cursor ? [...this.items, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
      if (cursor) {
        await this.updateComplete;
        this.querySelectorAll<HTMLElement>("tbody th")[before]?.focus();
      }
    } catch (e) {
      this.failure = problemText(e, this.ctx.lang);
    } finally {
      this.loading = false;
    }
  }

  override render() {
    const t = this.ctx.t;
    const ta = t.auditView;
    return html`<h1 tabindex="-1">${ta.title}</h1>
      <p>${ta.intro}</p>
      <p><a class="btn secondary" href=${this.ctx.api.url("office/audit.csv")} download="audit.csv">${ta.csv}</a></p>
      ${this.failure
        ? html`<div class="alert" role="alert"><p>${this.failure}</p>
            <button class="btn secondary" type="button" @click=${() => void this.load()}>${t.retry}</button></div>`
        : nothing}
      ${this.loading && this.items.length === 0
        ? html`<p role="status">${t.loading}</p>`
        : this.items.length === 0
          ? this.failure
            ? nothing
            : html`<p class="card">${ta.empty}</p>`
          : html`<div class="table-wrap">
                <table>
                  <caption>
                    ${ta.caption}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${ta.at}</th>
                      <th scope="col">${ta.actor}</th>
                      <th scope="col">${ta.action}</th>
                      <th scope="col">${ta.subject}</th>
                      <th scope="col">${ta.before}</th>
                      <th scope="col">${ta.after}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${this.items.map(
                      (e) => html`<tr>
                        <th scope="row" tabindex="-1"><time datetime=${e.at}>${dateTime(e.at, this.ctx.lang)}</time></th>
                        <td>${e.actor?.name ?? t.system}</td>
                        <td>${ta.actions[e.action] ?? e.action}</td>
                        <td><code>${e.subject}</code></td>
                        <td><code>${json(e.before)}</code></td>
                        <td><code>${json(e.after)}</code></td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              ${this.nextCursor
                ? html`<p class="more">
                    <button class="btn secondary" type="button" aria-disabled=${this.loading ? "true" : "false"} @click=${() => !this.loading && void this.load(this.nextCursor!)}>
                      ${this.loading ? t.loading : t.loadMore}
                    </button>
                  </p>`
                : nothing}`}`;
  }
}

define("office-audit", OfficeAuditView);
