import { type PropertyValues, html, nothing } from "lit";
import { define } from "../../core/dom.js";
import type { AbsenceCreated, OfficeCalendar } from "../../../../server/appointments/api-types.js";
import { berlinToday, when } from "../../appointments/format.js";
import { problemText } from "../api.js";
import { absenceWords } from "../appointment-words.js";
import { absencePeriod } from "../calendar.js";
import { OfficeView } from "../context.js";
import { local } from "../format.js";
import { FormState } from "../forms.js";
import { type AbsenceQuery, routeHash } from "../routes.js";
import { appointmentTabs } from "./appointment-tabs.js";

/**
 * A clerk's absence (`#/termine/abwesenheit`): who, which day or days, from when to when or the
 * whole day, and a note. The server takes the time out of the free slots at once and names the
 * appointments already made in it: they stay, and the office has to move or cancel them, so they
 * are listed with the person's e-mail address.
 */
export class OfficeAbsenceView extends OfficeView {
  static override properties = {
    query: { attribute: false },
    clerks: { state: true },
    loading: { state: true },
    failure: { state: true },
    wholeDay: { state: true },
    result: { state: true },
  };

  declare query: AbsenceQuery;
  declare clerks: OfficeCalendar["clerks"];
  declare loading: boolean;
  declare failure: string;
  declare wholeDay: boolean;
  /** The absence just entered, with the appointments it collides with. */
  declare result: AbsenceCreated | undefined;

  private readonly form = new FormState(this, "abs", ["clerkId", "day", "lastDay", "start", "end", "note"]);

  constructor() {
    super();
    this.query = {};
    this.clerks = [];
    this.loading = true;
    this.failure = "";
    this.wholeDay = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    // Another clerk or day from a link: a fresh form.
    if (changed.has("query") && changed.get("query") !== undefined) {
      this.result = undefined;
      this.form.errors = {};
      this.form.message = "";
    }
  }

  /** Whom the office may mark absent: the clerks of the calendar this staff member sees. */
  private async load() {
    this.loading = true;
    this.failure = "";
    try {
      const today = berlinToday();
      this.clerks = (await this.ctx.api.get<OfficeCalendar>(`office/appointments?from=${today}&to=${today}`)).clerks;
    } catch (e) {
      this.failure = problemText(e, this.ctx.lang);
    } finally {
      this.loading = false;
    }
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    if (this.form.busy) return;
    const ta = this.ctx.t.appointmentsView;
    const data = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => String(data.get(k) ?? "").trim();
    const fields = { day: text("day"), lastDay: text("lastDay"), wholeDay: this.wholeDay, start: text("start"), end: text("end") };
    const clerkId = text("clerkId");
    const note = text("note");
    const complete = fields.day && (fields.wholeDay || (fields.start && fields.end));
    const period = complete ? absencePeriod(fields) : undefined;
    const ok = this.form.check({
      clerkId: !clerkId && ta.clerkMissing,
      day: !fields.day && ta.dayMissing,
      lastDay: !!fields.lastDay && !!fields.day && fields.lastDay < fields.day && ta.lastDayBefore,
      start: !fields.wholeDay && !fields.start && ta.startMissing,
      end: !fields.wholeDay && (!fields.end ? ta.endMissing : period && Date.parse(period.end) <= Date.parse(period.start) && ta.endBeforeStart),
    });
    if (!ok || !period) return;
    this.result = undefined;
    let r: AbsenceCreated | undefined;
    const done = await this.form.run(async () => {
      r = await this.ctx.api.send<AbsenceCreated>("POST", "office/appointments/absences", { clerkId, ...period, ...(note ? { note } : {}) });
      this.result = r;
      return undefined;
    });
    if (!done || !r) return;
    this.ctx.announce(`${ta.saved(this.clerkName(r.absence.clerkId), absenceWords(r.absence, this.ctx.lang, this.ctx.t))} ${ta.conflictsCount(r.conflicts.length)}`);
    await this.updateComplete;
    this.querySelector<HTMLElement>("#abs-result-title")?.focus();
  }

  private clerkName(id: string) {
    return this.clerks.find((k) => k.id === id)?.name ?? id;
  }

