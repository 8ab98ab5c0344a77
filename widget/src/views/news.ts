import { type PropertyValues, css, html, nothing } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { ApiError } from "../core/api.js";
import { define } from "../core/dom.js";
import { formatDate, pick } from "../core/i18n.js";
import type { Lang, NewsItem, NewsPage, NewsSummary } from "../core/types.js";
import { ViewElement, topicTags, urgentBadge } from "./shared/form.js";
import { listStyles, viewStyles } from "./shared/styles.js";

const texts = {
  de: {
    title: "Nachrichten",
    intro: (town: string) => `Aktuelle Meldungen und Bekanntmachungen aus ${town}.`,
    filter: "Nach Thema filtern",
    all: "Alle Themen",
    loading: "Nachrichten werden geladen …",
    count: (n: number) => (n === 1 ? "1 Nachricht" : `${n} Nachrichten`),
    empty: "Zurzeit gibt es hier keine Nachrichten.",
    emptyTopic: "Zu diesem Thema gibt es noch keine Nachrichten.",
    more: "Weitere Nachrichten laden",
    back: "Alle Nachrichten",
    updated: (d: string) => `Aktualisiert am ${d}`,
    retry: "Erneut versuchen",
    gone: "Diese Nachricht gibt es nicht mehr. Sie wurde vielleicht zurückgezogen.",
    ctaTitle: "Nachrichten per E-Mail erhalten",
    cta: "Wählen Sie Ihre Themen – wir schicken Ihnen neue Meldungen per E-Mail, Eilmeldungen auf Wunsch auch per SMS.",
    ctaButton: "Themen abonnieren",
  },
  en: {
    title: "News",
    intro: (town: string) => `Latest news and notices from ${town}.`,
    filter: "Filter by topic",
    all: "All topics",
    loading: "Loading news …",
    count: (n: number) => (n === 1 ? "1 news item" : `${n} news items`),
    empty: "There is no news here at the moment.",
    emptyTopic: "There is no news on this topic yet.",
    more: "Load more news",
    back: "All news",
    updated: (d: string) => `Updated on ${d}`,
    retry: "Try again",
    gone: "This news item no longer exists. It may have been withdrawn.",
    ctaTitle: "Get the news by e-mail",
    cta: "Choose your topics and we will e-mail you new items, and urgent ones by SMS if you like.",
    ctaButton: "Subscribe to topics",
  },
} satisfies Record<Lang, Record<string, unknown>>;

const PAGE_SIZE = 10;

type Load = { status: "idle" | "loading" | "ready" } | { status: "error"; message: string };

/** News of the town: list with a topic filter and "load more", and one item in full. */
export class NewsView extends ViewElement {
  static override properties = {
    ...ViewElement.properties,
    items: { state: true },
    cursor: { state: true },
    topic: { state: true },
    list: { state: true },
    more: { state: true },
    item: { state: true },
    detail: { state: true },
  };

  static override styles = [
    viewStyles,
    listStyles,
    css`
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin: 0 0 20px;
      }
      .chip {
        min-height: 34px;
        margin: 0;
        padding: 0 12px;
        border: 2px solid var(--_field-border);
        border-radius: 999px;
        background: var(--_bg);
        color: var(--_fg);
        font: 600 14px/18px var(--_font);
        cursor: pointer;
      }
      @media (pointer: coarse) {
        .chip {
          min-height: 44px;
        }
      }
      /* Selected: filled and with a check mark, not only another color. */
      .chip[aria-pressed="true"] {
        border-color: var(--_primary);
        background: var(--_primary);
        color: var(--_on-primary);
      }
      .chip[aria-pressed="true"]::before {
        content: "✓ ";
      }
      article.detail h3 {
        margin-top: 8px;
      }
      .lead {
        font-size: 18px;
        line-height: 27px;
      }
      .content {
        margin: 16px 0;
        overflow-wrap: anywhere;
      }
      .content :is(h1, h2, h3, h4, h5, h6) {
        margin: 20px 0 8px;
        font-size: 18px;
        line-height: 24px;
      }
      .content img {
        max-width: 100%;
        height: auto;
      }
      .content :is(ul, ol) {
        padding-left: 24px;
      }
      .content blockquote {
        margin: 0 0 12px;
        padding-left: 12px;
        border-left: 4px solid var(--_border);
      }
      .content table {
        display: block;
        max-width: 100%;
        overflow-x: auto;
        border-collapse: collapse;
      }
      .content :is(td, th) {
        padding: 4px 8px;
        border: 1px solid var(--_border);
      }
      .cta {
        margin-top: 8px;
      }
      .cta h4 {
        margin: 0 0 4px;
      }
    `,
  ];

