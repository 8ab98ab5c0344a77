/**
 * What every BlobStore adapter owes the upload routes, as one suite that each adapter's test
 * file runs with its adapter: the file store on Node (server/node/file-blobs.test.ts) and
 * the R2 store inside workerd (tests/workers/blobs.test.ts). Tests of what only one adapter
 * does (memory use on Node, R2's multipart uploads) stay in that adapter's file.
 * Web APIs only, no node:* imports: this module runs in workerd too.
 */
import { expect, it } from "vitest";
import { type BlobStore, BlobTooLarge, InvalidBlobKey } from "../../server/files/blobs.js";

/** An adapter and a look at its backing storage around it, for the contract to check what was written. */
export interface BlobStoreUnderTest {
  /** The store; called in each test, after the file's beforeEach. */
  store(): BlobStore;
  /** Whether the backing storage itself (the file, the bucket object) holds a blob under `key`. */
  holds(key: string): Promise<boolean>;
  /** What the backing storage holds besides the blobs under `kept`: partial writes, anything written outside its keys, blobs it should not have. */
  strays(kept: string[]): Promise<string[]>;
  /** The media type the backing storage recorded for `key`; only for adapters that record one. */
  mediaType?(key: string): Promise<string | undefined>;
  /** Bytes the adapter gathers before it writes any (R2: one part); the contract's large bodies go past it. */
  bufferedBytes: number;
}

