/**
 * Markup of a step's items: every field type of the definition format, groups and repeated
 * groups, hints. Controls carry `data-path` (and `data-part` for an address) and each field's
 * wrapper `data-field`: the step's form listens for input, change and focusout once for all
 * (FormFill.onInput/onFocusOut), so the markup holds no per-control listeners but buttons'.
 */
import { type TemplateResult, html, nothing } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import type { Field, FileField, GroupItem, Item, Lang, Text } from "../core/types.js";
import { isVisible, resolveDateBound } from "../../../server/forms/rules/index.js";
import { entryCount, fieldId, formatBytes, getAt, groupIban, numberText, today, tx } from "./answers.js";
import type { FormFill } from "./fill.js";
import { formTexts } from "./texts.js";
import { maxSize, typeNames } from "./uploads.js";

const errorIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z" />
</svg>`;

/** Town texts keep their paragraphs (blank lines) and line breaks (`white-space: pre-line`). */
export const prose = (t: Text | undefined, lang: Lang, cls = "prose") =>
  t ? tx(t, lang).split(/\n\s*\n/).map((p) => html`<p class=${cls}>${p.trim()}</p>`) : nothing;

/** `autocomplete` by what prefills the field, or by its type: personal data the browser may know. */
function autocomplete(f: Field): string | undefined {
  const byPrefill = { name: "name", organisation: "organization", email: "email", mobile: "tel", address: undefined } as const;
  if (f.prefill) return byPrefill[f.prefill];
  return f.type === "email" ? "email" : f.type === "phone" ? "tel" : undefined;
}

interface Described {
  id: string;
  hint: string | undefined;
  error: string | undefined;
  describedBy: string | typeof nothing;
}

export class FieldRenderer {
  constructor(private readonly fill: FormFill) {}

  private get lang() {
    return this.fill.lang;
  }

  private get t() {
    return formTexts[this.lang];
  }

  items(items: Item[], base = ""): unknown[] {
    const def = this.fill.def!;
    return items.map((item) => {
      const path = base ? `${base}.${item.id}` : item.id;
      if (!isVisible(def, path, this.fill.data)) return nothing;
      if (item.type === "hint") return html`<div class="form-hint" id=${fieldId(path)}>${prose(item.text, this.lang)}</div>`;
      if (item.type === "group") return item.repeat ? this.repeated(item, path) : this.group(item, path);
      return this.field(item, path);
    });
  }

  private group(g: GroupItem, path: string) {
    return html`<fieldset class="group" data-field=${path}>
      <legend>${tx(g.label, this.lang)}</legend>
      ${g.help ? html`<p class="hint">${tx(g.help, this.lang)}</p>` : nothing} ${this.items(g.items, path)}
    </fieldset>`;
  }

  /** Entries of a repeated group ("Hund 1", "Hund 2"), each a fieldset, with add and remove within min/max. */
  private repeated(g: GroupItem, path: string) {
    const { min, max } = g.repeat!;
    const count = entryCount(g, getAt(this.fill.data, path));
    const label = tx(g.repeat!.itemLabel ?? g.label, this.lang);
    const d = this.described(path, g.help);
    return html`<fieldset class="group repeat" data-field=${path} aria-describedby=${d.describedBy}>
      <legend>${tx(g.label, this.lang)}</legend>
      ${this.hintAndError(d)}
      ${Array.from({ length: count }, (_, i) => {
        const entry = this.t.entry(label, i + 1);
        return html`<fieldset class="entry" data-field=${`${path}.${i}`}>
          <legend tabindex="-1">${entry}</legend>
          ${this.items(g.items, `${path}.${i}`)}
          ${count > min
            ? html`<button class="btn secondary small" type="button" @click=${() => this.fill.removeEntry(path, i, entry)}>${this.t.remove(entry)}</button>`
            : nothing}
        </fieldset>`;
      })}
      ${count < max
        ? html`<button class="btn secondary add" type="button" @click=${() => this.fill.addEntry(path, this.t.entry(label, count + 1))}>${this.t.add(label)}</button>`
        : nothing}
    </fieldset>`;
  }

  private described(path: string, help: Text | undefined, extra?: string): Described {
    const id = fieldId(path);
    const error = this.fill.error(path)?.message[this.lang];
    const hint = [help ? tx(help, this.lang) : "", extra ?? ""].filter(Boolean).join(" ") || undefined;
    const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || nothing;
    return { id, hint, error, describedBy };
  }

  private hintAndError(d: Described) {
    return html`${d.hint ? html`<p class="hint" id="${d.id}-hint">${d.hint}</p>` : nothing}
    ${d.error ? html`<p class="error" id="${d.id}-error">${errorIcon}<span>${d.error}</span></p>` : nothing}`;
  }

  private label(f: Field) {
    const label = tx(f.label, this.lang);
    // Towns sometimes say so themselves: "Fotos (freiwillig)".
    const says = /freiwillig|optional/i.test(label);
    return html`${label}${f.required || says ? nothing : html` <span class="optional">${this.t.optional}</span>`}`;
  }

  field(f: Field, path: string): TemplateResult {
    const t = this.t;
    const value = getAt(this.fill.data, path);
    switch (f.type) {
      case "choice":
        if (f.display !== "select" && (f.display === "radio" || f.options.length <= 6)) return this.radios(f, path, f.options.map((o) => [o.value, tx(o.label, this.lang)]), value);
        return this.single(f, path, (d) => html`<select id=${d.id} data-path=${path} ?required=${!!f.required} aria-invalid=${d.error ? "true" : "false"} aria-describedby=${d.describedBy}>
          <option value="">${t.choose}</option>
          ${f.options.map((o) => html`<option value=${o.value} ?selected=${value === o.value}>${tx(o.label, this.lang)}</option>`)}
        </select>`);
      case "yesno":
        return this.radios(f, path, [["yes", t.yes], ["no", t.no]], value === true ? "yes" : value === false ? "no" : undefined, true);
      case "multichoice":
        return this.checkboxes(f, path, Array.isArray(value) ? (value as string[]) : []);
      case "consent":
        return this.consent(f, path, value === true);
      case "address":
        return this.address(f, path, value as Record<string, string> | undefined);
      case "file":
        return this.files(f, path, Array.isArray(value) ? (value as string[]) : []);
      case "textarea":
        return this.single(f, path, (d) => html`<textarea id=${d.id} data-path=${path} rows="5" ?required=${!!f.required} aria-invalid=${d.error ? "true" : "false"} aria-describedby=${d.describedBy} .value=${String(value ?? "")}></textarea>`);
      default:
        return this.input(f, path, value);
    }
  }

  /** One control with its label above, the hint and the error between them. */
  private single(f: Field, path: string, control: (d: Described) => unknown, extraHint?: string) {
    const d = this.described(path, f.help, extraHint);
    return html`<div class="field" data-field=${path}>
      <label for=${d.id}>${this.label(f)}</label>
      ${this.hintAndError(d)} ${control(d)}
    </div>`;
  }

  private input(f: Field, path: string, value: unknown) {
    const t = this.t;
    const raw = this.fill.raw.get(path);
    let type = "text";
    let inputmode: string | undefined;
    let text = typeof value === "string" ? value : "";
    let min: string | undefined;
    let max: string | undefined;
    let hint: string | undefined;
    switch (f.type) {
      case "email":
        type = "email";
        break;
      case "phone":
        type = "tel";
        break;
      case "number":
      case "integer":
      case "amount":
        // Text, not type=number: that refuses "12,50" in some browsers and changes with the scroll wheel.
        inputmode = f.type === "integer" ? "numeric" : "decimal";
        text = raw ?? numberText(value, f.type);
        if (f.type === "amount") hint = t.amountHint;
        break;
      case "iban":
        text = raw ?? groupIban(value);
        hint = t.ibanHint;
        break;
      case "date": {
        type = "date";
        const now = today();
        min = f.min ? resolveDateBound(f.min, now) || undefined : undefined;
        max = f.max ? resolveDateBound(f.max, now) || undefined : undefined;
        break;
      }
      case "time":
        type = "time";
        min = f.min;
        max = f.max;
        break;
    }
    const plain = f.type !== "text";
    return this.single(
      f,
      path,
      (d) => html`<input
        id=${d.id}
        data-path=${path}
        class=${f.type}
        type=${type}
        inputmode=${ifDefined(inputmode)}
        autocomplete=${ifDefined(autocomplete(f) ?? (plain ? "off" : undefined))}
        spellcheck=${plain ? "false" : nothing}
        autocapitalize=${f.type === "iban" ? "characters" : nothing}
        min=${ifDefined(min)}
        max=${ifDefined(max)}
        ?required=${!!f.required}
        aria-invalid=${d.error ? "true" : "false"}
        aria-describedby=${d.describedBy}
        .value=${text}
      />`,
      hint,
    );
  }

  private fieldset(f: Field, path: string, body: (d: Described) => unknown, cls = "", role?: string) {
    const d = this.described(path, f.help);
    return html`<fieldset class="field-set ${cls}" data-field=${path} role=${ifDefined(role)} aria-required=${role && f.required ? "true" : nothing}>
      <legend>${this.label(f)}</legend>
      ${this.hintAndError(d)} ${body(d)}
    </fieldset>`;
  }

  /** Radio buttons; the first carries the field's id (the error summary's links point to it). */
  private radios(f: Field, path: string, options: [string, string][], value: unknown, inline = false) {
    return this.fieldset(
      f,
      path,
      (d) => html`<div class="choices ${inline ? "inline" : ""}">
        ${options.map(
          ([v, label], i) => html`<label class="choice">
            <input type="radio" id=${i ? `${d.id}-${i}` : d.id} name=${path} data-path=${path} value=${v} .checked=${value === v} aria-invalid=${d.error ? "true" : "false"} aria-describedby=${d.describedBy} />
            <span>${label}</span>
          </label>`,
        )}
      </div>`,
      "",
      "radiogroup",
    );
  }

  private checkboxes(f: Field & { type: "multichoice" }, path: string, checked: string[]) {
    return this.fieldset(
      f,
      path,
      (d) => html`<div class="choices">
        ${f.options.map(
          (o, i) => html`<label class="choice">
            <input type="checkbox" id=${i ? `${d.id}-${i}` : d.id} name=${path} data-path=${path} value=${o.value} .checked=${checked.includes(o.value)} aria-invalid=${d.error ? "true" : "false"} aria-describedby=${d.describedBy} />
            <span>${tx(o.label, this.lang)}</span>
          </label>`,
        )}
      </div>`,
    );
  }

  /** A declaration to tick: the label is the declaration. */
  private consent(f: Field, path: string, checked: boolean) {
    const d = this.described(path, f.help);
    return html`<div class="field" data-field=${path}>
      ${this.hintAndError(d)}
      <label class="choice plain">
        <input type="checkbox" id=${d.id} data-path=${path} .checked=${checked} ?required=${!!f.required} aria-invalid=${d.error ? "true" : "false"} aria-describedby=${d.describedBy} />
        <span>${this.label(f)}</span>
      </label>
    </div>`;
  }

  /** Street, postcode and town: three inputs in a fieldset; the error names the part. */
  private address(f: Field, path: string, value: Record<string, string> | undefined) {
    const t = this.t;
    const parts = [
      ["street", t.street, "street-address", undefined, "wide"],
      ["postalCode", t.postalCode, "postal-code", "numeric", "postal"],
      ["city", t.city, "address-level2", undefined, "city"],
    ] as const;
    const problem = this.fill.error(path)?.path;
    return this.fieldset(
      f,
      path,
      (d) => html`<div class="address">
        ${parts.map(([part, label, ac, mode, cls]) => {
          const id = fieldId(`${path}.${part}`);
          const invalid = !!d.error && (problem === path || problem === `${path}.${part}`);
          return html`<div class="part ${cls}">
            <label for=${id}>${label}</label>
            <input
              id=${id}
              data-path=${path}
              data-part=${part}
              type="text"
              autocomplete=${ac}
              inputmode=${ifDefined(mode)}
              maxlength=${ifDefined(part === "postalCode" ? 5 : undefined)}
              ?required=${!!f.required}
              aria-invalid=${invalid ? "true" : "false"}
              aria-describedby=${d.describedBy}
              .value=${value?.[part] ?? ""}
            />
          </div>`;
        })}
      </div>`,
      "address-set",
    );
  }

  /** The uploaded files with a remove button each, files on their way with progress, and the picker. */
  private files(f: FileField, path: string, ids: string[]) {
    const t = this.t;
    const pending = this.fill.uploads.pending.get(path) ?? [];
    const max = f.maxFiles ?? 1;
    const full = ids.length + pending.length >= max;
    const limits = full ? t.fileLimit : t.fileTypes(typeNames(f), formatBytes(maxSize(f), this.lang), max);
    return this.single(
      f,
      path,
      (d) => html`${ids.length || pending.length
          ? html`<ul class="files">
              ${ids.map((id) => {
                const name = this.fill.uploads.names.get(id) ?? t.fileUploaded;
                return html`<li>
                  <span class="name">${name}</span>
                  <button class="link" type="button" @click=${() => this.fill.removeFile(path, id)}>${t.fileRemove}<span class="sr-only"> ${name}</span></button>
                </li>`;
              })}
              ${pending.map(
                (p) => html`<li class="pending">
                  <span class="name">${p.proof ? t.fileProof(p.name) : p.name}</span>
                  <progress max="100" value=${Math.round(p.progress * 100)} aria-label=${t.fileSending(p.name)}></progress>
                </li>`,
              )}
            </ul>`
          : nothing}
        <input
          type="file"
          id=${d.id}
          data-path=${path}
          accept=${f.accept.join(",")}
          ?multiple=${max - ids.length > 1}
          ?disabled=${full}
          ?required=${!!f.required && !ids.length}
          aria-invalid=${d.error ? "true" : "false"}
          aria-describedby=${d.describedBy}
        />`,
      limits,
    );
  }
}