  declare items: NewsSummary[];
  declare cursor: string | null;
  declare topic: string;
  declare list: Load;
  declare more: Load;
  declare item: NewsItem | undefined;
  declare detail: Load;

  /** The item last opened, to return focus to its title when going back to the list. */
  private lastOpened: string | undefined;

  constructor() {
    super();
    this.items = [];
    this.cursor = null;
    this.topic = "";
    this.list = { status: "idle" };
    this.more = { status: "idle" };
    this.detail = { status: "idle" };
  }

  private get t() {
    return texts[this.state.lang];
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has("state")) return;
    const { view, param } = this.state;
    if (view === "news-detail" && param && this.item?.id !== param && this.detail.status !== "loading") void this.loadItem(param);
    if (view === "news" && this.list.status === "idle") void this.loadList();
  }

  override initialFocus() {
    if (this.state.view === "news" && this.lastOpened) {
      const button = this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(this.lastOpened)}"]`);
      if (button) return button;
    }
    return super.initialFocus();
  }

  private async fetchPage(cursor: string | null) {
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (this.topic) q.set("topic", this.topic);
    if (cursor) q.set("cursor", cursor);
    return this.ctx.api.get<NewsPage>(`news?${q}`);
  }

  private async loadList() {
    this.list = { status: "loading" };
    try {
      const page = await this.fetchPage(null);
      this.items = page.items;
      this.cursor = page.nextCursor;
      this.list = { status: "ready" };
    } catch (e) {
      this.list = { status: "error", message: (e as Error).message };
    }
  }

  private async loadMore() {
    this.more = { status: "loading" };
    const first = this.items.length;
    try {
      const page = await this.fetchPage(this.cursor);
      this.items = [...this.items, ...page.items];
      this.cursor = page.nextCursor;
      this.more = { status: "ready" };
      // Continue reading where the new items start.
      await this.updateComplete;
      this.renderRoot.querySelectorAll<HTMLElement>("[data-id]")[first]?.focus();
    } catch (e) {
      this.more = { status: "error", message: (e as Error).message };
    }
  }

  private async loadItem(id: string) {
    this.detail = { status: "loading" };
    try {
      this.item = await this.ctx.api.get<NewsItem>(`news/${encodeURIComponent(id)}`);
      this.detail = { status: "ready" };
    } catch (e) {
      this.item = undefined;
      this.detail = { status: "error", message: e instanceof ApiError && e.status === 404 ? this.t.gone : (e as Error).message };
    }
  }

  private setTopic(topic: string) {
    if (topic === this.topic) return;
    this.topic = topic;
    void this.loadList();
  }

  private open(id: string) {
    this.lastOpened = id;
    this.ctx.navigate("news-detail", id);
  }

  override render() {
    return this.state.view === "news-detail" ? this.renderDetail() : this.renderList();
  }

  private meta(n: NewsSummary) {
    return html`<p class="meta">
      <time datetime=${n.publishedAt}>${formatDate(n.publishedAt, this.state.lang)}</time>
      ${n.urgent ? urgentBadge(this.state.lang) : nothing}
    </p>`;
  }

  private tags(n: NewsSummary) {
    return topicTags(n.topics, this.state);
  }

  private renderList() {
    const t = this.t;
    const config = this.state.config!;
    const list = this.list;
    return html`
      <h3 tabindex="-1">${t.title}</h3>
      <p class="intro">${t.intro(config.name)}</p>
      ${config.topics.length
        ? html`<div class="filters" role="group" aria-label=${t.filter}>
            ${[{ id: "", label: t.all }, ...config.topics.map((tp) => ({ id: tp.id, label: pick(tp.label, this.state.lang) }))].map(
              (c) => html`<button type="button" class="chip" aria-pressed=${this.topic === c.id ? "true" : "false"} @click=${() => this.setTopic(c.id)}>${c.label}</button>`,
            )}
          </div>`
        : nothing}
      <p class="sr-only" role="status">${list.status === "ready" ? (this.items.length ? t.count(this.items.length) : this.topic ? t.emptyTopic : t.empty) : ""}</p>
      ${list.status === "loading" || list.status === "idle" ? html`<p class="state">${t.loading}</p>` : nothing}
      ${list.status === "error"
        ? html`<div class="box" role="alert">
            <p>${list.message}</p>
            <p><button class="btn" type="button" @click=${() => void this.loadList()}>${t.retry}</button></p>
          </div>`
        : nothing}
      ${list.status === "ready" && this.items.length === 0 ? html`<p class="box">${this.topic ? t.emptyTopic : t.empty}</p>` : nothing}
      ${list.status === "ready" && this.items.length
        ? html`<ul class="items">
            ${this.items.map(
              (n) => html`<li>
                <article aria-labelledby="n-${n.id}">
                  ${this.meta(n)}
                  <h4 id="n-${n.id}"><button class="link" type="button" data-id=${n.id} @click=${() => this.open(n.id)}>${n.title}</button></h4>
                  <p class="summary">${n.summary}</p>
                  ${this.tags(n)}
                </article>
              </li>`,
            )}
          </ul>`
        : nothing}
      ${this.more.status === "error" ? html`<p class="box" role="alert">${this.more.message}</p>` : nothing}
      ${list.status === "ready" && this.cursor
        ? html`<p><button class="btn secondary wide" type="button" aria-disabled=${this.more.status === "loading" ? "true" : "false"} @click=${() => this.more.status !== "loading" && void this.loadMore()}>${this.more.status === "error" ? t.retry : t.more}</button></p>`
        : nothing}
      <div class="box cta">
        <h4>${t.ctaTitle}</h4>
        <p>${t.cta}</p>
        <p><button class="link" type="button" @click=${() => this.ctx.navigate(this.state.signedIn ? "account" : "register")}>${t.ctaButton}</button></p>
      </div>
    `;
  }

  private renderDetail() {
    const t = this.t;
    const item = this.detail.status === "ready" ? this.item : undefined;
    const detail = this.detail;
    // One template for loading, failure and the item, so the focused heading survives the load.
    return html`<button class="link back" type="button" @click=${() => this.ctx.navigate("news")}>${t.back}</button>
      <article class="detail">
        ${item ? this.meta(item) : nothing}
        <h3 tabindex="-1">${item ? item.title : t.title}</h3>
        ${detail.status === "error"
          ? html`<div class="box" role="alert">
              <p>${detail.message}</p>
              <p><button class="btn" type="button" @click=${() => this.state.param && void this.loadItem(this.state.param)}>${t.retry}</button></p>
            </div>`
          : nothing}
        ${!item && detail.status !== "error" ? html`<p class="state" role="status">${t.loading}</p>` : nothing}
        ${item
          ? html`<p class="lead">${item.summary}</p>
              <div class="content">${unsafeHTML(item.bodyHtml) /* sanitised by the server: allow-listed tags, no scripts or handlers */}</div>
              ${this.tags(item)}
              ${item.updatedAt && item.updatedAt.slice(0, 10) !== item.publishedAt.slice(0, 10)
                ? html`<p class="meta">${t.updated(formatDate(item.updatedAt, this.state.lang))}</p>`
                : nothing}`
          : nothing}
      </article>`;
  }
}

define("dr-news-view", NewsView);
