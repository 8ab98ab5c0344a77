import { type PropertyValues, html, nothing } from "lit";
import { define } from "../../core/dom.js";
import type { TenantText } from "../../core/types.js";
import type { AppointmentRequestList, AppointmentServiceList, OfficeAbsence, OfficeCalendar } from "../../../../server/appointments/api-types.js";
import { berlinToday, dayLong, dayName, timeOf } from "../../appointments/format.js";
import { problemText } from "../api.js";
import { absenceWords, timeSpan } from "../appointment-words.js";
import { type CalendarAppointment, type CalendarEntry, canCancel, canMarkNoShow, entriesOn, shownDays, stepDate } from "../calendar.js";
import { OfficeView } from "../context.js";
import { filterSelect } from "../forms.js";
import { local } from "../format.js";
import { type CalendarQuery, routeHash } from "../routes.js";
import { appointmentTabs } from "./appointment-tabs.js";

/**
 * Termine (`#/termine?date=…&view=day|week&location=…&clerk=…`): the appointments and absences of
 * a day or a week, per clerk, as headings and lists a screen reader walks through; previous and
 * next day or week, the printable day list, no-shows, and removing an absence after asking.
 * The filters live in the URL like the inbox's, so a reload or a link shows the same calendar.
 */
export class OfficeAppointmentsView extends OfficeView {
  static override properties = {
    query: { attribute: false },
    calendar: { state: true },
    clerks: { state: true },
    locations: { state: true },
    loading: { state: true },
    failure: { state: true },
    requests: { state: true },
    removing: { state: true },
    cancelling: { state: true },
    reasonError: { state: true },
    busy: { state: true },
    flash: { state: true },
    problem: { state: true },
    now: { state: true },
  };

  declare query: CalendarQuery;
  /** The shown period's calendar; none while another period loads. */
  declare calendar: OfficeCalendar | undefined;
  /** Whom the filter offers: the clerks of the last calendar, kept while the next one loads. */
  declare clerks: OfficeCalendar["clerks"];
  /** The town's counters, from its services (the public list). */
  declare locations: Array<{ id: string; name: TenantText }>;
  declare loading: boolean;
  declare failure: string;
  /** Open Terminanfragen, for the tab's count; undefined until known. */
  declare requests: number | undefined;
  /** The absence whose removal is being asked, as `<absence id>|<day>` (one absence can span days). */
  declare removing: string | undefined;
  /** The appointment whose cancellation is being asked (with the reason for the citizen). */
  declare cancelling: string | undefined;
  declare reasonError: string;
  /** The entry an action runs for. */
  declare busy: string | undefined;
  /** What the last action did. */
  declare flash: string;
  /** Why the last action failed, and what to do. */
  declare problem: string;
  /** Re-read every minute: an appointment that begins meanwhile gets its "Nicht erschienen". */
  declare now: number;

