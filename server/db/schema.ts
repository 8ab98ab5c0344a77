import type { TrustLevel } from "../identity/types.js";
import type { Generated, Insertable, Kysely, Selectable, Updateable } from "kysely";

/** Row types of every table, one interface per table; `Database` maps table names to them. */
export interface TenantsTable {
  id: string;
  slug: string;
  config: string;
  config_hash: string;
  logo_svg: string | null;
  /** Base64 PNG for mail clients. */
  logo_png: string | null;
  active: number;
  /** See migrations/0006_public_reads.sql. */
  content_version: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface MigrationsTable {
  id: number;
  name: string;
  applied_at: string;
}

export type AccountKind = "person" | "association" | "company";
export type Role = "citizen" | "staff" | "admin";

export interface AccountsTable {
  tenant_id: string;
  id: string;
  kind: AccountKind;
  role: Role;
  email: string;
  email_verified_at: number | null;
  mobile: string;
  mobile_verified_at: number | null;
  password_hash: string;
  name: string;
  organisation: string | null;
  register_number: string | null;
  address: string | null;
  lang: "de" | "en";
  privacy_version: string;
  privacy_accepted_at: number;
  demo: number;
  sms_alerts: number;
  /** migrations/0008_office.sql: a disabled staff account cannot log in. */
  disabled_at: Generated<number | null>;
  /** migrations/0020_identity.sql: made from a login at an identity provider, which confirmed the person. */
  identity_verified_at: Generated<number | null>;
  created_at: number;
  updated_at: number;
}

/** What a query reads, inserts and changes in `accounts`; the row never leaves the accounts repository. */
export type AccountRow = Selectable<AccountsTable>;
export type NewAccountRow = Insertable<AccountsTable>;
export type AccountRowUpdate = Updateable<Omit<AccountsTable, "tenant_id" | "id">>;

export type SessionKind = "bearer" | "office";

export interface SessionsTable {
  tenant_id: string;
  id: string;
  account_id: string;
  /** bearer: the widget's token; office: the staff app's cookie, with a 30-minute idle timeout. */
  kind: Generated<SessionKind>;
  created_at: number;
  expires_at: number;
  /** migrations/0020_identity.sql: the login's trust level and provider; null for a password login. */
  trust_level: Generated<TrustLevel | null>;
  identity_provider: Generated<string | null>;
}

export type CodePurpose = "email" | "mobile" | "password_reset";

export interface VerificationCodesTable {
  tenant_id: string;
  account_id: string;
  purpose: CodePurpose;
  target: string;
  code_hash: string;
  attempts: number;
  expires_at: number;
  sent_at: number;
}

export interface RateLimitsTable {
  tenant_id: string;
  key: string;
  window_start: number;
  count: number;
}

export type OutboxStatus = "pending" | "sending" | "sent" | "failed";

export interface OutboxTable {
  tenant_id: string;
  id: string;
  channel: "email" | "sms";
  dedupe_key: string | null;
  account_id: string | null;
  recipient: string;
  template: string;
  lang: "de" | "en";
  payload: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  shared_id: string | null;
}

export interface OutboxSharedTable {
  tenant_id: string;
  id: string;
  vars: string;
  created_at: number;
}

export type NewsStatus = "draft" | "scheduled" | "published";

export interface NewsTable {
  tenant_id: string;
  id: string;
  title: string;
  summary: string;
  body: string;
  body_html: string;
  /** JSON array of topic ids. */
  topics: string;
  urgent: number;
  status: NewsStatus;
  publish_at: number | null;
  published_at: number | null;
  fanned_out_at: number | null;
  /** Id of the last account a running fan-out has written a message for. */
  fanout_cursor: string | null;
  /** The current split of the fan-out into queue pages (Workers), and when it was made. */
  fanout_plan?: string | null;
  fanout_planned_at?: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface NewsFanoutPagesTable {
  tenant_id: string;
  news_id: string;
  plan: string;
  after_id: string;
  until_id: string | null;
  done_at: number | null;
}

export interface SubscriptionsTable {
  tenant_id: string;
  account_id: string;
  topic: string;
  created_at: number;
}

export interface FormVersionsTable {
  tenant_id: string;
  form_id: string;
  version: number;
  hash: string;
  definition: string;
  created_at: number;
}

export interface FormsTable {
  tenant_id: string;
  id: string;
  version: number;
  hash: string;
  active: number;
  updated_at: number;
}

export interface FormDraftsTable {
  tenant_id: string;
  account_id: string;
  form_id: string;
  form_version: number;
  data: string;
  updated_at: number;
  expires_at: number;
}

export type SubmissionStatusColumn = "received" | "in_progress" | "waiting" | "approved" | "rejected" | "closed";

export interface SubmissionsTable {
  tenant_id: string;
  id: string;
  reference: string;
  form_id: string;
  form_version: number;
  account_id: string | null;
  email: string;
  lang: "de" | "en";
  data: string;
  status: Generated<SubmissionStatusColumn>;
  idempotency_key: string;
  request_hash: string;
  receipt_token_hash: string | null;
  submitted_at: number;
  updated_at: number;
  /** migrations/0008_office.sql */
  department: string | null;
  applicant_name: Generated<string>;
  assignee_id: Generated<string | null>;
  office_unread: Generated<number>;
  status_reason: Generated<string | null>;
}

/** migrations/0011_office_search.sql */
export interface SubmissionTermsTable {
  tenant_id: string;
  term: string;
  submitted_at: number;
  submission_id: string;
}

/** migrations/0016_office_counts.sql: kept by triggers on submissions; department '' is none. */
export interface SubmissionCountsTable {
  tenant_id: string;
  department: string;
  status: SubmissionStatusColumn;
  n: number;
}

export interface SearchBacklogTable {
  tenant_id: string;
  submission_id: string;
}

export interface StaffDepartmentsTable {
  tenant_id: string;
  account_id: string;
  department: string;
}

export type TimelineKind = "submitted" | "status" | "message" | "reply";

export interface TimelineTable {
  tenant_id: string;
  id: string;
  submission_id: string;
  account_id: string | null;
  kind: TimelineKind;
  status: SubmissionStatusColumn | null;
  reason: string | null;
  text: string | null;
  author_id: string | null;
  created_at: number;
  read_at: number | null;
}

export interface TimelineFilesTable {
  tenant_id: string;
  upload_id: string;
  entry_id: string;
}

export interface SubmissionNotesTable {
  tenant_id: string;
  id: string;
  submission_id: string;
  author_id: string;
  text: string;
  created_at: number;
}

export interface AuditLogTable {
  tenant_id: string;
  id: string;
  actor_id: string | null;
  action: string;
  subject: string;
  before: string | null;
  after: string | null;
  created_at: number;
}

export interface ReferenceCountersTable {
  tenant_id: string;
  year: number;
  value: number;
}

export interface UploadsTable {
  tenant_id: string;
  id: string;
  form_id: string;
  field: string;
  account_id: string | null;
  name: string;
  size: number;
  media_type: string;
  sha256: string;
  blob_key: string;
  created_at: number;
}

export interface SubmissionUploadsTable {
  tenant_id: string;
  upload_id: string;
  submission_id: string;
}

export interface ProofUsesTable {
  tenant_id: string;
  id: string;
  expires_at: number;
}

export type DeliveryStatus = "pending" | "sending" | "delivered" | "failed";
export type WebhookEvent = "submission.created" | "submission.status_changed";

/** migrations/0009_webhooks.sql, 0012: one event to one webhook, delivered at least once. */
export interface WebhookDeliveriesTable {
  tenant_id: string;
  id: string;
  event_id: string;
  event: WebhookEvent;
  webhook_id: string;
  submission_id: string;
  /** The timeline's status entry a `submission.status_changed` reports. */
  entry_id: string | null;
  replay_of: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** The delivery log: every attempt with its answer. */
export interface WebhookAttemptsTable {
  tenant_id: string;
  delivery_id: string;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export type AppointmentStatus = "pending" | "confirmed" | "cancelled" | "no_show";

/** migrations/0013_appointments.sql */
export interface AppointmentsTable {
  tenant_id: string;
  id: string;
  service_id: string;
  location_id: string;
  clerk_id: string;
  seat: number;
  start_at: number;
  end_at: number;
  status: AppointmentStatus;
  account_id: string | null;
  name: string;
  email: string;
  lang: "de" | "en";
  sequence: Generated<number>;
  confirm_by: number | null;
  reminder_queued_at: Generated<number | null>;
  created_at: number;
  updated_at: number;
  cancelled_at: Generated<number | null>;
  /** migrations/0018_appointment_requests.sql: the request it answers. */
  request_id: Generated<string | null>;
}

export interface AppointmentRequestsTable {
  tenant_id: string;
  id: string;
  service_id: string;
  account_id: string | null;
  name: string;
  email: string;
  lang: "de" | "en";
  preferences: string;
  note: string | null;
  status: "open" | "scheduled";
  appointment_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface AppointmentCellsTable {
  tenant_id: string;
  resource: string;
  cell: number;
  appointment_id: string;
}

/** migrations/0017_appointments_busy.sql: raised by triggers on every change of a town's appointments and absences. */
export interface AppointmentVersionsTable {
  tenant_id: string;
  version: number;
}

/** migrations/0019_appointment_day_versions.sql: per UTC day of the appointments' starts. */
export interface AppointmentDayVersionsTable {
  tenant_id: string;
  day: number;
  version: number;
}

/** migrations/0020_identity.sql */
export interface AccountIdentitiesTable {
  tenant_id: string;
  provider_id: string;
  subject: string;
  account_id: string;
  trust_level: TrustLevel;
  linked_at: number;
  last_login_at: number | null;
}

export interface IdentityFlowsTable {
  tenant_id: string;
  id: string;
  provider_id: string;
  nonce: string | null;
  code_verifier: string | null;
  request_id: string | null;
  origin: string;
  mode: "popup" | "redirect";
  return_to: string | null;
  challenge: string;
  lang: "de" | "en";
  link_account_id: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** migrations/0022: SHA-256 of the starting browser's cookie. */
  browser: string | null;
}

export interface IdentityCodesTable {
  tenant_id: string;
  id: string;
  purpose: "login" | "link";
  account_id: string;
  provider_id: string;
  trust_level: TrustLevel | null;
  challenge: string | null;
  expires_at: number;
  used_at: number | null;
}

export interface SamlAssertionsTable {
  tenant_id: string;
  id: string;
  expires_at: number;
}

export interface ClerkAbsencesTable {
  tenant_id: string;
  id: string;
  clerk_id: string;
  start_at: number;
  end_at: number;
  note: string | null;
  created_by: string;
  created_at: number;
}

export interface Database {
  tenants: TenantsTable;
  d1_migrations: MigrationsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  verification_codes: VerificationCodesTable;
  rate_limits: RateLimitsTable;
  outbox: OutboxTable;
  outbox_shared: OutboxSharedTable;
  news: NewsTable;
  news_fanout_pages: NewsFanoutPagesTable;
  subscriptions: SubscriptionsTable;
  form_versions: FormVersionsTable;
  forms: FormsTable;
  form_drafts: FormDraftsTable;
  submissions: SubmissionsTable;
  reference_counters: ReferenceCountersTable;
  uploads: UploadsTable;
  submission_uploads: SubmissionUploadsTable;
  proof_uses: ProofUsesTable;
  staff_departments: StaffDepartmentsTable;
  timeline: TimelineTable;
  timeline_files: TimelineFilesTable;
  submission_notes: SubmissionNotesTable;
  submission_terms: SubmissionTermsTable;
  search_backlog: SearchBacklogTable;
  submission_counts: SubmissionCountsTable;
  audit_log: AuditLogTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  appointments: AppointmentsTable;
  appointment_cells: AppointmentCellsTable;
  clerk_absences: ClerkAbsencesTable;
  appointment_versions: AppointmentVersionsTable;
  appointment_day_versions: AppointmentDayVersionsTable;
  account_identities: AccountIdentitiesTable;
  identity_flows: IdentityFlowsTable;
  identity_codes: IdentityCodesTable;
  saml_assertions: SamlAssertionsTable;
  appointment_requests: AppointmentRequestsTable;
}

export type Db = Kysely<Database>;
