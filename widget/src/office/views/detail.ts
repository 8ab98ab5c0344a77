import { type PropertyValues, html, nothing } from "lit";
import { ApiError } from "../../core/api.js";
import { deepActiveElement, define } from "../../core/dom.js";
import type { SubmissionStatus, Upload } from "../../core/types.js";
import type { OfficeFile, OfficeSubmissionDetail, StaffMember } from "../../../../server/office/api-types.js";
import type { TimelineEntry } from "../../../../server/mailbox/api-types.js";
import { problemText } from "../api.js";
import { renderAnswers } from "../answers.js";
import { OfficeView } from "../context.js";
import { canPreview, dateTime, formatFileSize, local } from "../format.js";
import { FormState, formValues } from "../forms.js";

/**
 * One submission: what was sent (laid out by its form version), attachments, the applicant, the
 * history the citizen sees too, internal notes, and the work on it: assignment, status, messages.
 * Every action answers with the whole submission again, which replaces what is shown.
 */
export class OfficeDetailView extends OfficeView {
  static override properties = {
    submissionId: { attribute: false },
    detail: { state: true },
    failure: { state: true },
    staff: { state: true },
  };

  declare submissionId: string;
  declare detail: OfficeSubmissionDetail | undefined;
  declare failure: string;
  declare staff: StaffMember[];

  private readonly assignForm = new FormState(this, "assign");
  private readonly statusForm = new FormState(this, "status", ["status", "reason", "message"]);
  private readonly messageForm = new FormState(this, "message", ["text"]);
  private readonly noteForm = new FormState(this, "note", ["text"]);
  private seq = 0;

