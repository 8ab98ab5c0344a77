import type { Store } from "../db/store.js";
import type { MailAttachment } from "../delivery/ports.js";
import type { AttachmentSource } from "../outbox/dispatcher.js";
import { findTenantMailLogo } from "../tenants/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import type { FormDefinition } from "./definition.js";
import { type ReceiptInput, receiptPdf } from "./receipt-pdf.js";
import { type SubmissionRecord, type UploadRecord, findFormVersion, findSubmissionByReference, uploadsOfSubmission } from "./repo.js";

/**
 * Makes the PDF. A port, because a receipt costs tens of milliseconds of CPU: the Node entry
 * renders in a worker thread with embedded fonts (server/node/receipt-renderer.ts), so sending
 * receipts never holds up requests; elsewhere it runs in place with the PDF standard font.
 */
export type ReceiptRenderer = (input: ReceiptInput) => Promise<Uint8Array>;

export const inPlaceReceipts: ReceiptRenderer = (input) => receiptPdf(input, null);

const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** The receipt PDF of a submission, made from the form version it was sent with. */
export async function receiptFor(
  store: Store,
  tenant: Tenant,
  found: { submission: SubmissionRecord; form: FormDefinition; uploads: UploadRecord[] },
  render: ReceiptRenderer,
): Promise<{ bytes: Uint8Array; filename: string }> {
  const { submission: s, form, uploads } = found;
  const c = tenant.config;
  const logo = tenant.hasMailLogo ? await findTenantMailLogo(store.db, tenant.id) : null;
  const bytes = await render({
      lang: s.lang,
      town: {
        officialName: c.officialName,
        name: c.name,
        email: c.contact.email,
        ...(c.contact.address ? { address: c.contact.address } : {}),
        ...(c.contact.phone ? { phone: c.contact.phone } : {}),
        website: c.contact.website,
        logoPng: logo ? fromBase64(logo) : null,
        primaryColor: c.branding.primaryColor,
      },
      form,
      submission: {
        reference: s.reference,
        submittedAt: s.submittedAt,
        data: s.data,
        uploads: uploads.map((u) => ({ id: u.id, name: u.name, size: u.size, mediaType: u.mediaType })),
        sender: { email: s.email },
      },
  });
  const filename = `${s.lang === "en" ? "Receipt" : "Eingangsbestaetigung"}-${s.reference}.pdf`;
  return { bytes, filename };
}

/** The dispatcher's attachments: the receipt PDF goes with the receipt mail, made when it is sent. */
export function receiptAttachments(store: Store, render: ReceiptRenderer): AttachmentSource {
  return async (tenant, template, vars): Promise<MailAttachment[]> => {
    if (template !== "form_receipt" || !vars.reference) return [];
    const submission = await findSubmissionByReference(store.db, tenant.id, vars.reference);
    if (!submission) return [];
    const form = await findFormVersion(store.db, tenant.id, submission.formId, submission.formVersion);
    if (!form) return [];
    const uploads = await uploadsOfSubmission(store.db, tenant.id, submission.id);
    const pdf = await receiptFor(store, tenant, { submission, form, uploads }, render);
    return [{ filename: pdf.filename, contentType: "application/pdf", content: pdf.bytes }];
  };
}