  override render() {
    const t = this.ctx.t;
    const ta = t.appointmentsView;
    return html`<h1 tabindex="-1">${ta.absenceTitle}</h1>
      ${appointmentTabs(this.ctx, "absence", { absence: this.query })}
      <p>${ta.absenceIntro}</p>
      ${this.failure
        ? html`<div class="alert" role="alert"><p>${this.failure}</p>
            <button class="btn secondary" type="button" @click=${() => void this.load()}>${t.retry}</button></div>`
        : nothing}
      ${this.loading ? html`<p role="status">${t.loading}</p>` : this.failure ? nothing : this.clerks.length === 0 ? html`<p class="card">${ta.noClerks}</p>` : this.renderForm()}
      ${this.result ? this.renderResult(this.result) : nothing}`;
  }

  private renderForm() {
    const ta = this.ctx.t.appointmentsView;
    const f = this.form;
    const chosen = this.query.clerk && this.clerks.some((k) => k.id === this.query.clerk) ? this.query.clerk : "";
    const input = (name: string, label: string, type: "date" | "time", o: { value?: string; hint?: string; optional?: boolean } = {}) => {
      const id = f.id(name);
      return html`<div class="field">
        <label for=${id}>${label}${o.optional ? html` <span class="optional">${this.ctx.t.optional}</span>` : nothing}</label>
        ${o.hint ? html`<p class="hint" id=${`${id}-hint`}>${o.hint}</p>` : nothing} ${f.error(name)}
        <input id=${id} name=${name} type=${type} ?required=${!o.optional} aria-invalid=${f.invalid(name)} aria-describedby=${f.describedBy(name, !!o.hint)} .value=${o.value ?? ""} />
      </div>`;
    };
    return html`<form class="card absence-form" novalidate @submit=${this.submit}>
      ${f.status()}
      <div class="field">
        <label for="abs-clerkId">${ta.fAbsentClerk}</label>
        ${f.error("clerkId")}
        <select id="abs-clerkId" name="clerkId" required aria-invalid=${f.invalid("clerkId")} aria-describedby=${f.describedBy("clerkId", false)}>
          <option value="" ?selected=${!chosen}>${ta.choose}</option>
          ${this.clerks.map((k) => html`<option value=${k.id} ?selected=${chosen === k.id}>${k.name}</option>`)}
        </select>
      </div>
      <div class="abs-row">
        ${input("day", ta.fDay, "date", { value: this.query.date ?? berlinToday() })} ${input("lastDay", ta.fLastDay, "date", { hint: ta.fLastDayHint, optional: true })}
      </div>
      <div class="field">
        <label class="check"
          ><input id="abs-wholeDay" type="checkbox" name="wholeDay" .checked=${this.wholeDay} @change=${(e: Event) => (this.wholeDay = (e.target as HTMLInputElement).checked)} />
          ${ta.fWholeDay}</label
        >
      </div>
      ${this.wholeDay
        ? nothing
        : html`<div class="abs-row">${input("start", ta.fStart, "time", { hint: ta.fTimeHint })} ${input("end", ta.fEnd, "time", { hint: ta.fEndHint })}</div>`}
      ${f.field({ name: "note", label: ta.fNote, hint: ta.fNoteHint, optional: true, maxlength: 200 })}
      <div class="buttons">${f.button(ta.save)}</div>
    </form>`;
  }

  private renderResult(r: AbsenceCreated) {
    const lang = this.ctx.lang;
    const t = this.ctx.t;
    const ta = t.appointmentsView;
    const clerk = this.clerkName(r.absence.clerkId);
    const calendar = routeHash({ view: "appointments", query: { date: r.absence.start.slice(0, 10), clerk: r.absence.clerkId } });
    return html`<section class="card" aria-labelledby="abs-result-title">
      <h2 id="abs-result-title" tabindex="-1">${ta.savedTitle}</h2>
      <p>${ta.saved(clerk, absenceWords(r.absence, lang, t))}</p>
      ${r.conflicts.length === 0
        ? html`<p>${ta.noConflicts}</p>`
        : html`<div class="confirm danger">
            <h3 id="abs-conflicts">${ta.conflictsTitle(r.conflicts.length)}</h3>
            <p>${ta.conflictsText}</p>
            <ul aria-labelledby="abs-conflicts">
              ${r.conflicts.map(
                (a) => html`<li>${when(a, lang)} · ${local(a.serviceName, lang)} · ${a.name} (<a href=${`mailto:${a.email}`}>${a.email}</a>) · ${ta.status[a.status]}</li>`,
              )}
            </ul>
          </div>`}
      <p><a href=${calendar}>${ta.inCalendar}</a></p>
    </section>`;
  }
}

define("office-absence", OfficeAbsenceView);
