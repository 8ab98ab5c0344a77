import { html, nothing } from "lit";
import { type Api, ApiError, NetworkError } from "../core/api.js";
import { coreTexts } from "../core/i18n.js";
import type { Lang, TimelineEntry, Upload } from "../core/types.js";
import { sharedTexts } from "../views/shared/form.js";
import { fileFacts, postfachTexts } from "./texts.js";

/** What the reply's uploads may be; the server decides by content anyway. */
const ACCEPT = ["application/pdf", "image/jpeg", "image/png"];
const MAX_SIZE = 10 * 1024 * 1024;

interface PendingFile {
  key: number;
  name: string;
  /** 0…1. */
  progress: number;
}

export interface ReplyHost {
  api(): Api;
  lang(): Lang;
  /** Something to show changed. */
  changed(): void;
  /** A short sentence for the view's live region. */
  announce(text: string): void;
}

/**
 * The citizen's answer to a Rückfrage: text and files. Each file is uploaded as soon as it is
 * chosen (`POST me/submissions/{id}/uploads`, with progress), the reply then names them
 * (`POST me/submissions/{id}/messages`).
 */
export class Reply {
  text = "";
  files: Upload[] = [];
  pending: PendingFile[] = [];
  textError = "";
  fileError = "";
  formError = "";
  busy = false;
  private key = 0;

  constructor(
    readonly submissionId: string,
    readonly reference: string,
    private readonly host: ReplyHost,
  ) {}

  private get t() {
    return postfachTexts[this.host.lang()];
  }

  private get path() {
    return `me/submissions/${encodeURIComponent(this.submissionId)}`;
  }

  /** What the server would refuse anyway is said at once; the rest is uploaded side by side. */
  async add(chosen: readonly File[]) {
    const t = this.t;
    const problems: string[] = [];
    const fine = chosen.filter((file) => {
      if (file.size > MAX_SIZE) problems.push(t.fileTooLarge(file.name));
      // An empty type (unknown extension) is left to the server, which looks at the content.
      else if (file.type && !ACCEPT.includes(file.type)) problems.push(t.fileType(file.name));
      else return true;
      return false;
    });
    this.fileError = problems.join(" ");
    this.host.changed();
    await Promise.all(fine.map((file) => this.upload(file)));
  }

  private async upload(file: File) {
    const p: PendingFile = { key: this.key++, name: file.name, progress: 0 };
    this.pending = [...this.pending, p];
    this.host.changed();
    const body = new FormData();
    body.append("file", file, file.name);
    try {
      const upload = await this.host.api().upload<Upload>(`${this.path}/uploads`, body, {
        auth: true,
        onProgress: (fraction) => {
          p.progress = fraction;
          this.host.changed();
        },
      });
      this.files = [...this.files, upload];
      this.host.announce(this.t.fileDone(upload.name));
    } catch (e) {
      this.fileError = [this.fileError, `${file.name}: ${messageOf(e, this.host.lang())}`].filter(Boolean).join(" ");
    } finally {
      this.pending = this.pending.filter((x) => x !== p);
      this.host.changed();
    }
  }

  type(text: string) {
    this.text = text;
    // The error goes as soon as there is something to send.
    if (this.textError && text.trim()) {
      this.textError = "";
      this.host.changed();
    }
  }

  /** Off the reply; the server removes uploads that no message names. */
  remove(upload: Upload) {
    this.files = this.files.filter((f) => f !== upload);
    this.host.announce(this.t.fileRemoved(upload.name));
    this.host.changed();
  }

