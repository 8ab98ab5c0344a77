import { type Api, ApiError } from "../core/api.js";
import type { Appointment, AppointmentServiceInfo, AppointmentServiceList, Lang, SlotDays } from "../core/types.js";
import { addDays, berlinToday } from "./format.js";
import { AppointmentProof } from "./proof.js";

export type Day = SlotDays["days"][number];
export type Slot = Day["slots"][number];
export type Step = "services" | "days" | "slots" | "confirm" | "done";
type Load = { status: "idle" | "loading" | "ready" } | { status: "error"; message: string };

/** What the booking needs from the view that shows it. */
export interface BookingHost {
  api(): Api;
  lang(): Lang;
  signedIn(): boolean;
  changed(): void;
}

/** Days asked for at once: as many as the API answers. */
const SPAN = 62;
/** Weeks shown at first, and shown more by "Spätere Tage anzeigen". */
export const WEEKS = 3;
/** How far ahead a town takes appointments when the API does not say: the usual eight weeks. */
export const WINDOW_DAYS = 56;

/**
 * One booking from the choice of the service to the answer: the step, what was chosen, the free
 * days as loaded, the proof of work without an account. No rendering (./booking-view.ts); kept
 * by the view while the visitor logs in on the way.
 */
export class Booking {
  step: Step = "services";
  services: AppointmentServiceInfo[] = [];
  cancelCutoffHours = 24;
  /** Days from today on which appointments can be had (the last one included). */
  windowDays = WINDOW_DAYS;
  servicesLoad: Load = { status: "idle" };
  service: AppointmentServiceInfo | undefined;
  days: Day[] = [];
  daysLoad: Load = { status: "idle" };
  /** How many weeks of days are shown. */
  weeks = WEEKS;
  day: Day | undefined;
  slot: Slot | undefined;
  /** Why the citizen is choosing again: the slot was taken meanwhile (and with it the day's last). */
  notice: "" | "taken" | "takenDayFull" = "";
  result: Appointment | undefined;
  readonly proof = new AppointmentProof(
    () => this.host.api(),
    () => this.host.changed(),
  );

  constructor(public host: BookingHost) {}

  private get api() {
    return this.host.api();
  }

  async loadServices() {
    this.servicesLoad = { status: "loading" };
    this.host.changed();
    try {
      const list = await this.api.get<AppointmentServiceList>("appointments/services");
      this.services = list.services;
      this.cancelCutoffHours = list.cancelCutoffHours;
      this.windowDays = list.bookingWindowDays;
      this.servicesLoad = { status: "ready" };
    } catch (e) {
      this.servicesLoad = { status: "error", message: (e as Error).message };
    }
    this.host.changed();
  }

  chooseService(s: AppointmentServiceInfo) {
    this.service = s;
    this.days = [];
    this.day = this.slot = undefined;
    this.notice = "";
    this.step = "days";
    void this.loadDays();
  }

  /** All free days the API gives at once (it answers up to 62 days; the booking window is usually 56). */
  async loadDays() {
    const s = this.service;
    if (!s) return;
    const from = berlinToday();
    this.daysLoad = { status: "loading" };
    this.host.changed();
    try {
      const answer = await this.api.get<SlotDays>(`appointments/services/${encodeURIComponent(s.id)}/slots?from=${from}&to=${addDays(from, SPAN - 1)}`);
      if (this.service !== s) return;
      this.days = answer.days.filter((d) => d.slots.length > 0);
      this.weeks = WEEKS;
      this.daysLoad = { status: "ready" };
    } catch (e) {
      this.daysLoad = { status: "error", message: (e as Error).message };
    } finally {
      this.host.changed();
    }
  }

  chooseDay(d: Day) {
    this.day = d;
    this.slot = undefined;
    this.notice = "";
    this.step = "slots";
    this.host.changed();
  }

  chooseSlot(s: Slot) {
    this.slot = s;
    this.notice = "";
    this.step = "confirm";
    // Solved while the citizen reads the summary and types name and address.
    if (!this.host.signedIn()) this.proof.prepare();
    this.host.changed();
  }

  back() {
    this.notice = "";
    this.step = this.step === "confirm" ? "slots" : this.step === "slots" ? "days" : "services";
    this.host.changed();
  }

  restart() {
    this.step = "services";
    this.service = this.day = this.slot = this.result = undefined;
    this.days = [];
    this.notice = "";
    this.host.changed();
  }

  /**
   * Books the chosen slot: with the session, or with name, e-mail and a proof of work. A slot
   * taken meanwhile leads back to the day's free slots as they are now; other failures are thrown
   * for the form to show (fields, verification, network).
   */
  book(who?: { name: string; email: string }) {
    const body = { serviceId: this.service!.id, start: this.slot!.start };
    return this.take(() =>
      who
        ? this.proof.send((proof) => this.api.send<Appointment>("POST", "appointments/bookings", { ...body, ...who, lang: this.host.lang(), proof }))
        : this.api.send<Appointment>("POST", "appointments/bookings", body, true),
    );
  }

  /**
   * Takes the chosen slot by `send` (a booking, or moving an appointment there): done with the
   * appointment it answers; a slot taken meanwhile leads back to the day's free slots as they are
   * now; other failures are thrown.
   */
  async take(send: () => Promise<Appointment>) {
    try {
      this.result = await send();
      this.step = "done";
    } catch (e) {
      if (!(e instanceof ApiError && e.code === "slot_taken")) throw e;
      await this.slotTaken();
    } finally {
      this.host.changed();
    }
  }

  /**
   * The 409 carries the day's free slots in `error.slots`, which the widget's API client does not
   * pass on (it keeps code, message and fields): the day is asked for again, computed fresh.
   */
  private async slotTaken() {
    const day = this.day!;
    let fresh: Day = { date: day.date, slots: day.slots.filter((x) => x.start !== this.slot?.start) };
    try {
      const answer = await this.api.get<SlotDays>(`appointments/services/${encodeURIComponent(this.service!.id)}/slots?from=${day.date}&to=${day.date}`, { fresh: true });
      fresh = answer.days.find((d) => d.date === day.date) ?? { date: day.date, slots: [] };
    } catch {
      // Offline now: the day's other slots as known; booking one tells again if it is gone.
    }
    this.days = fresh.slots.length ? this.days.map((d) => (d.date === day.date ? fresh : d)) : this.days.filter((d) => d.date !== day.date);
    this.slot = undefined;
    if (fresh.slots.length) {
      this.day = fresh;
      this.step = "slots";
      this.notice = "taken";
    } else {
      this.day = undefined;
      this.step = "days";
      this.notice = "takenDayFull";
    }
  }
}
