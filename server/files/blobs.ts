/**
 * The blob port: where uploaded files live (a directory on Node, R2 on Workers). Bodies are
 * streamed in and out; nothing here holds a whole file in memory. Web streams only, so the
 * helpers run on Node and in workerd alike.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { encodeHexLowerCase } from "@oslojs/encoding";

export interface BlobStore {
  /** Streams `body` to `key`; aborts (deleting what was written) and throws BlobTooLarge when more than maxBytes arrive. */
  put(key: string, body: ReadableStream<Uint8Array>, opts: { maxBytes: number; mediaType: string }): Promise<{ size: number; sha256: string }>;
  /** The body must be read to the end or cancelled: on Node it holds an open file until then. */
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null>;
  /** Deleting a key that does not exist is not an error. */
  delete(key: string): Promise<void>;
}

export class BlobTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob larger than ${maxBytes} bytes`);
    this.name = "BlobTooLarge";
  }
}

export class InvalidBlobKey extends Error {
  constructor(key: string) {
    super(`invalid blob key ${JSON.stringify(key.slice(0, 80))}`);
    this.name = "InvalidBlobKey";
  }
}

/**
 * `<tenantId>/<uploadId>`: two segments of letters, digits, `_` and `-`, each starting with a
 * letter or digit. No dots at all, so no `..`, no hidden files and no clash with the Node
 * adapter's own names; keys become file paths there, so anything looser is a traversal risk.
 */
const keyPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}\/[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function isBlobKey(key: string): boolean {
  return keyPattern.test(key);
}

export function assertBlobKey(key: string): void {
  if (!isBlobKey(key)) throw new InvalidBlobKey(key);
}

/** An incremental SHA-256. */
export interface IncrementalHash {
  update(chunk: Uint8Array): unknown;
  digest(): Uint8Array;
}

/** A body passing through: counted, hashed and cut off past the limit. */
export interface MeteredStream {
  readonly stream: ReadableStream<Uint8Array>;
  /** Size and SHA-256 (hex) of what passed; only once `stream` has been read to its end. */
  result(): { size: number; sha256: string };
}

/**
 * Wraps `body` so that reading it counts and hashes every byte and errors with BlobTooLarge
 * (cancelling `body`) as soon as more than `maxBytes` have arrived. Pull-based with a high
 * water mark of 0: a chunk is taken from `body` only when the consumer asks for one, so at
 * most one chunk past the limit is ever pulled and nothing queues up in between.
 * SHA-256 is incremental: @noble/hashes by default, because WebCrypto has no streaming digest;
 * a runtime with a native one passes it (the Node adapter: node:crypto, several times faster).
 */
export function limitedStream(body: ReadableStream<Uint8Array>, maxBytes: number, newHash: () => IncrementalHash = () => sha256.create()): MeteredStream {
  const reader = body.getReader();
  const hash = newHash();
  let size = 0;
  let digest: string | null = null;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Loop over empty chunks: a pull that enqueues nothing is not called again.
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            digest = encodeHexLowerCase(hash.digest());
            controller.close();
            return;
          }
          if (value.byteLength === 0) continue;
          size += value.byteLength;
          if (size > maxBytes) {
            const err = new BlobTooLarge(maxBytes);
            controller.error(err);
            await reader.cancel(err).catch(() => {});
            return;
          }
          hash.update(value);
          controller.enqueue(value);
          return;
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    result() {
      if (digest === null) throw new Error("limitedStream: result() before the stream ended");
      return { size, sha256: digest };
    },
  };
}
