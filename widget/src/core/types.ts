/**
 * The API's shapes as the widget reads them: imported from the server (`import type`, erased
 * at build, so no server code reaches the bundle). A change on the server that the widget does
 * not follow fails the type check instead of drifting.
 */
import type { PublicAccount } from "../../../server/accounts/account.js";

export type { Lang } from "../../../server/http/errors.js";
export type { PublicTenantConfig as TenantConfig, TenantText } from "../../../server/tenants/tenant.js";
export type { AccountKind } from "../../../server/db/schema.js";
export type { PublicAccount as Account };
export type { NewsSummary, NewsPage, NewsItemPublic as NewsItem, NewsStatus, StaffNewsItem as ManagedNews } from "../../../server/news/news.js";
export type { Subscriptions } from "../../../server/subscriptions/service.js";

/** What register, login and a password reset answer. */
export interface AuthResult {
  token: string;
  account: PublicAccount;
}

/** What staff send to create (all fields) or edit (any of them) a news item. */
export type NewsInput = import("zod").input<typeof import("../../../server/news/inputs.js").createNewsInput>;

export type {
  AddressValue,
  Field,
  FileField,
  FormDefinition,
  FormData as Answers,
  FormSummary,
  GroupItem,
  Item,
  Step,
  Text,
  Value,
} from "../../../server/forms/definition.js";
export type { Draft, FormList, ProofChallenge, SubmissionPage, SubmissionReceipt, SubmissionStatus, SubmissionSummary, Upload } from "../../../server/forms/api-types.js";
export type { RuleError } from "../../../server/forms/rules/types.js";
export type { DocumentRef, MailboxPage, TimelineEntry } from "../../../server/mailbox/api-types.js";
export type {
  Appointment,
  AppointmentList,
  AppointmentLocationInfo,
  AppointmentServiceInfo,
  AppointmentServiceList,
  AppointmentStatus,
  SlotDays,
} from "../../../server/appointments/api-types.js";
