import { type PropertyValues, css, html, nothing } from "lit";
import { ApiError } from "../core/api.js";
import { isStaff } from "../core/context.js";
import { define } from "../core/dom.js";
import { pick } from "../core/i18n.js";
import { newsroomTexts } from "../core/newsroom-texts.js";
import type { Lang, ManagedNews, NewsInput } from "../core/types.js";
import { FormController, ViewElement, topicOptions, topicTags, urgentBadge } from "./shared/form.js";
import { listStyles, viewStyles } from "./shared/styles.js";

const texts = {
  de: {
    ...newsroomTexts.de,
    title: "Redaktion",
    intro: (town: string) => `Nachrichten für ${town} schreiben, planen und an die Abonnentinnen und Abonnenten verschicken.`,
    back: "Alle Nachrichten der Redaktion",
    loading: "Nachrichten werden geladen …",
    count: (n: number) => (n === 1 ? "1 Nachricht" : `${n} Nachrichten`),
    retry: "Erneut versuchen",
    forbidden: "Dieser Bereich ist der Redaktion der Gemeinde vorbehalten.",
    scheduled: (d: string) => `Geplant für ${d}`,
    published: (d: string) => `Veröffentlicht am ${d}`,
    fBodyHint: "So formatieren Sie: **fett**, Listen mit -, Links als [Text](https://…)",
    pickTopic: "Bitte wählen Sie mindestens ein Thema.",
    fUrgent: "Eilmeldung (auch per SMS an Abonnenten mit SMS-Benachrichtigung)",
    fPublishAtHint: "Leer lassen, um sofort zu veröffentlichen.",
    savedScheduled: (d: string) => `Änderungen gespeichert. Die Nachricht bleibt geplant für ${d}.`,
    topicsChosen: (list: string) => `Gewählt: ${list}.`,
    confirmLater: (d: string) => `Sie wird am ${d} veröffentlicht und dann verschickt.`,
    keptDraft: "Nicht veröffentlicht. Ihre Nachricht ist als Entwurf gespeichert.",
    donePublished: (title: string) => `„${title}“ ist veröffentlicht und wird jetzt an die Abonnentinnen und Abonnenten verschickt.`,
    doneScheduled: (title: string, d: string) => `„${title}“ ist geplant für ${d}. Dann wird sie veröffentlicht und verschickt.`,
    deleted: (title: string) => `„${title}“ wurde gelöscht.`,
  },
  en: {
    ...newsroomTexts.en,
    title: "Newsroom",
    intro: (town: string) => `Write and schedule news for ${town} and send it to its subscribers.`,
    back: "All items of the newsroom",
    loading: "Loading news …",
    count: (n: number) => (n === 1 ? "1 item" : `${n} items`),
    retry: "Try again",
    forbidden: "This area is for the town's newsroom only.",
    scheduled: (d: string) => `Scheduled for ${d}`,
    published: (d: string) => `Published on ${d}`,
    fBodyHint: "Formatting: **bold**, lists with -, links as [text](https://…)",
    pickTopic: "Please choose at least one topic.",
    fUrgent: "Urgent (also by SMS to subscribers who turned on SMS alerts)",
    fPublishAtHint: "Leave empty to publish at once.",
    savedScheduled: (d: string) => `Changes saved. The item stays scheduled for ${d}.`,
    topicsChosen: (list: string) => `Selected: ${list}.`,
    confirmLater: (d: string) => `It will be published and sent on ${d}.`,
    keptDraft: "Not published. Your item is saved as a draft.",
    donePublished: (title: string) => `“${title}” is published and is now being sent to the subscribers.`,
    doneScheduled: (title: string, d: string) => `“${title}” is scheduled for ${d}. It will be published and sent then.`,
    deleted: (title: string) => `“${title}” has been deleted.`,
  },
} satisfies Record<Lang, Record<string, unknown>>;

type Load = { status: "idle" | "loading" | "ready" } | { status: "error"; message: string };

const fields = ["title", "summary", "body", "topics", "urgent", "publishAt"] as const;

const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();

