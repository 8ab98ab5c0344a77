import { encodeHexLowerCase } from "@oslojs/encoding";
import type { BlobStore } from "../files/blobs.js";
import { berlinDate } from "../lib/berlin-time.js";
import type { FormDefinition } from "../forms/definition.js";
import type { SubmissionRecord, UploadRecord } from "../forms/repo.js";
import { sha256Hex } from "../lib/crypto.js";
import { type ZipEntry, zipArchive } from "./zip.js";

/**
 * A submission as a FIT-Connect-shaped package: `metadata.json` in the shape of FIT-Connect's
 * submission metadata (contentStructure with SHA-512 hashes, the data's schema, the
 * attachments and their purposes, the Leika service, the reference), `data.json` (the stored
 * answers) and `attachments/<name>`. "Shaped": the ids are ours (`u_…`, not UUIDs) and nothing
 * is encrypted, so it is not a FIT-Connect submission, but a system that reads those reads this.
 */
export interface FitMetadata {
  contentStructure: {
    data: { hash: Hash; submissionSchema: { schemaUri: string; mimeType: "application/json" } };
    attachments: Array<{ attachmentId: string; hash: Hash; purpose: "attachment"; filename: string; mimeType: string }>;
  };
  publicServiceType?: { name: string; identifier: string };
  additionalReferenceInfo: { senderReference: string; applicationDate: string };
  replyChannel: { eMail: { address: string } };
}

interface Hash {
  type: "sha512";
  content: string;
}

const sha512 = async (bytes: Uint8Array): Promise<Hash> => ({
  type: "sha512",
  content: encodeHexLowerCase(new Uint8Array(await crypto.subtle.digest("SHA-512", bytes as Uint8Array<ArrayBuffer>))),
});

async function readAll(body: ReadableStream<Uint8Array>, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let filled = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (filled + value.length > size) {
      await reader.cancel().catch(() => {});
      throw new Error("blob longer than its stored size");
    }
    out.set(value, filled);
    filled += value.length;
  }
  if (filled !== size) throw new Error("blob shorter than its stored size");
  return out;
}

/** `Nachweis.pdf`, `Nachweis (2).pdf`: names are unique within the archive. */
function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  const dot = name.lastIndexOf(".");
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let n = 2; taken.has(candidate); n++) candidate = `${base} (${n})${ext}`;
  taken.add(candidate);
  return candidate;
}

/**
 * The package of one submission. The files are read one after another and checked against the
 * SHA-256 stored at upload, so a package never carries bytes other than those the citizen sent;
 * they are held in memory while the archive is sent (at most the submission's 25 MB).
 */
export async function submissionPackage(
  blobs: BlobStore,
  s: SubmissionRecord,
  form: FormDefinition,
  files: ReadonlyArray<UploadRecord>,
  schemaUri: string,
): Promise<{ filename: string; metadata: FitMetadata; size: number; stream: ReadableStream<Uint8Array> }> {
  const data = new TextEncoder().encode(JSON.stringify(s.data));
  const taken = new Set<string>();
  const attachments: Array<{ file: UploadRecord; name: string; bytes: Uint8Array }> = [];
  for (const file of files) {
    const blob = await blobs.get(file.blobKey);
    if (!blob) throw new Error(`file ${file.id} of submission ${s.id} is missing from the blob store`);
    const bytes = await readAll(blob.body, blob.size);
    if ((await sha256Hex(bytes)) !== file.sha256) throw new Error(`file ${file.id} of submission ${s.id} does not match its stored SHA-256`);
    attachments.push({ file, name: uniqueName(file.name, taken), bytes });
  }
  const metadata: FitMetadata = {
    contentStructure: {
      data: { hash: await sha512(data), submissionSchema: { schemaUri, mimeType: "application/json" } },
      attachments: await Promise.all(
        attachments.map(async (a) => ({ attachmentId: a.file.id, hash: await sha512(a.bytes), purpose: "attachment" as const, filename: a.name, mimeType: a.file.mediaType })),
      ),
    },
    ...(form.leika ? { publicServiceType: { name: form.title.de, identifier: `urn:de:fim:leika:leistung:${form.leika}` } } : {}),
    additionalReferenceInfo: { senderReference: s.reference, applicationDate: berlinDate(s.submittedAt) },
    replyChannel: { eMail: { address: s.email } },
  };
  const entries: ZipEntry[] = [
    { name: "metadata.json", bytes: new TextEncoder().encode(JSON.stringify(metadata, null, 2)), modified: s.submittedAt },
    { name: "data.json", bytes: data, modified: s.submittedAt },
    ...attachments.map((a) => ({ name: `attachments/${a.name}`, bytes: a.bytes, modified: a.file.createdAt })),
  ];
  return { filename: `${s.reference}.zip`, metadata, ...zipArchive(entries) };
}
