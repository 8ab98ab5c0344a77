import { type PropertyValues, html, nothing } from "lit";
import { ApiError } from "../core/api.js";
import type { WidgetState } from "../core/context.js";
import { define } from "../core/dom.js";
import type { Account, Appointment, AppointmentServiceInfo } from "../core/types.js";
import { Booking, type BookingHost, type Step, WEEKS } from "../appointments/booking.js";
import { bookingView } from "../appointments/booking-view.js";
import { byWeek } from "../appointments/format.js";
import { MyAppointments, mineView } from "../appointments/mine.js";
import { AppointmentMove } from "../appointments/move.js";
import { moveView } from "../appointments/move-view.js";
import { AppointmentAsk } from "../appointments/request.js";
import { askView } from "../appointments/request-view.js";
import { MINE } from "../appointments/route.js";
import { appointmentStyles } from "../appointments/styles.js";
import { appointmentTexts } from "../appointments/texts.js";
import { FormController, ViewElement, formValues } from "./shared/form.js";
import { proofStyles, tabStyles, viewStyles } from "./shared/styles.js";

/**
 * A booking under way, kept while the visitor logs in from its last step (the login is another
 * view, so this element goes and a new one comes back). In memory only, per town.
 */
const parked = new Map<string, Booking>();

const order: Step[] = ["services", "days", "slots", "confirm", "done"];

/**
 * "Termine": the town's services → a free day → a free time → check and book (with the session,
 * or with name, e-mail and a proof of work, then confirmed through the mail's link); for services
 * given on request a Terminanfrage with preferred days instead; and "Meine Termine" with moving
 * and cancelling for signed-in citizens (`state.param` = "mine").
 */
export class AppointmentsView extends ViewElement {
  static override properties = {
    ...ViewElement.properties,
    live: { state: true },
  };

  static override styles = [viewStyles, tabStyles, proofStyles, appointmentStyles];

  /** Said by the screen reader: how many more days are shown. */
  declare live: string;

  private readonly bookingHost: BookingHost = {
    api: () => this.ctx.api,
    lang: () => this.state.lang,
    signedIn: () => this.state.signedIn,
    changed: () => this.requestUpdate(),
  };
  private booking = new Booking(this.bookingHost);
  private readonly mine = new MyAppointments({
    api: () => this.ctx.api,
    lang: () => this.state.lang,
    changed: () => this.requestUpdate(),
    focus: (selector) => void this.focusAfterUpdate(selector),
  });
  private readonly form = new FormController(this, ["name", "email"], "ap-");
  private readonly askFields = new FormController(this, ["note", "name", "email"], "rq-");
  /** The Terminanfrage under way, in place of the booking. */
  private ask: AppointmentAsk | undefined;
  /** The service whose Terminanfrage was left, to focus it in the list. */
  private asked = "";
  /** Moving one of "Meine Termine", in place of the list. */
  private move: AppointmentMove | undefined;
  /** The screen last shown (`screen`), to move focus when it changes. */
  private shown = "";
  private askingAccount = false;

  constructor() {
    super();
    this.live = "";
  }

  private get t() {
    return appointmentTexts[this.state.lang];
  }

  private get showsMine() {
    return this.state.param === MINE && this.state.signedIn;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has("state")) return;
    if (!changed.get("state")) this.unpark();
    if (this.booking.servicesLoad.status === "idle") void this.booking.loadServices();
    if (this.state.signedIn && !this.state.account) void this.loadAccount();
    const before = changed.get("state") as WidgetState | undefined;
    // Fresh each time it is opened: an appointment may just have been booked or cancelled by link.
    if (this.showsMine && (before?.param !== MINE || before.view !== "appointments" || this.mine.load.status === "idle")) {
      this.move = undefined;
      void this.mine.fetch();
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    const step = this.booking.step;
    if (step === "days" || step === "slots" || step === "confirm") parked.set(this.ctx.api.tenantUrl, this.booking);
  }

