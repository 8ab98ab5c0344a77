import type { R2Bucket, R2MultipartUpload, R2UploadedPart } from "@cloudflare/workers-types";
import { type BlobStore, assertBlobKey, limitedStream } from "../files/blobs.js";

/**
 * R2 wants to know a body's length up front (or a FixedLengthStream), and an upload's length
 * is known only at its end. Buffering up to maxBytes would cost up to 25 MB per upload in an
 * isolate that has 128 MB for all its concurrent requests, so this buffers at most one part:
 * a file that ends within the first part (most scans and photos) is one `put` with its
 * SHA-256 for R2 to verify; a longer one becomes a multipart upload of equal parts, each sent
 * as soon as it is full, and is aborted when the body fails or grows past the limit.
 * 5 MiB is R2's smallest allowed part size (all parts but the last must be equal).
 */
export const r2PartSize = 5 * 1024 * 1024;

export function r2BlobStore(bucket: R2Bucket): BlobStore {
  return {
    async put(key, body, opts) {
      assertBlobKey(key);
      const httpMetadata = { contentType: opts.mediaType };
      const metered = limitedStream(body, opts.maxBytes);
      const reader = metered.stream.getReader();
      // Grows by doubling up to one part, so a small file does not cost a 5 MiB allocation.
      let part: Uint8Array<ArrayBuffer> = new Uint8Array(64 * 1024);
      let filled = 0;
      let upload: R2MultipartUpload | null = null;
      const parts: R2UploadedPart[] = [];
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (let offset = 0; offset < value.byteLength; ) {
            if (filled === part.byteLength) {
              // Full with more to come: grow up to one part, then send it as a part of a multipart upload.
              if (part.byteLength < r2PartSize) part = grow(part, Math.min(2 * part.byteLength, r2PartSize));
              else {
                upload ??= await bucket.createMultipartUpload(key, { httpMetadata });
                parts.push(await upload.uploadPart(parts.length + 1, part));
                filled = 0;
              }
            }
            const n = Math.min(part.byteLength - filled, value.byteLength - offset);
            part.set(value.subarray(offset, offset + n), filled);
            filled += n;
            offset += n;
          }
        }
        const result = metered.result();
        if (upload) {
          if (filled > 0) parts.push(await upload.uploadPart(parts.length + 1, part.subarray(0, filled)));
          await upload.complete(parts);
        } else {
          await bucket.put(key, part.subarray(0, filled), { httpMetadata, sha256: result.sha256 });
        }
        return result;
      } catch (err) {
        await reader.cancel(err).catch(() => {});
        await upload?.abort().catch(() => {});
        throw err;
      }
    },

    async get(key) {
      assertBlobKey(key);
      const object = await bucket.get(key);
      if (!object) return null;
      // workers-types declares its own ReadableStream; at runtime it is the global one the port names.
      return { body: object.body as unknown as ReadableStream<Uint8Array>, size: object.size };
    },

    async delete(key) {
      assertBlobKey(key);
      await bucket.delete(key);
    },
  };
}

function grow(buffer: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const bigger = new Uint8Array(size);
  bigger.set(buffer);
  return bigger;
}
