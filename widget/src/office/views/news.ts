import { type PropertyValues, html, nothing } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import { keyed } from "lit/directives/keyed.js";
import { deepActiveElement, define } from "../../core/dom.js";
import type { ManagedNews, NewsInput, TenantConfig } from "../../core/types.js";
import { problemText } from "../api.js";
import { OfficeView } from "../context.js";
import { dateTime, local } from "../format.js";
import { berlinLocal, berlinToIso } from "../berlin-time.js";
import { FormState } from "../forms.js";
import { routeHash } from "../routes.js";

/**
 * The newsroom in the office (`#/news`, `#/news/new`, `#/news/<id>`): the town's items with their
 * state, and a form to write, schedule, publish, withdraw and delete one. The same items and the
 * same rules as the widget's newsroom (server/news/), on the office's session.
 *
 * Publishing sends mail (and SMS for urgent items) that cannot be recalled: "Jetzt veröffentlichen"
 * saves first, then says plainly who will receive it and asks.
 */
export class OfficeNewsView extends OfficeView {
  static override properties = {
    /** None for the list, `new`, or the id of the item being edited. */
    itemId: { attribute: false },
    /** The town's public configuration: its topics. */
    config: { attribute: false },
    items: { state: true },
    loading: { state: true },
    failure: { state: true },
    item: { state: true },
    confirm: { state: true },
    flash: { state: true },
  };

  declare itemId: string | undefined;
  declare config: TenantConfig | undefined;
  declare items: ManagedNews[];
  declare loading: boolean;
  declare failure: string;
  /** The item being edited once it exists on the server (a new one after its first save). */
  declare item: ManagedNews | undefined;
  /** The confirmation shown in place of its buttons. */
  declare confirm: "publish" | "delete" | undefined;
  /** The outcome of the last action, said on the list it led back to. */
  declare flash: string;

  private readonly form = new FormState(this, "news", ["title", "summary", "body", "topics", "urgent", "publishAt"]);
  /** Withdraw and delete: their messages stand next to their buttons, below the form. */
  private readonly actions = new FormState(this, "news-actions");
  /** Which screen is shown (`""` for the list), so that it resets only when that changes. */
  private shown: string | undefined;
  /** Which submit button sent the form: only that one says "Bitte warten …". */
  private intent: "save" | "publish" = "save";
  private seq = 0;

  constructor() {
    super();
    this.items = [];
    this.loading = false;
    this.failure = "";
    this.flash = "";
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    const screen = this.itemId ?? "";
    if (screen === this.shown) return;
    this.shown = screen;
    this.confirm = undefined;
    for (const f of [this.form, this.actions]) clear(f);
    if (screen) this.flash = "";
    this.item = screen && screen !== "new" ? this.items.find((n) => n.id === screen) : undefined;
    // The list is always fresh (a colleague may have published meanwhile); a deep-linked item needs it too.
    if (!screen || (screen !== "new" && !this.item)) void this.load();
  }