  private unpark() {
    const key = this.ctx.api.tenantUrl;
    const kept = parked.get(key);
    parked.delete(key);
    if (!kept) return;
    kept.host = this.bookingHost;
    this.booking = kept;
  }

  /** The account, for its e-mail address in the summary and whether it may book (verified). */
  private async loadAccount() {
    if (this.askingAccount) return;
    this.askingAccount = true;
    try {
      const { account } = await this.ctx.api.get<{ account: Account }>("me", { auth: true });
      if (this.state.signedIn) this.ctx.setAccount(account);
    } catch {
      // Booking tells if the account may not book; only the address in the summary is missing.
    } finally {
      this.askingAccount = false;
    }
  }

  /** The panel was opened again: what changed meanwhile (a cancellation by the mail's link) shows. */
  reopened() {
    if (this.showsMine) void this.mine.fetch();
  }

  override initialFocus() {
    const screen = this.screen;
    if (screen !== "mine|list" && screen !== "book|book:services") return this.renderRoot.querySelector<HTMLElement>("h4.step");
    return super.initialFocus();
  }

  /** The booking whose days and times are shown: the appointment's being moved, or the new one. */
  private get choosing(): Booking {
    return (this.showsMine && this.move?.booking) || this.booking;
  }

  /** `tab|flow:step`, e.g. `book|book:days`, `book|ask:form`, `mine|move:slots`, `mine|list`. */
  private get screen(): string {
    if (this.showsMine) return this.move ? `mine|move:${this.move.booking.step}` : "mine|list";
    return this.ask ? `book|ask:${this.ask.step}` : `book|book:${this.booking.step}`;
  }

  protected override updated() {
    const screen = this.screen;
    const from = this.shown;
    if (screen === from) return;
    this.shown = screen;
    const [tab, flow = ""] = screen.split("|");
    const [fromTab, fromFlow = ""] = from.split("|");
    // A new tab (or the view just came): the panel focuses its heading. Back in the list of
    // "Meine Termine": moving focused what it left for.
    if (!from || tab !== fromTab || flow === "list") return;
    const [kind, step = ""] = flow.split(":");
    const [fromKind, fromStep = ""] = fromFlow.split(":");
    const focus = (selector: string) => this.renderRoot.querySelector<HTMLElement>(selector);
    if (flow === "book:services" && (fromStep === "done" || fromFlow === "ask:done")) return void focus("h3")?.focus();
    if (flow === "book:services" && fromKind === "ask") return void (focus(`[data-service="${CSS.escape(this.asked)}"]`) ?? focus("h3"))?.focus();
    // Back within a booking or a move: to what was chosen there, so the keyboard continues from it.
    const b = this.choosing;
    const chosen =
      kind === fromKind && order.indexOf(step as Step) < order.indexOf(fromStep as Step)
        ? step === "services"
          ? `[data-service="${CSS.escape(b.service?.id ?? "")}"]`
          : step === "days"
            ? `[data-day="${CSS.escape(b.day?.date ?? "")}"]`
            : `[data-slot="${CSS.escape(b.slot?.start ?? "")}"]`
        : "";
    ((chosen && focus(chosen)) || focus("h4.step"))?.focus();
    if (kind === "book" && step !== "confirm") this.form.reset();
  }

