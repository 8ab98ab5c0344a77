import { z } from "zod";
import { formFileSchema } from "../forms/definition-schema.js";

/**
 * The shapes the API answers with, as schemas for the OpenAPI document. Strict objects: a key
 * that is not documented (a leaked `password_hash`) fails the response check of the API suite.
 */
const iso = z.iso.datetime({ offset: true }).describe("ISO 8601 time");
const bilingual = z.object({ de: z.string(), en: z.string() }).strict();

export const errorEnvelope = z
  .object({
    error: z
      .object({
        code: z.string().describe("stable machine-readable code, e.g. validation_failed"),
        message: z.string().describe("in the language of Accept-Language (German by default)"),
        messages: bilingual,
        fields: z
          .record(z.string(), z.object({ code: z.string(), message: z.string(), messages: bilingual }).strict())
          .optional()
          .describe("the offending fields by path, e.g. address.postalCode"),
        slots: z.lazy(() => slotDays).optional().describe("with 409 slot_taken: the day's free slots as they are now"),
        requiredTrustLevel: z.enum(["substantial", "high"]).optional().describe("with 403 trust_level_required: what the form needs"),
        providers: z
          .array(z.object({ id: z.string(), type: z.enum(["oidc", "saml"]), label: z.object({ de: z.string(), en: z.string().optional() }).strict() }).strict())
          .optional()
          .describe("with 403 trust_level_required: the town's identity providers to log in with"),
      })
      .strict(),
  })
  .strict()
  .meta({ id: "Error" });

export const health = z.object({ status: z.enum(["ok", "unavailable"]) }).strict();

const tenantText = z.object({ de: z.string(), en: z.string().optional() }).strict();

export const tenantConfig = z
  .object({
    slug: z.string(),
    name: z.string(),
    officialName: z.string(),
    locale: z.enum(["de", "en"]),
    branding: z.object({ primaryColor: z.string(), accentColor: z.string(), logoUrl: z.string().nullable() }).strict(),
    topics: z.array(z.object({ id: z.string(), label: tenantText, description: tenantText.optional() }).strict()),
    services: z.array(z.enum(["news", "accounts", "forms", "appointments", "mailbox"])),
    contact: z.object({ email: z.string(), website: z.string(), phone: z.string().optional(), address: z.string().optional() }).strict(),
    links: z.object({ imprint: z.string(), privacy: z.string(), accessibility: z.string().optional() }).strict(),
    privacyPolicyVersion: z.string(),
    identityProviders: z.array(z.object({ id: z.string(), type: z.enum(["oidc", "saml"]), label: tenantText }).strict()).describe("login buttons: BundID, a state's Servicekonto, …"),
  })
  .strict()
  .meta({ id: "TenantConfig" });

export const account = z
  .object({
    id: z.string(),
    kind: z.enum(["person", "association", "company"]),
    role: z.enum(["citizen", "staff", "admin"]),
    name: z.string(),
    organisation: z.string().nullable(),
    registerNumber: z.string().nullable(),
    address: z.object({ street: z.string(), postalCode: z.string(), city: z.string() }).strict().nullable(),
    email: z.string(),
    emailVerified: z.boolean(),
    mobile: z.string().describe("E.164, e.g. +491712345678"),
    mobileVerified: z.boolean(),
    identityVerified: z.boolean().describe("confirmed by an identity provider (BundID, …) instead of a mobile code"),
    lang: z.enum(["de", "en"]),
    createdAt: iso,
  })
  .strict()
  .meta({ id: "Account" });

export const session = z.object({ token: z.string().describe("send as Authorization: Bearer <token>"), account }).strict();
export const accountOnly = z.object({ account }).strict();
export const me = z
  .object({ account, trustLevel: z.enum(["basic", "substantial", "high"]).nullable().describe("of the session's login at an identity provider; null after a password login") })
  .strict();
/** server/identity/api-types.ts */
export const identityLogin = z
  .object({ token: z.string().describe("send as Authorization: Bearer <token>"), account, trustLevel: z.enum(["basic", "substantial", "high"]).describe("of the login at the provider; kept on the session") })
  .strict();
