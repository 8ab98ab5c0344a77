import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BlobTooLarge, InvalidBlobKey } from "../../server/files/blobs.js";
import { r2BlobStore, r2PartSize } from "../../server/workers/r2-blobs.js";

/** The R2 adapter inside workerd against the pool's local R2 bucket, its calls to the bucket noted. */
const bucketCalls: string[] = [];
const bucket = new Proxy(env.BLOBS, {
  get(target, name: string) {
    const value: unknown = Reflect.get(target, name);
    if (typeof value !== "function") return value;
    return (...args: unknown[]) => {
      bucketCalls.push(name);
      return (value as (...a: unknown[]) => unknown).apply(target, args);
    };
  },
});
const store = r2BlobStore(bucket);
const opts = { maxBytes: 25 * 1024 * 1024, mediaType: "application/pdf" };
const key = () => `t_test/u_${crypto.randomUUID().replaceAll("-", "")}`;

/** `total` bytes made on demand, byte i being `(i * 7 + seed) & 0xff`; counts what was pulled. */
function generated(total: number, opts: { size?: number; seed?: number; failAt?: number } = {}) {
  const size = opts.size ?? 64 * 1024;
  const seed = opts.seed ?? 0;
  const stats = { pulled: 0, cancelled: null as unknown };
  // The sequence repeats every 256 bytes: chunks are copied out of one precomputed run.
  const pattern = Uint8Array.from({ length: size + 256 }, (_, i) => (i * 7 + seed) & 0xff);
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
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

async function bytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function sha256(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("r2BlobStore", () => {
  it("puts, gets and deletes a blob, with its media type", async () => {
    const k = key();
    const data = await bytes(generated(100_000, { size: 1000 }).stream);
    expect(await store.put(k, generated(100_000, { size: 1000 }).stream, { ...opts, mediaType: "image/png" })).toEqual({ size: 100_000, sha256: await sha256(data) });
    expect((await env.BLOBS.head(k))?.httpMetadata?.contentType).toBe("image/png");

    const got = await store.get(k);
    expect(got?.size).toBe(100_000);
    expect(await bytes(got!.body)).toEqual(data);

    await store.delete(k);
    expect(await store.get(k)).toBeNull();
    expect(await env.BLOBS.head(k)).toBeNull();
    await store.delete(k);
  });

  it("stores an empty blob", async () => {
    const k = key();
    expect((await store.put(k, generated(0).stream, opts)).size).toBe(0);
    expect((await store.get(k))?.size).toBe(0);
  });

  it.each([
    ["more than one part", 2 * r2PartSize + 12_345, "createMultipartUpload"],
    ["exactly two parts", 2 * r2PartSize, "createMultipartUpload"],
    ["just over one part", r2PartSize + 1, "createMultipartUpload"],
    ["exactly one part", r2PartSize, "put"],
    ["less than one part", r2PartSize - 1, "put"],
  ])("stores a file of %s, streamed, with a single put or a multipart upload", async (_, total, how) => {
    const k = key();
    bucketCalls.length = 0;
    const stored = await store.put(k, generated(total, { seed: 5 }).stream, opts);
    expect(bucketCalls).toEqual([how]);
    const expected = await bytes(generated(total, { seed: 5 }).stream);
    expect(stored).toEqual({ size: total, sha256: await sha256(expected) });
    const got = await store.get(k);
    expect(got?.size).toBe(total);
    expect(await sha256(await bytes(got!.body))).toBe(stored.sha256);
    expect((await env.BLOBS.head(k))?.httpMetadata?.contentType).toBe("application/pdf");
  });

  it("aborts past maxBytes, pulling at most one chunk more, and stores nothing", async () => {
    const k = key();
    const small = generated(10_000, { size: 1000 });
    await expect(store.put(k, small.stream, { ...opts, maxBytes: 2500 })).rejects.toBeInstanceOf(BlobTooLarge);
    expect(small.stats.pulled).toBe(3000);
    expect(small.stats.cancelled).toBeInstanceOf(BlobTooLarge);
    expect(await env.BLOBS.head(k)).toBeNull();

    // Past the first part: the multipart upload is aborted.
    const maxBytes = r2PartSize + 100_000;
    const big = generated(500 * 1024 * 1024);
    await expect(store.put(k, big.stream, { ...opts, maxBytes })).rejects.toBeInstanceOf(BlobTooLarge);
    expect(big.stats.pulled).toBeLessThanOrEqual(maxBytes + 64 * 1024);
    expect(await env.BLOBS.head(k)).toBeNull();
  });

  it("keeps the stored version when a later put of the same key fails", async () => {
    const k = key();
    await store.put(k, generated(1000, { seed: 1 }).stream, opts);
    await expect(store.put(k, generated(3 * r2PartSize).stream, { ...opts, maxBytes: 2 * r2PartSize })).rejects.toBeInstanceOf(BlobTooLarge);
    await expect(store.put(k, generated(3 * r2PartSize, { failAt: r2PartSize + 65_536 }).stream, opts)).rejects.toThrow("client went away");
    expect(await bytes((await store.get(k))!.body)).toEqual(await bytes(generated(1000, { seed: 1 }).stream));
  });

  it("refuses keys outside the `<tenant>/<upload>` form", async () => {
    for (const k of ["../x/y", "/t/u", "t", "t/u/v", "t/.u", ""]) {
      await expect(store.put(k, generated(1).stream, opts), k).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.get(k), k).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.delete(k), k).rejects.toBeInstanceOf(InvalidBlobKey);
    }
  });
});
