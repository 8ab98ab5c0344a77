import { html, nothing } from "lit";
import { keyed } from "lit/directives/keyed.js";
import { define } from "../../core/dom.js";
import type { Appointment, AppointmentRequest, AppointmentRequestList, OfficeCalendar, SlotDays } from "../../../../server/appointments/api-types.js";
import { berlinToday, dayName, dayOf, when } from "../../appointments/format.js";
import { ApiError, problemText } from "../api.js";
import { preferenceWords, timeSpan } from "../appointment-words.js";
import { fitsPreference, slotWindow } from "../calendar.js";
import { OfficeView } from "../context.js";
import { dateTime, local } from "../format.js";
import { FormState } from "../forms.js";
import { routeHash } from "../routes.js";
import { appointmentTabs } from "./appointment-tabs.js";

type Clerk = OfficeCalendar["clerks"][number];

/** What one clerk can offer a request: the free times of the days around its wishes. */
interface Offer {
  clerk: Clerk;
  days: SlotDays["days"];
}

/**
 * The Terminanfragen (`#/termine/anfragen`): the open ones, oldest first, with the citizen's
 * wishes in words. "Termin geben" opens a panel in place: who gives it (the clerks who offer the
 * service, with how many free times each has around the wishes), then a time, then the
 * appointment is made and mailed. A time taken meanwhile reloads that clerk's times.
 */
export class OfficeAppointmentRequestsView extends OfficeView {
  static override properties = {
    items: { state: true },
    loading: { state: true },
    failure: { state: true },
    open: { state: true },
    offers: { state: true },
    offersLoading: { state: true },
    offersFailure: { state: true },
    clerk: { state: true },
    flash: { state: true },
  };

  declare items: AppointmentRequest[];
  declare loading: boolean;
  declare failure: string;
  /** The request whose panel is open. */
  declare open: string | undefined;
  declare offers: Offer[];
  declare offersLoading: boolean;
  declare offersFailure: string;
  /** The clerk chosen in the panel. */
  declare clerk: string | undefined;
  /** The last appointment given: what happened, and where to see it. */
  declare flash: { text: string; href: string } | undefined;

  private readonly form = new FormState(this, "sched", ["clerkId", "start"]);
  /** Everyone this staff member sees in the calendar; the panel asks which of them offer the service. */
  private clerks: Clerk[] | undefined;
  private offersSeq = 0;
  /** Counts the answers: fresh times get fresh radios, never one left checked from before. */
  private offersVersion = 0;

  constructor() {
    super();
    this.items = [];
    this.loading = true;
    this.failure = "";
    this.offers = [];
    this.offersLoading = false;
    this.offersFailure = "";
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.loading = true;
    this.failure = "";
    try {
      this.items = (await this.ctx.api.get<AppointmentRequestList>("office/appointments/requests")).items;
    } catch (e) {
      this.failure = problemText(e, this.ctx.lang);
    } finally {
      this.loading = false;
    }
  }

  /** The queue again without "Wird geladen …" in its place, so focus and the message stay. */
  private async refresh() {
    try {
      const { items } = await this.ctx.api.get<AppointmentRequestList>("office/appointments/requests");
      // An open panel keeps its request even if a colleague just answered it: sending says so.
      const open = this.items.find((r) => r.id === this.open);
      this.items = open && !items.some((r) => r.id === open.id) ? [...items, open] : items;
    } catch {
      // The list as this page knows it stays; the next visit loads it.
    }
  }

  private current(): AppointmentRequest | undefined {
    return this.items.find((r) => r.id === this.open);
  }

  // ---- the panel ----

  private async openPanel(r: AppointmentRequest) {
    this.open = r.id;
    this.flash = undefined;
    this.clerk = undefined;
    this.offers = [];
    this.form.errors = {};
    this.form.message = "";
    const loading = this.loadOffers(r);
    await this.updateComplete;
    this.querySelector<HTMLElement>("#sched-title")?.focus();
    await loading;
  }

  private async closePanel() {
    const id = this.open;
    if (!id) return;
    this.open = undefined;
    this.offersSeq++;
    await this.updateComplete;
    this.querySelector<HTMLElement>(`#${CSS.escape(`give-${id}`)}`)?.focus();
  }

  private onPanelKey(e: KeyboardEvent) {
    if (e.key !== "Escape") return;
    e.preventDefault();
    void this.closePanel();
  }

