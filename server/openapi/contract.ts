import { z } from "zod";
import * as accounts from "../accounts/inputs.js";
import * as news from "../news/inputs.js";
import { subscriptionsInput } from "../subscriptions/inputs.js";
import * as forms from "../forms/inputs.js";
import * as mailbox from "../mailbox/inputs.js";
import * as office from "../office/inputs.js";
import * as handoff from "../handoff/inputs.js";
import * as appointments from "../appointments/inputs.js";
import * as identity from "../identity/inputs.js";
import * as out from "./schemas.js";

/**
 * Every route of the API with the schemas it validates with (request) and answers with
 * (response). The OpenAPI document is generated from this list; the API suite checks every
 * response against it and that every route of the app is listed, so neither can drift.
 */
export type Method = "get" | "post" | "put" | "patch" | "delete";

export interface ApiResponse {
  description: string;
  /** A JSON body of this shape. */
  json?: z.ZodType;
  /** A body of another media type (feeds, images, pages), or one of several. */
  media?: string | readonly string[];
  headers?: Record<string, string>;
}

export interface Operation {
  method: Method;
  /** OpenAPI path template, e.g. /api/v1/tenants/{slug}/news/{id}. */
  path: string;
  tag: "System" | "Towns" | "Accounts" | "News" | "Subscriptions" | "Forms" | "Postfach" | "Appointments" | "Office";
  summary: string;
  description?: string;
  /** Needs `Authorization: Bearer <token>`; `roles` narrows who may call it. */
  auth?: { roles?: ReadonlyArray<"citizen" | "staff" | "admin">; verified?: boolean; cookie?: boolean };
  body?: z.ZodType;
  /** A multipart/form-data body (uploads), its parts described as string properties. */
  multipart?: Record<string, { description: string; binary?: boolean }>;
  /** Request headers the route reads besides Authorization. */
  headers?: Array<{ name: string; description: string }>;
  query?: z.ZodObject;
  /** Success answers by status. */
  responses: Record<number, ApiResponse>;
  /** Error answers (the error envelope) beyond the ones every route of its kind has. */
  errors?: number[];
  /** Opened by people in a browser (links in mails): errors come as an HTML page too. */
  pages?: boolean;
  /** Public reads carry ETag and answer 304 on If-None-Match. */
  cacheable?: boolean;
}

const T = "/api/v1/tenants/{slug}";
const noContent = { 204: { description: "Done; no body." } };
const sent = { 202: { description: "Accepted; a message is on its way.", json: out.accepted } };
const limited = [429];

