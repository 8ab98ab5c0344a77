import type { Lang } from "../http/errors.js";

/**
 * Shapes shared by the build-time compiler (tools/mail/compiler.ts) and the runtime renderer (render.ts).
 * Runtime neutral: nothing here may import node:* or mjml, the renderer runs on Workers too.
 */

/** A town's look and addresses, filled into every mail at send time. */
export interface MailBranding {
  townName: string;
  officialName: string;
  /** `#rrggbb`; the header background and buttons, so it must carry white text. */
  primaryColor: string;
  accentColor: string;
  /** Absolute URL of the logo, or null for a header with the name only. */
  logoUrl: string | null;
  websiteUrl: string;
  imprintUrl: string;
  privacyUrl: string;
  contactEmail: string;
}

/**
 * Every template with the variables it needs. The compiler checks that each template uses
 * exactly these (in HTML and plain text), the renderer that callers pass all of them.
 */
export const mailTemplateVars = {
  verify_email: ["name", "code", "minutes"],
  password_reset: ["name", "code", "minutes"],
  account_deleted: ["name"],
  registration_attempt: [],
  email_changed: ["name", "newEmail"],
  news: ["name", "title", "summary", "bodyHtml", "bodyText", "readUrl", "unsubscribeUrl", "topics"],
  /** To the sender of a form; the receipt PDF goes with it (server/forms/receipt-attachment.ts). */
  form_receipt: ["formTitle", "reference", "submittedAt", "receiptUrl", "nextSteps"],
  /** To the form's department: that something arrived, no personal data. */
  form_notification: ["formTitle", "reference", "submittedAt"],
  /** Something new in the citizen's Postfach; deliberately without its content. */
  postfach_notice: ["name", "link"],
  /** A new colleague's access to the office: a code to set the password with. */
  staff_invite: ["name", "link", "code", "minutes"],
  /** To the citizen: the appointment, with its calendar invitation attached (server/appointments/attachments.ts). */
  appointment_booked: ["name", "service", "when", "location", "bring", "calendarUrl", "cancelUntil", "cancelUrl", "moveUrl"],
  /** To the citizen: the new time, with the changed invitation (same UID, SEQUENCE raised). */
  appointment_moved: ["name", "service", "when", "before", "location", "bring", "calendarUrl", "cancelUntil", "cancelUrl", "moveUrl"],
  /** Booked without an account: held until confirmed through the link. */
  appointment_confirm: ["name", "service", "when", "location", "confirmUrl", "minutes"],
  appointment_cancelled: ["name", "service", "when", "calendarUrl"],
  /** The office cancelled it (e.g. the clerk is ill), with the reason it gave. */
  appointment_cancelled_by_town: ["name", "service", "when", "reason", "calendarUrl"],
  /** The day before (server/appointments/reminders.ts). */
  appointment_reminder: ["name", "service", "when", "location", "bring"],
  /** To the clerk who serves it, with the same invitation. */
  appointment_clerk_booked: ["service", "when", "location", "citizen", "calendarUrl"],
  appointment_clerk_moved: ["service", "when", "before", "location", "citizen", "calendarUrl"],
  /** Also to the clerk an appointment moved away from. */
  appointment_clerk_cancelled: ["service", "when", "citizen", "calendarUrl"],
} as const satisfies Record<string, readonly string[]>;

export type MailTemplateName = keyof typeof mailTemplateVars;

export const mailTemplateNames = Object.keys(mailTemplateVars) as MailTemplateName[];

/** The variables of one template, for callers that want the compiler to check them. */
export type MailVars<T extends MailTemplateName> = Record<(typeof mailTemplateVars)[T][number], string>;

/**
 * Variables that many messages of a template share, stored once (a news item's text, see
 * `shareVars` in server/outbox/enqueue.ts); each message then carries only the rest.
 */
export const sharedMailVars = {
  news: ["title", "summary", "bodyHtml", "bodyText", "readUrl"],
} as const satisfies { [T in MailTemplateName]?: readonly (typeof mailTemplateVars)[T][number][] };

export type SharedMailTemplate = keyof typeof sharedMailVars;

/** The shared part of a template's variables. */
export type SharedMailVars<T extends SharedMailTemplate> = Pick<MailVars<T>, (typeof sharedMailVars)[T][number]>;

/** What each message adds to the shared part: its recipient's own variables. */
export type RecipientMailVars<T extends SharedMailTemplate> = Omit<MailVars<T>, (typeof sharedMailVars)[T][number]>;

/** Variables inserted into the HTML without escaping; they must be sanitized before. */
export const rawHtmlVars: readonly string[] = ["bodyHtml"];

/** Placeholders for branding are written `{{brand.<key>}}` in templates. */
export const brandingKeys = [
  "townName",
  "officialName",
  "primaryColor",
  "accentColor",
  "logoUrl",
  "websiteUrl",
  "imprintUrl",
  "privacyUrl",
  "contactEmail",
] as const satisfies readonly (keyof MailBranding)[];

/**
 * One template in one language, as compiled at build time: skeletons with `{{var}}`,
 * `{{brand.key}}`, `{{{rawVar}}}` and `{{#brand.key}}…{{/brand.key}}` (shown only if set).
 */
export interface CompiledMail {
  subject: string;
  html: string;
  text: string;
}

export type CompiledMails = Record<MailTemplateName, Record<Lang, CompiledMail>>;