/** "1. Juli 2026 um 09:00" / "1 July 2026 at 09:00". */
function formatDateTime(iso: string, lang: Lang): string {
  let f = dateTimeFormats.get(lang);
  if (!f) dateTimeFormats.set(lang, (f = new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "long", timeStyle: "short" })));
  return f.format(new Date(iso));
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A `datetime-local` value ("2026-07-01T09:00", the visitor's clock) → ISO 8601 with the browser's offset. */
export function localToIso(local: string): string | null {
  if (!local) return null;
  const date = new Date(local);
  // Unreadable: send it as it is, the server names the field.
  if (Number.isNaN(date.getTime())) return local;
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  return `${local.length === 16 ? `${local}:00` : local}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** ISO 8601 → a `datetime-local` value on the visitor's clock. */
function isoToLocal(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The newsroom, for staff and admins only (its own chunk: citizens never download it). The list
 * of the town's items with their state; a form to write, schedule, publish, withdraw and delete.
 * `state.param` says which: none for the list, `new`, or the id of the item being edited.
 */
export class EditorView extends ViewElement {
  static override properties = {
    ...ViewElement.properties,
    items: { state: true },
    list: { state: true },
    item: { state: true },
    confirm: { state: true },
    flash: { state: true },
  };

  static override styles = [
    viewStyles,
    listStyles,
    css`
      .toolbar {
        margin: 0 0 20px;
      }
      .items h4 {
        margin-top: 6px;
      }
      .badge.planned {
        border: 1px solid var(--_link);
        background: var(--_surface);
        color: var(--_link);
      }
      .status-line {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 10px;
        margin: 0 0 20px;
      }
      textarea[name="body"] {
        min-height: 200px;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        margin: 8px 0 0;
      }
      .buttons .btn {
        flex: 1 1 180px;
      }
      .more {
        margin-top: 20px;
        padding-top: 16px;
        border-top: 1px solid var(--_border);
      }
      .confirm {
        margin: 8px 0 0;
        padding: 16px;
        border: 2px solid var(--_link);
        border-radius: var(--_radius);
        background: var(--_surface);
      }
      .confirm.danger {
        border-color: var(--_error);
        background: var(--_error-bg);
      }
      .confirm ul {
        margin: 0 0 12px;
        padding-left: 22px;
      }
      .confirm li {
        margin: 0 0 6px;
      }
    `,
  ];

  declare items: ManagedNews[];
  declare list: Load;
  /** The item being edited once it exists on the server (a new one after its first save). */
  declare item: ManagedNews | undefined;
  /** The confirmation step shown in place of the buttons. */
  declare confirm: "publish" | "delete" | undefined;
  /** The outcome of the last action, announced on the list. */
  declare flash: string;

  private readonly form = new FormController(this, fields, "news-", (field, problem) =>
    field === "topics" && problem.code !== "unknown_topic" ? this.t.pickTopic : undefined,
  );
  /** Which of param's screens is shown, so that the view resets only when it changes. */
  private shown: string | undefined;
  /** Which submit button sent the form: it says "Bitte warten …" while busy. */
  private intent: "save" | "publish" = "save";

  constructor() {
    super();
    this.items = [];
    this.list = { status: "idle" };
    this.flash = "";
  }

  private get t() {
    return texts[this.state.lang];
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has("state")) return;
    const param = this.state.param ?? "";
    if (param === this.shown) return;
    this.shown = param;
    this.confirm = undefined;
    this.form.reset();
    if (param) this.flash = "";
    this.item = param && param !== "new" ? this.items.find((n) => n.id === param) : undefined;
    // The list is always fresh (another editor may have published meanwhile); a deep-linked item needs it too.
    if (!param || !this.item && param !== "new") void this.loadList();
  }

  private async loadList() {
    this.list = { status: "loading" };
    try {
      const { items } = await this.ctx.api.get<{ items: ManagedNews[] }>("news/manage", { auth: true });
      this.items = items;
      this.list = { status: "ready" };
      const param = this.state.param;
      if (param && param !== "new" && !this.item) this.item = items.find((n) => n.id === param);
    } catch (e) {
      // 401 already ended the session and switched to the login.
      if (e instanceof ApiError && e.status === 401) return;
      this.list = { status: "error", message: e instanceof ApiError && e.status === 403 ? this.t.forbidden : (e as Error).message };
    }
  }

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
    if (this.item?.status !== "published") input.publishAt = localToIso(text("publishAt"));
    return input;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const publish = (e.submitter as HTMLButtonElement | null)?.value === "publish";
    const input = this.read(e.target as HTMLFormElement);
    const t = this.t;
    this.intent = publish ? "publish" : "save";
    this.confirm = undefined;
    const saved = await this.form.submit(async () => {
      const item = this.item;
      this.item = item
        ? await this.ctx.api.send<ManagedNews>("PATCH", `news/${encodeURIComponent(item.id)}`, input, true)
        : await this.ctx.api.send<ManagedNews>("POST", "news", input, true);
      if (publish) return;
      const now = this.item;
      this.form.success = now.status === "published" ? t.savedPublished : now.status === "scheduled" && now.publishAt ? t.savedScheduled(this.when(now.publishAt)) : t.savedDraft;
    });
    // Saved (so the fields are valid): now say plainly what publishing will do, and ask.
    if (saved && publish) await this.ask("publish");
  }

  private async ask(step: "publish" | "delete") {
    this.form.reset();
    this.confirm = step;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(".confirm .btn")?.focus();
  }

  private async cancel(message = "") {
    const step = this.confirm;
    this.confirm = undefined;
    this.form.success = message;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(step === "delete" ? "[data-action=delete]" : "button[value=publish]")?.focus();
  }

  private async publish() {
    const item = this.item!;
    const t = this.t;
    const done = await this.form.submit(async () => {
      const result = await this.ctx.api.send<ManagedNews>("POST", `news/${encodeURIComponent(item.id)}/publish`, undefined, true);
      this.flash = result.status === "scheduled" && result.publishAt ? t.doneScheduled(result.title, this.when(result.publishAt)) : t.donePublished(result.title);
    });
    if (done) this.ctx.navigate("editor");
  }

  private async unpublish() {
    const item = this.item!;
    await this.form.submit(async () => {
      this.item = await this.ctx.api.send<ManagedNews>("POST", `news/${encodeURIComponent(item.id)}/unpublish`, undefined, true);
      this.form.success = this.t.unpublished;
    });
  }

  private async deleteItem() {
    const item = this.item!;
    const done = await this.form.submit(async () => {
      await this.ctx.api.send("DELETE", `news/${encodeURIComponent(item.id)}`, undefined, true);
      this.flash = this.t.deleted(item.title);
    });
    if (done) this.ctx.navigate("editor");
  }

  private when(iso: string) {
    return formatDateTime(iso, this.state.lang);
  }

  override render() {
    const t = this.t;
    const editing = !!this.state.param;
    if (this.state.account && !isStaff(this.state.account)) return html`<h3 tabindex="-1">${t.title}</h3><p class="box">${t.forbidden}</p>`;
    // Heading and announcement stay the same elements between list and form, so focus and the
    // live region survive the switch.
    return html`${editing ? html`<button class="link back" type="button" @click=${() => this.ctx.navigate("editor")}>${t.back}</button>` : nothing}
      <h3 tabindex="-1">${editing ? (this.state.param === "new" ? t.create : t.edit) : t.title}</h3>
      <div class="success" role="status">${this.flash ? html`<p>${this.flash}</p>` : nothing}</div>
      ${editing ? this.renderForm() : this.renderList()}`;
  }

  private status(n: ManagedNews) {
    const t = this.t;
    if (n.status === "published" && n.publishedAt) return html`<span class="badge ok">${t.published(this.when(n.publishedAt))}</span>`;
    if (n.status === "scheduled" && n.publishAt) return html`<span class="badge planned">${t.scheduled(this.when(n.publishAt))}</span>`;
    return html`<span class="badge todo">${t.draft}</span>`;
  }

  private renderList() {
    const t = this.t;
    const list = this.list;
    if (list.status === "error") {
      return html`<div class="box" role="alert">
        <p>${list.message}</p>
        ${list.message === t.forbidden ? nothing : html`<p><button class="btn" type="button" @click=${() => void this.loadList()}>${t.retry}</button></p>`}
      </div>`;
    }
    return html`<p class="intro">${t.intro(this.state.config!.name)}</p>
      <p class="toolbar"><button class="btn" type="button" @click=${() => this.ctx.navigate("editor", "new")}>${t.create}</button></p>
      <p class="sr-only" role="status">${list.status === "ready" ? (this.items.length ? t.count(this.items.length) : t.empty) : ""}</p>
      ${list.status !== "ready" ? html`<p class="state">${t.loading}</p>` : nothing}
      ${list.status === "ready" && !this.items.length ? html`<p class="box">${t.empty}</p>` : nothing}
      ${list.status === "ready" && this.items.length
        ? html`<ul class="items">
            ${this.items.map(
              (n) => html`<li>
                <article aria-labelledby="e-${n.id}">
                  <p class="meta">${this.status(n)} ${n.urgent ? urgentBadge(this.state.lang) : nothing}</p>
                  <h4 id="e-${n.id}"><button class="link" type="button" data-id=${n.id} @click=${() => this.ctx.navigate("editor", n.id)}>${n.title}</button></h4>
                  <p class="summary">${n.summary}</p>
                  ${topicTags(n.topics, this.state)}
                </article>
              </li>`,
            )}
          </ul>`
        : nothing}`;
  }

  private renderForm() {
    const t = this.t;
    const f = this.form;
    const item = this.item;
    if (this.state.param !== "new" && !item) {
      return this.list.status === "error" ? this.renderList() : html`<p class="state" role="status">${t.loading}</p>`;
    }
    const published = item?.status === "published";
    return html`${item ? html`<p class="status-line"><span>${t.state}:</span> ${this.status(item)}</p>` : nothing}
      <form novalidate @submit=${this.submit}>
        ${f.status()}
        ${f.field({ name: "title", label: t.fTitle, autocomplete: "off", maxlength: 200, spellcheck: true, value: item?.title ?? "" })}
        ${f.field({ name: "summary", label: t.fSummary, hint: t.fSummaryHint, autocomplete: "off", rows: 3, maxlength: 600, value: item?.summary ?? "" })}
        ${f.field({ name: "body", label: t.fBody, hint: t.fBodyHint, autocomplete: "off", rows: 10, maxlength: 50_000, value: item?.body ?? "" })}
        ${f.checkboxes({ name: "topics", legend: t.fTopics, options: topicOptions(this.state), checked: item?.topics ?? [] })}
        ${f.checkbox("urgent", t.fUrgent, { checked: item?.urgent ?? false })}
        ${published
          ? nothing
          : f.field({ name: "publishAt", label: t.fPublishAt, hint: t.fPublishAtHint, type: "datetime-local", autocomplete: "off", optional: true, value: isoToLocal(item?.publishAt ?? null) })}
        ${this.confirm === "publish" ? this.renderConfirmPublish(item!) : this.renderButtons(item)}
      </form>
      ${item ? this.renderMore(item) : nothing}`;
  }

  /** A submit button; only the one that was pressed says "Bitte warten …". */
  private submitButton(label: string, intent: "save" | "publish", classes: string) {
    const busy = this.form.busy && this.intent === intent;
    return html`<button class=${classes} type="submit" value=${intent} aria-disabled=${this.form.busy ? "true" : "false"}>${busy ? this.texts.wait : label}</button>`;
  }

  private renderButtons(item: ManagedNews | undefined) {
    const t = this.t;
    return html`<div class="buttons">
      ${this.submitButton(!item || item.status === "draft" ? t.saveDraft : t.saveChanges, "save", item?.status === "published" ? "btn" : "btn secondary")}
      ${item?.status === "published" ? nothing : this.submitButton(t.publish, "publish", "btn")}
    </div>`;
  }

  private renderConfirmPublish(item: ManagedNews) {
    const t = this.t;
    const later = item.publishAt && Date.parse(item.publishAt) > Date.now() ? item.publishAt : null;
    const topics = this.state.config?.topics.filter((tp) => item.topics.includes(tp.id)).map((tp) => pick(tp.label, this.state.lang)) ?? [];
    return html`<section class="confirm" aria-labelledby="confirm-title">
      <h4 id="confirm-title">${t.confirmTitle}</h4>
      <ul id="confirm-text">
        <li>${t.confirmMail} ${t.topicsChosen(topics.join(", "))}</li>
        ${item.urgent ? html`<li>${t.confirmSms}</li>` : nothing}
        ${later ? html`<li>${t.confirmLater(this.when(later))}</li>` : nothing}
        <li>${t.confirmFinal}</li>
      </ul>
      <div class="buttons">
        <button class="btn" type="button" aria-describedby="confirm-text" aria-disabled=${this.form.busy ? "true" : "false"} @click=${() => void this.publish()}>
          ${this.form.busy ? this.texts.wait : t.confirmYes}
        </button>
        <button class="btn secondary" type="button" @click=${() => void this.cancel(t.keptDraft)}>${t.notYet}</button>
      </div>
    </section>`;
  }

  /** Withdraw and delete: below the form, apart from saving and publishing. */
  private renderMore(item: ManagedNews) {
    const t = this.t;
    if (this.confirm === "delete") {
      return html`<section class="confirm danger more" aria-labelledby="delete-title">
        <h4 id="delete-title">${t.deleteTitle}</h4>
        <p id="delete-text">${t.deleteText}</p>
        <div class="buttons">
          <button class="btn danger" type="button" aria-describedby="delete-text" aria-disabled=${this.form.busy ? "true" : "false"} @click=${() => void this.deleteItem()}>
            ${this.form.busy ? this.texts.wait : t.deleteYes}
          </button>
          <button class="btn secondary" type="button" @click=${() => void this.cancel()}>${t.cancel}</button>
        </div>
      </section>`;
    }
    return html`<div class="buttons more">
      ${item.status === "draft" ? nothing : html`<button class="btn secondary" type="button" @click=${() => void this.unpublish()}>${t.unpublish}</button>`}
      <button class="btn danger" type="button" data-action="delete" @click=${() => void this.ask("delete")}>${t.remove}</button>
    </div>`;
  }
}

define("dr-editor-view", EditorView);
