import { html, nothing } from "lit";
import type { FormSummary, Lang } from "../core/types.js";
import { tx } from "./answers.js";
import { formTexts } from "./texts.js";

/** For matching what people type: lower case, no accents, ß as ss ("Straße" finds "strasse"). */
const fold = (s: string) =>
  s
    .toLocaleLowerCase("de")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss");

/** Forms whose title, summary, category or keywords contain every word of the query. */
export function search(forms: readonly FormSummary[], query: string, lang: Lang): FormSummary[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [...forms];
  return forms.filter((f) => {
    const text = fold([f.title.de, f.title.en, f.summary?.de, f.summary?.en, f.category.de, f.category.en, ...f.keywords].filter(Boolean).join(" "));
    return words.every((w) => text.includes(w));
  });
}

/** By category, categories and forms in alphabetical order of the visitor's language. */
export function byCategory(forms: readonly FormSummary[], lang: Lang): [string, FormSummary[]][] {
  const groups = new Map<string, FormSummary[]>();
  for (const f of forms) {
    const c = tx(f.category, lang);
    groups.set(c, [...(groups.get(c) ?? []), f]);
  }
  const order = (a: string, b: string) => a.localeCompare(b, lang);
  return [...groups]
    .sort(([a], [b]) => order(a, b))
    .map(([c, list]) => [c, list.sort((a, b) => order(tx(a.title, lang), tx(b.title, lang)))]);
}

/** The forms list: one section per category, each form a button that opens it. */
export function catalogList(forms: readonly FormSummary[], lang: Lang, open: (id: string) => void) {
  const t = formTexts[lang];
  return byCategory(forms, lang).map(
    ([category, list], i) => html`<section class="category" aria-labelledby="cat-${i}">
      <h4 id="cat-${i}">${category}</h4>
      <ul class="items">
        ${list.map(
          (f) => html`<li>
            <button class="link title" type="button" data-id=${f.id} @click=${() => open(f.id)}>${tx(f.title, lang)}</button>
            ${f.summary ? html`<p class="summary">${tx(f.summary, lang)}</p>` : nothing}
            <p class="meta"><span class="badge ${f.access.anonymous ? "ok" : "todo"}">${f.access.anonymous ? t.anonymous : t.accountOnly}</span></p>
          </li>`,
        )}
      </ul>
    </section>`,
  );
}
