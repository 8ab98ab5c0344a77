import { html, nothing } from "lit";
import type { Item } from "../core/types.js";
import { isVisible } from "../../../server/forms/rules/index.js";
import { answerText, entryCount, getAt, tx } from "./answers.js";
import type { FormFill } from "./fill.js";
import { formTexts } from "./texts.js";

/**
 * "Angaben prüfen": every shown answer by step, as the citizen gave it, each with "Ändern"
 * leading to its step and control. Hidden answers are not listed (and not sent).
 */
export function reviewAnswers(fill: FormFill) {
  const def = fill.def!;
  return fill.visibleSteps().map((i) => {
    const step = def.steps[i]!;
    return html`<section class="review-step" aria-labelledby="review-${i}">
      <h5 id="review-${i}">${tx(step.title, fill.lang)}</h5>
      <dl class="answers">${rows(fill, step.items, "", i)}</dl>
    </section>`;
  });
}

function rows(fill: FormFill, items: Item[], base: string, step: number): unknown[] {
  const { lang } = fill;
  const t = formTexts[lang];
  return items.map((item) => {
    const path = base ? `${base}.${item.id}` : item.id;
    if (item.type === "hint" || !isVisible(fill.def!, path, fill.data)) return nothing;
    const label = tx(item.label, lang);
    if (item.type === "group") {
      const nested = (p: string) => html`<dl>${rows(fill, item.items, p, step)}</dl>`;
      if (!item.repeat) return html`<div class="row group"><dt>${label}</dt><dd>${nested(path)}</dd></div>`;
      const count = entryCount(item, getAt(fill.data, path));
      const entry = tx(item.repeat.itemLabel ?? item.label, lang);
      return count
        ? Array.from({ length: count }, (_, n) => html`<div class="row group"><dt>${t.entry(entry, n + 1)}</dt><dd>${nested(`${path}.${n}`)}</dd></div>`)
        : html`<div class="row"><dt>${label}</dt><dd>${t.noAnswer}</dd></div>`;
    }
    const answer = answerText(item, getAt(fill.data, path), lang, (id) => fill.uploads.names.get(id) ?? t.fileUploaded, [t.yes, t.no]);
    return html`<div class="row">
      <dt>${label}</dt>
      <dd class=${answer ? "" : "empty"}>${answer || t.noAnswer}</dd>
      <dd class="change">
        <button class="link" type="button" @click=${() => fill.change(step, path)}>${t.change}<span class="sr-only"> ${fill.label(path)}</span></button>
      </dd>
    </div>`;
  });
}
