import { html } from "hono/html";
import type { Tenant } from "../tenants/tenant.js";
import type { OfficeCalendar } from "./api-types.js";

const dayName = new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", weekday: "long", day: "numeric", month: "long", year: "numeric" });
const status: Record<OfficeCalendar["appointments"][number]["status"], string> = { pending: "unbestätigt", confirmed: "", cancelled: "abgesagt", no_show: "nicht erschienen" };

/**
 * The printable day list of the Bürgerbüro (`GET office/appointments/day.html`): per clerk, the
 * day's appointments in order, with who comes and for what. Plain HTML without styles or scripts,
 * so it prints anywhere and needs nothing from the CSP.
 */
export function dayList(tenant: Tenant, date: string, calendar: OfficeCalendar) {
  const title = `Terminliste ${dayName.format(Date.parse(`${date}T12:00:00Z`))}`;
  const time = (iso: string) => iso.slice(11, 16);
  return html`<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – ${tenant.config.officialName}</title></head>
<body>
<h1>${title}</h1>
<p>${tenant.config.officialName}</p>
${calendar.clerks.map((k) => {
  const mine = calendar.appointments.filter((a) => a.clerkId === k.id);
  const away = calendar.absences.filter((a) => a.clerkId === k.id);
  return html`<h2>${k.name}</h2>
${away.map((a) => html`<p>Abwesend ${time(a.start)}–${time(a.end)}${a.note ? ` (${a.note})` : ""}</p>`)}
${mine.length === 0
  ? html`<p>Keine Termine.</p>`
  : html`<table border="1" cellpadding="4">
<thead><tr><th scope="col">Zeit</th><th scope="col">Anliegen</th><th scope="col">Name</th><th scope="col">E-Mail</th><th scope="col">Hinweis</th></tr></thead>
<tbody>${mine.map((a) => html`<tr><td>${time(a.start)}–${time(a.end)}</td><td>${a.serviceName.de}</td><td>${a.name}</td><td>${a.email}</td><td>${status[a.status]}</td></tr>`)}</tbody>
</table>`}`;
})}
</body></html>`;
}
