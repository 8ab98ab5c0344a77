import { html, nothing } from "lit";
import type { WidgetContext, WidgetState } from "../core/context.js";
import { pick } from "../core/i18n.js";
import type { Appointment, AppointmentServiceInfo, Lang } from "../core/types.js";
import { type FormController, isVerified } from "../views/shared/form.js";
import type { Booking, Day } from "./booking.js";
import { contactLinks } from "./contact.js";
import { byWeek, dayLong, dayName, dayOf, timeOf } from "./format.js";
import { MINE } from "./route.js";
import { appointmentTexts } from "./texts.js";

/** What the choice of a day and a time needs besides the booking (also when moving an appointment). */
export interface ChoiceOptions {
  state: WidgetState;
  /** Shows more weeks of days and moves focus to the first of them. */
  moreWeeks: () => void;
  /** Where the days' back link leads instead of the services (moving: to "Meine Termine"). */
  leave?: { label: string; go: () => void };
}

/** What the booking's screens need besides the booking: the widget, the confirm form, the submit. */
export interface BookingViewOptions extends ChoiceOptions {
  ctx: WidgetContext;
  form: FormController;
  submit: (e: SubmitEvent) => void;
  /** Opens the Terminanfrage of a service given on request. */
  ask: (s: AppointmentServiceInfo) => void;
}

/** The screens of one booking, by its step. */
export function bookingView(b: Booking, o: BookingViewOptions) {
  switch (b.step) {
    case "services":
      return services(b, o);
    case "days":
      return dayChoice(b, o);
    case "slots":
      return slotChoice(b, o);
    case "confirm":
      return confirm(b, o);
    case "done":
      return done(b, o);
  }
}

export const back = (label: string, go: () => void) => html`<p class="back-row"><button class="link back" type="button" @click=${go}>${label}</button></p>`;

function problem(message: string, retry: () => void, lang: Lang) {
  return html`<div class="box" role="alert">
    <p>${message}</p>
    <p class="actions"><button class="btn" type="button" @click=${retry}>${appointmentTexts[lang].retry}</button></p>
  </div>`;
}

export function bringList(items: AppointmentServiceInfo["bring"], lang: Lang, id: string) {
  if (!items.length) return nothing;
  return html`<p class="label" id=${id}>${appointmentTexts[lang].bring}</p>
    <ul class="bring" aria-labelledby=${id}>
      ${items.map((x) => html`<li>${pick(x, lang)}</li>`)}
    </ul>`;
}

function services(b: Booking, o: BookingViewOptions) {
  const { lang, config } = o.state;
  const t = appointmentTexts[lang];
  const load = b.servicesLoad;
  return html`<p class="intro">${t.intro(config?.name ?? "")}</p>
    ${load.status === "loading" || load.status === "idle" ? html`<p class="state">${t.loading}</p>` : nothing}
    ${load.status === "error" ? problem(load.message, () => void b.loadServices(), lang) : nothing}
    ${load.status === "ready" && !b.services.length ? html`<p class="box">${t.empty}</p>` : nothing}
    ${b.services.length
      ? html`<ul class="services" aria-label=${t.services}>
          ${b.services.map(
            (s) => html`<li>
              <h4>
                <button class="link title" type="button" data-service=${s.id} @click=${() => (s.mode === "booking" ? b.chooseService(s) : o.ask(s))}>
                  ${pick(s.name, lang)}
                </button>
              </h4>
              ${s.description ? html`<p class="summary">${pick(s.description, lang)}</p>` : nothing}
              <p class="meta"><span>${t.duration(s.durationMinutes)}</span><span>${pick(s.location.name, lang)}</span></p>
              ${bringList(s.bring, lang, `bring-${s.id}`)}
              ${s.mode === "request" ? html`<div class="box request"><p>${t.byRequest}</p>${contactLinks(config, t)}</div>` : nothing}
            </li>`,
          )}
        </ul>`
      : nothing}`;
}

/** The free days of the chosen service, by week. */
export function dayChoice(b: Booking, o: ChoiceOptions) {
  const { lang, config } = o.state;
  const t = appointmentTexts[lang];
  const load = b.daysLoad;
  const weeks = byWeek(b.days);
  return html`${o.leave ? back(o.leave.label, o.leave.go) : back(t.backToServices, () => b.back())}
    <h4 class="step" tabindex="-1">${t.dayTitle}</h4>
    <p>${t.dayIntro(pick(b.service!.name, lang))}</p>
    <div class="form-error" role="alert">${b.notice === "takenDayFull" ? html`<p>${t.takenDayFull}</p>` : nothing}</div>
    ${load.status === "loading" ? html`<p class="state">${t.loading}</p>` : nothing}
    ${load.status === "error" ? problem(load.message, () => void b.loadDays(), lang) : nothing}
    ${load.status === "ready" && !b.days.length ? html`<div class="box"><p>${t.noDays}</p>${contactLinks(config, t)}</div>` : nothing}
    ${weeks.slice(0, b.weeks).map(
      ([monday, list]) => html`<section class="week" aria-labelledby="week-${monday}">
        <h5 id="week-${monday}">${t.week(dayName(monday, lang))}</h5>
        <ul class="days">
          ${list.map(
            (d) => html`<li>
              <button class="pick" type="button" data-day=${d.date} @click=${() => b.chooseDay(d)}>
                <span>${dayName(d.date, lang)}</span> <small>${t.free(d.slots.length)}</small>
              </button>
            </li>`,
          )}
        </ul>
      </section>`,
    )}
    ${weeks.length > b.weeks ? html`<p><button class="btn secondary wide" type="button" @click=${o.moreWeeks}>${t.later}</button></p>` : nothing}`;
}

