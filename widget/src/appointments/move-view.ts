import { html, nothing } from "lit";
import { pick } from "../core/i18n.js";
import type { TenantConfig } from "../core/types.js";
import { sharedTexts } from "../views/shared/form.js";
import { type ChoiceOptions, back, dayChoice, slotChoice } from "./booking-view.js";
import { contactLinks } from "./contact.js";
import { moment, when } from "./format.js";
import { type AppointmentMove, FINAL } from "./move.js";
import { appointmentTexts } from "./texts.js";

export interface MoveViewOptions extends ChoiceOptions {
  config: TenantConfig | undefined;
  /** Moves to the chosen time. */
  submit: () => void;
  /** Back to "Meine Termine", the appointment as it was. */
  close: () => void;
}

/** Moving an appointment: the booking's choice of day and time, then the check. */
export function moveView(m: AppointmentMove, o: MoveViewOptions) {
  const b = m.booking;
  const t = appointmentTexts[o.state.lang];
  if (b.step === "days" || b.step === "services") return dayChoice(b, { ...o, leave: { label: t.backToMine, go: o.close } });
  if (b.step === "slots") return slotChoice(b, o);
  return check(m, o);
}

function check(m: AppointmentMove, o: MoveViewOptions) {
  const { lang } = o.state;
  const t = appointmentTexts[lang];
  const a = m.appointment;
  const slot = m.booking.slot!;
  const failure = m.failure;
  const final = !!failure && FINAL.includes(failure.code);
  return html`${final ? nothing : back(t.backToSlots, () => m.booking.back())}
    <h4 class="step" tabindex="-1">${t.moveTitle(moment(slot.start, lang))}</h4>
    <dl class="summary-list">
      <div><dt>${t.service}</dt><dd>${pick(a.serviceName, lang)}</dd></div>
      <div><dt>${t.before}</dt><dd class="before">${when(a, lang)}</dd></div>
      <div><dt>${t.after}</dt><dd>${when(slot, lang)}</dd></div>
      <div><dt>${t.place}</dt><dd>${pick(a.location.name, lang)}<br />${a.location.address}</dd></div>
    </dl>
    <div class="form-error" id="move-error" role="alert" tabindex="-1">
      ${failure
        ? failure.code === "move_too_late"
          ? html`<p>${t.moveTooLate}</p>${contactLinks(o.config, t)}`
          : html`<p>${failure.message}</p>`
        : nothing}
    </div>
    ${final
      ? html`<p class="actions"><button class="btn" type="button" @click=${o.close}>${t.backToMine}</button></p>`
      : html`<p>${t.moveNote(a.email)}</p>
          <p class="actions">
            <button class="btn" type="button" aria-disabled=${m.busy ? "true" : "false"} @click=${o.submit}>${m.busy ? sharedTexts[lang].wait : t.moveYes}</button>
          </p>`}`;
}
