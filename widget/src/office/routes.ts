/**
 * The office's places, kept in the URL's hash: the server answers one HTML page for
 * `/office/<slug>/`, and a reload, the back button or a link sent to a colleague lands on the
 * same view with the same inbox filters.
 */
import type { SubmissionStatus } from "../core/types.js";
import { statuses } from "./texts.js";

export interface InboxQuery {
  status?: SubmissionStatus;
  form?: string;
  /** `me`, `none` or an account id. */
  assignee?: string;
  q?: string;
  /** YYYY-MM-DD. */
  from?: string;
  to?: string;
  unread?: boolean;
  sort?: "newest" | "oldest";
}

export interface CalendarQuery {
  /** YYYY-MM-DD, a Berlin day; today when absent. */
  date?: string;
  /** `day` when absent. */
  view?: "day" | "week";
  location?: string;
  clerk?: string;
}

export interface AbsenceQuery {
  clerk?: string;
  date?: string;
}

export type Route =
  | { view: "inbox"; query: InboxQuery }
  | { view: "submission"; id: string }
  | { view: "audit" }
  | { view: "staff" }
  /** The newsroom: the list without `id`; the editor with `id`, `new` for an item not yet saved. */
  | { view: "news"; id?: string }
  /** Termine: the calendar of a day or a week (today's day by default). */
  | { view: "appointments"; query: CalendarQuery }
  /** The open Terminanfragen, to give each a time. */
  | { view: "appointment-requests" }
  /** A clerk's absence; the calendar links it with its clerk and day filled in. */
  | { view: "appointment-absence"; query: AbsenceQuery }
  /** Signed out: setting the password with the code from an invitation (the mail links `#einladung`) or a reset. */
  | { view: "invitation" }
  | { view: "forgot" }
  | { view: "not-found" };

const day = /^\d{4}-\d{2}-\d{2}$/;
const id = /^[\w-]{1,100}$/;

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?", 2);
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === "inbox")) return { view: "inbox", query: parseQuery(new URLSearchParams(search)) };
  if (parts.length === 2 && parts[0] === "submissions" && id.test(parts[1]!)) return { view: "submission", id: parts[1]! };
  if (parts.length === 1 && parts[0] === "audit") return { view: "audit" };
  if (parts.length === 1 && parts[0] === "staff") return { view: "staff" };
  if (parts.length === 1 && parts[0] === "news") return { view: "news" };
  if (parts.length === 2 && parts[0] === "news" && id.test(parts[1]!)) return { view: "news", id: parts[1]! };
  if (parts[0] === "termine" && parts.length <= 2) {
    const p = new URLSearchParams(search);
    if (parts.length === 1) return { view: "appointments", query: parseCalendarQuery(p) };
    if (parts[1] === "anfragen") return { view: "appointment-requests" };
    if (parts[1] === "abwesenheit") return { view: "appointment-absence", query: parseAbsenceQuery(p) };
  }
  if (parts.length === 1 && parts[0] === "einladung") return { view: "invitation" };
  if (parts.length === 1 && parts[0] === "passwort-vergessen") return { view: "forgot" };
  return { view: "not-found" };
}

function parseQuery(p: URLSearchParams): InboxQuery {
  const q: InboxQuery = {};
  const status = p.get("status");
  if (status && (statuses as readonly string[]).includes(status)) q.status = status as SubmissionStatus;
  const form = p.get("form");
  if (form && id.test(form)) q.form = form;
  const assignee = p.get("assignee");
  if (assignee && id.test(assignee)) q.assignee = assignee;
  const search = p.get("q")?.trim();
  if (search) q.q = search.slice(0, 100);
  for (const k of ["from", "to"] as const) {
    const v = p.get(k);
    if (v && day.test(v)) q[k] = v;
  }
  if (p.get("unread") === "true") q.unread = true;
  if (p.get("sort") === "oldest") q.sort = "oldest";
  return q;
}

/** Ids of the appointments configuration (server/appointments/config.ts). */
const configId = /^[a-z0-9][a-z0-9-]{0,39}$/;

function parseCalendarQuery(p: URLSearchParams): CalendarQuery {
  const q: CalendarQuery = {};
  const date = p.get("date");
  if (date && day.test(date)) q.date = date;
  if (p.get("view") === "week") q.view = "week";
  for (const k of ["location", "clerk"] as const) {
    const v = p.get(k);
    if (v && configId.test(v)) q[k] = v;
  }
  return q;
}

function parseAbsenceQuery(p: URLSearchParams): AbsenceQuery {
  const q: AbsenceQuery = {};
  const clerk = p.get("clerk");
  if (clerk && configId.test(clerk)) q.clerk = clerk;
  const date = p.get("date");
  if (date && day.test(date)) q.date = date;
  return q;
}

/** `view=day` is the default and left out. */
export function calendarParams(q: CalendarQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.date) p.set("date", q.date);
  if (q.view === "week") p.set("view", "week");
  if (q.location) p.set("location", q.location);
  if (q.clerk) p.set("clerk", q.clerk);
  return p;
}

/** The query's parameters in a fixed order; `sort=newest` is the default and left out. */
export function queryParams(q: InboxQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.status) p.set("status", q.status);
  if (q.form) p.set("form", q.form);
  if (q.assignee) p.set("assignee", q.assignee);
  if (q.q) p.set("q", q.q);
  if (q.from) p.set("from", q.from);
  if (q.to) p.set("to", q.to);
  if (q.unread) p.set("unread", "true");
  if (q.sort === "oldest") p.set("sort", "oldest");
  return p;
}

export function routeHash(r: Route): string {
  switch (r.view) {
    case "inbox": {
      const search = queryParams(r.query).toString();
      return `#/inbox${search ? `?${search}` : ""}`;
    }
    case "submission":
      return `#/submissions/${encodeURIComponent(r.id)}`;
    case "audit":
    case "staff":
      return `#/${r.view}`;
    case "news":
      return r.id ? `#/news/${encodeURIComponent(r.id)}` : "#/news";
    case "appointments": {
      const search = calendarParams(r.query).toString();
      return `#/termine${search ? `?${search}` : ""}`;
    }
    case "appointment-requests":
      return "#/termine/anfragen";
    case "appointment-absence": {
      const p = new URLSearchParams();
      if (r.query.clerk) p.set("clerk", r.query.clerk);
      if (r.query.date) p.set("date", r.query.date);
      const search = p.toString();
      return `#/termine/abwesenheit${search ? `?${search}` : ""}`;
    }
    case "invitation":
      return "#einladung";
    case "forgot":
      return "#/passwort-vergessen";
    default:
      return "#/inbox";
  }
}