  private loaded: string | undefined;
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.query = {};
    this.clerks = [];
    this.locations = [];
    this.loading = true;
    this.failure = "";
    this.flash = "";
    this.problem = "";
    this.reasonError = "";
    this.now = Date.now();
  }

  override connectedCallback() {
    super.connectedCallback();
    this.timer = setInterval(() => (this.now = Date.now()), 60_000);
    void this.loadChoices();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  private get date() {
    return this.query.date ?? berlinToday();
  }

  private get mode() {
    return this.query.view ?? "day";
  }

  private get days() {
    return shownDays(this.date, this.mode);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    const days = this.days;
    // The clerk filter needs no request: the calendar of all clerks also lists whom to choose.
    const key = `${days[0]}|${days[days.length - 1]}|${this.query.location ?? ""}`;
    if ((changed.has("query") || changed.has("ctx")) && key !== this.loaded) {
      this.loaded = key;
      this.removing = undefined;
      void this.load();
    }
  }

  private async loadChoices() {
    try {
      const { services } = await this.ctx.api.get<AppointmentServiceList>("appointments/services");
      const seen = new Map<string, TenantText>();
      for (const s of services) seen.set(s.location.id, s.location.name);
      this.locations = [...seen].map(([id, name]) => ({ id, name }));
    } catch {
      // Without the list the calendar shows all counters; the filter offers only "all".
    }
    try {
      this.requests = (await this.ctx.api.get<AppointmentRequestList>("office/appointments/requests")).items.length;
    } catch {
      // The tab then shows no count.
    }
  }

  private async load() {
    const seq = ++this.seq;
    const days = this.days;
    const p = new URLSearchParams({ from: days[0]!, to: days[days.length - 1]! });
    if (this.query.location) p.set("location", this.query.location);
    this.loading = true;
    this.failure = "";
    // Never the last period's entries under this period's heading.
    this.calendar = undefined;
    try {
      const calendar = await this.ctx.api.get<OfficeCalendar>(`office/appointments?${p}`);
      if (seq !== this.seq) return;
      this.calendar = calendar;
      this.clerks = calendar.clerks;
      const ta = this.ctx.t.appointmentsView;
      const count = calendar.appointments.filter((a) => !this.clerkFilter || a.clerkId === this.clerkFilter).length;
      this.ctx.announce(`${this.periodTitle()}: ${ta.count(count)}.`);
    } catch (e) {
      if (seq === this.seq) this.failure = problemText(e, this.ctx.lang);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** The chosen clerk, if the calendar knows them (a stale link shows everyone). */
  private get clerkFilter(): string | undefined {
    const c = this.query.clerk;
    return c && (this.clerks.length === 0 || this.clerks.some((k) => k.id === c)) ? c : undefined;
  }

  private periodTitle() {
    const lang = this.ctx.lang;
    const days = this.days;
    return this.mode === "day" ? dayLong(days[0]!, lang) : this.ctx.t.appointmentsView.week(dayName(days[0]!, lang), dayLong(days[6]!, lang));
  }

  private apply(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => {
      const v = data.get(k);
      return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
    };
    const query: CalendarQuery = {};
    const date = text("date");
    if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) query.date = date;
    if (text("view") === "week") query.view = "week";
    const location = text("location");
    if (location) query.location = location;
    const clerk = text("clerk");
    if (clerk) query.clerk = clerk;
    this.ctx.navigate({ view: "appointments", query });
  }

  private at(date: string, view: "day" | "week" = this.mode): string {
    const query: CalendarQuery = { ...this.query, date };
    if (view === "week") query.view = "week";
    else delete query.view;
    return routeHash({ view: "appointments", query });
  }

  // ---- actions ----

  private async noShow(a: CalendarAppointment) {
    if (this.busy) return;
    const ta = this.ctx.t.appointmentsView;
    this.busy = a.id;
    this.flash = "";
    this.problem = "";
    try {
      const after = await this.ctx.api.send<CalendarAppointment>("POST", `office/appointments/${encodeURIComponent(a.id)}/no-show`);
      const calendar = this.calendar!;
      this.calendar = { ...calendar, appointments: calendar.appointments.map((x) => (x.id === a.id ? { ...x, ...after } : x)) };
      this.flash = ta.noShowDone(a.name, timeOf(a.start, this.ctx.lang));
    } catch (e) {
      this.problem = `${problemText(e, this.ctx.lang)} ${ta.noShowFailed}`;
    } finally {
      this.busy = undefined;
    }
    // The button is gone once it worked: focus stays with the appointment it was for.
    await this.updateComplete;
    this.querySelector<HTMLElement>(`#cal-ap-${CSS.escape(a.id)}`)?.focus();
  }

  private async askCancel(a: CalendarAppointment) {
    this.flash = "";
    this.problem = "";
    this.reasonError = "";
    this.cancelling = a.id;
    await this.updateComplete;
    this.querySelector<HTMLElement>(`#cal-reason-${CSS.escape(a.id)}`)?.focus();
  }

  private async keepAppointment() {
    const id = this.cancelling;
    if (!id) return;
    this.cancelling = undefined;
    await this.updateComplete;
    this.querySelector<HTMLElement>(`[data-cancel="${CSS.escape(id)}"]`)?.focus();
  }

  private onCancelKey(e: KeyboardEvent) {
    if (e.key !== "Escape") return;
    e.preventDefault();
    void this.keepAppointment();
  }

  private async cancelAppointment(a: CalendarAppointment, day: string) {
    if (this.busy) return;
    const ta = this.ctx.t.appointmentsView;
    const reason = this.querySelector<HTMLTextAreaElement>(`#cal-reason-${CSS.escape(a.id)}`)?.value.trim() ?? "";
    if (reason.length < 3) {
      this.reasonError = ta.reasonMissing;
      await this.updateComplete;
      this.querySelector<HTMLElement>(`#cal-reason-${CSS.escape(a.id)}`)?.focus();
      return;
    }
    this.busy = a.id;
    this.problem = "";
    this.reasonError = "";
    let done = false;
    try {
      await this.ctx.api.send("POST", `office/appointments/${encodeURIComponent(a.id)}/cancel`, { reason });
      const calendar = this.calendar!;
      this.calendar = { ...calendar, appointments: calendar.appointments.filter((x) => x.id !== a.id) };
      this.cancelling = undefined;
      this.flash = ta.cancelled(a.name, timeOf(a.start, this.ctx.lang));
      done = true;
    } catch (e) {
      this.problem = `${problemText(e, this.ctx.lang)} ${ta.noShowFailed}`;
    } finally {
      this.busy = undefined;
    }
    await this.updateComplete;
    // Its entry is gone: focus on the clerk's heading of that day (the message above says what happened).
    if (done) (this.querySelector<HTMLElement>(`#${CSS.escape(`cal-${day}-${a.clerkId}`)}`) ?? this.querySelector<HTMLElement>(`#${CSS.escape(`cal-${day}`)}`))?.focus();
    else this.querySelector<HTMLElement>(`#cal-reason-${CSS.escape(a.id)}`)?.focus();
  }

  private async askRemove(key: string) {
    this.flash = "";
    this.problem = "";
    this.removing = key;
    await this.updateComplete;
    this.querySelector<HTMLElement>(".cal-entry .confirm .btn")?.focus();
  }

  private async cancelRemove() {
    const key = this.removing;
    if (!key) return;
    this.removing = undefined;
    await this.updateComplete;
    this.querySelector<HTMLElement>(`[data-remove="${CSS.escape(key)}"]`)?.focus();
  }

  private onConfirmKey(e: KeyboardEvent) {
    if (e.key !== "Escape") return;
    e.preventDefault();
    void this.cancelRemove();
  }

  private async removeAbsence(absence: OfficeAbsence, day: string) {
    if (this.busy) return;
    const ta = this.ctx.t.appointmentsView;
    const clerk = this.clerkName(absence.clerkId);
    this.busy = absence.id;
    this.problem = "";
    let done = false;
    try {
      await this.ctx.api.send("DELETE", `office/appointments/absences/${encodeURIComponent(absence.id)}`);
      const calendar = this.calendar!;
      this.calendar = { ...calendar, absences: calendar.absences.filter((x) => x.id !== absence.id) };
      this.removing = undefined;
      this.flash = ta.removed(clerk, absenceWords(absence, this.ctx.lang, this.ctx.t));
      done = true;
    } catch (e) {
      this.problem = `${problemText(e, this.ctx.lang)} ${ta.removeFailed}`;
    } finally {
      this.busy = undefined;
    }
    await this.updateComplete;
    if (done) {
      // Its entry is gone: focus on the clerk's heading of that day, or on the day's.
      (this.querySelector<HTMLElement>(`#${CSS.escape(`cal-${day}-${absence.clerkId}`)}`) ?? this.querySelector<HTMLElement>(`#${CSS.escape(`cal-${day}`)}`))?.focus();
    } else {
      this.querySelector<HTMLElement>(".cal-entry .confirm .btn")?.focus();
    }
  }

  private clerkName(id: string) {
    return this.clerks.find((k) => k.id === id)?.name ?? id;
  }

  // ---- rendering ----

  override render() {
    const t = this.ctx.t;
    const ta = t.appointmentsView;
    return html`<h1 tabindex="-1">${ta.title}</h1>
      ${appointmentTabs(this.ctx, "calendar", { requests: this.requests, absence: { ...(this.clerkFilter ? { clerk: this.clerkFilter } : {}), date: this.date } })}
      <div class="success" role="status">${this.flash ? html`<p>${this.flash}</p>` : nothing}</div>
      <div class="form-error" role="alert">${this.problem ? html`<p>${this.problem}</p>` : nothing}</div>
      ${this.renderFilters()} ${this.renderSteps()}
      <h2 id="cal-period">${this.periodTitle()}</h2>
      ${this.failure
        ? html`<div class="alert" role="alert"><p>${this.failure}</p>
            <button class="btn secondary" type="button" @click=${() => void this.load()}>${t.retry}</button></div>`
        : nothing}
      ${this.calendar ? this.renderCalendar(this.calendar) : this.loading ? html`<p role="status">${t.loading}</p>` : nothing}`;
  }

  private renderFilters() {
    const ta = this.ctx.t.appointmentsView;
    const q = this.query;
    const clerks = this.clerks;
    return html`<form id="cal-filters" class="card" novalidate aria-label=${ta.filters} @submit=${this.apply}>
      <div class="filters">
        <div class="field">
          <label for="cal-view">${ta.fView}</label>
          <select id="cal-view" name="view">
            <option value="day" ?selected=${this.mode === "day"}>${ta.viewDay}</option>
            <option value="week" ?selected=${this.mode === "week"}>${ta.viewWeek}</option>
          </select>
        </div>
        <div class="field">
          <label for="cal-date">${ta.fDate}</label>
          <input id="cal-date" name="date" type="date" .value=${this.date} />
        </div>
        ${filterSelect({ id: "cal-location", name: "location", label: ta.fLocation, any: ta.anyLocation, choices: this.locations.map((l) => ({ value: l.id, label: local(l.name, this.ctx.lang) })), chosen: q.location })}
        ${filterSelect({ id: "cal-clerk", name: "clerk", label: ta.fClerk, any: ta.anyClerk, choices: clerks.map((k) => ({ value: k.id, label: k.name })), chosen: this.clerkFilter })}
        <div class="buttons">
          <button class="btn" type="submit">${ta.show}</button>
        </div>
      </div>
    </form>`;
  }

  private renderSteps() {
    const ta = this.ctx.t.appointmentsView;
    const week = this.mode === "week";
    const today = berlinToday();
    const print = new URLSearchParams({ date: this.date });
    if (this.query.location) print.set("location", this.query.location);
    return html`<div class="cal-bar">
      <nav aria-label=${ta.stepsLabel}>
        <ul class="cal-steps">
          <li><a href=${this.at(stepDate(this.date, this.mode, -1))}><span aria-hidden="true">←&nbsp;</span>${week ? ta.prevWeek : ta.prevDay}</a></li>
          <li><a href=${this.at(today)}>${week ? ta.thisWeek : ta.today}</a></li>
          <li><a href=${this.at(stepDate(this.date, this.mode, 1))}>${week ? ta.nextWeek : ta.nextDay}<span aria-hidden="true">&nbsp;→</span></a></li>
        </ul>
      </nav>
      ${week
        ? nothing
        : html`<a class="cal-print" href=${this.ctx.api.url(`office/appointments/day.html?${print}`)} target="_blank" rel="noopener"
            >${ta.printDay}<span class="sr-only"> ${ta.newTab}</span></a
          >`}
    </div>`;
  }

  private renderCalendar(calendar: OfficeCalendar) {
    const ta = this.ctx.t.appointmentsView;
    const clerks = calendar.clerks.filter((k) => !this.clerkFilter || k.id === this.clerkFilter);
    if (clerks.length === 0) return html`<p class="card">${ta.noClerks}</p>`;
    if (this.mode === "day") return this.renderClerks(calendar, this.date, clerks, "h3", true);
    return html`<div class="cal-week">
      ${this.days.map((day) => {
        const busy = clerks.filter((k) => entriesOn(calendar, day, k.id).length > 0);
        return html`<div class="cal-day">
          <h3 id=${`cal-${day}`} tabindex="-1"><a href=${this.at(day, "day")}>${dayName(day, this.ctx.lang)}</a></h3>
          ${busy.length === 0 ? html`<p class="muted">${ta.nothing}</p>` : this.renderClerks(calendar, day, busy, "h4", false)}
        </div>`;
      })}
    </div>`;
  }

  /** One column per clerk: their day's absences and appointments in order. */
  private renderClerks(calendar: OfficeCalendar, day: string, clerks: OfficeCalendar["clerks"], level: "h3" | "h4", empty: boolean) {
    const ta = this.ctx.t.appointmentsView;
    return html`<div class="cal-clerks">
      ${clerks.map((k) => {
        const entries = entriesOn(calendar, day, k.id);
        const id = `cal-${day}-${k.id}`;
        const heading = level === "h3" ? html`<h3 id=${id} tabindex="-1">${k.name}</h3>` : html`<h4 id=${id} tabindex="-1">${k.name}</h4>`;
        return html`<div class="cal-clerk">
          ${heading}
          ${entries.length === 0
            ? empty
              ? html`<p class="muted">${ta.nothing}</p>`
              : nothing
            : html`<ul class="cal-entries" aria-labelledby=${id}>
                ${entries.map((e) => this.renderEntry(e, day, k.name))}
              </ul>`}
        </div>`;
      })}
    </div>`;
  }

  /** "Absagen" on an appointment that has not begun, and then the question with the reason the citizen reads. */
  private renderCancel(a: CalendarAppointment, day: string) {
    const lang = this.ctx.lang;
    const t = this.ctx.t;
    const ta = t.appointmentsView;
    const busy = this.busy === a.id;
    if (this.cancelling !== a.id) {
      return html`<button class="btn secondary small" type="button" data-cancel=${a.id} @click=${() => void this.askCancel(a)}>
        ${ta.cancelAppointment}<span class="sr-only">: ${a.name}, ${timeSpan(a, lang, t)}</span>
      </button>`;
    }
    const qid = `cal-cancel-${a.id}`;
    return html`<div class="confirm danger" role="group" aria-labelledby=${qid} @keydown=${this.onCancelKey}>
      <p id=${qid}><strong>${ta.cancelTitle(a.name, timeSpan(a, lang, t))}</strong></p>
      <div class="field">
        <label for=${`cal-reason-${a.id}`}>${ta.reasonLabel}</label>
        <textarea id=${`cal-reason-${a.id}`} rows="2" maxlength="300" aria-invalid=${this.reasonError ? "true" : "false"} aria-describedby=${this.reasonError ? `${qid}-error` : nothing}></textarea>
        ${this.reasonError ? html`<p class="error" id=${`${qid}-error`}>${this.reasonError}</p>` : nothing}
      </div>
      <div class="buttons">
        <button class="btn danger" type="button" aria-disabled=${busy ? "true" : "false"} @click=${() => void this.cancelAppointment(a, day)}>${busy ? t.wait : ta.cancelYes}</button>
        <button class="btn secondary" type="button" @click=${() => void this.keepAppointment()}>${ta.keep}</button>
      </div>
    </div>`;
  }

  private renderEntry(e: CalendarEntry, day: string, clerk: string) {
    const lang = this.ctx.lang;
    const t = this.ctx.t;
    const ta = t.appointmentsView;
    if (e.kind === "appointment") {
      const a = e.appointment;
      const busy = this.busy === a.id;
      return html`<li class="cal-entry" id=${`cal-ap-${a.id}`} tabindex="-1">
        <span class="cal-time">${timeSpan(a, lang, t)}</span>
        <span class="cal-what"><strong>${local(a.serviceName, lang)}</strong></span>
        <span class="cal-who">${a.name} <span class="cal-mail">${a.email}</span></span>
        <span class=${`badge ap-${a.status}`}>${ta.status[a.status]}</span>
        ${canMarkNoShow(a, this.now)
          ? html`<button class="btn secondary small" type="button" aria-disabled=${busy ? "true" : "false"} @click=${() => void this.noShow(a)}>
              ${busy ? t.wait : html`${ta.noShow}<span class="sr-only">: ${a.name}, ${timeSpan(a, lang, t)}</span>`}
            </button>`
          : nothing}
        ${canCancel(a, this.now) ? this.renderCancel(a, day) : nothing}
      </li>`;
    }
    const a = e.absence;
    const key = `${a.id}|${day}`;
    const when = e.from === null && e.to === null ? ta.wholeDay : e.from === null ? ta.until(timeOf(e.to!, lang)) : e.to === null ? ta.from(timeOf(e.from, lang)) : timeSpan(a, lang, t);
    const words = absenceWords(a, lang, t);
    const busy = this.busy === a.id;
    const qid = `cal-rm-${a.id}-${day}`;
    return html`<li class="cal-entry absence">
      <span class="cal-time">${when}</span>
      <span class="cal-what"><strong>${ta.absent}</strong>${a.note ? html` <span class="cal-note">${a.note}</span>` : nothing}</span>
      ${this.removing === key
        ? html`<div class="confirm danger" role="group" aria-labelledby=${qid} @keydown=${this.onConfirmKey}>
            <p id=${qid}><strong>${ta.removeTitle}</strong></p>
            <p id=${`${qid}-text`}>${ta.removeText(clerk, words)}</p>
            <div class="buttons">
              <button class="btn danger" type="button" aria-describedby=${`${qid}-text`} aria-disabled=${busy ? "true" : "false"} @click=${() => void this.removeAbsence(a, day)}>
                ${busy ? t.wait : ta.removeYes}
              </button>
              <button class="btn secondary" type="button" @click=${() => void this.cancelRemove()}>${ta.cancel}</button>
            </div>
          </div>`
        : html`<button class="btn secondary small" type="button" data-remove=${key} @click=${() => void this.askRemove(key)}>
            ${ta.removeAbsence}<span class="sr-only">: ${clerk}, ${words}</span>
          </button>`}
    </li>`;
  }
}

define("office-appointments", OfficeAppointmentsView);
