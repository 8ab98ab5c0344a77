import { type PropertyValues, html, nothing } from "lit";
import { ApiError } from "../core/api.js";
import { define } from "../core/dom.js";
import { pick } from "../core/i18n.js";
import type { DocumentRef, MailboxPage, TimelineEntry } from "../core/types.js";
import { saveFile } from "../postfach/download.js";
import { Reply, type ReplyHost, replyForm } from "../postfach/reply.js";
import { postfachStyles } from "../postfach/styles.js";
import { postfachTexts } from "../postfach/texts.js";
import { askingEntries, entryView } from "../postfach/timeline.js";
import { ViewElement } from "./shared/form.js";
import { viewStyles } from "./shared/styles.js";

type Load = { status: "loading" | "more" | "ready" } | { status: "error"; message: string; code: string };

const PAGE = 20;

/**
 * "Mein Postfach": one timeline of everything between the citizen and the town, newest first
 * (`GET me/mailbox`): submissions, status changes, the town's messages with their documents, the
 * citizen's replies. Seen entries are marked read (`POST me/mailbox/read`), which the launcher's
 * badge follows; a Rückfrage is answered right below it, with text and uploads.
 * `state.param` narrows the timeline to one submission.
 */
export class PostfachView extends ViewElement {
  static override properties = {
    ...ViewElement.properties,
    items: { state: true },
    load: { state: true },
    live: { state: true },
    sent: { state: true },
    failure: { state: true },
    reply: { state: true },
  };

  static override styles = [viewStyles, postfachStyles];

  declare items: TimelineEntry[];
  declare load: Load;
  /** Said by the screen reader: counts, uploads, downloads. */
  declare live: string;
  /** The confirmation of a sent reply, shown (and focused) above the timeline. */
  declare sent: string;
  /** A download that failed. */
  declare failure: string;
  declare reply: Reply | undefined;

  private cursor: string | null = null;
  /** Unread entries the server counts: marked read once the whole timeline has been shown. */
  private unreadOnServer = 0;
  private marking = false;

  private readonly replyHost: ReplyHost = {
    api: () => this.ctx.api,
    lang: () => this.state.lang,
    changed: () => this.requestUpdate(),
    announce: (text) => void this.say(text),
  };

  constructor() {
    super();
    this.items = [];
    this.load = { status: "loading" };
    this.live = "";
    this.sent = "";
    this.failure = "";
  }

  private get t() {
    return postfachTexts[this.state.lang];
  }

  override connectedCallback() {
    super.connectedCallback();
    // Fresh every time it is opened: the town may just have written.
    void this.fetchPage();
  }