export const operations: Operation[] = [
  { method: "get", path: "/healthz", tag: "System", summary: "Health check", responses: { 200: { description: "The database answers.", json: out.health }, 503: { description: "The database does not answer.", json: out.errorEnvelope } } },
  { method: "get", path: "/api/v1/openapi.json", tag: "System", summary: "This document", responses: { 200: { description: "OpenAPI 3.1", media: "application/json" } }, cacheable: true },

  { method: "get", path: T, tag: "Towns", summary: "The town's public configuration", responses: { 200: { description: "Name, branding, topics, services, links.", json: out.tenantConfig } }, cacheable: true },
  { method: "get", path: `${T}/logo.svg`, tag: "Towns", summary: "The town's logo", responses: { 200: { description: "SVG", media: "image/svg+xml" } }, cacheable: true },
  { method: "get", path: `${T}/logo.png`, tag: "Towns", summary: "The town's logo for e-mails", responses: { 200: { description: "PNG", media: "image/png" } }, cacheable: true },

  { method: "post", path: `${T}/auth/register`, tag: "Accounts", summary: "Register", description: "Answers the same whether or not the address has an account; a code goes out by e-mail and SMS.", body: accounts.registerInput, responses: { 201: { description: "Registered and logged in.", json: out.session } }, errors: limited },
  { method: "post", path: `${T}/auth/login`, tag: "Accounts", summary: "Log in", body: accounts.loginInput, responses: { 200: { description: "Logged in.", json: out.session } }, errors: [401, 429] },
  { method: "post", path: `${T}/auth/logout`, tag: "Accounts", summary: "Log out this session", auth: {}, responses: noContent },
  { method: "post", path: `${T}/auth/logout-all`, tag: "Accounts", summary: "Log out every session", auth: {}, responses: noContent },
  { method: "post", path: `${T}/auth/verify-email`, tag: "Accounts", summary: "Confirm the e-mail address with its code", auth: {}, body: accounts.codeInput, responses: { 200: { description: "Confirmed.", json: out.accountOnly } }, errors: [409, 429] },
  { method: "post", path: `${T}/auth/verify-mobile`, tag: "Accounts", summary: "Confirm the mobile number with its code", auth: {}, body: accounts.codeInput, responses: { 200: { description: "Confirmed.", json: out.accountOnly } }, errors: limited },
  { method: "post", path: `${T}/auth/resend`, tag: "Accounts", summary: "Send a new code", auth: {}, body: accounts.resendInput, responses: sent, errors: [409, 429] },
  { method: "post", path: `${T}/auth/password-reset`, tag: "Accounts", summary: "Ask for a reset code", description: "Always 202, whether or not the address has an account.", body: accounts.resetRequestInput, responses: sent, errors: limited },
  { method: "post", path: `${T}/auth/password-reset/confirm`, tag: "Accounts", summary: "Set a new password with the reset code", body: accounts.resetConfirmInput, responses: { 200: { description: "New password set; every other session ended.", json: out.session } }, errors: limited },
  { method: "get", path: `${T}/me`, tag: "Accounts", summary: "The logged-in account", auth: {}, responses: { 200: { description: "The account, and how sure the session's login was.", json: out.me } } },
  { method: "patch", path: `${T}/me`, tag: "Accounts", summary: "Change the profile", description: "A new e-mail address or mobile number needs `currentPassword` and is confirmed again.", auth: {}, body: accounts.updateMeInput, responses: { 200: { description: "Changed.", json: out.accountOnly } }, errors: limited },
  { method: "post", path: `${T}/me/password`, tag: "Accounts", summary: "Change the password", auth: {}, body: accounts.changePasswordInput, responses: noContent, errors: limited },
  { method: "get", path: `${T}/me/export`, tag: "Accounts", summary: "Everything stored about the account (DSGVO)", auth: {}, responses: { 200: { description: "A JSON download.", json: out.accountExport } } },
  { method: "delete", path: `${T}/me`, tag: "Accounts", summary: "Delete the account (DSGVO)", auth: {}, body: accounts.passwordInput, responses: noContent, errors: limited },

  { method: "get", path: `${T}/news`, tag: "News", summary: "Published news, newest first", query: news.listNewsQuery, responses: { 200: { description: "One page.", json: out.newsPage } }, cacheable: true },
  { method: "get", path: `${T}/news/feed.atom`, tag: "News", summary: "Atom feed of the town or one topic", query: news.feedQuery, responses: { 200: { description: "Atom 1.0", media: "application/atom+xml" } }, cacheable: true },
  { method: "get", path: `${T}/news/manage`, tag: "News", summary: "All items with their state (staff)", auth: { roles: ["staff", "admin"] }, responses: { 200: { description: "Drafts, scheduled and published items.", json: out.staffNewsList } } },
  { method: "get", path: `${T}/news/{id}`, tag: "News", summary: "One published item", responses: { 200: { description: "The item with its sanitized HTML.", json: out.newsItem } }, cacheable: true },
  { method: "post", path: `${T}/news`, tag: "News", summary: "Write a draft (staff)", auth: { roles: ["staff", "admin"] }, body: news.createNewsInput, responses: { 201: { description: "The draft.", json: out.staffNewsItem } } },
  { method: "patch", path: `${T}/news/{id}`, tag: "News", summary: "Edit an item (staff); never re-sends", auth: { roles: ["staff", "admin"] }, body: news.updateNewsInput, responses: { 200: { description: "The item.", json: out.staffNewsItem } } },
  { method: "delete", path: `${T}/news/{id}`, tag: "News", summary: "Delete an item (staff); unsent mails are withdrawn", auth: { roles: ["staff", "admin"] }, responses: noContent },
  { method: "post", path: `${T}/news/{id}/publish`, tag: "News", summary: "Publish now or at publishAt (staff)", auth: { roles: ["staff", "admin"] }, responses: { 200: { description: "The item.", json: out.staffNewsItem } } },
  { method: "post", path: `${T}/news/{id}/unpublish`, tag: "News", summary: "Back to draft; unsent mails are withdrawn (staff)", auth: { roles: ["staff", "admin"] }, responses: { 200: { description: "The item.", json: out.staffNewsItem } } },

  { method: "get", path: `${T}/me/subscriptions`, tag: "Subscriptions", summary: "The account's news topics", auth: { verified: true }, responses: { 200: { description: "Topics and SMS alerts.", json: out.subscriptions } } },
  { method: "put", path: `${T}/me/subscriptions`, tag: "Subscriptions", summary: "Choose news topics", auth: { verified: true }, body: subscriptionsInput, responses: { 200: { description: "Saved.", json: out.subscriptions } } },
  { method: "get", path: `${T}/unsubscribe/{token}`, tag: "Subscriptions", summary: "Confirmation page of the unsubscribe link in news mails", responses: { 200: { description: "HTML page with a button.", media: "text/html" } }, pages: true },
  { method: "post", path: `${T}/unsubscribe/{token}`, tag: "Subscriptions", summary: "One-click unsubscribe (RFC 8058)", description: "Answers JSON when the request accepts application/json, otherwise an HTML page.", responses: { 200: { description: "Unsubscribed.", json: out.unsubscribed, media: "text/html" } }, pages: true },

  { method: "get", path: `${T}/forms`, tag: "Forms", summary: "The forms the town offers", responses: { 200: { description: "Every enabled form.", json: out.formList } }, cacheable: true },
  { method: "get", path: `${T}/forms/{id}`, tag: "Forms", summary: "A form's definition, to render it", responses: { 200: { description: "The current version.", json: out.formDefinition } }, cacheable: true },
  { method: "get", path: `${T}/forms/{id}/schema.json`, tag: "Forms", summary: "JSON Schema 2020-12 of a form's data", description: "What the town's systems receive, to validate it (also for FIT-Connect).", responses: { 200: { description: "JSON Schema", media: "application/schema+json" } }, cacheable: true },
  { method: "get", path: `${T}/proof/challenge`, tag: "Forms", summary: "A proof-of-work challenge for sending without an account (ALTCHA)", query: forms.challengeQuery, responses: { 200: { description: "Solve it and send the solution as `proof` (submission) or `X-Proof` (upload).", json: out.proofChallenge } } },
  { method: "get", path: `${T}/forms/{id}/draft`, tag: "Forms", summary: "The account's draft of a form", auth: { verified: true }, responses: { 200: { description: "The draft; `outdated` when the form changed since.", json: out.draft } } },
  { method: "put", path: `${T}/forms/{id}/draft`, tag: "Forms", summary: "Save the draft (may be incomplete); kept 30 days", auth: { verified: true }, body: forms.draftInput, responses: { 200: { description: "Saved.", json: out.draft } } },
  { method: "delete", path: `${T}/forms/{id}/draft`, tag: "Forms", summary: "Delete the draft", auth: { verified: true }, responses: noContent },
  {
    method: "post",
    path: `${T}/forms/{id}/uploads`,
    tag: "Forms",
    summary: "Upload a file for a file field",
    description: "Signed in, or without an account on anonymous forms with a solved challenge in `X-Proof`. The type is decided by content; the form sets the accepted types and size. Unused uploads are deleted after 24 hours.",
    multipart: { field: { description: "the file field's path, e.g. hunde.0.nachweis; before `file`" }, file: { description: "the file", binary: true } },
    headers: [{ name: "X-Proof", description: "anonymous only: a solved challenge (purpose upload)" }],
    responses: { 201: { description: "Stored.", json: out.upload } },
    errors: [400, 401, 403, 413, 415, 422, 429],
  },
  { method: "delete", path: `${T}/forms/{id}/uploads/{uploadId}`, tag: "Forms", summary: "Remove an upload not yet sent", responses: noContent, errors: [401] },
  {
    method: "post",
    path: `${T}/forms/{id}/submissions`,
    tag: "Forms",
    summary: "Send a form",
    description: "Signed in, or without an account on anonymous forms (then `email` and `proof`). The same `Idempotency-Key` twice answers with the same submission. A receipt mail with the PDF goes to the sender, a notification without personal data to the form's department.",
    body: forms.submissionInput,
    headers: [{ name: "Idempotency-Key", description: "a key of 8–100 letters, digits, - or _ per attempt to send" }],
    responses: { 201: { description: "Received.", json: out.submissionReceipt } },
    errors: [401, 403, 409, 413, 422, 429],
  },
  { method: "get", path: `${T}/me/submissions`, tag: "Forms", summary: "The account's submissions, newest first", auth: { verified: true }, query: forms.mySubmissionsQuery, responses: { 200: { description: "One page.", json: out.submissionPage } } },
  { method: "get", path: `${T}/me/submissions/{id}`, tag: "Forms", summary: "One of the account's submissions", auth: { verified: true }, responses: { 200: { description: "With its data and files.", json: out.submissionDetail } } },
  { method: "get", path: `${T}/submissions/{id}/files/{uploadId}`, tag: "Forms", summary: "A file of a submission, for its sender and the town's staff", description: "Always a download (`Content-Disposition: attachment`, `nosniff`), of the type its content was found to be.", auth: {}, responses: { 200: { description: "The file.", media: ["application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"] } } },
  { method: "get", path: `${T}/me/submissions/{id}/receipt.pdf`, tag: "Forms", summary: "The receipt PDF", description: "With the owner's session, or with `token` from the link in the receipt mail.", query: forms.receiptQuery, responses: { 200: { description: "PDF", media: "application/pdf" } }, errors: [401] },

  { method: "get", path: `${T}/me/mailbox`, tag: "Postfach", summary: "The account's Postfach: everything between citizen and town, newest first", auth: { verified: true }, query: mailbox.mailboxQuery, responses: { 200: { description: "One page, with the unread count.", json: out.mailboxPage } } },
  { method: "post", path: `${T}/me/mailbox/read`, tag: "Postfach", summary: "Mark entries read up to a time", auth: { verified: true }, body: mailbox.readInput, responses: noContent },
  { method: "post", path: `${T}/me/submissions/{id}/uploads`, tag: "Postfach", summary: "Upload a file for a reply", auth: { verified: true }, multipart: { file: { description: "a PDF, JPEG or PNG", binary: true } }, responses: { 201: { description: "Stored.", json: out.upload } }, errors: [409, 413, 415, 422] },
  { method: "post", path: `${T}/me/submissions/{id}/messages`, tag: "Postfach", summary: "Answer the town (on a Rückfrage the application goes back to the clerk)", auth: { verified: true }, body: mailbox.messageInput, responses: { 201: { description: "The reply in the timeline.", json: out.timelineEntry } }, errors: [409] },
  { method: "get", path: `${T}/me/documents/{id}`, tag: "Postfach", summary: "A document of the account's Postfach", auth: { verified: true }, responses: { 200: { description: "The file, as a download.", media: ["application/pdf", "image/jpeg", "image/png"] } } },
  { method: "get", path: `${T}/anon/submissions/{id}`, tag: "Postfach", summary: "An anonymous sender's submission, read-only, with the token of the receipt link", query: mailbox.anonymousQuery, responses: { 200: { description: "Status and history.", json: out.anonymousSubmission } } },

  { method: "get", path: "/office/{slug}", tag: "Office", summary: "The staff office app (HTML)", responses: { 200: { description: "The page; strict CSP.", media: "text/html" } }, pages: true },
  { method: "post", path: `${T}/office/login`, tag: "Office", summary: "Log in to the office (staff, admins)", description: "Sets the session cookie (`__Host-dr-office-<slug>`, HttpOnly, Secure, SameSite=Strict; 30 minutes idle).", body: accounts.loginInput, responses: { 200: { description: "The session, with its CSRF token.", json: out.officeSession } }, errors: [401, 403, 429] },
  { method: "post", path: `${T}/office/logout`, tag: "Office", summary: "End the office session", auth: { cookie: true }, responses: noContent },
  { method: "get", path: `${T}/office/session`, tag: "Office", summary: "The current office session", auth: { cookie: true }, responses: { 200: { description: "Account, departments, CSRF token.", json: out.officeSession } } },
  { method: "get", path: `${T}/office/submissions`, tag: "Office", summary: "Inbox: the submissions of the clerk's departments", auth: { cookie: true }, query: office.inboxQuery, responses: { 200: { description: "One page with counts per status.", json: out.officeInbox } } },
  { method: "get", path: `${T}/office/submissions/{id}`, tag: "Office", summary: "A submission with form, data, files, applicant, history and notes", auth: { cookie: true }, responses: { 200: { description: "Opening it marks it read for the office.", json: out.officeSubmission } } },
  { method: "get", path: `${T}/office/submissions/{id}/files/{fileId}`, tag: "Office", summary: "A file of the submission or its messages", auth: { cookie: true }, responses: { 200: { description: "The file, as a download.", media: ["application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"] } } },
  { method: "post", path: `${T}/office/submissions/{id}/status`, tag: "Office", summary: "Change the status (only allowed transitions)", auth: { cookie: true }, body: office.statusInput, responses: { 200: { description: "The submission.", json: out.officeSubmission } }, errors: [409] },
  { method: "post", path: `${T}/office/submissions/{id}/assign`, tag: "Office", summary: "Assign to a clerk, or to nobody", auth: { cookie: true }, body: office.assignInput, responses: { 200: { description: "The submission.", json: out.officeSubmission } } },
  { method: "post", path: `${T}/office/submissions/{id}/uploads`, tag: "Office", summary: "Upload a document (e.g. a Bescheid) for a message", auth: { cookie: true }, multipart: { file: { description: "a PDF, JPEG or PNG", binary: true } }, responses: { 201: { description: "Stored.", json: out.upload } }, errors: [413, 415, 422] },
  { method: "post", path: `${T}/office/submissions/{id}/messages`, tag: "Office", summary: "Write to the citizen, with documents", auth: { cookie: true }, body: office.officeMessageInput, responses: { 201: { description: "The submission.", json: out.officeSubmission } } },
  { method: "post", path: `${T}/office/submissions/{id}/notes`, tag: "Office", summary: "An internal note (never shown to the citizen)", auth: { cookie: true }, body: office.noteInput, responses: { 201: { description: "The submission.", json: out.officeSubmission } } },
  { method: "get", path: `${T}/office/audit`, tag: "Office", summary: "The audit log, newest first (admins)", auth: { cookie: true }, query: office.auditQuery, responses: { 200: { description: "One page.", json: out.auditPage } } },
  { method: "get", path: `${T}/office/audit.csv`, tag: "Office", summary: "The whole audit log as CSV (admins)", auth: { cookie: true }, responses: { 200: { description: "CSV", media: "text/csv" } } },
  { method: "get", path: `${T}/auth/providers/{id}/start`, tag: "Accounts", summary: "Start a login at an identity provider (BundID, a state's Servicekonto)", description: "Opened by the widget in a popup or as the whole page, with the challenge of a verifier only the widget knows. OIDC: on to the provider (authorization code with PKCE, state, nonce); SAML: a page posting a signed AuthnRequest.", query: identity.startQuery, responses: { 302: { description: "To the OIDC provider." }, 200: { description: "SAML: the page that posts the AuthnRequest.", media: "text/html" } }, errors: [501, 502], pages: true },
  { method: "get", path: `${T}/auth/providers/{id}/callback`, tag: "Accounts", summary: "Where the OIDC provider sends the browser back (redirect URI)", description: "Popup: a page that posts a one-time code (or the failure) to the starting page's exact origin and closes. Redirect: a page that moves on to `return_to` with `#dr-login=<code>` or `#dr-login-error=<reason>`.", responses: { 200: { description: "The popup's page, or the page back to the town's.", media: "text/html" }, 400: { description: "The login failed: a page saying why.", media: "text/html" } }, pages: true },
  { method: "post", path: `${T}/auth/providers/exchange`, tag: "Accounts", summary: "Exchange the one-time code of a provider login for a session", description: "With the verifier whose challenge started the login; a code is valid 2 minutes, once. The session keeps the login's trust level.", body: identity.exchangeInput, responses: { 200: { description: "Logged in.", json: out.identityLogin } } },
  { method: "get", path: `${T}/me/identities`, tag: "Accounts", summary: "The identity providers linked to the account", auth: {}, responses: { 200: { description: "Linked providers.", json: out.linkedIdentities } } },
  { method: "post", path: `${T}/me/identities/{id}/link`, tag: "Accounts", summary: "Link a provider: an intent for the start of its login", auth: {}, responses: { 201: { description: "The intent.", json: out.linkIntent } } },
  { method: "delete", path: `${T}/me/identities/{id}`, tag: "Accounts", summary: "Unlink a provider", description: "Refused (409 last_login_method) when it is the account's only way to log in.", auth: {}, responses: noContent, errors: [409] },
  { method: "get", path: "/saml/{slug}/metadata.xml", tag: "Accounts", summary: "Our SAML service provider metadata, for registering with BundID", responses: { 200: { description: "SAML 2.0 metadata.", media: "application/samlmetadata+xml" } }, errors: [404, 501] },
  { method: "post", path: "/saml/{slug}/acs", tag: "Accounts", summary: "SAML assertion consumer service (HTTP-POST binding)", description: "The IdP's browser POST with SAMLResponse and RelayState; answered like the OIDC callback. Node deployment only (501 on Workers).", responses: { 200: { description: "The popup's page, or the page back to the town's.", media: "text/html" }, 400: { description: "The login failed: a page saying why.", media: "text/html" } }, errors: [501], pages: true },
  { method: "get", path: `${T}/appointments/services`, tag: "Appointments", summary: "What the town gives appointments for, and where", responses: { 200: { description: "Services with their location, duration and what to bring.", json: out.appointmentServices } }, cacheable: true },
  { method: "get", path: `${T}/appointments/services/{id}/slots`, tag: "Appointments", summary: "Free slots of a service by day", description: "From today (or `from`) for up to 62 days, within the town's booking window; times in ISO 8601 with Berlin's offset.", query: appointments.slotsQuery, responses: { 200: { description: "Days with free slots.", json: out.slotDays } }, errors: [409] },
  { method: "post", path: `${T}/appointments/bookings`, tag: "Appointments", summary: "Book a free slot", description: "Atomic: of many bookings of the last free slot exactly one succeeds; the others get 409 slot_taken with the day's free slots. With a verified account it is confirmed at once; without one, `name`, `email` and a solved `proof` (`GET proof/challenge?purpose=appointment`) are needed, and it is held (`pending`) until confirmed through the link in the mail within 30 minutes.", body: appointments.bookingInput, responses: { 201: { description: "The appointment; mails with a calendar invitation go to the citizen and the clerk once it is confirmed.", json: out.appointment } }, errors: [401, 403, 409, 429] },
  { method: "get", path: `${T}/appointments/bookings/{id}/confirm`, tag: "Appointments", summary: "Page behind the confirmation link of a booking without an account", query: appointments.tokenQuery, responses: { 200: { description: "A page with a button that POSTs.", media: "text/html" } }, pages: true },
  { method: "post", path: `${T}/appointments/bookings/{id}/confirm`, tag: "Appointments", summary: "Confirm a booking without an account", description: "Answers JSON when the request accepts application/json, otherwise a page.", query: appointments.tokenQuery, responses: { 200: { description: "The confirmed appointment.", json: out.appointment, media: "text/html" } }, errors: [409], pages: true },
  { method: "get", path: `${T}/appointments/bookings/{id}/cancel`, tag: "Appointments", summary: "Page behind the cancel link in appointment mails", query: appointments.tokenQuery, responses: { 200: { description: "A page with a button that POSTs.", media: "text/html" } }, pages: true },
  { method: "post", path: `${T}/appointments/requests`, tag: "Appointments", summary: "Ask for an appointment (Terminanfrage)", description: "Preferred days and times of day and a note; the town's coordinators answer with a time, which arrives like a booking. Without an account: `name`, `email` and a solved `proof`.", body: appointments.requestInput, responses: { 201: { description: "The open request.", json: out.appointmentRequest } }, errors: [401, 403, 429] },
  { method: "get", path: `${T}/me/appointments`, tag: "Appointments", summary: "The account's coming appointments", auth: { verified: true }, responses: { 200: { description: "Soonest first.", json: out.appointmentList } } },
  { method: "post", path: `${T}/me/appointments/{id}/cancel`, tag: "Appointments", summary: "Cancel an appointment", description: "Until the town's cut-off before the start; frees the slot at once.", auth: { verified: true }, responses: { 200: { description: "The cancelled appointment.", json: out.appointment } }, errors: [409] },
  { method: "post", path: `${T}/me/appointments/{id}/move`, tag: "Appointments", summary: "Move an appointment to another free slot", description: "Same service, until the cut-off for cancelling; atomic like a booking (409 slot_taken with the day's free slots). Same id and calendar UID, SEQUENCE raised; citizen and clerk get the changed invitation.", auth: { verified: true }, body: appointments.moveInput, responses: { 200: { description: "The moved appointment.", json: out.appointment } }, errors: [409] },
  { method: "get", path: `${T}/appointments/bookings/{id}/move`, tag: "Appointments", summary: "Page behind the move link in appointment mails", description: "The free times of a week (from `from`, today at the earliest) in one form that POSTs the chosen one.", query: appointments.movePageQuery, responses: { 200: { description: "A page with a form.", media: "text/html" } }, pages: true },
  { method: "post", path: `${T}/appointments/bookings/{id}/move`, tag: "Appointments", summary: "Move through the link in the mail", description: "`start` as JSON or form field. Answers JSON when the request accepts application/json, otherwise a page.", query: appointments.movePageQuery, body: appointments.moveInput, responses: { 200: { description: "The moved appointment.", json: out.appointment, media: "text/html" } }, errors: [409], pages: true },
  { method: "post", path: `${T}/appointments/bookings/{id}/cancel`, tag: "Appointments", summary: "Cancel through the link in the mail", description: "Answers JSON when the request accepts application/json, otherwise a page.", query: appointments.tokenQuery, responses: { 200: { description: "The cancelled appointment.", json: out.appointment, media: "text/html" } }, errors: [409], pages: true },
  { method: "get", path: `${T}/appointments/bookings/{id}.ics`, tag: "Appointments", summary: "The appointment's calendar file (RFC 5545)", query: appointments.tokenQuery, responses: { 200: { description: "METHOD:REQUEST, or METHOD:CANCEL once cancelled.", media: "text/calendar" } } },
  { method: "get", path: `${T}/office/appointments`, tag: "Office", summary: "Calendar: appointments and absences of the clerks of the staff member's services", description: "Up to 31 days; by location or clerk.", auth: { cookie: true }, query: appointments.calendarQuery, responses: { 200: { description: "Clerks, appointments (not cancelled) and absences.", json: out.officeCalendar } } },
  { method: "get", path: `${T}/office/appointments/day.html`, tag: "Office", summary: "The printable day list: per clerk, the day's appointments", auth: { cookie: true }, query: appointments.dayListQuery, responses: { 200: { description: "Plain HTML to print.", media: "text/html" } } },
  { method: "post", path: `${T}/office/appointments/absences`, tag: "Office", summary: "Enter a clerk's absence", description: "Its time is no longer offered; appointments it collides with are listed to move or cancel.", auth: { cookie: true }, body: appointments.absenceInput, responses: { 201: { description: "The absence and its conflicts.", json: out.absenceCreated } } },
  { method: "delete", path: `${T}/office/appointments/absences/{id}`, tag: "Office", summary: "Remove an absence", auth: { cookie: true }, responses: noContent },
  { method: "get", path: `${T}/office/appointments/slots`, tag: "Office", summary: "A clerk's free times for a service", description: "Also for services given on request: what a coordinator can give a Terminanfrage. Up to 31 days, 14 by default.", auth: { cookie: true }, query: appointments.clerkSlotsQuery, responses: { 200: { description: "Days with free slots.", json: out.slotDays } } },
  { method: "get", path: `${T}/office/appointments/requests`, tag: "Office", summary: "The coordinators' queue: open Terminanfragen", auth: { cookie: true }, responses: { 200: { description: "Oldest first.", json: out.appointmentRequestList } } },
  { method: "post", path: `${T}/office/appointments/requests/{id}/schedule`, tag: "Office", summary: "Give a request a time with a clerk", description: "Only free times of that clerk; the appointment is announced to citizen and clerk with the invitation.", auth: { cookie: true }, body: appointments.scheduleInput, responses: { 201: { description: "The appointment.", json: out.appointment } }, errors: [409] },
  { method: "post", path: `${T}/office/appointments/{id}/cancel`, tag: "Office", summary: "Cancel an appointment that has not begun", description: "For the services of the staff member's departments, at any time before it begins (no cut-off); the citizen gets the reason and the cancellation for the calendar, the clerk too; the time is free at once. In the audit log.", auth: { cookie: true }, body: appointments.officeCancelInput, responses: { 200: { description: "The appointment.", json: out.officeAppointmentOut } }, errors: [409] },
  { method: "post", path: `${T}/office/appointments/{id}/no-show`, tag: "Office", summary: "Mark that the citizen did not come", auth: { cookie: true }, responses: { 200: { description: "The appointment.", json: out.officeAppointmentOut } }, errors: [409] },
  { method: "get", path: `${T}/office/news`, tag: "Office", summary: "The newsroom: all news items with their state", auth: { cookie: true }, responses: { 200: { description: "Drafts, scheduled and published items.", json: out.staffNewsList } } },
  { method: "post", path: `${T}/office/news`, tag: "Office", summary: "Write a news draft", auth: { cookie: true }, body: news.createNewsInput, responses: { 201: { description: "The draft.", json: out.staffNewsItem } } },
  { method: "patch", path: `${T}/office/news/{id}`, tag: "Office", summary: "Edit a news item; never re-sends", auth: { cookie: true }, body: news.updateNewsInput, responses: { 200: { description: "The item.", json: out.staffNewsItem } } },
  { method: "delete", path: `${T}/office/news/{id}`, tag: "Office", summary: "Delete a news item; unsent mails are withdrawn", auth: { cookie: true }, responses: noContent },
  { method: "post", path: `${T}/office/news/{id}/publish`, tag: "Office", summary: "Publish a news item now or at publishAt", auth: { cookie: true }, responses: { 200: { description: "The item.", json: out.staffNewsItem } } },
  { method: "post", path: `${T}/office/news/{id}/unpublish`, tag: "Office", summary: "Back to draft; unsent mails are withdrawn", auth: { cookie: true }, responses: { 200: { description: "The item.", json: out.staffNewsItem } } },
  { method: "get", path: `${T}/office/staff`, tag: "Office", summary: "The town's staff and their departments", auth: { cookie: true }, responses: { 200: { description: "Everyone with an office role.", json: out.staffList } } },
  { method: "post", path: `${T}/office/staff`, tag: "Office", summary: "Invite a colleague (admins): an office account and a mail with a code to set the password", auth: { cookie: true }, body: office.staffInvite, responses: { 201: { description: "The new staff member.", json: out.staffMember } }, errors: [409] },
  { method: "patch", path: `${T}/office/staff/{id}`, tag: "Office", summary: "Change a colleague's departments, role or access (admins)", auth: { cookie: true }, body: office.staffPatch, responses: { 200: { description: "The staff member.", json: out.staffMember } }, errors: [409] },

  // Hand-off to the town's systems (server/handoff, docs/handoff.md).
  { method: "get", path: `${T}/office/webhooks`, tag: "Office", summary: "The webhook delivery log, newest first (admins)", auth: { cookie: true }, query: handoff.webhooksQuery, responses: { 200: { description: "One page of deliveries with their attempts.", json: out.webhookDeliveryPage } } },
  { method: "post", path: `${T}/office/webhooks/{id}/replay`, tag: "Office", summary: "Send a delivery's event again, with the same event id (admins)", auth: { cookie: true }, responses: { 202: { description: "The new delivery, queued.", json: out.webhookDelivery } }, errors: [409] },
  { method: "get", path: `${T}/office/submissions/{id}/export.zip`, tag: "Office", summary: "A submission as a FIT-Connect-shaped ZIP: metadata.json, data.json, attachments/", auth: { cookie: true }, responses: { 200: { description: "ZIP", media: "application/zip" } } },
  { method: "get", path: `${T}/office/forms/{formId}/submissions.csv`, tag: "Office", summary: "A form's submissions of a period as CSV (days in Berlin, both included)", description: "One row per submission the clerk may see; one column per answer of the form's current version.", auth: { cookie: true }, query: handoff.submissionsCsvQuery, responses: { 200: { description: "CSV, UTF-8 with BOM", media: "text/csv" } } },
];

/** Error answers a route has by its kind, on top of its own `errors`. */
export function errorStatuses(op: Operation): number[] {
  const statuses = new Set(op.errors ?? []);
  statuses.add(500);
  if (op.path.startsWith(T)) statuses.add(404);
  if (op.body || op.query) statuses.add(400);
  if (op.body || op.multipart) statuses.add(413);
  if (op.auth) statuses.add(401);
  if (op.auth?.roles || op.auth?.verified || op.auth?.cookie) statuses.add(403);
  if (op.cacheable) statuses.delete(413);
  return [...statuses].sort();
}

export const documentInfo = {
  title: "Digitales Rathaus API",
  description:
    "The API of the Digitales Rathaus: one server for many towns (tenants), each under `/api/v1/tenants/{slug}`. Errors share one envelope with a stable `code`, a German and English message and, for bad input, the offending fields.",
} as const;

export type { z };
