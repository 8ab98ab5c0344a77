import type { AppointmentRequest } from "../../../server/appointments/api-types.js";
import { type Api, ApiError, NetworkError } from "../core/api.js";
import { coreTexts } from "../core/i18n.js";
import type { AppointmentServiceInfo, Lang } from "../core/types.js";
import { addDays, berlinToday } from "./format.js";
import { AppointmentProof } from "./proof.js";
import { appointmentTexts } from "./texts.js";

export type TimeOfDay = AppointmentRequest["preferences"][number]["time"];

/** Preferred days a citizen may name (the API takes up to five; three keep the form short). */
export const WISHES = 3;

/** What the request needs from the view that shows it. */
export interface AskHost {
  api(): Api;
  lang(): Lang;
  signedIn(): boolean;
  changed(): void;
}

/**
 * One Terminanfrage for a service given on request: up to three preferred days with a time of
 * day, a note, and without an account name, e-mail and a proof of work. The values live here (not
 * only in the inputs), so they survive a visit to "Meine Termine". No rendering (./request-view.ts).
 *
 * Fields are named `date-0`, `time-0` … by their row, `note`, `name`, `email`; the API's
 * `preferences.<i>.…` counts only the rows that were filled and is mapped back to them.
 */
export class AppointmentAsk {
  step: "form" | "done" = "form";
  readonly rows: Array<{ date: string; time: TimeOfDay }> = Array.from({ length: WISHES }, () => ({ date: "", time: "any" }));
  note = "";
  name = "";
  email = "";
  /** Problems by field, in the visitor's language. */
  errors: Record<string, string> = {};
  /** A problem of no one field (rate limit, proof, offline). */
  message = "";
  /** Offline: the message offers to send again. */
  offline = false;
  busy = false;
  result: AppointmentRequest | undefined;
  /** The range of the date inputs: today to the end of the town's booking window. */
  readonly first: string;
  readonly last: string;
  readonly proof: AppointmentProof;

  constructor(
    private readonly host: AskHost,
    readonly service: AppointmentServiceInfo,
    windowDays: number,
  ) {
    this.first = berlinToday();
    this.last = addDays(this.first, windowDays);
    this.proof = new AppointmentProof(
      () => host.api(),
      () => host.changed(),
    );
    // Solved while the citizen chooses days and types.
    if (!host.signedIn()) this.proof.prepare();
  }

  /** Keeps what was typed or chosen (the form's input and change events). */
  readonly input = (e: Event) => {
    const el = e.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    const [field, row] = el.name.split("-");
    const wish = this.rows[Number(row)];
    if (field === "date" && wish) wish.date = el.value;
    else if (field === "time" && wish) wish.time = el.value as TimeOfDay;
    else if (field === "note" || field === "name" || field === "email") this[field] = el.value;
  };

  /** Fields with a problem, in the order of the form. */
  get invalid(): string[] {
    const order = [...this.rows.flatMap((_, i) => [`date-${i}`, `time-${i}`]), "note", "name", "email"];
    return order.filter((f) => this.errors[f]);
  }

  /**
   * Sends the request; false when it was refused (the problems are set), undefined when one is
   * already under way.
   */
  async send(): Promise<boolean | undefined> {
    if (this.busy) return undefined;
    const lang = this.host.lang();
    const t = appointmentTexts[lang];
    const signedIn = this.host.signedIn();
    this.errors = {};
    this.message = "";
    this.offline = false;
    const chosen = this.rows.flatMap((r, row) => (r.date ? [{ ...r, row }] : []));
    if (!chosen.length) this.errors["date-0"] = t.dayRequired;
    if (!signedIn && !this.name.trim()) this.errors.name = t.nameRequired;
    if (!signedIn && !this.email.trim()) this.errors.email = t.emailRequired;
    if (this.invalid.length) {
      this.host.changed();
      return false;
    }
    this.busy = true;
    this.host.changed();
    const note = this.note.trim();
    const body = { serviceId: this.service.id, preferences: chosen.map(({ date, time }) => ({ date, time })), ...(note ? { note } : {}), lang };
    const api = this.host.api();
    try {
      this.result = signedIn
        ? await api.send<AppointmentRequest>("POST", "appointments/requests", body, true)
        : await this.proof.send((proof) => api.send<AppointmentRequest>("POST", "appointments/requests", { ...body, name: this.name.trim(), email: this.email.trim(), proof }));
      this.step = "done";
      return true;
    } catch (e) {
      this.fail(
        e,
        chosen.map((c) => c.row),
        lang,
      );
      return false;
    } finally {
      this.busy = false;
      this.host.changed();
    }
  }

  /** The API's problems at their fields; `rows`: the form's row of each preference sent. */
  private fail(e: unknown, rows: number[], lang: Lang) {
    if (!(e instanceof ApiError)) {
      this.offline = e instanceof NetworkError;
      if (!this.offline) console.error(e);
      this.message = this.offline ? (e as Error).message : coreTexts[lang].unavailable;
      return;
    }
    const elsewhere: string[] = [];
    for (const [path, problem] of Object.entries(e.fields)) {
      const field = fieldOf(path, rows, this.host.signedIn());
      if (field) this.errors[field] ??= problem.message || e.message;
      else elsewhere.push(problem.message);
    }
    // With every problem at its field, the summary's heading says enough.
    this.message = this.invalid.length && !elsewhere.length ? "" : [e.message, ...elsewhere].join(" ");
  }
}

/** The form's field of an API path: `preferences.1.date` is the date of the second row sent. */
function fieldOf(path: string, rows: number[], signedIn: boolean): string | undefined {
  const wish = /^preferences(?:\.(\d+))?(?:\.(date|time))?$/.exec(path);
  if (wish) return `${wish[2] ?? "date"}-${rows[Number(wish[1] ?? 0)] ?? 0}`;
  if (path === "note" || (!signedIn && (path === "name" || path === "email"))) return path;
  return undefined;
}
