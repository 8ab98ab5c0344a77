/**
 * A submission's answers laid out by the form version it was sent with: the server's
 * answer-lines module (the receipt PDF's) decides order, headings, numbering of repeated entries
 * and how values read; this only turns its lines into headings and definition lists.
 */
import { type TemplateResult, html } from "lit";
import type { Answers, FormDefinition, Lang } from "../core/types.js";
import { type AnswerLine, type UploadInfo, answerLines } from "../../../server/forms/answer-lines.js";

type Block = { kind: "heading"; level: number; text: string } | { kind: "answers"; lines: Array<{ label: string; value: string }> } | { kind: "note"; text: string };

function blocks(lines: AnswerLine[]): Block[] {
  const out: Block[] = [];
  for (const line of lines) {
    if (line.kind !== "answer") {
      out.push(line);
      continue;
    }
    const last = out[out.length - 1];
    if (last?.kind === "answers") last.lines.push(line);
    else out.push({ kind: "answers", lines: [line] });
  }
  return out;
}

/** `top`: the heading level of a step (the view's sections are one above). */
export function renderAnswers(form: FormDefinition, data: Answers, files: UploadInfo[], lang: Lang, top = 3): TemplateResult[] {
  return blocks(answerLines(form, data, files, lang)).map((b) => {
    if (b.kind === "answers") {
      return html`<dl class="answers">
        ${b.lines.map((l) => html`<dt>${l.label}</dt><dd>${l.value}</dd>`)}
      </dl>`;
    }
    if (b.kind === "note") return html`<p class="muted">${b.text}</p>`;
    return heading(Math.min(6, top + b.level - 1), b.text);
  });
}

function heading(level: number, text: string): TemplateResult {
  switch (level) {
    case 3:
      return html`<h3>${text}</h3>`;
    case 4:
      return html`<h4>${text}</h4>`;
    case 5:
      return html`<h5>${text}</h5>`;
    default:
      return html`<h6>${text}</h6>`;
  }
}
