import { html, nothing } from "lit";
import type { WidgetContext, WidgetState } from "../core/context.js";
import { pick } from "../core/i18n.js";
import type { Lang } from "../core/types.js";
import { type FormController, isVerified, sharedTexts } from "../views/shared/form.js";
import { back } from "./booking-view.js";
import { contactLinks } from "./contact.js";
import { dayLong } from "./format.js";
import type { AppointmentAsk, TimeOfDay } from "./request.js";
import { appointmentTexts } from "./texts.js";

export interface AskViewOptions {
  ctx: WidgetContext;
  state: WidgetState;
  submit: (e: SubmitEvent) => void;
  /** Renders note, name and e-mail (ids `rq-…`); their problems are the request's. */
  fields: FormController;
  /** Back to the services. */
  leave: () => void;
}

/** The Terminanfrage's screens: the form, then what was sent. */
export const askView = (a: AppointmentAsk, o: AskViewOptions) => (a.step === "form" ? form(a, o) : done(a, o));

const id = (field: string) => `rq-${field}`;

const errorIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z" />
</svg>`;

function error(a: AppointmentAsk, field: string) {
  const message = a.errors[field];
  return message ? html`<p class="error" id="${id(field)}-error">${errorIcon}<span>${message}</span></p>` : nothing;
}

/** What a field's `aria-invalid` and `aria-describedby` say: its hint and its error. */
function described(a: AppointmentAsk, field: string, hint?: string) {
  const ids = [hint ?? "", a.errors[field] ? `${id(field)}-error` : ""].filter(Boolean).join(" ");
  return { invalid: a.errors[field] ? "true" : "false", describedBy: ids || nothing };
}

/** Above the form after a refusal: every problem, each a link to its field; focused by the view. */
function problems(a: AppointmentAsk, lang: Lang) {
  const invalid = a.invalid;
  if (!invalid.length && !a.message) return nothing;
  const t = appointmentTexts[lang];
  const focus = (field: string) => (e: Event) => {
    // In a shadow root the fragment would find nothing and change the page's address.
    e.preventDefault();
    ((e.currentTarget as HTMLElement).getRootNode() as ShadowRoot).getElementById(id(field))?.focus();
  };
  return html`<div class="error-summary" role="alert" tabindex="-1">
    ${invalid.length
      ? html`<p class="title">${t.problems}</p>
          <ul>
            ${invalid.map((f) => html`<li><a href="#${id(f)}" @click=${focus(f)}>${a.errors[f]}</a></li>`)}
          </ul>`
      : nothing}
    ${a.message ? html`<p>${a.message}</p>` : nothing}
    ${a.offline ? html`<p><button class="btn secondary" type="submit">${t.retry}</button></p>` : nothing}
  </div>`;
}

function wish(a: AppointmentAsk, row: number, lang: Lang) {
  const t = appointmentTexts[lang];
  const r = a.rows[row]!;
  const date = described(a, `date-${row}`, "rq-days-hint");
  const time = described(a, `time-${row}`);
  const times: [TimeOfDay, string][] = [
    ["any", t.any],
    ["morning", t.morningTime],
    ["afternoon", t.afternoonTime],
  ];
  return html`<fieldset class="wish">
    <legend>${t.wish(row + 1)}${row ? html` <span class="optional">${sharedTexts[lang].optional}</span>` : nothing}</legend>
    <div class="pair">
      <div class="field">
        <label for=${id(`date-${row}`)}>${t.day}</label>
        ${error(a, `date-${row}`)}
        <input
          id=${id(`date-${row}`)}
          name="date-${row}"
          type="date"
          min=${a.first}
          max=${a.last}
          ?required=${row === 0}
          aria-invalid=${date.invalid}
          aria-describedby=${date.describedBy}
          .value=${r.date}
        />
      </div>
      <div class="field">
        <label for=${id(`time-${row}`)}>${t.timeOfDay}</label>
        ${error(a, `time-${row}`)}
        <select id=${id(`time-${row}`)} name="time-${row}" aria-invalid=${time.invalid} aria-describedby=${time.describedBy}>
          ${times.map(([value, label]) => html`<option value=${value} ?selected=${r.time === value}>${label}</option>`)}
        </select>
      </div>
    </div>
  </fieldset>`;
}

function form(a: AppointmentAsk, o: AskViewOptions) {
  const { lang, signedIn, account, config } = o.state;
  const t = appointmentTexts[lang];
  const s = a.service;
  const unverified = signedIn && account && !isVerified(account);
  const proof = { idle: "", solving: t.proofSolving, ready: t.proofReady, failed: t.proofFailed }[a.proof.state];
  const f = o.fields;
  f.errors = a.errors;
  return html`${back(t.backToServices, o.leave)}
    <h4 class="step" tabindex="-1">${t.ask}</h4>
    <p>${t.askIntro(pick(s.name, lang))}</p>
    <p class="meta"><span>${t.duration(s.durationMinutes)}</span><span>${pick(s.location.name, lang)}</span></p>
    ${unverified
      ? html`<div class="box">
          <p>${t.verifyFirst}</p>
          <p class="actions"><button class="btn" type="button" @click=${() => o.ctx.detour("verify")}>${t.verify}</button></p>
        </div>`
      : html`<form class="request" novalidate @submit=${o.submit} @input=${a.input} @change=${a.input}>
          ${problems(a, lang)}
          <p class="hint" id="rq-days-hint">${t.daysHint(dayLong(a.last, lang))}</p>
          ${a.rows.map((_, row) => wish(a, row, lang))}
          ${f.field({ name: "note", label: t.note, hint: t.noteHint, autocomplete: "off", maxlength: 1000, rows: 4, optional: true, value: a.note })}
          ${signedIn
            ? account
              ? html`<p>${t.askAccount(account.email)}</p>`
              : nothing
            : html`${f.field({ name: "name", label: t.name, autocomplete: "name", maxlength: 100, value: a.name })}
                ${f.field({ name: "email", label: t.emailField, type: "email", autocomplete: "email", hint: t.askEmailHint, maxlength: 254, value: a.email })}
                <p class="proof" role="status">${proof ? html`<span class="dot ${a.proof.state}" aria-hidden="true"></span>${proof}` : nothing}</p>`}
          <button class="btn wide" type="submit" aria-disabled=${a.busy ? "true" : "false"}>${a.busy ? sharedTexts[lang].wait : t.askSubmit}</button>
        </form>`}
    <div class="alt">
      <p>${t.askOther}</p>
      ${contactLinks(config, t)}
    </div>`;
}

function done(a: AppointmentAsk, o: AskViewOptions) {
  const { lang } = o.state;
  const t = appointmentTexts[lang];
  const r = a.result!;
  const times: Record<TimeOfDay, string> = { any: t.any, morning: t.morningTime, afternoon: t.afternoonTime };
  return html`<div class="done">
    <h4 class="step" tabindex="-1">${t.askedTitle}</h4>
    <div class="success"><p>${t.askedText(r.email)}</p></div>
    <dl class="summary-list">
      <div><dt>${t.service}</dt><dd>${pick(r.serviceName, lang)}</dd></div>
      <div>
        <dt>${t.wishes}</dt>
        <dd>
          <ul class="wishes">
            ${r.preferences.map((p) => html`<li>${dayLong(p.date, lang)}, ${times[p.time]}</li>`)}
          </ul>
        </dd>
      </div>
      ${r.note ? html`<div><dt>${t.note}</dt><dd class="note">${r.note}</dd></div>` : nothing}
    </dl>
    <p class="actions"><button class="link" type="button" @click=${o.leave}>${t.toServices}</button></p>
  </div>`;
}
