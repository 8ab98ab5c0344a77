import { type PropertyValues, html, nothing } from "lit";
import { ApiError } from "../core/api.js";
import type { WidgetState } from "../core/context.js";
import { define } from "../core/dom.js";
import type { Account } from "../core/types.js";
import { Booking, type BookingHost, type Step, WEEKS } from "../appointments/booking.js";
import { bookingView } from "../appointments/booking-view.js";
import { byWeek } from "../appointments/format.js";
import { MyAppointments, mineView } from "../appointments/mine.js";
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
 * or with name, e-mail and a proof of work, then confirmed through the mail's link), and
 * "Meine Termine" with cancelling for signed-in citizens (`state.param` = "mine").
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
  /** The step last shown, to move focus when it changes. */
  private shownStep: Step = "services";
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
    if (this.showsMine && (before?.param !== MINE || before.view !== "appointments" || this.mine.load.status === "idle")) void this.mine.fetch();
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
    this.shownStep = kept.step;
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
    if (!this.showsMine && this.booking.step !== "services") return this.renderRoot.querySelector<HTMLElement>("h4.step");
    return super.initialFocus();
  }

  protected override updated() {
    const step = this.booking.step;
    if (this.showsMine || step === this.shownStep) return;
    const from = this.shownStep;
    this.shownStep = step;
    if (step === "services" && from === "done") return void this.renderRoot.querySelector<HTMLElement>("h3")?.focus();
    // Back: to what was chosen there, so the keyboard continues from it.
    const b = this.booking;
    const chosen =
      order.indexOf(step) < order.indexOf(from)
        ? step === "services"
          ? `[data-service="${CSS.escape(b.service?.id ?? "")}"]`
          : step === "days"
            ? `[data-day="${CSS.escape(b.day?.date ?? "")}"]`
            : `[data-slot="${CSS.escape(b.slot?.start ?? "")}"]`
        : "";
    const target = (chosen && this.renderRoot.querySelector<HTMLElement>(chosen)) || this.renderRoot.querySelector<HTMLElement>("h4.step");
    target?.focus();
    if (step !== "confirm") this.form.reset();
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
    const b = this.booking;
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
        ? mineView(this.mine, state.lang, state.config, this.booking.cancelCutoffHours)
        : bookingView(this.booking, { ctx, state, form: this.form, submit: this.submit, moreWeeks: this.moreWeeks })}`;
  }
}

define("dr-appointments-view", AppointmentsView);

declare global {
  interface HTMLElementTagNameMap {
    "dr-appointments-view": AppointmentsView;
  }
}
