import { html, nothing } from "lit";
import { type Api, ApiError } from "../core/api.js";
import { pick } from "../core/i18n.js";
import type { Appointment, AppointmentList, Lang, TenantConfig } from "../core/types.js";
import { summary } from "./booking-view.js";
import { contactLinks } from "./contact.js";
import { moment, when } from "./format.js";
import { appointmentTexts } from "./texts.js";

type Load = { status: "idle" | "loading" | "ready" } | { status: "error"; message: string; code: string };

export interface MineHost {
  api(): Api;
  lang(): Lang;
  changed(): void;
  /** After the change has rendered: moves focus to the element matching `selector`. */
  focus(selector: string): void;
}

/** "Meine Termine": the account's coming appointments, cancelling one after asking once, and what moving one changed. */
export class MyAppointments {
  items: Appointment[] = [];
  load: Load = { status: "idle" };
  /** The appointment whose cancelling waits for "Ja, absagen". */
  asking: string | undefined;
  busy = false;
  /** Why cancelling failed (too late, offline), shown at that appointment. */
  failure: { id: string; message: string; tooLate: boolean } | undefined;
  /** The confirmation of the last cancelling or moving, shown above the list. */
  done = "";

  constructor(private readonly host: MineHost) {}

  async fetch() {
    this.load = { status: "loading" };
    this.host.changed();
    try {
      // The API lists cancelled ones too (until they would have ended): only those still to come.
      const { items } = await this.host.api().get<AppointmentList>("me/appointments", { auth: true });
      this.items = items.filter((a) => a.status === "confirmed" || a.status === "pending");
      this.load = { status: "ready" };
    } catch (e) {
      // 401 already ended the session and switched to the login.
      if (e instanceof ApiError && e.status === 401) return;
      this.load = { status: "error", message: (e as Error).message, code: e instanceof ApiError ? e.code : "network" };
    } finally {
      this.host.changed();
    }
  }

  ask(id: string) {
    this.asking = id;
    this.failure = undefined;
    this.done = "";
    this.host.changed();
    this.host.focus(`#cancel-q-${CSS.escape(id)}`);
  }

  keep() {
    const id = this.asking;
    this.asking = undefined;
    this.host.changed();
    if (id) this.host.focus(`[data-cancel="${CSS.escape(id)}"]`);
  }

  async cancel(a: Appointment) {
    if (this.busy) return;
    this.busy = true;
    this.host.changed();
    const lang = this.host.lang();
    try {
      await this.host.api().send<Appointment>("POST", `me/appointments/${encodeURIComponent(a.id)}/cancel`, undefined, true);
      this.items = this.items.filter((x) => x.id !== a.id);
      this.asking = undefined;
      this.done = appointmentTexts[lang].cancelled(`${pick(a.serviceName, lang)}, ${when(a, lang)}`);
      this.host.focus(".outcome");
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      const tooLate = e instanceof ApiError && e.code === "cancel_too_late";
      this.failure = { id: a.id, message: (e as Error).message, tooLate };
      this.asking = undefined;
      if (tooLate) this.items = this.items.map((x) => (x.id === a.id ? { ...x, cancellableUntil: null } : x));
      this.host.focus(`#cancel-error-${CSS.escape(a.id)}`);
    } finally {
      this.busy = false;
      this.host.changed();
    }
  }

  /** Before moving one: what was said about the last change goes. */
  clear() {
    this.asking = undefined;
    this.failure = undefined;
    this.done = "";
  }

  /** An appointment was moved: listed at its new time, and said so above the list (the view focuses it). */
  moved(a: Appointment) {
    const lang = this.host.lang();
    this.items = this.items.map((x) => (x.id === a.id ? a : x)).sort((x, y) => Date.parse(x.start) - Date.parse(y.start));
    this.done = appointmentTexts[lang].moved(pick(a.serviceName, lang), when(a, lang));
    this.host.changed();
  }
}

/** What each appointment of the list offers besides cancelling. */
export interface MineActions {
  move(a: Appointment): void;
}

export function mineView(m: MyAppointments, lang: Lang, config: TenantConfig | undefined, cutoffHours: number, actions: MineActions) {
  const t = appointmentTexts[lang];
  const load = m.load;
  return html`<p class="intro">${t.mineIntro(cutoffHours)}</p>
    <div class="success" role="status">${m.done ? html`<p class="outcome" tabindex="-1">${m.done}</p>` : nothing}</div>
    ${load.status === "error"
      ? html`<div class="box" role="alert">
          <p>${load.message}</p>
          <p class="actions"><button class="btn" type="button" @click=${() => void m.fetch()}>${t.retry}</button></p>
        </div>`
      : nothing}
    ${(load.status === "loading" || load.status === "idle") && !m.items.length ? html`<p class="state">${t.loading}</p>` : nothing}
    ${load.status === "ready" && !m.items.length ? html`<p class="box">${t.mineEmpty}</p>` : nothing}
    ${m.items.length
      ? html`<ul class="mine">
          ${m.items.map((a) => item(m, a, lang, config, actions))}
        </ul>`
      : nothing}`;
}

function item(m: MyAppointments, a: Appointment, lang: Lang, config: TenantConfig | undefined, actions: MineActions) {
  const t = appointmentTexts[lang];
  const title = pick(a.serviceName, lang);
  const failure = m.failure?.id === a.id ? m.failure : undefined;
  return html`<li class="card">
    <h4>${title}</h4>
    ${a.status === "pending" ? html`<p><span class="badge todo">${t.pending}</span></p>` : nothing}
    ${summary({ service: a.serviceName, start: a.start, end: a.end, location: a.location }, lang)}
    <div class="form-error" id="cancel-error-${a.id}" tabindex="-1">${failure ? html`<p>${failure.message}</p>` : nothing}</div>
    ${a.cancellableUntil
      ? m.asking === a.id
        ? html`<div class="ask" role="group" aria-labelledby="cancel-q-${a.id}">
            <p id="cancel-q-${a.id}" tabindex="-1">${t.cancelQuestion(`${title}, ${when(a, lang)}`)}</p>
            <p class="actions">
              <button class="btn danger" type="button" aria-disabled=${m.busy ? "true" : "false"} @click=${() => void m.cancel(a)}>${t.cancelYes}</button>
              <button class="btn secondary" type="button" @click=${() => m.keep()}>${t.cancelNo}</button>
            </p>
          </div>`
        : html`<p class="hint">${t.cancelUntil(moment(a.cancellableUntil, lang))}</p>
            <p class="actions">
              <a class="link" href=${a.calendarUrl}>${t.calendar}<span class="sr-only">: ${title}</span></a>
              <button class="btn secondary" type="button" data-move=${a.id} @click=${() => actions.move(a)}>
                ${t.move}<span class="sr-only">: ${title}, ${when(a, lang)}</span>
              </button>
              <button class="btn secondary" type="button" data-cancel=${a.id} @click=${() => m.ask(a.id)}>
                ${t.cancel}<span class="sr-only">: ${title}, ${when(a, lang)}</span>
              </button>
            </p>`
      : html`<div class="box call"><p>${t.callUs}</p>${contactLinks(config, t)}</div>
          <p class="actions"><a class="link" href=${a.calendarUrl}>${t.calendar}<span class="sr-only">: ${title}</span></a></p>`}
  </li>`;
}
