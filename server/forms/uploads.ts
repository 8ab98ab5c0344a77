import type { Store } from "../db/store.js";
import { type BlobStore, BlobTooLarge } from "../files/blobs.js";
import { safeFileName } from "../files/filename.js";
import { type FilePart, MultipartError, readMultipart } from "../files/multipart.js";
import { ContentRefused, inspectUpload } from "../files/sniff.js";
import { AppError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import type { Tenant } from "../tenants/tenant.js";
import type { Upload } from "./api-types.js";
import type { FileField, FormDefinition } from "./definition.js";
import { deleteUploadRow, findUploads, insertUpload, unusedUploadsBefore } from "./repo.js";
import { itemAt } from "./rules/index.js";
import { defaultMaxFileBytes, fieldOfPath } from "./service.js";

interface UploadDeps {
  store: Store;
  clock: Clock;
  blobs: BlobStore;
}

/** Unused uploads live this long; a form is filled in well within a day. */
export const uploadLifetimeMs = 24 * 60 * 60_000;

const fieldPathProblem = () =>
  AppError.of(400, "validation_failed", {
    field: { code: "invalid", messages: { de: "Dieses Formular hat kein solches Datei-Feld.", en: "This form has no such file field." } },
  });

function fileFieldOf(form: FormDefinition, path: string | undefined): FileField {
  if (!path || path.length > 300) throw fieldPathProblem();
  const found = itemAt(form, path);
  if (!found || found.item.type !== "file") throw fieldPathProblem();
  return found.item;
}

/**
 * `POST forms/{id}/uploads`: reads the multipart body as it arrives. The `field` part must come
 * before the `file` part (browsers keep FormData's order), so the file's limits are known before
 * its first byte: a file too big stops at the limit, a file of the wrong type at its first bytes,
 * and nothing of a refused file stays on disk.
 */
export async function receiveUpload(deps: UploadDeps, tenant: Tenant, form: FormDefinition, accountId: string | null, request: Request): Promise<Upload> {
  if (!request.body) throw AppError.of(400, "malformed_multipart");
  let fieldPath: string | undefined;
  let result: Upload | undefined;
  // A body that turns out broken after its file was stored leaves nothing behind.
  const discard = async () => {
    if (result) await deleteStored(deps, tenant, result.id);
  };
  try {
    for await (const part of readMultipart(request.body, request.headers.get("content-type"), { maxFieldBytes: 1024, maxParts: 4, maxFiles: 1 })) {
      if (part.kind === "field") {
        if (part.name === "field") fieldPath = part.value;
        continue;
      }
      if (part.name !== "file") {
        await part.body.cancel();
        continue;
      }
      const field = fileFieldOf(form, fieldPath);
      result = await storeFile(deps, tenant, { formId: form.id, field: fieldOfPath(fieldPath!), accountId, accept: field.accept, maxBytes: field.maxSize ?? defaultMaxFileBytes }, part);
    }
  } catch (e) {
    await discard();
    if (e instanceof MultipartError) {
      throw e.code === "unsupported_media_type" ? AppError.of(415, "unsupported_media_type") : e.code === "payload_too_large" ? AppError.of(413, "payload_too_large") : AppError.of(400, "malformed_multipart");
    }
    throw e;
  }
  if (!result) {
    throw AppError.of(400, "validation_failed", { file: { code: "required", messages: { de: "Bitte wählen Sie eine Datei aus.", en: "Please choose a file." } } });
  }
  return result;
}

/** Where a stored file belongs and what it may be. */
interface FileTarget {
  formId: string;
  /** A file field without entry indexes, or `_reply` / `_document` for files sent with messages. */
  field: string;
  accountId: string | null;
  accept: ReadonlyArray<string>;
  maxBytes: number;
}

/**
 * A file sent with a message: a citizen's reply or a document of the town, as a multipart body
 * with one `file` part. Stored like form uploads; the message links it.
 */
export async function receiveAttachment(deps: UploadDeps, tenant: Tenant, target: FileTarget, request: Request): Promise<Upload> {
  if (!request.body) throw AppError.of(400, "malformed_multipart");
  let result: Upload | undefined;
  try {
    for await (const part of readMultipart(request.body, request.headers.get("content-type"), { maxFieldBytes: 1024, maxParts: 3, maxFiles: 1 })) {
      if (part.kind === "file" && part.name === "file") result = await storeFile(deps, tenant, target, part);
      else if (part.kind === "file") await part.body.cancel();
    }
  } catch (e) {
    if (result) await deleteStored(deps, tenant, result.id);
    if (e instanceof MultipartError) {
      throw e.code === "unsupported_media_type" ? AppError.of(415, "unsupported_media_type") : e.code === "payload_too_large" ? AppError.of(413, "payload_too_large") : AppError.of(400, "malformed_multipart");
    }
    throw e;
  }
  if (!result) throw AppError.of(400, "validation_failed", { file: { code: "required", messages: { de: "Bitte wählen Sie eine Datei aus.", en: "Please choose a file." } } });
  return result;
}

/** What messages may carry: documents people open without risk. */
export const attachmentTypes = ["application/pdf", "image/jpeg", "image/png"] as const;

async function storeFile(deps: UploadDeps, tenant: Tenant, target: FileTarget, part: FilePart): Promise<Upload> {
  const { maxBytes } = target;
  let type;
  try {
    type = await inspectUpload(part.body);
  } catch (e) {
    if (e instanceof ContentRefused) throw AppError.of(415, "unsupported_type");
    throw e;
  }
  if (!target.accept.includes(type.mediaType)) {
    await type.body.cancel();
    throw AppError.of(415, "unsupported_type");
  }
  const id = randomId("u");
  const key = `${tenant.id}/${id}`;
  let stored;
  try {
    stored = await deps.blobs.put(key, type.body, { maxBytes, mediaType: type.mediaType });
  } catch (e) {
    await deps.blobs.delete(key).catch(() => {});
    if (e instanceof BlobTooLarge) throw AppError.of(413, "file_too_large");
    if (e instanceof ContentRefused) throw e.code === "unsupported_type" ? AppError.of(415, "unsupported_type") : AppError.of(422, e.code);
    throw e;
  }
  const name = safeFileName(part.filename, type.ext);
  try {
    await insertUpload(deps.store.db, tenant.id, {
      id,
      formId: target.formId,
      field: target.field,
      accountId: target.accountId,
      name,
      size: stored.size,
      mediaType: type.mediaType,
      sha256: stored.sha256,
      blobKey: key,
      createdAt: deps.clock.now(),
    }).execute();
  } catch (e) {
    await deps.blobs.delete(key).catch(() => {});
    throw e;
  }
  return { id, name, size: stored.size, mediaType: type.mediaType, sha256: stored.sha256 };
}

async function deleteStored(deps: UploadDeps, tenant: Tenant, id: string) {
  await deleteUploadRow(deps.store.db, tenant.id, id).execute();
  await deps.blobs.delete(`${tenant.id}/${id}`);
}

/** Removes an upload its owner no longer wants, as long as no submission took it. */
export async function deleteUpload(deps: UploadDeps, tenant: Tenant, formId: string, uploadId: string, accountId: string | null): Promise<void> {
  const [u] = await findUploads(deps.store.db, tenant.id, [uploadId]);
  // Another town's, another citizen's or an anonymous id seen by an account: not found, all alike.
  if (!u || u.formId !== formId || u.accountId !== accountId || u.submissionId !== null) throw AppError.of(404, "not_found");
  await deleteUploadRow(deps.store.db, tenant.id, u.id).execute();
  await deps.blobs.delete(u.blobKey);
}

/** Housekeeping: uploads no submission took within a day, bytes first, then the row. */
export async function pruneUnusedUploads(store: Store, blobs: BlobStore, now: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const batch = await unusedUploadsBefore(store.db, now - uploadLifetimeMs, 200);
    for (const u of batch) {
      await blobs.delete(u.blobKey);
      await deleteUploadRow(store.db, u.tenantId, u.id).execute();
    }
    removed += batch.length;
    if (batch.length < 200) return removed;
  }
}