  /** Renders what changed (the element may be new), then focuses it. */
  private async focusAfterUpdate(selector: string) {
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async say(text: string) {
    this.live = "";
    await this.updateComplete;
    this.live = text;
  }

  private readonly moreWeeks = () => {
    const b = this.choosing;
    const weeks = byWeek(b.days);
    const first = weeks[b.weeks]?.[1][0];
    const added = weeks.slice(b.weeks, b.weeks + WEEKS).reduce((n, [, days]) => n + days.length, 0);
    b.weeks += WEEKS;
    this.requestUpdate();
    void this.say(this.t.daysLoaded(added));
    if (first) void this.focusAfterUpdate(`[data-day="${CSS.escape(first.date)}"]`);
  };

  private readonly submit = (e: SubmitEvent) => {
    const values = formValues(e);
    const t = this.t;
    void this.form.submit(async () => {
      if (this.state.signedIn) return this.booking.book();
      const missing = Object.fromEntries(
        [
          ["name", t.nameRequired],
          ["email", t.emailRequired],
        ]
          .filter(([field]) => !values[field!])
          .map(([field, message]) => [field, { code: "required", message: message! }]),
      );
      if (Object.keys(missing).length) throw new ApiError(400, "validation_failed", t.check, missing);
      await this.booking.book({ name: values.name!, email: values.email! });
    });
  };

  private readonly startAsk = (s: AppointmentServiceInfo) => {
    this.ask = new AppointmentAsk(
      { api: () => this.ctx.api, lang: () => this.state.lang, signedIn: () => this.state.signedIn, changed: () => this.requestUpdate() },
      s,
      this.booking.windowDays,
    );
    this.requestUpdate();
  };

  private readonly leaveAsk = () => {
    this.asked = this.ask?.service.id ?? "";
    this.ask = undefined;
    this.requestUpdate();
  };

  private readonly sendAsk = (e: SubmitEvent) => {
    e.preventDefault();
    void this.ask?.send().then((ok) => {
      if (ok === false) void this.focusAfterUpdate(".error-summary");
    });
  };

  private readonly startMove = (a: Appointment) => {
    this.mine.clear();
    this.move = new AppointmentMove(this.bookingHost, a);
    this.requestUpdate();
  };

  /** Back to the list: on the appointment's "Verschieben", or on the heading if it is gone. */
  private readonly leaveMove = async () => {
    const m = this.move;
    this.move = undefined;
    this.requestUpdate();
    // After a refusal the list is asked afresh: the appointment may be past the cut-off or cancelled.
    if (m?.failure) await this.mine.fetch();
    await this.updateComplete;
    const root = this.renderRoot;
    (root.querySelector<HTMLElement>(`[data-move="${CSS.escape(m?.appointment.id ?? "")}"]`) ?? root.querySelector<HTMLElement>("h3"))?.focus();
  };

  private readonly submitMove = () => {
    const m = this.move;
    void m?.submit().then((moved) => {
      if (this.move !== m) return;
      if (moved) {
        this.move = undefined;
        this.mine.moved(moved);
        void this.focusAfterUpdate(".outcome");
      } else if (m.failure) {
        void this.focusAfterUpdate("#move-error");
      }
    });
  };

  override render() {
    const t = this.t;
    const mine = this.showsMine;
    const { state, ctx } = this;
    return html`<h3 tabindex="-1">${mine ? t.mine : t.title}</h3>
      ${state.signedIn
        ? html`<nav class="tabs" aria-label=${t.tabs}>
            <button type="button" aria-current=${mine ? nothing : "page"} @click=${() => ctx.navigate("appointments")}>${t.book}</button>
            <button type="button" aria-current=${mine ? "page" : nothing} @click=${() => ctx.navigate("appointments", MINE)}>${t.mine}</button>
          </nav>`
        : nothing}
      <p class="sr-only" role="status">${this.live}</p>
      ${mine
        ? this.move
          ? moveView(this.move, { state, config: state.config, moreWeeks: this.moreWeeks, submit: this.submitMove, close: this.leaveMove })
          : mineView(this.mine, state.lang, state.config, this.booking.cancelCutoffHours, { move: this.startMove })
        : this.ask
          ? askView(this.ask, { ctx, state, submit: this.sendAsk, fields: this.askFields, leave: this.leaveAsk })
          : bookingView(this.booking, { ctx, state, form: this.form, submit: this.submit, moreWeeks: this.moreWeeks, ask: this.startAsk })}`;
  }
}

define("dr-appointments-view", AppointmentsView);

declare global {
  interface HTMLElementTagNameMap {
    "dr-appointments-view": AppointmentsView;
  }
}