  /** Sends the reply: the new entry, or undefined when something stands in the way (said in the form). */
  async send(): Promise<TimelineEntry | undefined> {
    if (this.busy) return undefined;
    const t = this.t;
    this.textError = this.text.trim() ? "" : t.textRequired;
    this.formError = this.pending.length ? t.waitUploads : "";
    if (this.textError || this.formError) {
      this.host.changed();
      return undefined;
    }
    this.busy = true;
    this.host.changed();
    try {
      return await this.host.api().send<TimelineEntry>("POST", `${this.path}/messages`, { text: this.text.trim(), uploads: this.files.map((f) => f.id) }, true);
    } catch (e) {
      const field = e instanceof ApiError ? e.fields.text?.message : undefined;
      if (field) this.textError = field;
      else this.formError = messageOf(e, this.host.lang());
      return undefined;
    } finally {
      this.busy = false;
      this.host.changed();
    }
  }
}

function messageOf(e: unknown, lang: Lang): string {
  if (e instanceof ApiError || e instanceof NetworkError) return e.message;
  console.error(e);
  return coreTexts[lang].unavailable;
}

export interface ReplyFormHandlers {
  submit(): void;
  cancel(): void;
}

/**
 * The reply form. Its ids are fixed: one reply is written at a time. Problems stand next to
 * their field and are announced (the error containers are live regions, always present).
 */
export function replyForm(r: Reply, lang: Lang, on: ReplyFormHandlers) {
  const t = postfachTexts[lang];
  const shared = sharedTexts[lang];
  const textDescribed = r.textError ? "reply-text-error" : nothing;
  const filesDescribed = ["reply-files-hint", r.fileError ? "reply-files-error" : ""].filter(Boolean).join(" ");
  return html`<form
    class="reply"
    id="reply-form"
    novalidate
    aria-label=${t.replyLabel(r.reference)}
    @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      on.submit();
    }}
  >
    <div class="form-error" role="alert">${r.formError ? html`<p>${r.formError}</p>` : nothing}</div>
    <div class="field">
      <label for="reply-text">${t.replyText}</label>
      ${r.textError ? html`<p class="error" id="reply-text-error">${r.textError}</p>` : nothing}
      <textarea
        id="reply-text"
        name="text"
        rows="5"
        maxlength="5000"
        required
        spellcheck="true"
        aria-invalid=${r.textError ? "true" : "false"}
        aria-describedby=${textDescribed}
        .value=${r.text}
        @input=${(e: Event) => r.type((e.target as HTMLTextAreaElement).value)}
      ></textarea>
    </div>
    <div class="field">
      <label for="reply-files">${t.files} <span class="optional">${shared.optional}</span></label>
      <p class="hint" id="reply-files-hint">${t.filesHint}</p>
      <div role="alert">${r.fileError ? html`<p class="error" id="reply-files-error">${r.fileError}</p>` : nothing}</div>
      ${r.files.length || r.pending.length
        ? html`<ul class="files" aria-label=${t.filesAttached}>
            ${r.files.map(
              (f) => html`<li>
                <span class="name">${f.name} <span class="facts">(${fileFacts(f.mediaType, f.size, lang)})</span></span>
                <button class="link" type="button" @click=${() => r.remove(f)}>${t.fileRemove}<span class="sr-only"> ${f.name}</span></button>
              </li>`,
            )}
            ${r.pending.map(
              (p) => html`<li class="pending">
                <span class="name">${p.name}</span>
                <progress max="100" value=${Math.round(p.progress * 100)} aria-label=${t.fileUploading(p.name)}></progress>
              </li>`,
            )}
          </ul>`
        : nothing}
      <input
        type="file"
        id="reply-files"
        multiple
        accept=${ACCEPT.join(",")}
        aria-describedby=${filesDescribed}
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          const chosen = [...(input.files ?? [])];
          // Cleared, so that choosing the same file again (after removing it) is a change too.
          input.value = "";
          void r.add(chosen);
        }}
      />
    </div>
    <div class="actions">
      <button class="btn" type="submit" aria-disabled=${r.busy ? "true" : "false"}>${r.busy ? shared.wait : t.send}</button>
      <button class="btn secondary" type="button" @click=${on.cancel}>${t.cancel}</button>
    </div>
  </form>`;
}
