import { html } from "lit";
import type { Api } from "../core/api.js";
import { formatDate } from "../core/i18n.js";
import type { Lang, SubmissionSummary } from "../core/types.js";
import { tx } from "./answers.js";
import { formTexts, statusLabels } from "./texts.js";

/**
 * The receipt PDF of a signed-in citizen's submission: it needs the bearer token, so no plain
 * link can fetch it. Downloaded, then saved from a blob URL.
 */
export async function downloadReceipt(api: Api, id: string, reference: string, root: Node) {
  const res = await api.fetch("GET", `me/submissions/${encodeURIComponent(id)}/receipt.pdf`, { auth: true });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = `Eingangsbestaetigung-${reference}.pdf`;
  root.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** "Meine Anträge": reference, form, status and date of each submission, with its receipt. */
export function submissionList(items: readonly SubmissionSummary[], lang: Lang, download: (s: SubmissionSummary) => void) {
  const t = formTexts[lang];
  return html`<ul class="items">
    ${items.map(
      (s) => html`<li>
        <h4>${tx(s.formTitle, lang)}</h4>
        <p class="meta">
          <span>${t.reference}: <strong class="ref">${s.reference}</strong></span>
          <span>${t.sentOn(formatDate(s.submittedAt, lang))}</span>
        </p>
        <p class="meta">${t.status}: <span class="badge status ${s.status}">${statusLabels[lang][s.status]}</span></p>
        <button class="link" type="button" @click=${() => download(s)}>${t.receiptShort}<span class="sr-only"> ${s.reference}</span></button>
      </li>`,
    )}
  </ul>`;
}
