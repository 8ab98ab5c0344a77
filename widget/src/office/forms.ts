import { type ReactiveController, type ReactiveControllerHost, html, nothing } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import { ApiError } from "../core/api.js";
import { problemText } from "./api.js";
import type { OfficeContext } from "./context.js";

/** A view, or a signed-out page that has only the language and the texts. */
type Host = ReactiveControllerHost & HTMLElement & { ctx: Pick<OfficeContext, "lang" | "t"> };

/**
 * One form's cycle: busy flag, field errors next to their fields (the API's and the app's own
 * checks alike), the form's message in an alert region and a success text in a status region,
 * and focus on the first invalid field after a failure.
 */
export class FormState implements ReactiveController {
  busy = false;
  errors: Record<string, string> = {};
  message = "";
  success = "";

  constructor(
    private readonly host: Host,
    /** Prefix of the form's ids, unique within the app. */
    readonly prefix: string,
    /** Fields that show their own error; the API's errors for any other go into the form's message. */
    private readonly fields: readonly string[] = [],
  ) {
    host.addController(this);
  }

  hostConnected() {}

  id(name: string) {
    return `${this.prefix}-${name}`;
  }

  /** Shows the app's own checks; returns true when there were none. */
  check(errors: Record<string, string | false | undefined>): boolean {
    const found = Object.fromEntries(Object.entries(errors).filter((e): e is [string, string] => typeof e[1] === "string"));
    if (Object.keys(found).length === 0) return true;
    this.errors = found;
    this.message = "";
    this.success = "";
    this.host.requestUpdate();
    void this.focusProblem();
    return false;
  }

  /** Runs `action`; its result is the success text. Returns whether it succeeded. */
  async run(action: () => Promise<string | undefined>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.errors = {};
    this.message = "";
    this.success = "";
    this.host.requestUpdate();
    let ok = false;
    try {
      this.success = (await action()) ?? "";
      ok = true;
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
    if (!ok) await this.focusProblem();
    return ok;
  }

  fail(e: unknown) {
    const lang = this.host.ctx.lang;
    if (e instanceof ApiError && Object.keys(e.fields).length > 0) {
      const elsewhere: string[] = [];
      for (const [path, f] of Object.entries(e.fields)) {
        // `departments.2` (one entry of a list) belongs to `departments`.
        const name = path.split(".")[0]!;
        if (this.fields.includes(name)) this.errors[name] ??= f.message;
        else elsewhere.push(f.message);
      }
      this.message = [e.message, ...elsewhere].filter(Boolean).join(" ");
    } else {
      this.message = problemText(e, lang);
    }
  }

  private async focusProblem() {
    await this.host.updateComplete;
    const first = Object.keys(this.errors)[0];
    if (first) this.host.querySelector<HTMLElement>(`#${CSS.escape(this.id(first))}`)?.focus();
  }

  /** The live regions; render them once per form, above its fields, always present. */
  status() {
    return html`<div class="form-error" role="alert">${this.message ? html`<p>${this.message}</p>` : nothing}</div>
      <div class="success" role="status">${this.success ? html`<p>${this.success}</p>` : nothing}</div>`;
  }

  /** A submit button that stays focusable while busy (disabling it would drop focus). */
  button(label: string, classes = "btn") {
    return html`<button class=${classes} type="submit" aria-disabled=${this.busy ? "true" : "false"}>${this.busy ? this.host.ctx.t.wait : label}</button>`;
  }

  error(name: string) {
    const error = this.errors[name];
    return error ? html`<p class="error" id=${`${this.id(name)}-error`}>${error}</p>` : nothing;
  }

  /** `aria-invalid` and `aria-describedby` of a control. */
  describedBy(name: string, hint: boolean): string | typeof nothing {
    const ids = [hint ? `${this.id(name)}-hint` : "", this.errors[name] ? `${this.id(name)}-error` : ""].filter(Boolean).join(" ");
    return ids || nothing;
  }

  invalid(name: string) {
    return this.errors[name] ? "true" : "false";
  }

  /** A labelled text input or (with `rows`) textarea, with hint and error. */
  field(f: FieldSpec) {
    const id = this.id(f.name);
    const label = html`<label for=${id}>${f.label}${f.optional ? html` <span class="optional">${this.host.ctx.t.optional}</span>` : nothing}</label>`;
    const hint = f.hint ? html`<p class="hint" id=${`${id}-hint`}>${f.hint}</p>` : nothing;
    const control = f.rows
      ? html`<textarea
          id=${id}
          name=${f.name}
          rows=${f.rows}
          maxlength=${ifDefined(f.maxlength)}
          ?required=${!f.optional}
          aria-invalid=${this.invalid(f.name)}
          aria-describedby=${this.describedBy(f.name, !!f.hint)}
          .value=${f.value ?? ""}
        ></textarea>`
      : html`<input
          id=${id}
          name=${f.name}
          type=${f.type ?? "text"}
          autocomplete=${f.autocomplete ?? "off"}
          inputmode=${ifDefined(f.inputmode)}
          spellcheck="false"
          maxlength=${ifDefined(f.maxlength)}
          ?required=${!f.optional}
          aria-invalid=${this.invalid(f.name)}
          aria-describedby=${this.describedBy(f.name, !!f.hint)}
          .value=${f.value ?? ""}
        />`;
    return html`<div class="field">${label}${hint}${this.error(f.name)}${control}</div>`;
  }
}

export interface FieldSpec {
  name: string;
  label: string;
  type?: "text" | "email" | "password" | "search" | "date";
  inputmode?: "numeric" | "email";
  autocomplete?: string;
  hint?: string;
  optional?: boolean;
  value?: string;
  rows?: number;
  maxlength?: number;
}

/** The form's text values, trimmed (passwords as typed). */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of new FormData(form)) {
    if (typeof v === "string") values[k] = k.toLowerCase().includes("password") ? v : v.trim();
  }
  return values;
}

/**
 * A filter's `<select>`: "any" first, then the choices; a chosen value no longer among them (a
 * link from a colleague, a removed form or location) stays shown rather than silently dropped.
 */
export function filterSelect(o: { id: string; name: string; label: string; any: string; choices: ReadonlyArray<{ value: string; label: string }>; chosen: string | undefined }) {
  return html`<div class="field">
    <label for=${o.id}>${o.label}</label>
    <select id=${o.id} name=${o.name}>
      <option value="" ?selected=${!o.chosen}>${o.any}</option>
      ${o.choices.map((c) => html`<option value=${c.value} ?selected=${o.chosen === c.value}>${c.label}</option>`)}
      ${o.chosen && !o.choices.some((c) => c.value === o.chosen) ? html`<option value=${o.chosen} selected>${o.chosen}</option>` : nothing}
    </select>
  </div>`;
}