  constructor() {
    super();
    this.failure = "";
    this.staff = [];
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.ctx.isAdmin) void this.loadStaff();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("submissionId")) void this.load();
  }

  private get base() {
    return `office/submissions/${encodeURIComponent(this.submissionId)}`;
  }

  private async load() {
    const seq = ++this.seq;
    this.detail = undefined;
    this.failure = "";
    try {
      const detail = await this.ctx.api.get<OfficeSubmissionDetail>(this.base);
      if (seq !== this.seq) return;
      this.detail = detail;
    } catch (e) {
      if (seq !== this.seq) return;
      this.failure = e instanceof ApiError && e.status === 404 ? this.ctx.t.detail.notFound : problemText(e, this.ctx.lang);
    }
  }

  private async loadStaff() {
    try {
      this.staff = (await this.ctx.api.get<{ items: StaffMember[] }>("office/staff")).items.filter((s) => !s.disabled);
    } catch {
      // The admin still has "assign to me" and "remove assignment".
    }
  }

  private heading() {
    const d = this.detail;
    return d ? this.ctx.t.detail.title(local(d.formTitle, this.ctx.lang), d.reference) : this.ctx.t.loading;
  }

  private fileUrl(fileId: string) {
    return this.ctx.api.url(`${this.base}/files/${encodeURIComponent(fileId)}`);
  }

  /**
   * After an action the control that was used may be gone (“Mir zuweisen” once assigned): focus
   * then goes to the section's heading instead of falling back to the page's start.
   */
  private async keepFocus(headingId: string) {
    await this.updateComplete;
    const active = deepActiveElement();
    if (!active || active === document.body || !active.isConnected || active.localName === "office-app") this.querySelector<HTMLElement>(`#${headingId}`)?.focus();
  }

  // ---- actions ----

  private async assign(accountId: string | null, name?: string) {
    const t = this.ctx.t.detail;
    await this.assignForm.run(async () => {
      this.detail = await this.ctx.api.send<OfficeSubmissionDetail>("POST", `${this.base}/assign`, { accountId });
      return accountId ? t.assigned(name ?? this.detail.assignee?.name ?? "") : t.unassigned;
    });
    await this.keepFocus("h-assign");
  }

  private async assignChosen(e: SubmitEvent) {
    e.preventDefault();
    const id = formValues(e.target as HTMLFormElement).assignee;
    if (!id) return;
    await this.assign(id, this.staff.find((s) => s.id === id)?.name);
  }

  /** Uploads the chosen files one by one; their ids go with a message. */
  private async uploadAll(input: HTMLInputElement | null): Promise<string[]> {
    const ids: string[] = [];
    for (const file of input?.files ?? []) {
      const upload = await this.ctx.api.upload<Upload>(`${this.base}/uploads`, file);
      ids.push(upload.id);
    }
    return ids;
  }

  private async changeStatus(e: SubmitEvent) {
    e.preventDefault();
    const t = this.ctx.t.detail;
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const status = v.status as SubmissionStatus | undefined;
    const files = form.querySelector<HTMLInputElement>("#status-documents");
    const hasFiles = (files?.files?.length ?? 0) > 0;
    const ok = this.statusForm.check({
      status: !status && t.statusMissing,
      reason: status === "rejected" && !v.reason && t.reasonMissing,
      message: (status === "waiting" && !v.message && t.questionMissing) || (hasFiles && !v.message && t.documentsNeedText),
    });
    if (!ok || !status) return;
    await this.statusForm.run(async () => {
      const reason = status === "rejected" ? v.reason : undefined;
      if (hasFiles) {
        // Documents travel with a message; the status change follows without a second text.
        const uploads = await this.uploadAll(files);
        this.detail = await this.ctx.api.send<OfficeSubmissionDetail>("POST", `${this.base}/messages`, { text: v.message, uploads });
        this.detail = await this.ctx.api.send<OfficeSubmissionDetail>("POST", `${this.base}/status`, { status, ...(reason ? { reason } : {}) });
      } else {
        this.detail = await this.ctx.api.send<OfficeSubmissionDetail>("POST", `${this.base}/status`, {
          status,
          ...(reason ? { reason } : {}),
          ...(v.message ? { message: v.message } : {}),
        });
      }
      form.reset();
      return t.statusChanged(this.ctx.t.status[status]);
    });
    await this.keepFocus("h-status");
  }

  private async sendMessage(e: SubmitEvent) {
    e.preventDefault();
    const t = this.ctx.t.detail;
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    if (!this.messageForm.check({ text: !v.text && t.messageMissing })) return;
    await this.messageForm.run(async () => {
      const uploads = await this.uploadAll(form.querySelector<HTMLInputElement>("#message-documents"));
      this.detail = await this.ctx.api.send<OfficeSubmissionDetail>("POST", `${this.base}/messages`, { text: v.text, ...(uploads.length ? { uploads } : {}) });
      form.reset();
      return t.messageSent;
    });
  }

  private async addNote(e: SubmitEvent) {
    e.preventDefault();
    const t = this.ctx.t.detail;
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    if (!this.noteForm.check({ text: !v.text && t.noteMissing })) return;
    await this.noteForm.run(async () => {
      this.detail = await this.ctx.api.send<OfficeSubmissionDetail>("POST", `${this.base}/notes`, { text: v.text });
      form.reset();
      return t.noteSaved;
    });
  }

  // ---- rendering ----

  override render() {
    const t = this.ctx.t;
    const d = this.detail;
    // One template whatever the state: the heading that has focus while loading stays the same element.
    return html`<a class="back" href="#/inbox">${t.detail.back}</a>
      <h1 tabindex="-1">${d ? this.heading() : this.failure ? t.notFound : t.loading}</h1>
      ${d
        ? this.renderSubmission(d)
        : this.failure
          ? html`<div class="alert" role="alert"><p>${this.failure}</p>
              <button class="btn secondary" type="button" @click=${() => void this.load()}>${t.retry}</button></div>`
          : nothing}`;
  }

  private renderSubmission(d: OfficeSubmissionDetail) {
    const t = this.ctx.t;
    const td = t.detail;
    return html`<section class="card" aria-labelledby="h-overview">
        <h2 id="h-overview" class="sr-only">${td.overview}</h2>
        <dl class="facts">
          <div><dt>${td.reference}</dt><dd>${d.reference}</dd></div>
          <div><dt>${td.form}</dt><dd>${local(d.formTitle, this.ctx.lang)}</dd></div>
          <div><dt>${td.received}</dt><dd>${dateTime(d.submittedAt, this.ctx.lang)}</dd></div>
          <div><dt>${td.status}</dt><dd><span class=${`badge ${d.status}`}>${t.status[d.status]}</span></dd></div>
          <div><dt>${td.assignee}</dt><dd>${d.assignee?.name ?? t.inbox.none}</dd></div>
          ${d.department ? html`<div><dt>${td.department}</dt><dd>${this.ctx.departmentName(d.department)}</dd></div>` : nothing}
          ${d.statusReason ? html`<div><dt>${td.reason}</dt><dd>${d.statusReason}</dd></div>` : nothing}
        </dl>
      </section>
      <div class="columns">
        <div>
          <section class="card" aria-labelledby="h-data">
            <h2 id="h-data">${td.data}</h2>
            ${renderAnswers(d.form, d.data, d.files, this.ctx.lang)}
          </section>
          ${this.renderFiles(d.files)} ${this.renderApplicant(d)} ${this.renderHistory(d.history)}
        </div>
        <div>${this.renderWork(d)} ${this.renderNotes(d)}</div>
      </div>`;
  }

  private renderFiles(files: OfficeFile[]) {
    const td = this.ctx.t.detail;
    return html`<section class="card" aria-labelledby="h-files">
      <h2 id="h-files">${td.files}</h2>
      ${files.length === 0
        ? html`<p class="muted">${td.noFiles}</p>`
        : html`<ul class="files">
            ${files.map(
              (f) => html`<li>
                <a href=${this.fileUrl(f.id)} download=${f.name}>${f.name}</a>
                <span class="muted">(${formatFileSize(f.size, this.ctx.lang)})</span>
                ${canPreview(f.mediaType) ? html`<img src=${this.fileUrl(f.id)} alt=${td.preview(f.name)} />` : nothing}
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private renderApplicant(d: OfficeSubmissionDetail) {
    const td = this.ctx.t.detail;
    const a = d.applicant;
    const pair = (label: string, value: unknown) => html`<dt>${label}</dt><dd>${value}</dd>`;
    return html`<section class="card" aria-labelledby="h-applicant">
      <h2 id="h-applicant">${td.applicant}</h2>
      ${a.anonymous
        ? html`<p>${td.anonymous}</p>
            <dl class="pairs">${pair(td.email, html`<a href=${`mailto:${a.email}`}>${a.email}</a>`)}</dl>`
        : html`<dl class="pairs">
            ${pair(td.name, a.name)} ${a.organisation ? pair(td.organisation, a.organisation) : nothing} ${pair(td.kind, td.kinds[a.kind])}
            ${pair(td.email, html`<a href=${`mailto:${a.email}`}>${a.email}</a>`)} ${a.mobile ? pair(td.mobile, a.mobile) : nothing}
            ${a.address ? pair(td.address, `${a.address.street}\n${a.address.postalCode} ${a.address.city}`) : nothing}
          </dl>`}
    </section>`;
  }

  private renderHistory(history: TimelineEntry[]) {
    const t = this.ctx.t;
    const kinds = t.detail.historyKinds;
    const what = (e: TimelineEntry) => (e.kind === "status" ? kinds.status(e.status ? t.status[e.status] : "") : kinds[e.kind]);
    return html`<section class="card" aria-labelledby="h-history">
      <h2 id="h-history">${t.detail.history}</h2>
      <ol class="timeline">
        ${history.map(
          (e) => html`<li>
            <span class="when"><time datetime=${e.at}>${dateTime(e.at, this.ctx.lang)}</time></span>
            <strong>${what(e)}</strong>
            ${e.reason ? html`<p class="say">${t.detail.reason}: ${e.reason}</p>` : nothing} ${e.text ? html`<p class="say">${e.text}</p>` : nothing}
            ${e.documents?.length
              ? html`<ul class="docs">
                  ${e.documents.map(
                    (doc) => html`<li>
                      <a href=${this.fileUrl(doc.id)} download=${doc.name}>${doc.name}</a>
                      <span class="muted">(${formatFileSize(doc.size, this.ctx.lang)})</span>
                    </li>`,
                  )}
                </ul>`
              : nothing}
          </li>`,
        )}
      </ol>
    </section>`;
  }

  private renderWork(d: OfficeSubmissionDetail) {
    const t = this.ctx.t;
    const td = t.detail;
    const me = this.ctx.session.account.id;
    const a = this.assignForm;
    const others = this.staff.filter((s) => s.id !== d.assignee?.id);
    return html`<section class="card work" aria-labelledby="h-work">
      <h2 id="h-work">${td.work}</h2>
      <section aria-labelledby="h-assign">
        <h3 id="h-assign" tabindex="-1">${td.assignHeading}</h3>
        ${a.status()}
        <div class="buttons">
          ${d.assignee?.id !== me
            ? html`<button class="btn" type="button" aria-disabled=${a.busy ? "true" : "false"} @click=${() => void this.assign(me, this.ctx.session.account.name)}>${td.assignMe}</button>`
            : nothing}
          ${d.assignee
            ? html`<button class="btn secondary" type="button" aria-disabled=${a.busy ? "true" : "false"} @click=${() => void this.assign(null)}>${td.unassign}</button>`
            : nothing}
        </div>
        ${this.ctx.isAdmin && others.length > 0
          ? html`<form class="assign-to" @submit=${this.assignChosen}>
              <div class="field">
                <label for="assign-assignee">${td.assignTo}</label>
                <select id="assign-assignee" name="assignee">
                  ${others.map((s) => html`<option value=${s.id}>${s.name}</option>`)}
                </select>
              </div>
              ${a.button(td.assign, "btn secondary")}
            </form>`
          : nothing}
      </section>
      ${this.renderStatusForm(d)} ${this.renderMessageForm()}
    </section>`;
  }

  private renderStatusForm(d: OfficeSubmissionDetail) {
    const t = this.ctx.t;
    const td = t.detail;
    const f = this.statusForm;
    return html`<section aria-labelledby="h-status">
      <h3 id="h-status" tabindex="-1">${td.statusHeading}</h3>
      ${f.status()}
      ${d.nextStatuses.length === 0
        ? html`<p class="muted">${td.noNextStatus}</p>`
        : html`<form novalidate @submit=${this.changeStatus}>
            <fieldset aria-describedby=${f.describedBy("status", false)}>
              <legend>${td.newStatus}</legend>
              ${f.error("status")}
              <div class="radios">
                ${d.nextStatuses.map(
                  (s, i) => html`<label class="check"
                    ><input type="radio" name="status" value=${s} id=${i === 0 ? f.id("status") : nothing} aria-invalid=${f.invalid("status")} />
                    ${t.status[s]}</label
                  >`,
                )}
              </div>
            </fieldset>
            ${d.nextStatuses.includes("rejected") ? f.field({ name: "reason", label: td.rejectReason, hint: td.rejectReasonHint, rows: 3, optional: true, maxlength: 1000 }) : nothing}
            ${f.field({ name: "message", label: td.statusMessage, hint: td.statusMessageHint, rows: 4, optional: true, maxlength: 5000 })}
            ${this.documentsField(f)} ${f.button(td.changeStatus)}
          </form>`}
    </section>`;
  }

  private renderMessageForm() {
    const td = this.ctx.t.detail;
    const f = this.messageForm;
    return html`<section aria-labelledby="h-message">
      <h3 id="h-message" tabindex="-1">${td.messageHeading}</h3>
      <form novalidate @submit=${this.sendMessage}>
        ${f.status()} ${f.field({ name: "text", label: td.messageText, rows: 4, maxlength: 5000 })} ${this.documentsField(f)} ${f.button(td.sendMessage)}
      </form>
    </section>`;
  }

  private documentsField(f: FormState) {
    const td = this.ctx.t.detail;
    const id = f.id("documents");
    return html`<div class="field">
      <label for=${id}>${td.documents} <span class="optional">${this.ctx.t.optional}</span></label>
      <p class="hint" id=${`${id}-hint`}>${td.documentsHint}</p>
      ${f.error("documents")}
      <input id=${id} name="documents" type="file" multiple accept="application/pdf,image/png,image/jpeg" aria-describedby=${f.describedBy("documents", true)} />
    </div>`;
  }

  private renderNotes(d: OfficeSubmissionDetail) {
    const td = this.ctx.t.detail;
    const f = this.noteForm;
    return html`<section class="card" aria-labelledby="h-notes">
      <h2 id="h-notes">${td.notes}</h2>
      <p class="muted">${td.notesIntro}</p>
      ${d.notes.length === 0
        ? html`<p>${td.noNotes}</p>`
        : html`<ul class="notes">
            ${d.notes.map(
              (n) => html`<li>
                <p class="say">${n.text}</p>
                <span class="when">${td.by(n.author.name)}, <time datetime=${n.at}>${dateTime(n.at, this.ctx.lang)}</time></span>
              </li>`,
            )}
          </ul>`}
      <form novalidate @submit=${this.addNote}>
        ${f.status()} ${f.field({ name: "text", label: td.noteText, rows: 3, maxlength: 5000 })} ${f.button(td.addNote, "btn secondary")}
      </form>
    </section>`;
  }
}

define("office-detail", OfficeDetailView);