/** Before noon and after, as people plan their day. */
function halves(d: Day, lang: Lang) {
  const t = appointmentTexts[lang];
  const morning = d.slots.filter((s) => timeOf(s.start, "de") < "12:00");
  const afternoon = d.slots.filter((s) => timeOf(s.start, "de") >= "12:00");
  const groups: [string, Day["slots"]][] = [
    [t.morning, morning],
    [t.afternoon, afternoon],
  ];
  return groups.filter(([, list]) => list.length);
}

/** The free times of the chosen day, before noon and after. */
export function slotChoice(b: Booking, o: ChoiceOptions) {
  const { lang } = o.state;
  const t = appointmentTexts[lang];
  const d = b.day!;
  return html`${back(t.backToDays, () => b.back())}
    <h4 class="step" tabindex="-1">${t.slotTitle}</h4>
    <p>${pick(b.service!.name, lang)}, ${dayLong(d.date, lang)}</p>
    <div class="form-error" role="alert">${b.notice === "taken" ? html`<p>${t.taken}</p>` : nothing}</div>
    ${halves(d, lang).map(
      ([label, list], i) => html`<section aria-labelledby="half-${i}">
        <h5 id="half-${i}">${label}</h5>
        <ul class="slots">
          ${list.map(
            (s) => html`<li>
              <button class="pick" type="button" data-slot=${s.start} @click=${() => b.chooseSlot(s)}>
                ${timeOf(s.start, lang)}<span class="sr-only"> ${t.until(timeOf(s.end, lang))}</span>
              </button>
            </li>`,
          )}
        </ul>
      </section>`,
    )}`;
}

/** Service, day, time and place of a chosen slot or a booked appointment. */
export function summary(a: { service: AppointmentServiceInfo["name"]; start: string; end: string; location: AppointmentServiceInfo["location"] }, lang: Lang) {
  const t = appointmentTexts[lang];
  return html`<dl class="summary-list">
    <div><dt>${t.service}</dt><dd>${pick(a.service, lang)}</dd></div>
    <div><dt>${t.day}</dt><dd>${dayLong(dayOf(a.start), lang)}</dd></div>
    <div><dt>${t.time}</dt><dd>${t.timeRange(timeOf(a.start, lang), timeOf(a.end, lang))}</dd></div>
    <div><dt>${t.place}</dt><dd>${pick(a.location.name, lang)}<br />${a.location.address}</dd></div>
  </dl>`;
}

function confirm(b: Booking, o: BookingViewOptions) {
  const { lang, signedIn, account } = o.state;
  const t = appointmentTexts[lang];
  const s = b.service!;
  const slot = b.slot!;
  const proof = { idle: "", solving: t.proofSolving, ready: t.proofReady, failed: t.proofFailed }[b.proof.state];
  const unverified = signedIn && account && !isVerified(account);
  return html`${back(t.backToSlots, () => b.back())}
    <h4 class="step" tabindex="-1">${t.confirmTitle}</h4>
    ${summary({ service: s.name, start: slot.start, end: slot.end, location: s.location }, lang)}
    ${bringList(s.bring, lang, "bring-confirm")}
    ${unverified
      ? html`<div class="box">
          <p>${t.verifyFirst}</p>
          <p class="actions"><button class="btn" type="button" @click=${() => o.ctx.detour("verify")}>${t.verify}</button></p>
        </div>`
      : html`<form class="book" novalidate @submit=${o.submit}>
          ${o.form.status()}
          ${signedIn
            ? account
              ? html`<p>${t.asAccount(account.email)}</p>`
              : nothing
            : html`${o.form.field({ name: "name", label: t.name, autocomplete: "name", maxlength: 100 })}
                ${o.form.field({ name: "email", label: t.emailField, type: "email", autocomplete: "email", hint: t.emailHint, maxlength: 254 })}
                <p class="proof" role="status">${proof ? html`<span class="dot ${b.proof.state}" aria-hidden="true"></span>${proof}` : nothing}</p>`}
          ${o.form.button(t.submit)}
          ${signedIn
            ? nothing
            : html`<div class="alt">
                <p>${t.withAccount}</p>
                <p><button class="link" type="button" @click=${() => o.ctx.detour("login")}>${t.login}</button></p>
              </div>`}
        </form>`}`;
}

function done(b: Booking, o: BookingViewOptions) {
  const { lang, signedIn } = o.state;
  const t = appointmentTexts[lang];
  const a: Appointment = b.result!;
  const pending = a.status === "pending";
  return html`<div class="done">
    <h4 class="step" tabindex="-1">${pending ? t.pendingTitle : t.bookedTitle}</h4>
    <div class=${pending ? "box" : "success"}><p>${pending ? t.pendingText(a.email) : t.bookedText(a.email)}</p></div>
    ${summary({ service: a.serviceName, start: a.start, end: a.end, location: a.location }, lang)}
    ${bringList(a.bring, lang, "bring-done")}
    <p class="actions">
      ${pending ? nothing : html`<a class="btn" href=${a.calendarUrl}>${t.calendar}</a>`}
      ${signedIn ? html`<button class="btn secondary" type="button" @click=${() => o.ctx.navigate("appointments", MINE)}>${t.toMine}</button>` : nothing}
      <button class="link" type="button" @click=${() => b.restart()}>${t.again}</button>
    </p>
  </div>`;
}
