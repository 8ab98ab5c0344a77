/** The hand-off's tables live with all others in server/db/schema.ts; the names this feature uses. */
export type { DeliveryStatus, WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEvent } from "../db/schema.js";