export const linkedIdentities = z
  .object({ items: z.array(z.object({ providerId: z.string(), label: tenantText, linkedAt: iso, lastLoginAt: iso.nullable() }).strict()) })
  .strict();
export const linkIntent = z.object({ intent: z.string().describe("pass to auth/providers/{id}/start as `intent`; valid 10 minutes, once") }).strict();
export const accepted = z.object({ status: z.literal("sent") }).strict();

export const accountExport = z
  .object({ exportedAt: iso, account })
  .catchall(z.unknown())
  .describe("everything stored about the account (DSGVO Art. 15/20)");

export const subscriptions = z.object({ topics: z.array(z.string()), smsAlerts: z.boolean() }).strict();
export const unsubscribed = z.object({ status: z.literal("unsubscribed") }).strict();

const newsSummary = z
  .object({ id: z.string(), title: z.string(), summary: z.string(), topics: z.array(z.string()), urgent: z.boolean(), publishedAt: iso })
  .strict()
  .meta({ id: "NewsSummary" });

export const newsPage = z.object({ items: z.array(newsSummary), nextCursor: z.string().nullable() }).strict();

export const newsItem = newsSummary.extend({ bodyHtml: z.string().describe("sanitized HTML"), updatedAt: iso }).strict().meta({ id: "NewsItem" });

