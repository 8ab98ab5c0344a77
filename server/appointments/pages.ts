import type { Lang } from "../http/errors.js";
import type { LinkPageChoice } from "../http/link-page.js";
import type { Appointment, SlotDays } from "./api-types.js";

/** The texts of the pages behind the links in appointment mails (server/http/link-page.ts). */

const dayTime = {
  de: new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" }),
};

const dayOnly = {
  de: new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", weekday: "long", day: "numeric", month: "long" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", weekday: "long", day: "numeric", month: "long" }),
};
const clock = new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" });

const what = (lang: Lang, a: Appointment) => {
  const service = (lang === "en" ? a.serviceName.en : undefined) ?? a.serviceName.de;
  const place = (lang === "en" ? a.location.name.en : undefined) ?? a.location.name.de;
  return `${service}, ${dayTime[lang].format(Date.parse(a.start))}${lang === "de" ? " Uhr" : ""}, ${place}`;
};

export const pages = {
  confirm(lang: Lang, a: Appointment) {
    if (a.status === "confirmed") return pages.confirmed(lang, a);
    if (a.status !== "pending") return gone(lang, a);
    return lang === "de"
      ? { title: "Termin bestätigen", text: `Bitte bestätigen Sie Ihren Termin: ${what(lang, a)}.`, button: "Ja, Termin bestätigen" }
      : { title: "Confirm your appointment", text: `Please confirm your appointment: ${what(lang, a)}.`, button: "Yes, confirm the appointment" };
  },
  confirmed(lang: Lang, a: Appointment) {
    return lang === "de"
      ? { title: "Ihr Termin ist bestätigt", text: `${what(lang, a)}. Sie erhalten gleich eine E-Mail mit dem Termin für Ihren Kalender.` }
      : { title: "Your appointment is confirmed", text: `${what(lang, a)}. You will receive an e-mail with the appointment for your calendar shortly.` };
  },
  cancel(lang: Lang, a: Appointment) {
    if (a.status === "cancelled") return pages.cancelled(lang, a);
    if (!a.cancellableUntil) {
      return lang === "de"
        ? { title: "Absage nicht mehr online möglich", text: `${what(lang, a)}. Bitte rufen Sie uns an, wenn Sie nicht kommen können.` }
        : { title: "Cannot be cancelled online any more", text: `${what(lang, a)}. Please call us if you cannot come.` };
    }
    return lang === "de"
      ? { title: "Termin absagen", text: `Möchten Sie diesen Termin absagen? ${what(lang, a)}.`, button: "Ja, Termin absagen" }
      : { title: "Cancel the appointment", text: `Do you want to cancel this appointment? ${what(lang, a)}.`, button: "Yes, cancel the appointment" };
  },
  /** The free times of a week to move to, in one list grouped by day; `more` leads to the next week. */
  move(lang: Lang, a: Appointment, free: SlotDays, more: string) {
    if (a.status === "cancelled") return pages.cancelled(lang, a);
    if (!a.cancellableUntil) {
      return lang === "de"
        ? { title: "Verschieben nicht mehr online möglich", text: `${what(lang, a)}. Bitte rufen Sie uns an, wenn Sie nicht kommen können.` }
        : { title: "Cannot be moved online any more", text: `${what(lang, a)}. Please call us if you cannot come.` };
    }
    const groups = free.days
      .filter((d) => d.slots.length > 0)
      .map((d) => ({ label: dayOnly[lang].format(Date.parse(d.slots[0]!.start)), options: d.slots.map((x) => ({ value: x.start, label: `${clock.format(Date.parse(x.start))}${lang === "de" ? " Uhr" : ""}` })) }));
    const next = { href: more, label: lang === "de" ? "Freie Termine der folgenden Woche" : "Free times of the following week" };
    if (groups.length === 0) {
      return lang === "de"
        ? { title: "Termin verschieben", text: `${what(lang, a)}. In dieser Woche ist kein anderer Termin frei.`, link: next }
        : { title: "Move the appointment", text: `${what(lang, a)}. No other time is free this week.`, link: next };
    }
    const choice: LinkPageChoice = { name: "start", label: lang === "de" ? "Neuer Termin" : "New time", groups, more: next };
    return lang === "de"
      ? { title: "Termin verschieben", text: `Ihr Termin: ${what(lang, a)}. Wählen Sie eine neue Zeit; der bisherige Termin wird dann frei.`, button: "Auf diese Zeit verschieben", choice }
      : { title: "Move the appointment", text: `Your appointment: ${what(lang, a)}. Choose a new time; the current one is then released.`, button: "Move to this time", choice };
  },
  moved(lang: Lang, a: Appointment) {
    return lang === "de"
      ? { title: "Ihr Termin ist verschoben", text: `Neu: ${what(lang, a)}. Sie erhalten gleich eine E-Mail mit dem geänderten Termin für Ihren Kalender.` }
      : { title: "Your appointment has been moved", text: `New: ${what(lang, a)}. You will receive an e-mail with the changed appointment for your calendar shortly.` };
  },
  cancelled(lang: Lang, a: Appointment) {
    return lang === "de"
      ? { title: "Ihr Termin ist abgesagt", text: `${what(lang, a)}. Der Termin ist wieder frei. Einen neuen buchen Sie im Digitalen Rathaus unter „Termine“.` }
      : { title: "Your appointment is cancelled", text: `${what(lang, a)}. The slot is free again. Book a new one in the Digital Town Hall under “Appointments”.` };
  },
};

function gone(lang: Lang, a: Appointment) {
  return lang === "de"
    ? { title: "Reservierung abgelaufen", text: `${what(lang, a)}. Die Reservierung wurde nicht innerhalb von 30 Minuten bestätigt und ist wieder frei. Bitte buchen Sie erneut.` }
    : { title: "Reservation expired", text: `${what(lang, a)}. The reservation was not confirmed within 30 minutes and is free again. Please book again.` };
}
