import { html, nothing } from "lit";
import type { OfficeContext } from "../context.js";
import { type AbsenceQuery, routeHash } from "../routes.js";

/**
 * The three screens of Termine as links, the shown one marked: calendar, open requests (with
 * their number once known) and the absence form.
 */
export function appointmentTabs(ctx: OfficeContext, current: "calendar" | "requests" | "absence", o: { requests?: number | undefined; absence?: AbsenceQuery } = {}) {
  const ta = ctx.t.appointmentsView;
  const tab = (which: typeof current, href: string, label: string) =>
    html`<li><a href=${href} aria-current=${which === current ? "page" : nothing}>${label}</a></li>`;
  return html`<nav class="tabs" aria-label=${ta.tabsLabel}>
    <ul>
      ${tab("calendar", routeHash({ view: "appointments", query: {} }), ta.tabCalendar)}
      ${tab("requests", routeHash({ view: "appointment-requests" }), o.requests === undefined ? ta.tabRequests : ta.tabRequestsCount(o.requests))}
      ${tab("absence", routeHash({ view: "appointment-absence", query: o.absence ?? {} }), ta.tabAbsence)}
    </ul>
  </nav>`;
}
