import { type TemplateResult, html, nothing } from "lit";
import { pick } from "../core/i18n.js";
import type { DocumentRef, Lang, SubmissionStatus, TimelineEntry } from "../core/types.js";
import { fileFacts, formatDateTime, postfachTexts } from "./texts.js";

/**
 * Where each submission stands, as far as the loaded entries tell (newest first): its newest
 * status change, or "in progress" once the citizen replied after it (a reply to a Rückfrage
 * moves it back), or "received" for one that only arrived.
 */
export function standing(items: readonly TimelineEntry[]): Map<string, SubmissionStatus> {
  const known = new Map<string, SubmissionStatus>();
  for (const e of items) {
    if (known.has(e.submissionId)) continue;
    if (e.kind === "status" && e.status) known.set(e.submissionId, e.status);
    else if (e.kind === "reply") known.set(e.submissionId, "in_progress");
    else if (e.kind === "submitted") known.set(e.submissionId, "received");
  }
  return known;
}

/**
 * The entry that carries "Antworten" for each submission waiting for the citizen (Rückfrage):
 * its newest, which is the town's question or the status change itself.
 */
export function askingEntries(items: readonly TimelineEntry[]): Map<string, TimelineEntry> {
  const status = standing(items);
  const asking = new Map<string, TimelineEntry>();
  for (const e of items) if (status.get(e.submissionId) === "waiting" && !asking.has(e.submissionId)) asking.set(e.submissionId, e);
  return asking;
}

export interface EntryOptions {
  lang: Lang;
  /** Showing one submission's entries: no "only this one" button. */
  filtered: boolean;
  download(doc: DocumentRef): void;
  receipt(entry: TimelineEntry): void;
  only(entry: TimelineEntry): void;
  /** What goes below an entry that asks for a reply: the "Antworten" button or the reply form. */
  ask?: TemplateResult | undefined;
}

function heading(e: TimelineEntry, lang: Lang): string {
  const t = postfachTexts[lang];
  switch (e.kind) {
    case "submitted":
      return t.submitted;
    case "status":
      return t.status(e.status ? t.statuses[e.status] : "");
    case "message":
      return t.message;
    case "reply":
      return t.reply;
  }
}

/**
 * One entry of the timeline. "Neu" is part of the heading, so that it is heard when moving by
 * headings too. The heading takes focus when the entry is the first of a newly loaded page.
 */
export function entryView(e: TimelineEntry, o: EntryOptions): TemplateResult {
  const t = postfachTexts[o.lang];
  const fromTown = e.kind === "message" || e.kind === "status";
  const docs = e.documents ?? [];
  return html`<li class="entry ${e.kind}${e.unread ? " unread" : ""}" data-id=${e.id}>
    <h4 id="entry-${e.id}" tabindex="-1">${e.unread ? html`<span class="badge new">${t.new}</span> ` : nothing}${heading(e, o.lang)}</h4>
    <p class="meta"><time datetime=${e.at}>${formatDateTime(e.at, o.lang)}</time></p>
    <p class="about">
      <span>${t.about}: ${pick(e.formTitle, o.lang)}</span>
      <span>${t.reference}: <span class="ref">${e.reference}</span></span>
    </p>
    ${e.reason ? html`<p class="text"><strong>${t.reason}:</strong> ${e.reason}</p>` : nothing}
    ${e.kind === "submitted" && !e.text ? html`<p>${t.submittedText}</p>` : nothing}
    ${e.text ? html`<p class="text">${e.text}</p>` : nothing}
    ${docs.length
      ? html`<p class="docs-title" id="docs-${e.id}">${fromTown ? t.documents : t.sentFiles}</p>
          <ul class="docs" aria-labelledby="docs-${e.id}">
            ${docs.map(
              (d) => html`<li>
                ${fromTown
                  ? html`<button class="link" type="button" @click=${() => o.download(d)}>${d.name}<span class="sr-only"> ${t.download}</span></button>`
                  : html`<span class="name">${d.name}</span>`}
                <span class="facts">(${fileFacts(d.mediaType, d.size, o.lang)})</span>
              </li>`,
            )}
          </ul>`
      : nothing}
    ${e.kind === "submitted" || !o.filtered
      ? html`<p class="actions">
          ${e.kind === "submitted" ? html`<button class="link" type="button" @click=${() => o.receipt(e)}>${t.receipt}<span class="sr-only"> ${e.reference}</span></button>` : nothing}
          ${o.filtered ? nothing : html`<button class="link" type="button" @click=${() => o.only(e)}>${t.onlyThis}<span class="sr-only">: ${e.reference}</span></button>`}
        </p>`
      : nothing}
    ${o.ask ?? nothing}
  </li>`;
}
