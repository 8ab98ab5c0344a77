import { type CSSResultGroup, LitElement, type ReactiveController, type ReactiveControllerHost, html, nothing } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import { ApiError, type FieldProblem, NetworkError } from "../../core/api.js";
import type { FocusableView, WidgetContext, WidgetState } from "../../core/context.js";
import { coreTexts, pick } from "../../core/i18n.js";
import type { Account, Lang } from "../../core/types.js";
import { viewStyles } from "./styles.js";

export const sharedTexts = {
  de: { optional: "(optional)", wait: "Bitte warten …", newWindow: "(öffnet in neuem Fenster)", urgent: "Eilmeldung", topics: "Themen" },
  en: { optional: "(optional)", wait: "Please wait …", newWindow: "(opens in a new window)", urgent: "Urgent", topics: "Topics" },
} satisfies Record<Lang, Record<string, string>>;

/**
 * Base of every view: receives the widget's state and actions from the panel, shares one
 * stylesheet, and puts focus on its heading when shown.
 */
export class ViewElement extends LitElement implements FocusableView {
  static override properties = {
    ctx: { attribute: false },
    state: { attribute: false },
  };
  static override styles: CSSResultGroup = viewStyles;

  declare ctx: WidgetContext;
  declare state: WidgetState;

  get texts() {
    return sharedTexts[this.state.lang];
  }

  initialFocus(): HTMLElement | null {
    return this.renderRoot.querySelector("h3");
  }
}

const errorIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z" />
</svg>`;

/**
 * One form's submit cycle: busy flag, the API's field errors placed next to their fields, the
 * form-level message in a live region, a retry after network failures, and focus on the first
 * invalid field so that keyboard and screen-reader users land where the problem is.
 */
export class FormController implements ReactiveController {
  busy = false;
  errors: Record<string, string> = {};
  message = "";
  success = "";
  private retry: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & ViewElement,
    /** Fields this form renders; errors for other fields are shown with the form-level message. */
    private readonly fields: readonly string[],
    /** Makes ids unique when one view has several forms with the same field names. */
    private readonly idPrefix = "",
    /** A clearer text than the API's generic one for a field's problem, where the view knows better. */
    private readonly explain?: (field: string, problem: FieldProblem) => string | undefined,
  ) {
    host.addController(this);
  }

  hostConnected() {}

  private get lang(): Lang {
    return this.host.state.lang;
  }

  /** Runs `action`; returns true when it succeeded. */
  async submit(action: () => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.errors = {};
    this.message = "";
    this.success = "";
    this.retry = undefined;
    this.host.requestUpdate();
    let ok = false;
    try {
      await action();
      ok = true;
    } catch (e) {
      this.fail(e, () => void this.submit(action));
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
    if (!ok) await this.focusProblem();
    return ok;
  }

  /** Maps any thrown value to what the visitor sees. */
  fail(e: unknown, retry?: () => void) {
    if (e instanceof ApiError) {
      const elsewhere: string[] = [];
      for (const [path, problem] of Object.entries(e.fields)) {
        // `topics.2` (one entry of a list) belongs to the `topics` group.
        const name = this.fields.includes(path) ? path : path.split(".")[0]!;
        const message = this.explain?.(name, problem) ?? problem.message;
        if (this.fields.includes(name)) this.errors[name] ??= message;
        else elsewhere.push(message);
      }
      this.message = [e.message, ...elsewhere].join(" ");
    } else if (e instanceof NetworkError) {
      this.message = e.message;
      this.retry = retry;
    } else {
      console.error(e);
      this.message = coreTexts[this.lang].unavailable;
    }
  }

  reset() {
    this.errors = {};
    this.message = "";
    this.success = "";
    this.retry = undefined;
    this.host.requestUpdate();
  }

  private async focusProblem() {
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  /** The live regions; render them once per form, above its fields, always present. */
  status() {
    const retry = this.retry;
    return html`<div class="form-error" role="alert">${this.message
      ? html`<p>${this.message}</p>${retry
          ? html`<button class="btn secondary" type="button" @click=${retry}>${coreTexts[this.lang].retry}</button>`
          : nothing}`
      : nothing}</div><div class="success" role="status">${this.success ? html`<p>${this.success}</p>` : nothing}</div>`;
  }

  /** A submit button that stays focusable while busy (disabling it would drop focus). */
  button(label: string, classes = "btn wide") {
    return html`<button class=${classes} type="submit" aria-disabled=${this.busy ? "true" : "false"}>
      ${this.busy ? sharedTexts[this.lang].wait : label}
    </button>`;
  }

  field(f: FieldSpec) {
    const error = this.errors[f.name];
    const id = this.idPrefix + f.name;
    const describedBy = [f.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
    return html`<div class="field">
      <label for=${id}>${f.label}${f.optional ? html` <span class="optional">${sharedTexts[this.lang].optional}</span>` : nothing}</label>
      ${f.hint ? html`<p class="hint" id="${id}-hint">${f.hint}</p>` : nothing}
      ${this.error(f.name)}
      ${f.rows
        ? html`<textarea
            id=${id}
            name=${f.name}
            rows=${f.rows}
            autocomplete=${f.autocomplete}
            maxlength=${ifDefined(f.maxlength)}
            ?required=${!f.optional}
            aria-invalid=${error ? "true" : "false"}
            aria-describedby=${describedBy || nothing}
            .value=${f.value ?? ""}
          ></textarea>`
        : html`<input
            id=${id}
            name=${f.name}
            class=${ifDefined(f.className)}
            type=${f.type ?? "text"}
            autocomplete=${f.autocomplete}
            inputmode=${ifDefined(f.inputmode)}
            maxlength=${ifDefined(f.maxlength)}
            spellcheck=${f.spellcheck ? "true" : "false"}
            ?required=${!f.optional}
            aria-invalid=${error ? "true" : "false"}
            aria-describedby=${describedBy || nothing}
            .value=${f.value ?? ""}
          />`}
    </div>`;
  }

  /** A field's error message, with the id its controls point to by `aria-describedby`. */
  private error(name: string) {
    const error = this.errors[name];
    return error ? html`<p class="error" id="${this.idPrefix}${name}-error">${errorIcon}<span>${error}</span></p>` : nothing;
  }

  /** A checkbox with its label (and error) for consent and opt-ins. */
  checkbox(name: string, label: unknown, opts: { checked?: boolean; required?: boolean } = {}) {
    const error = this.errors[name];
    const id = this.idPrefix + name;
    return html`<div class="field">
      ${this.error(name)}
      <label class="choice plain">
        <input
          type="checkbox"
          id=${id}
          name=${name}
          ?required=${opts.required ?? false}
          .checked=${opts.checked ?? false}
          aria-invalid=${error ? "true" : "false"}
          aria-describedby=${error ? `${id}-error` : nothing}
        />
        <span>${label}</span>
      </label>
    </div>`;
  }

  /**
   * A group of checkboxes sharing one name (e.g. topics): one legend, one error for the group
   * (shown above the boxes, and the boxes point to it), every box at least 44 px tall.
   */
  checkboxes(g: { name: string; legend: string; options: readonly CheckboxOption[]; checked: readonly string[] }) {
    const error = this.errors[g.name];
    const describedBy = error ? `${this.idPrefix}${g.name}-error` : nothing;
    return html`<fieldset>
      <legend>${g.legend}</legend>
      ${this.error(g.name)}
      ${g.options.map(
        (o) => html`<label class="choice plain">
          <input
            type="checkbox"
            name=${g.name}
            value=${o.value}
            .checked=${g.checked.includes(o.value)}
            aria-invalid=${error ? "true" : "false"}
            aria-describedby=${describedBy}
          />
          <span>${o.label}${o.description ? html`<small>${o.description}</small>` : nothing}</span>
        </label>`,
      )}
    </fieldset>`;
  }
}

export interface CheckboxOption {
  value: string;
  label: string;
  description?: string | undefined;
}

export interface FieldSpec {
  name: string;
  label: string;
  autocomplete: string;
  type?: "text" | "email" | "tel" | "password" | "datetime-local";
  inputmode?: "numeric" | "email" | "tel";
  hint?: string;
  optional?: boolean;
  value?: string;
  maxlength?: number;
  className?: string;
  /** Rows of a multi-line field (a textarea). */
  rows?: number;
  /** For prose (news texts); off by default for names, addresses and codes. */
  spellcheck?: boolean;
}

/** The form's text values, trimmed; empty optional fields are left out. */
export function formValues(e: SubmitEvent): Record<string, string> {
  e.preventDefault();
  const values: Record<string, string> = {};
  for (const [k, v] of new FormData(e.target as HTMLFormElement)) if (typeof v === "string" && v.trim() !== "") values[k] = k.toLowerCase().includes("password") ? v : v.trim();
  return values;
}

/**
 * Services that act for an account (subscriptions) need the e-mail address confirmed, and the
 * mobile number too unless an identity provider (Bürgerkonto) vouched for the person.
 */
export const isVerified = (a: Account) => a.emailVerified && (a.mobileVerified || a.identityVerified);

/** The town's topics as checkbox options, in the visitor's language. */
export const topicOptions = (state: WidgetState): CheckboxOption[] =>
  (state.config?.topics ?? []).map((t) => ({ value: t.id, label: pick(t.label, state.lang), description: t.description && pick(t.description, state.lang) }));

const urgentIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M1 21h22L12 2 1 21Zm12-3h-2v-2h2v2Zm0-4h-2v-4h2v4Z" /></svg>`;

/** The "Eilmeldung" mark of an item in a list (styles: `listStyles`). */
export const urgentBadge = (lang: Lang) => html`<span class="urgent">${urgentIcon}${sharedTexts[lang].urgent}</span>`;

/** An item's topics as tags, by their names in the visitor's language (styles: `listStyles`). */
export function topicTags(ids: readonly string[], state: WidgetState) {
  const label = (id: string) => {
    const topic = state.config?.topics.find((t) => t.id === id);
    return topic ? pick(topic.label, state.lang) : id;
  };
  return ids.length
    ? html`<ul class="tags" aria-label=${sharedTexts[state.lang].topics}>
        ${ids.map((id) => html`<li>${label(id)}</li>`)}
      </ul>`
    : nothing;
}

/** Six digits, as people type or paste them ("123 456" → "123456"). */
export const digits = (v: string | undefined) => (v ?? "").replace(/\D/g, "");