  private async load() {
    const seq = ++this.seq;
    this.loading = true;
    this.failure = "";
    try {
      const { items } = await this.ctx.api.get<{ items: ManagedNews[] }>("office/news");
      if (seq !== this.seq) return;
      this.items = items;
      const screen = this.itemId;
      if (screen && screen !== "new" && !this.item) this.item = items.find((n) => n.id === screen);
    } catch (e) {
      if (seq !== this.seq) return;
      this.failure = problemText(e, this.ctx.lang);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  private get topics() {
    return this.config?.topics ?? [];
  }

  private topicNames(ids: readonly string[]) {
    return ids.map((id) => local(this.topics.find((t) => t.id === id)?.label, this.ctx.lang) || id).join(", ");
  }

  private when(iso: string) {
    return dateTime(iso, this.ctx.lang);
  }

  private remember(item: ManagedNews) {
    this.item = item;
    this.items = this.items.some((n) => n.id === item.id) ? this.items.map((n) => (n.id === item.id ? item : n)) : [item, ...this.items];
  }

  // ---- actions ----

  /** The form as the API wants it; a published item's time is history and not sent. */
  private read(form: HTMLFormElement): NewsInput {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const input: NewsInput = {
      title: text("title"),
      summary: text("summary"),
      body: text("body"),
      topics: data.getAll("topics").map(String),
      urgent: data.get("urgent") === "on",
    };
    if (this.item?.status !== "published") input.publishAt = berlinToIso(text("publishAt"));
    return input;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    if (this.form.busy) return;
    const tn = this.ctx.t.newsView;
    // Enter in a field submits with the first button: saving, never publishing.
    const publish = (e.submitter as HTMLButtonElement | null)?.value === "publish";
    const input = this.read(e.target as HTMLFormElement);
    this.confirm = undefined;
    const ok = this.form.check({
      title: !input.title && tn.titleMissing,
      summary: !input.summary && tn.summaryMissing,
      body: !input.body && tn.bodyMissing,
      topics: input.topics.length === 0 && tn.topicMissing,
    });
    if (!ok) return;
    this.intent = publish ? "publish" : "save";
    const saved = await this.form.run(async () => {
      const before = this.item;
      const item = before
        ? await this.ctx.api.send<ManagedNews>("PATCH", `office/news/${encodeURIComponent(before.id)}`, input)
        : await this.ctx.api.send<ManagedNews>("POST", "office/news", input);
      this.remember(item);
      // A reload or a bookmark finds the saved item. Not a navigation: focus stays on the form.
      if (!before) history.replaceState(history.state, "", routeHash({ view: "news", id: item.id }));
      if (publish) return undefined;
      if (item.status === "published") return tn.savedPublished;
      return item.status === "scheduled" && item.publishAt ? tn.savedScheduled(this.when(item.publishAt)) : tn.savedDraft;
    });
    // Saved, so the fields are valid: now say what publishing will do, and ask.
    if (saved && publish) await this.ask("publish");
  }

  private async ask(step: "publish" | "delete") {
    for (const f of [this.form, this.actions]) clear(f);
    this.confirm = step;
    await this.updateComplete;
    this.querySelector<HTMLElement>(".confirm .btn")?.focus();
  }

  /** Closes the confirmation; focus goes back to the button that opened it. */
  private async cancel(message = "") {
    const step = this.confirm;
    if (!step) return;
    this.confirm = undefined;
    (step === "publish" ? this.form : this.actions).success = message;
    await this.updateComplete;
    this.querySelector<HTMLElement>(step === "delete" ? "#news-delete" : "#news-publish")?.focus();
  }

  private cancelPublish() {
    const item = this.item;
    const tn = this.ctx.t.newsView;
    void this.cancel(item?.status === "scheduled" && item.publishAt ? tn.keptScheduled(this.when(item.publishAt)) : tn.keptDraft);
  }

  private onConfirmKey(e: KeyboardEvent) {
    if (e.key !== "Escape") return;
    e.preventDefault();
    if (this.confirm === "publish") this.cancelPublish();
    else void this.cancel();
  }

  private async publish() {
    if (this.form.busy) return;
    const item = this.item!;
    const tn = this.ctx.t.newsView;
    const done = await this.form.run(async () => {
      const result = await this.ctx.api.send<ManagedNews>("POST", `office/news/${encodeURIComponent(item.id)}/publish`);
      this.remember(result);
      this.flash = result.status === "scheduled" && result.publishAt ? tn.doneScheduled(result.title, this.when(result.publishAt)) : tn.donePublished(result.title);
      return undefined;
    });
    if (done) {
      this.ctx.navigate({ view: "news" });
      return;
    }
    // The form says what went wrong; an invalid field has focus already, otherwise the button.
    const fieldFocused = Object.keys(this.form.errors).length > 0;
    this.confirm = undefined;
    await this.updateComplete;
    if (!fieldFocused) this.querySelector<HTMLElement>("#news-publish")?.focus();
  }

  private async unpublish() {
    if (this.actions.busy) return;
    const item = this.item!;
    await this.actions.run(async () => {
      this.remember(await this.ctx.api.send<ManagedNews>("POST", `office/news/${encodeURIComponent(item.id)}/unpublish`));
      return this.ctx.t.newsView.unpublished;
    });
    // "Zurückziehen" is gone once the item is a draft: focus goes to its section's heading.
    await this.updateComplete;
    const active = deepActiveElement();
    if (!active || !active.isConnected || active === document.body || active.localName === "office-app") this.querySelector<HTMLElement>("#news-more")?.focus();
  }

  private async deleteItem() {
    if (this.actions.busy) return;
    const item = this.item!;
    const done = await this.actions.run(async () => {
      await this.ctx.api.send("DELETE", `office/news/${encodeURIComponent(item.id)}`);
      this.items = this.items.filter((n) => n.id !== item.id);
      this.flash = this.ctx.t.newsView.deleted(item.title);
      return undefined;
    });
    if (done) this.ctx.navigate({ view: "news" });
  }

  // ---- rendering ----

  override render() {
    const t = this.ctx.t;
    const tn = t.newsView;
    const screen = this.itemId;
    // Heading and status region stay the same elements between list and form, so the heading
    // the app focuses and the message about what just happened survive the switch.
    return html`${screen ? html`<a class="back" href="#/news">${tn.back}</a>` : nothing}
      <h1 tabindex="-1">${!screen ? tn.title : screen === "new" && !this.item ? tn.create : tn.edit}</h1>
      <div class="success" role="status">${this.flash ? html`<p>${this.flash}</p>` : nothing}</div>
      ${this.failure
        ? html`<div class="alert" role="alert"><p>${this.failure}</p>
            <button class="btn secondary" type="button" @click=${() => void this.load()}>${t.retry}</button></div>`
        : nothing}
      ${screen ? this.renderEditor(screen) : this.renderList()}`;
  }

  private badge(n: ManagedNews) {
    const tn = this.ctx.t.newsView;
    if (n.status === "published" && n.publishedAt) return html`<span class="badge published">${tn.published(this.when(n.publishedAt))}</span>`;
    if (n.status === "scheduled" && n.publishAt) return html`<span class="badge scheduled">${tn.scheduled(this.when(n.publishAt))}</span>`;
    return html`<span class="badge draft">${tn.draft}</span>`;
  }

  private renderList() {
    const t = this.ctx.t;
    const tn = t.newsView;
    // While the list reloads the one already known stays: no flicker after every action.
    return html`<p>${tn.intro(this.ctx.session.town.name)}</p>
      <p class="toolbar"><a class="btn" href="#/news/new">${tn.create}</a></p>
      ${this.loading && this.items.length === 0
        ? html`<p role="status">${t.loading}</p>`
        : this.failure
          ? nothing
          : this.items.length === 0
            ? html`<p class="card">${tn.empty}</p>`
            : html`<p class="muted">${tn.count(this.items.length)}</p>
                <div class="table-wrap">
                  <table>
                    <caption>
                      ${tn.caption}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">${tn.colTitle}</th>
                        <th scope="col">${tn.colState}</th>
                        <th scope="col">${tn.colTopics}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${this.items.map(
                        (n) => html`<tr>
                          <td><a href=${routeHash({ view: "news", id: n.id })}>${n.title}</a>${n.urgent ? html`<span class="mark urgent">${tn.urgent}</span>` : nothing}</td>
                          <td>${this.badge(n)}</td>
                          <td>${this.topicNames(n.topics)}</td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`}`;
  }

  private renderEditor(screen: string) {
    const t = this.ctx.t;
    const tn = t.newsView;
    const item = this.item;
    if (screen !== "new" && !item) {
      if (this.loading) return html`<p role="status">${t.loading}</p>`;
      return this.failure ? nothing : html`<p class="alert">${tn.notFound}</p>`;
    }
    const f = this.form;
    const published = item?.status === "published";
    // One form per item: fields never carry what was typed for another.
    return keyed(
      screen,
      html`${item ? html`<p class="status-line"><span>${tn.state}:</span> ${this.badge(item)}</p>` : nothing}
        <form class="card news-form" novalidate @submit=${this.submit}>
          ${f.status()} ${this.input("title", tn.fTitle, { value: item?.title ?? "", maxlength: 200 })}
          ${f.field({ name: "summary", label: tn.fSummary, hint: tn.fSummaryHint, rows: 3, maxlength: 600, value: item?.summary ?? "" })}
          ${f.field({ name: "body", label: tn.fBody, hint: tn.fBodyHint, rows: 12, maxlength: 50_000, value: item?.body ?? "" })} ${this.renderTopics(item)}
          <div class="field">
            <label class="check"
              ><input id=${f.id("urgent")} type="checkbox" name="urgent" .checked=${item?.urgent ?? false} aria-invalid=${f.invalid("urgent")} aria-describedby=${f.describedBy("urgent", false)} />
              ${tn.fUrgent}</label
            >
            ${f.error("urgent")}
          </div>
          ${published ? nothing : this.input("publishAt", tn.fPublishAt, { type: "datetime-local", hint: tn.fPublishAtHint, optional: true, value: berlinLocal(item?.publishAt ?? null) })}
          ${this.confirm === "publish" && item ? this.renderConfirmPublish(item) : this.renderButtons(item)}
        </form>
        ${item ? this.renderMore(item) : nothing}`,
    );
  }

  /** A one-line input; `FormState.field` has no date-and-time type and no spellchecking. */
  private input(name: string, label: string, o: { value: string; type?: "text" | "datetime-local"; hint?: string; optional?: boolean; maxlength?: number }) {
    const f = this.form;
    const id = f.id(name);
    return html`<div class="field">
      <label for=${id}>${label}${o.optional ? html` <span class="optional">${this.ctx.t.optional}</span>` : nothing}</label>
      ${o.hint ? html`<p class="hint" id=${`${id}-hint`}>${o.hint}</p>` : nothing} ${f.error(name)}
      <input
        id=${id}
        name=${name}
        type=${o.type ?? "text"}
        autocomplete="off"
        spellcheck=${o.type === "datetime-local" ? "false" : "true"}
        maxlength=${ifDefined(o.maxlength)}
        ?required=${!o.optional}
        aria-invalid=${f.invalid(name)}
        aria-describedby=${f.describedBy(name, !!o.hint)}
        .value=${o.value}
      />
    </div>`;
  }

  /** One legend, the error inside the group, every box pointing to it; the first box takes focus on an error. */
  private renderTopics(item: ManagedNews | undefined) {
    const f = this.form;
    const tn = this.ctx.t.newsView;
    return html`<fieldset>
      <legend>${tn.fTopics}</legend>
      ${f.error("topics")}
      ${this.config
        ? this.topics.map(
            (tp, i) => html`<label class="check"
              ><input
                type="checkbox"
                name="topics"
                value=${tp.id}
                id=${i === 0 ? f.id("topics") : nothing}
                .checked=${item?.topics.includes(tp.id) ?? false}
                aria-invalid=${f.invalid("topics")}
                aria-describedby=${f.describedBy("topics", false)}
              />
              <span>${local(tp.label, this.ctx.lang)} ${tp.description ? html`<span class="desc">${local(tp.description, this.ctx.lang)}</span>` : nothing}</span></label
            >`,
          )
        : html`<p role="status">${this.ctx.t.loading}</p>`}
    </fieldset>`;
  }

  /** A submit button that stays focusable while busy; only the one pressed says "Bitte warten …". */
  private submitButton(id: string, label: string, intent: "save" | "publish", classes: string) {
    const busy = this.form.busy;
    return html`<button id=${id} class=${classes} type="submit" value=${intent} aria-disabled=${busy ? "true" : "false"}>
      ${busy && this.intent === intent ? this.ctx.t.wait : label}
    </button>`;
  }

  private renderButtons(item: ManagedNews | undefined) {
    const tn = this.ctx.t.newsView;
    const published = item?.status === "published";
    return html`<div class="buttons">
      ${this.submitButton("news-save", !item || item.status === "draft" ? tn.saveDraft : tn.saveChanges, "save", published ? "btn" : "btn secondary")}
      ${published ? nothing : this.submitButton("news-publish", tn.publish, "publish", "btn")}
    </div>`;
  }

  private renderConfirmPublish(item: ManagedNews) {
    const tn = this.ctx.t.newsView;
    const busy = this.form.busy;
    const later = item.publishAt && Date.parse(item.publishAt) > Date.now() ? item.publishAt : null;
    return html`<section class="confirm" aria-labelledby="news-confirm-title" @keydown=${this.onConfirmKey}>
      <h2 id="news-confirm-title">${tn.confirmTitle}</h2>
      <ul id="news-confirm-text">
        <li>${tn.confirmMail} ${tn.topicsChosen(this.topicNames(item.topics))}</li>
        ${item.urgent ? html`<li>${tn.confirmSms}</li>` : nothing} ${later ? html`<li>${tn.confirmLater(this.when(later))}</li>` : nothing}
        <li>${tn.confirmFinal}</li>
      </ul>
      <div class="buttons">
        <button class="btn" type="button" aria-describedby="news-confirm-text" aria-disabled=${busy ? "true" : "false"} @click=${() => void this.publish()}>
          ${busy ? this.ctx.t.wait : tn.confirmYes}
        </button>
        <button class="btn secondary" type="button" @click=${() => this.cancelPublish()}>${tn.notYet}</button>
      </div>
    </section>`;
  }

  /** Withdraw and delete: apart from saving and publishing, with their own messages. */
  private renderMore(item: ManagedNews) {
    const tn = this.ctx.t.newsView;
    const a = this.actions;
    return html`<section class="card" aria-labelledby="news-more">
      <h2 id="news-more" tabindex="-1">${tn.moreHeading}</h2>
      ${a.status()}
      ${this.confirm === "delete"
        ? html`<section class="confirm danger" aria-labelledby="news-delete-title" @keydown=${this.onConfirmKey}>
            <h3 id="news-delete-title">${tn.deleteTitle}</h3>
            <p id="news-delete-text">${tn.deleteText}</p>
            <div class="buttons">
              <button class="btn danger" type="button" aria-describedby="news-delete-text" aria-disabled=${a.busy ? "true" : "false"} @click=${() => void this.deleteItem()}>
                ${a.busy ? this.ctx.t.wait : tn.deleteYes}
              </button>
              <button class="btn secondary" type="button" @click=${() => void this.cancel()}>${tn.cancel}</button>
            </div>
          </section>`
        : html`<div class="buttons">
            ${item.status === "draft"
              ? nothing
              : html`<button class="btn secondary" type="button" aria-disabled=${a.busy ? "true" : "false"} @click=${() => void this.unpublish()}>
                  ${a.busy ? this.ctx.t.wait : tn.unpublish}
                </button>`}
            <button id="news-delete" class="btn danger" type="button" @click=${() => void this.ask("delete")}>${tn.remove}</button>
          </div>`}
    </section>`;
  }
}

function clear(f: FormState) {
  f.errors = {};
  f.message = "";
  f.success = "";
}

define("office-news", OfficeNewsView);