  /**
   * The free times of every clerk the staff member sees, for the request's service around its
   * wishes; a clerk who does not offer the service answers 404 and is left out. With `only`, just
   * that clerk's times afresh (after a time was taken meanwhile).
   */
  private async loadOffers(r: AppointmentRequest, only?: string) {
    const seq = ++this.offersSeq;
    this.offersLoading = true;
    this.offersFailure = "";
    try {
      if (!this.clerks) {
        const today = berlinToday();
        this.clerks = (await this.ctx.api.get<OfficeCalendar>(`office/appointments?from=${today}&to=${today}`)).clerks;
      }
      const { from, to } = slotWindow(r.preferences, berlinToday());
      const ask = async (clerk: Clerk): Promise<Offer | undefined> => {
        const p = new URLSearchParams({ service: r.serviceId, clerk: clerk.id, from, to });
        try {
          return { clerk, days: (await this.ctx.api.get<SlotDays>(`office/appointments/slots?${p}`)).days };
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) return undefined;
          throw e;
        }
      };
      const asked = only ? this.clerks.filter((k) => k.id === only) : this.clerks;
      const answers = await Promise.all(asked.map(ask));
      if (seq !== this.offersSeq) return;
      const fresh = answers.filter((o): o is Offer => o !== undefined);
      this.offers = only ? this.offers.map((o) => fresh.find((f) => f.clerk.id === o.clerk.id) ?? o) : fresh;
      this.offersVersion++;
      if (!this.clerk || !this.offers.some((o) => o.clerk.id === this.clerk)) this.clerk = this.offers[0]?.clerk.id;
    } catch (e) {
      if (seq === this.offersSeq) this.offersFailure = problemText(e, this.ctx.lang);
    } finally {
      if (seq === this.offersSeq) this.offersLoading = false;
    }
  }

  private async schedule(e: SubmitEvent) {
    e.preventDefault();
    if (this.form.busy) return;
    const r = this.current();
    if (!r) return;
    const ta = this.ctx.t.appointmentsView;
    const data = new FormData(e.target as HTMLFormElement);
    const clerkId = String(data.get("clerkId") ?? "");
    const start = String(data.get("start") ?? "");
    if (!this.form.check({ clerkId: !clerkId && ta.clerkMissing, start: !start && ta.timeMissing })) return;
    const clerk = this.offers.find((o) => o.clerk.id === clerkId)?.clerk.name ?? clerkId;
    let taken = false;
    const done = await this.form.run(async () => {
      try {
        const a = await this.ctx.api.send<Appointment>("POST", `office/appointments/requests/${encodeURIComponent(r.id)}/schedule`, { clerkId, start });
        this.items = this.items.filter((x) => x.id !== r.id);
        this.open = undefined;
        this.flash = {
          text: ta.scheduled(when(a, this.ctx.lang), clerk, a.name, a.email),
          href: routeHash({ view: "appointments", query: { date: dayOf(a.start), clerk: clerkId } }),
        };
      } catch (err) {
        taken = err instanceof ApiError && err.code === "slot_taken";
        throw err;
      }
      return undefined;
    });
    if (done) {
      await this.updateComplete;
      this.querySelector<HTMLElement>("#req-count")?.focus();
      // Colleagues answer requests too: the queue as it is now.
      await this.refresh();
      return;
    }
    // The message says to choose another; the times it shows are the ones free now.
    if (taken) await this.loadOffers(r, clerkId);
  }

  // ---- rendering ----

  override render() {
    const t = this.ctx.t;
    const ta = t.appointmentsView;
    return html`<h1 tabindex="-1">${ta.requestsTitle}</h1>
      ${appointmentTabs(this.ctx, "requests", { requests: this.loading ? undefined : this.items.length })}
      <p>${ta.requestsIntro}</p>
      <div class="success" role="status">${this.flash ? html`<p>${this.flash.text} <a href=${this.flash.href}>${ta.inCalendar}</a></p>` : nothing}</div>
      ${this.failure
        ? html`<div class="alert" role="alert"><p>${this.failure}</p>
            <button class="btn secondary" type="button" @click=${() => void this.load()}>${t.retry}</button></div>`
        : nothing}
      ${this.loading ? html`<p role="status">${t.loading}</p>` : this.failure ? nothing : this.renderList()}`;
  }

  private renderList() {
    const ta = this.ctx.t.appointmentsView;
    return html`<h2 id="req-count" tabindex="-1">${ta.openCount(this.items.length)}</h2>
      ${this.items.length === 0
        ? html`<p class="card">${ta.noRequests}</p>`
        : html`<ul class="requests">
            ${this.items.map((r) => this.renderRequest(r))}
          </ul>`}`;
  }

  private renderRequest(r: AppointmentRequest) {
    const lang = this.ctx.lang;
    const t = this.ctx.t;
    const ta = t.appointmentsView;
    const service = local(r.serviceName, lang);
    return html`<li class="card request">
      <h3 id=${`req-${r.id}`}>${r.name} – ${service}</h3>
      <dl class="pairs request-facts">
        <dt>${ta.rService}</dt>
        <dd>${service}</dd>
        <dt>${ta.rEmail}</dt>
        <dd><a href=${`mailto:${r.email}`}>${r.email}</a></dd>
        <dt>${ta.rWishes}</dt>
        <dd>
          <ol class="wishes">
            ${r.preferences.map((p) => html`<li>${preferenceWords(p, lang, t)}</li>`)}
          </ol>
        </dd>
        ${r.note ? html`<dt>${ta.rNote}</dt><dd class="say">${r.note}</dd>` : nothing}
        <dt>${ta.rReceived}</dt>
        <dd>${dateTime(r.createdAt, lang)}</dd>
      </dl>
      ${this.open === r.id
        ? this.renderPanel(r)
        : html`<button id=${`give-${r.id}`} class="btn" type="button" @click=${() => void this.openPanel(r)}>
            ${ta.give}<span class="sr-only"> ${ta.giveFor(r.name)}</span>
          </button>`}
    </li>`;
  }

  private renderPanel(r: AppointmentRequest) {
    const t = this.ctx.t;
    const ta = t.appointmentsView;
    const f = this.form;
    return html`<section class="confirm sched" aria-labelledby="sched-title" @keydown=${this.onPanelKey}>
      <h4 id="sched-title" tabindex="-1">${ta.giveTitle(r.name)}</h4>
      <form novalidate @submit=${this.schedule}>
        ${f.status()}
        ${this.offersFailure
          ? html`<div class="alert" role="alert"><p>${this.offersFailure}</p>
              <button class="btn secondary" type="button" @click=${() => void this.loadOffers(r)}>${t.retry}</button></div>`
          : nothing}
        ${this.offersLoading && this.offers.length === 0
          ? html`<p role="status">${ta.slotsLoading}</p>`
          : this.offersFailure && this.offers.length === 0
            ? nothing
            : this.offers.length === 0
              ? html`<p class="alert">${ta.noClerkOffers}</p>`
              : html`${this.renderClerks()} ${keyed(`${this.clerk}|${this.offersVersion}`, this.renderTimes(r))}`}
        <div class="buttons">
          ${this.offers.length > 0 ? f.button(ta.schedule) : nothing}
          <button class="btn secondary" type="button" @click=${() => void this.closePanel()}>${ta.cancel}</button>
        </div>
      </form>
    </section>`;
  }

  private renderClerks() {
    const ta = this.ctx.t.appointmentsView;
    const f = this.form;
    return html`<fieldset>
      <legend>${ta.fGiver}</legend>
      ${f.error("clerkId")}
      <div class="radios">
        ${this.offers.map((o, i) => {
          const free = o.days.reduce((n, d) => n + d.slots.length, 0);
          return html`<label class="check"
            ><input
              type="radio"
              name="clerkId"
              value=${o.clerk.id}
              id=${i === 0 ? f.id("clerkId") : nothing}
              .checked=${this.clerk === o.clerk.id}
              aria-invalid=${f.invalid("clerkId")}
              aria-describedby=${f.describedBy("clerkId", false)}
              @change=${() => this.chooseClerk(o.clerk.id)}
            />
            ${ta.clerkFree(o.clerk.name, free)}</label
          >`;
        })}
      </div>
    </fieldset>`;
  }

  private chooseClerk(id: string) {
    this.clerk = id;
    delete this.form.errors.start;
    this.requestUpdate();
  }

  /** The chosen clerk's free times per day; wished-for days say so, also when none is free. */
  private renderTimes(r: AppointmentRequest) {
    const lang = this.ctx.lang;
    const t = this.ctx.t;
    const ta = t.appointmentsView;
    const f = this.form;
    const offer = this.offers.find((o) => o.clerk.id === this.clerk);
    if (!offer) return nothing;
    const wishes = new Map<string, AppointmentRequest["preferences"]>();
    for (const p of r.preferences) wishes.set(p.date, [...(wishes.get(p.date) ?? []), p]);
    const days = new Map(offer.days.filter((d) => d.slots.length > 0).map((d) => [d.date, d.slots]));
    for (const day of wishes.keys()) if (!days.has(day)) days.set(day, []);
    const shown = [...days].sort(([a], [b]) => a.localeCompare(b));
    const window = slotWindow(r.preferences, berlinToday());
    let first = true;
    return html`<fieldset class="sched-times">
      <legend>${ta.fTimes(offer.clerk.name)}</legend>
      ${f.error("start")}
      ${shown.every(([, slots]) => slots.length === 0) ? html`<p>${ta.noSlots(dayName(window.from, lang), dayName(window.to, lang))}</p>` : nothing}
      ${shown.map(([day, slots]) => {
        const wish = wishes.get(day);
        const label = wish ? ta.wishDay(dayName(day, lang), wish.map((p) => ta.times[p.time]).join(", ")) : dayName(day, lang);
        if (slots.length === 0) return html`<p class="sched-none"><strong>${label}</strong>: ${ta.noFreeTime}</p>`;
        return html`<fieldset class="sched-day">
          <legend>${label}</legend>
          <div class="sched-slots">
            ${slots.map((s) => {
              const id = first ? f.id("start") : nothing;
              first = false;
              const fits = wish?.some((p) => fitsPreference(s.start, p.time)) ?? false;
              return html`<label class=${fits ? "check slot wished" : "check slot"}
                ><input type="radio" name="start" value=${s.start} id=${id} aria-invalid=${f.invalid("start")} aria-describedby=${f.describedBy("start", false)} />
                ${timeSpan(s, lang, t)}</label
              >`;
            })}
          </div>
        </fieldset>`;
      })}
    </fieldset>`;
  }
}

define("office-appointment-requests", OfficeAppointmentRequestsView);