export const staffNewsItem = z
  .object({
    id: z.string(),
    title: z.string(),
    summary: z.string(),
    body: z.string().describe("Markdown"),
    bodyHtml: z.string(),
    topics: z.array(z.string()),
    urgent: z.boolean(),
    status: z.enum(["draft", "scheduled", "published"]),
    publishAt: iso.nullable(),
    publishedAt: iso.nullable(),
    fannedOutAt: iso.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .strict()
  .meta({ id: "StaffNewsItem" });

export const staffNewsList = z.object({ items: z.array(staffNewsItem) }).strict();

const formText = z.object({ de: z.string(), en: z.string().optional() }).strict();
const formAccess = z
  .object({
    anonymous: z.boolean(),
    accountKinds: z.array(z.enum(["person", "association", "company"])).optional(),
    trustLevel: z.enum(["substantial", "high"]).optional().describe("the login must come from an identity provider (BundID) with at least this trust level"),
  })
  .strict();

export const formList = z
  .object({
    items: z.array(
      z
        .object({ id: z.string(), version: z.number().int(), title: formText, summary: formText.nullable(), category: formText, keywords: z.array(z.string()), access: formAccess })
        .strict(),
    ),
  })
  .strict();

export const formDefinition = formFileSchema
  .extend({ id: z.string(), version: z.number().int(), source: z.enum(["town", "catalog"]) })
  .meta({ id: "FormDefinition", description: "The format is described in docs/forms.md." });

export const formJsonSchemaDoc = z.record(z.string(), z.unknown()).describe("JSON Schema 2020-12 of the data a submission of this form stores");

const formAnswers = z.record(z.string(), z.unknown()).describe("answers by item id; groups nested, repeated groups as arrays (docs/forms.md)");

const uploadInfo = z.object({ id: z.string(), name: z.string(), size: z.number().int(), mediaType: z.string() }).strict();

export const draft = z.object({ data: formAnswers, version: z.number().int(), outdated: z.boolean(), updatedAt: iso, expiresAt: iso, uploads: z.array(uploadInfo) }).strict();

export const upload = z
  .object({ id: z.string(), name: z.string(), size: z.number().int(), mediaType: z.string().describe("decided by content"), sha256: z.string() })
  .strict();

export const proofChallenge = z
  .object({ algorithm: z.string(), challenge: z.string(), salt: z.string(), signature: z.string(), maxnumber: z.number().int() })
  .strict()
  .describe("an ALTCHA challenge: find n ≤ maxnumber with SHA-256(salt + n) = challenge");

export const submissionReceipt = z
  .object({ id: z.string(), reference: z.string().describe("e.g. TGH-2026-000123"), submittedAt: iso, receiptUrl: z.string() })
  .strict();

const submissionStatus = z.enum(["received", "in_progress", "waiting", "approved", "rejected", "closed"]);
const submissionSummary = z
  .object({ id: z.string(), reference: z.string(), formId: z.string(), formTitle: formText, status: submissionStatus, submittedAt: iso })
  .strict()
  .meta({ id: "SubmissionSummary" });

export const submissionPage = z.object({ items: z.array(submissionSummary), nextCursor: z.string().nullable() }).strict();

export const submissionDetail = submissionSummary
  .extend({
    formVersion: z.number().int(),
    data: formAnswers,
    uploads: z.array(uploadInfo),
    receiptUrl: z.string(),
  })
  .strict();

const documentRef = z.object({ id: z.string(), name: z.string(), size: z.number().int(), mediaType: z.string() }).strict();

export const timelineEntry = z
  .object({
    id: z.string(),
    submissionId: z.string(),
    reference: z.string(),
    formTitle: formText,
    kind: z.enum(["submitted", "status", "message", "reply"]),
    at: iso,
    status: submissionStatus.optional(),
    reason: z.string().optional(),
    text: z.string().optional(),
    documents: z.array(documentRef).optional(),
    unread: z.boolean(),
  })
  .strict()
  .meta({ id: "TimelineEntry" });

export const mailboxPage = z.object({ items: z.array(timelineEntry), nextCursor: z.string().nullable(), unread: z.number().int() }).strict();

export const anonymousSubmission = z.object({ reference: z.string(), formTitle: formText, status: submissionStatus, history: z.array(timelineEntry) }).strict();

const personRef = z.object({ id: z.string(), name: z.string() }).strict();

export const officeSession = z
  .object({
    account,
    departments: z.array(z.string()),
    csrfToken: z.string().describe("send as X-CSRF-Token on every write"),
    idleTimeoutSeconds: z.number().int(),
    town: z
      .object({ slug: z.string(), name: z.string(), departments: z.array(z.object({ id: z.string(), name: formText }).strict()), primaryColor: z.string(), logoUrl: z.string().nullable() })
      .strict(),
  })
  .strict();

const officeSummary = z
  .object({
    id: z.string(),
    reference: z.string(),
    formId: z.string(),
    formTitle: formText,
    department: z.string().nullable(),
    status: submissionStatus,
    submittedAt: iso,
    applicantName: z.string(),
    assignee: personRef.nullable(),
    unread: z.boolean(),
  })
  .strict()
  .meta({ id: "OfficeSubmissionSummary" });

export const officeInbox = z
  .object({ items: z.array(officeSummary), nextCursor: z.string().nullable(), counts: z.record(submissionStatus, z.number().int()) })
  .strict();

export const officeSubmission = officeSummary
  .extend({
    form: formDefinition,
    data: formAnswers,
    files: z.array(documentRef),
    applicant: z.union([
      z
        .object({
          anonymous: z.literal(false),
          kind: z.enum(["person", "association", "company"]),
          name: z.string(),
          organisation: z.string().nullable(),
          email: z.string(),
          mobile: z.string(),
          address: z.object({ street: z.string(), postalCode: z.string(), city: z.string() }).strict().nullable(),
        })
        .strict(),
      z.object({ anonymous: z.literal(true), email: z.string() }).strict(),
    ]),
    statusReason: z.string().nullable(),
    history: z.array(timelineEntry),
    notes: z.array(z.object({ id: z.string(), text: z.string(), author: personRef, at: iso }).strict()),
    nextStatuses: z.array(submissionStatus),
  })
  .strict();

export const auditPage = z
  .object({
    items: z.array(z.object({ id: z.string(), at: iso, actor: personRef.nullable(), action: z.string(), subject: z.string(), before: z.unknown(), after: z.unknown() }).strict()),
    nextCursor: z.string().nullable(),
  })
  .strict();

export const staffMember = z
  .object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(["staff", "admin"]), departments: z.array(z.string()), disabled: z.boolean() })
  .strict();
export const staffList = z.object({ items: z.array(staffMember) }).strict();