  /** The panel was opened again on the Postfach: what the town wrote meanwhile shows up. */
  reopened() {
    if (this.load.status === "ready" || this.load.status === "error") void this.fetchPage();
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has("state") || changed.has("load")) void this.markRead();
  }

  private async fetchPage(opts: { more?: boolean; quiet?: boolean } = {}) {
    const more = opts.more && this.cursor !== null;
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (more) q.set("cursor", this.cursor!);
    this.load = { status: more ? "more" : "loading" };
    try {
      const page = await this.ctx.api.get<MailboxPage>(`me/mailbox?${q}`, { auth: true, fresh: true });
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.cursor = page.nextCursor;
      this.unreadOnServer = page.unread;
      this.ctx.setUnread(page.unread);
      this.load = { status: "ready" };
      if (more) await this.showLoaded(page.items);
      else if (!opts.quiet) void this.say(this.t.unread(page.unread));
    } catch (e) {
      // 401 already ended the session and switched to the login.
      if (e instanceof ApiError && e.status === 401) return;
      this.load = { status: "error", message: (e as Error).message, code: e instanceof ApiError ? e.code : "network" };
    }
  }

  /** After "older entries": focus on the first of them, so that keyboard users read on from there. */
  private async showLoaded(added: readonly TimelineEntry[]) {
    void this.say(this.t.loadedMore(added.length));
    await this.updateComplete;
    const first = added.find((e) => !this.state.param || e.submissionId === this.state.param);
    if (first) this.renderRoot.querySelector<HTMLElement>(`#entry-${CSS.escape(first.id)}`)?.focus();
  }

  /**
   * Everything up to the newest entry counts as seen once the whole timeline is on screen (not
   * one submission's part of it). The "Neu" marks stay until the Postfach is opened again.
   */
  private async markRead() {
    if (this.marking || this.unreadOnServer === 0 || this.load.status !== "ready" || this.state.param || !this.items.length) return;
    const upTo = this.items.reduce((newest, e) => (e.at > newest ? e.at : newest), this.items[0]!.at);
    this.marking = true;
    try {
      await this.ctx.api.send("POST", "me/mailbox/read", { upTo }, true);
      this.unreadOnServer = 0;
      this.ctx.setUnread(0);
    } catch {
      // Still unread: the badge stays, and the next visit tries again.
    } finally {
      this.marking = false;
    }
  }

  /** A live region announces a change of its text; the same sentence twice needs a change in between. */
  private async say(text: string) {
    this.live = "";
    await this.updateComplete;
    this.live = text;
  }

  private async download(doc: DocumentRef) {
    await this.save(`me/documents/${encodeURIComponent(doc.id)}`, doc.name);
  }

  private async receipt(e: TimelineEntry) {
    await this.save(`me/submissions/${encodeURIComponent(e.submissionId)}/receipt.pdf`, `Eingangsbestaetigung-${e.reference}.pdf`);
  }

  private async save(path: string, name: string) {
    this.failure = "";
    try {
      await saveFile(this.ctx.api, path, name, this.renderRoot);
      void this.say(this.t.downloaded(name));
    } catch (e) {
      this.failure = (e as Error).message;
    }
  }

  private async openReply(e: TimelineEntry) {
    this.sent = "";
    this.reply = new Reply(e.submissionId, e.reference, this.replyHost);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("#reply-text")?.focus();
  }

  private async cancelReply() {
    const id = this.reply?.submissionId;
    this.reply = undefined;
    await this.updateComplete;
    if (id) this.renderRoot.querySelector<HTMLElement>(`[data-answer="${CSS.escape(id)}"]`)?.focus();
  }

  private async sendReply() {
    const reply = this.reply;
    if (!reply) return;
    const entry = await reply.send();
    await this.updateComplete;
    if (!entry) {
      if (reply.textError) this.renderRoot.querySelector<HTMLElement>("#reply-text")?.focus();
      return;
    }
    this.reply = undefined;
    this.sent = this.t.sent(reply.reference);
    // The reply is in the timeline at once; the reload brings the status it moved to.
    this.items = [entry, ...this.items.filter((e) => e.id !== entry.id)];
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(".sent")?.focus();
    await this.fetchPage({ quiet: true });
  }

  override render() {
    const t = this.t;
    const load = this.load;
    const filter = this.state.param;
    const shown = filter ? this.items.filter((e) => e.submissionId === filter) : this.items;
    return html`<h3 tabindex="-1">${t.title}</h3>
      <p class="intro">${t.intro}</p>
      <p class="sr-only" role="status">${this.live}</p>
      <div class="success" role="status">${this.sent ? html`<p class="sent" tabindex="-1">${this.sent}</p>` : nothing}</div>
      <div class="form-error" role="alert">${this.failure ? html`<p>${this.failure}</p>` : nothing}</div>
      ${filter ? this.renderFilter(shown) : nothing}
      ${load.status === "error" ? this.problem(load.message, load.code) : nothing}
      ${load.status === "loading" && !this.items.length ? html`<p class="state">${t.loading}</p>` : nothing}
      ${load.status === "ready" && !shown.length ? html`<p class="box">${filter ? t.filteredEmpty : t.empty}</p>` : nothing}
      ${shown.length ? this.renderTimeline(shown, !!filter) : nothing}
      ${this.cursor && (load.status === "ready" || load.status === "more")
        ? html`<p>
            <button class="btn secondary wide" type="button" aria-disabled=${load.status === "more" ? "true" : "false"} @click=${() => load.status === "ready" && void this.fetchPage({ more: true })}>
              ${load.status === "more" ? t.loadingMore : t.more}
            </button>
          </p>`
        : nothing}`;
  }

  private renderFilter(shown: readonly TimelineEntry[]) {
    const t = this.t;
    const first = shown[0];
    return html`<div class="filter">
      <p>${t.filtered}${first ? html`: ${pick(first.formTitle, this.state.lang)} (<span class="ref">${first.reference}</span>)` : nothing}</p>
      <button class="link back" type="button" @click=${() => this.ctx.navigate("postfach")}>${t.all}</button>
    </div>`;
  }

  private renderTimeline(shown: readonly TimelineEntry[], filtered: boolean) {
    const lang = this.state.lang;
    const asking = askingEntries(this.items);
    return html`<ul class="timeline">
      ${shown.map((e) =>
        entryView(e, {
          lang,
          filtered,
          download: (d) => void this.download(d),
          receipt: (x) => void this.receipt(x),
          only: (x) => this.ctx.navigate("postfach", x.submissionId),
          ask: asking.get(e.submissionId) === e ? this.renderAsk(e) : undefined,
        }),
      )}
    </ul>`;
  }

  /** Below the Rückfrage: "Antworten", or the reply form once opened. */
  private renderAsk(e: TimelineEntry) {
    const t = this.t;
    const reply = this.reply?.submissionId === e.submissionId ? this.reply : undefined;
    return html`<div class="ask">
      <p>${t.waiting}</p>
      ${reply
        ? replyForm(reply, this.state.lang, { submit: () => void this.sendReply(), cancel: () => void this.cancelReply() })
        : html`<button class="btn" type="button" data-answer=${e.submissionId} @click=${() => void this.openReply(e)}>
            ${t.answer}<span class="sr-only"> ${e.reference}</span>
          </button>`}
    </div>`;
  }

  private problem(message: string, code: string) {
    const t = this.t;
    return html`<div class="box" role="alert">
      <p>${message}</p>
      <p class="actions">
        ${code === "verification_required"
          ? html`<button class="btn" type="button" @click=${() => this.ctx.detour("verify")}>${t.verify}</button>`
          : html`<button class="btn" type="button" @click=${() => void this.fetchPage()}>${t.retry}</button>`}
      </p>
    </div>`;
  }
}

define("dr-postfach-view", PostfachView);

declare global {
  interface HTMLElementTagNameMap {
    "dr-postfach-view": PostfachView;
  }
}
