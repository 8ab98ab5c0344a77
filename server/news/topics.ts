import { AppError } from "../http/errors.js";
import type { Tenant } from "../tenants/tenant.js";

const unknownTopicMessages = {
  de: "Dieses Thema gibt es in dieser Gemeinde nicht.",
  en: "This topic does not exist in this municipality.",
};

/** Topics come from the town's configuration; anything else is a 400 naming the field. */
export function unknownTopics(tenant: Tenant, topics: ReadonlyArray<string>, field = "topics") {
  const known = new Set(tenant.config.topics.map((t) => t.id));
  const index = topics.findIndex((t) => !known.has(t));
  if (index >= 0) {
    throw AppError.of(400, "validation_failed", { [`${field}.${index}`]: { code: "unknown_topic", messages: unknownTopicMessages } });
  }
}