/** server/handoff/api-types.ts: the webhook delivery log. */
export const webhookDelivery = z
  .object({
    id: z.string(),
    eventId: z.string().describe("what receivers dedupe by; a replay carries the same"),
    event: z.enum(["submission.created", "submission.status_changed"]),
    webhookId: z.string(),
    url: z.string().nullable().describe("the webhook's URL in tenant.json now; null once removed there"),
    submission: z.object({ id: z.string(), reference: z.string().nullable() }).strict(),
    replayOf: z.string().nullable(),
    status: z.enum(["pending", "sending", "delivered", "failed"]),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: iso,
    nextAttemptAt: iso.nullable(),
    deliveredAt: iso.nullable(),
    log: z.array(z.object({ attempt: z.number().int(), at: iso, statusCode: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number().int() }).strict()),
  })
  .strict()
  .meta({ id: "WebhookDelivery" });
export const webhookDeliveryPage = z.object({ items: z.array(webhookDelivery), nextCursor: z.string().nullable() }).strict();

/** server/appointments/api-types.ts */
const appointmentLocation = z.object({ id: z.string(), name: tenantText, address: z.string() }).strict();
export const appointmentServices = z
  .object({
    services: z.array(
      z
        .object({
          id: z.string(),
          name: tenantText,
          description: tenantText.nullable(),
          durationMinutes: z.number().int(),
          mode: z.enum(["booking", "request"]),
          bring: z.array(tenantText),
          location: appointmentLocation,
        })
        .strict(),
    ),
    cancelCutoffHours: z.number().int().describe("until how many hours before the start an appointment can be cancelled or moved online"),
    bookingWindowDays: z.number().int().describe("how many days ahead appointments can be booked or asked for"),
  })
  .strict();
export const slotDays = z
  .object({ days: z.array(z.object({ date: z.string().describe("YYYY-MM-DD in Berlin"), slots: z.array(z.object({ start: iso, end: iso }).strict()) }).strict()) })
  .strict()
  .meta({ id: "SlotDays" });
export const appointment = z
  .object({
    id: z.string(),
    serviceId: z.string(),
    serviceName: tenantText,
    status: z.enum(["pending", "confirmed", "cancelled", "no_show"]),
    start: iso,
    end: iso,
    location: appointmentLocation,
    bring: z.array(tenantText),
    name: z.string(),
    email: z.string(),
    cancellableUntil: iso.nullable(),
    calendarUrl: z.string().describe("the .ics file, with the secret of the mail's links"),
  })
  .strict()
  .meta({ id: "Appointment" });
export const appointmentList = z.object({ items: z.array(appointment) }).strict();

/** server/appointments/api-types.ts: the office's calendar. */
const officeAppointment = z
  .object({ id: z.string(), serviceId: z.string(), serviceName: tenantText, locationId: z.string(), clerkId: z.string(), start: iso, end: iso, status: z.enum(["pending", "confirmed", "cancelled", "no_show"]), name: z.string(), email: z.string() })
  .strict();
const officeAbsence = z.object({ id: z.string(), clerkId: z.string(), start: iso, end: iso, note: z.string().nullable() }).strict();
export const officeCalendar = z.object({ clerks: z.array(z.object({ id: z.string(), name: z.string() }).strict()), appointments: z.array(officeAppointment), absences: z.array(officeAbsence) }).strict();
export const absenceCreated = z.object({ absence: officeAbsence, conflicts: z.array(officeAppointment) }).strict();
export const officeAppointmentOut = officeAppointment;

export const appointmentRequest = z
  .object({
    id: z.string(),
    serviceId: z.string(),
    serviceName: tenantText,
    status: z.enum(["open", "scheduled"]),
    preferences: z.array(z.object({ date: z.string(), time: z.enum(["morning", "afternoon", "any"]) }).strict()),
    note: z.string().nullable(),
    name: z.string(),
    email: z.string(),
    createdAt: iso,
    appointmentId: z.string().nullable(),
  })
  .strict()
  .meta({ id: "AppointmentRequest" });
export const appointmentRequestList = z.object({ items: z.array(appointmentRequest) }).strict();