/** Byte i is `(i * 7 + seed) & 0xff`: content a test can check without keeping a copy. */
export function patternedBytes(total: number, seed = 0): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  for (let i = 0; i < total; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

/**
 * `total` patterned bytes made on demand in chunks of `size`, so that gigabytes cost no memory.
 * Counts what was pulled and keeps the reason it was cancelled with; errors once `failAt` bytes
 * are out, as a client that goes away mid-upload.
 */
export function patternedStream(total: number, opts: { size?: number; seed?: number; failAt?: number } = {}) {
  const size = opts.size ?? 64 * 1024;
  const stats = { pulled: 0, cancelled: null as unknown };
  // The sequence repeats every 256 bytes: chunks are copied out of one precomputed run.
  const pattern = patternedBytes(size + 256, opts.seed ?? 0);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (opts.failAt !== undefined && stats.pulled >= opts.failAt) return controller.error(new Error("client went away"));
        if (stats.pulled >= total) return controller.close();
        const chunk = new Uint8Array(Math.min(size, total - stats.pulled));
        const offset = stats.pulled % 256;
        chunk.set(pattern.subarray(offset, offset + chunk.byteLength));
        stats.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel(reason) {
        stats.cancelled = reason;
      },
    },
    // Pulled only when asked, like a socket read: what was pulled is what the store asked for.
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

export async function readBytes(body: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** Byte equality; toEqual walks large arrays element by element and takes seconds. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** SHA-256 as lowercase hex, what a put reports. */
export async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A key no other test uses: the R2 bucket may still hold the blobs of other tests. */
const newKey = () => `t_${crypto.randomUUID().replaceAll("-", "")}/u_${crypto.randomUUID().replaceAll("-", "")}`;

const opts = { maxBytes: 25 * 1024 * 1024, mediaType: "application/pdf" };

/** Registers the contract's tests in the calling describe block. */
export function blobStoreContract(adapter: BlobStoreUnderTest): void {
  it("puts, gets and deletes a blob, with its media type where the storage records one", async () => {
    const store = adapter.store();
    const key = newKey();
    const data = patternedBytes(300_000);
    expect(await store.put(key, patternedStream(300_000, { size: 1000 }).stream, { ...opts, mediaType: "image/png" })).toEqual({
      size: data.byteLength,
      sha256: await sha256Hex(data),
    });
    expect(await adapter.holds(key)).toBe(true);
    expect(await adapter.strays([key])).toEqual([]);
    if (adapter.mediaType) expect(await adapter.mediaType(key)).toBe("image/png");

    const got = await store.get(key);
    expect(got?.size).toBe(data.byteLength);
    expect(sameBytes(await readBytes(got!.body), data)).toBe(true);

    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    expect(await adapter.holds(key)).toBe(false);
    expect(await adapter.strays([])).toEqual([]);
    await store.delete(key); // again: not an error
  });

  it("stores an empty blob, whether the body ends at once or with an empty chunk", async () => {
    const store = adapter.store();
    const empty = new Uint8Array(0);
    const emptyChunk = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(0));
        controller.close();
      },
    });
    for (const body of [patternedStream(0).stream, emptyChunk]) {
      const key = newKey();
      expect(await store.put(key, body, opts)).toEqual({ size: 0, sha256: await sha256Hex(empty) });
      const got = await store.get(key);
      expect(got?.size).toBe(0);
      expect(await readBytes(got!.body)).toEqual(empty);
    }
  });

  it("refuses keys outside the `<tenant>/<upload>` form, which could leave its storage or clash with its own names", async () => {
    const store = adapter.store();
    for (const key of ["../x/y", "t/../../x", "/etc/passwd", "/t/u", "t", "t/u/v", "t/.u", "t/.partial", ".partial/x", "t/", "/t", "t//u", "t\\u", "t/u\0", "", "t/ü"]) {
      await expect(store.put(key, patternedStream(1).stream, opts), key).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.delete(key), key).rejects.toBeInstanceOf(InvalidBlobKey);
    }
    expect(await adapter.strays([])).toEqual([]);
  });

  it("aborts past maxBytes, pulling at most one chunk more, and leaves nothing, not even a partial write", async () => {
    const store = adapter.store();
    const key = newKey();
    const small = patternedStream(10_000, { size: 1000 });
    await expect(store.put(key, small.stream, { ...opts, maxBytes: 2500 })).rejects.toBeInstanceOf(BlobTooLarge);
    expect(small.stats.pulled).toBe(3000);
    expect(small.stats.cancelled).toBeInstanceOf(BlobTooLarge);
    expect(await store.get(key)).toBeNull();
    expect(await adapter.holds(key)).toBe(false);
    expect(await adapter.strays([])).toEqual([]);

    // Past what the adapter gathers before writing (R2: a multipart upload is under way), the write is dropped too.
    const maxBytes = adapter.bufferedBytes + 100_000;
    const big = patternedStream(500 * 1024 * 1024);
    await expect(store.put(key, big.stream, { ...opts, maxBytes })).rejects.toBeInstanceOf(BlobTooLarge);
    expect(big.stats.pulled).toBeLessThanOrEqual(maxBytes + 64 * 1024);
    expect(await adapter.holds(key)).toBe(false);
    expect(await adapter.strays([])).toEqual([]);

    // Exactly maxBytes is allowed.
    expect((await store.put(key, patternedStream(2500, { size: 1000 }).stream, { ...opts, maxBytes: 2500 })).size).toBe(2500);
  });

  it("keeps the stored blob when a later put of the same key fails", async () => {
    const store = adapter.store();
    const key = newKey();
    // On R2 both fail after the first part went up: a multipart upload is under way and must be aborted.
    const buffered = adapter.bufferedBytes;
    await store.put(key, patternedStream(1000, { seed: 1 }).stream, opts);
    await expect(store.put(key, patternedStream(2 * buffered + 5000).stream, { ...opts, maxBytes: 2 * buffered + 100 })).rejects.toBeInstanceOf(BlobTooLarge);
    await expect(store.put(key, patternedStream(2 * buffered + 5000, { failAt: buffered + 2000, size: 1000 }).stream, opts)).rejects.toThrow("client went away");
    expect(sameBytes(await readBytes((await store.get(key))!.body), patternedBytes(1000, 1))).toBe(true);
    expect(await adapter.holds(key)).toBe(true);
    expect(await adapter.strays([key])).toEqual([]);
  });
}
