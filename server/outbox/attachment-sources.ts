import type { AttachmentSource } from "./dispatcher.js";

/** The attachments of every source, for one dispatcher serving all features' mails. */
export function allAttachments(...sources: AttachmentSource[]): AttachmentSource {
  return async (tenant, template, vars) => (await Promise.all(sources.map((s) => s(tenant, template, vars)))).flat();
}
