import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BlobTooLarge, InvalidBlobKey } from "../files/blobs.js";
import { fileBlobStore } from "./file-blobs.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "file-blobs-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const opts = { maxBytes: 10 * 1024 * 1024, mediaType: "application/pdf" };
const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

/**
 * `total` bytes made on demand in chunks of `size`: byte i of the stream is `(i * 7 + seed) & 0xff`,
 * so content is checkable without holding it. Counts what was pulled; errors after `failAt` bytes if set.
 */
function generated(total: number, opts: { size?: number; seed?: number; failAt?: number } = {}) {
  const size = opts.size ?? 64 * 1024;
  const seed = opts.seed ?? 0;
  const stats = { pulled: 0, cancelled: null as unknown };
  // The sequence repeats every 256 bytes: chunks are copied out of one precomputed run.
  const pattern = bytesOf(size + 256, seed);
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

function bytesOf(total: number, seed = 0): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  for (let i = 0; i < total; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}
/** Byte equality; toEqual walks large arrays element by element and takes seconds. */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const streamOf = (data: Uint8Array<ArrayBuffer>) => new Response(data).body!;
const read = async (body: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(body).arrayBuffer());

/** Every file under dir, relative, except empty directories. */
async function files(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

describe("fileBlobStore", () => {
  it("puts, gets and deletes a blob", async () => {
    const store = fileBlobStore(dir);
    const data = bytesOf(300_000);
    expect(await store.put("t_1/u_abc", streamOf(data), opts)).toEqual({ size: data.byteLength, sha256: sha256(data) });
    expect(await files()).toEqual([join("t_1", "u_abc")]);

    const got = await store.get("t_1/u_abc");
    expect(got?.size).toBe(data.byteLength);
    expect(same(await read(got!.body), data)).toBe(true);

    await store.delete("t_1/u_abc");
    expect(await store.get("t_1/u_abc")).toBeNull();
    expect(await files()).toEqual([]);
    await store.delete("t_1/u_abc"); // again: not an error
  });

  it("stores an empty blob", async () => {
    const store = fileBlobStore(dir);
    expect(await store.put("t/empty", streamOf(new Uint8Array(0)), opts)).toEqual({ size: 0, sha256: sha256(new Uint8Array(0)) });
    expect(await read((await store.get("t/empty"))!.body)).toEqual(new Uint8Array(0));
  });

  it("answers null for a blob that does not exist", async () => {
    expect(await fileBlobStore(dir).get("t/none")).toBeNull();
  });

  it("refuses keys that could leave its directory or clash with its own files", async () => {
    const store = fileBlobStore(join(dir, "blobs"));
    for (const key of ["../x/y", "t/../../x", "/etc/passwd", "t", "t/u/v", "t/.partial", ".partial/x", "t/", "/t", "t//u", "t\\u", "t/u\0", "", "t/ü"]) {
      await expect(store.put(key, streamOf(new Uint8Array([1])), opts), key).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.delete(key), key).rejects.toBeInstanceOf(InvalidBlobKey);
    }
    expect(await files()).toEqual([]);
  });

  it("aborts past maxBytes and leaves no file, not even a partial one", async () => {
    const store = fileBlobStore(dir);
    const { stream, stats } = generated(5000, { size: 1000 });
    await expect(store.put("t/big", stream, { ...opts, maxBytes: 2500 })).rejects.toBeInstanceOf(BlobTooLarge);
    expect(stats.pulled).toBe(3000);
    expect(stats.cancelled).toBeInstanceOf(BlobTooLarge);
    expect(await store.get("t/big")).toBeNull();
    expect(await files()).toEqual([]);
    // Exactly maxBytes is allowed.
    expect((await store.put("t/exact", generated(2500, { size: 1000 }).stream, { ...opts, maxBytes: 2500 })).size).toBe(2500);
  });

  it("keeps the old blob when a new put of the same key fails", async () => {
    const store = fileBlobStore(dir);
    const old = bytesOf(1000);
    await store.put("t/k", streamOf(old), opts);
    await expect(store.put("t/k", generated(5000).stream, { ...opts, maxBytes: 100 })).rejects.toBeInstanceOf(BlobTooLarge);
    await expect(store.put("t/k", generated(5000, { failAt: 2000, size: 1000 }).stream, opts)).rejects.toThrow("client went away");
    expect(same(await read((await store.get("t/k"))!.body), old)).toBe(true);
    expect(await files()).toEqual([join("t", "k")]);
  });

  it("refuses a 2 GB upload after ~10 MB, pulling at most one chunk past the limit, with little memory", async () => {
    const store = fileBlobStore(dir);
    const chunk = 64 * 1024;
    const { stream, stats } = generated(2 * 1024 ** 3, { size: chunk });
    const rssBefore = process.memoryUsage().rss;
    await expect(store.put("t/huge", stream, opts)).rejects.toBeInstanceOf(BlobTooLarge);
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(stats.pulled).toBeGreaterThan(opts.maxBytes);
    expect(stats.pulled).toBeLessThanOrEqual(opts.maxBytes + chunk);
    expect(stats.cancelled).toBeInstanceOf(BlobTooLarge);
    expect(rssGrowth).toBeLessThan(48 * 1024 * 1024);
    expect(await files()).toEqual([]);
  });

  it("streams a large blob in and out without holding it in memory", { timeout: 60_000 }, async () => {
    const store = fileBlobStore(dir);
    const total = 256 * 1024 * 1024;
    const { stream } = generated(total, { seed: 3 });
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const rssBefore = process.memoryUsage().rss;
    try {
      const stored = await store.put("t/large", stream, { ...opts, maxBytes: total });
      expect(stored.size).toBe(total);

      // The same bytes back, hashed as they are read.
      const got = (await store.get("t/large"))!;
      expect(got.size).toBe(total);
      const hash = createHash("sha256");
      const expected = generated(total, { seed: 3 }).stream.getReader();
      const expectedHash = createHash("sha256");
      for await (const piece of got.body as unknown as AsyncIterable<Uint8Array>) hash.update(piece);
      for (let r = await expected.read(); !r.done; r = await expected.read()) expectedHash.update(r.value);
      expect(hash.digest("hex")).toBe(stored.sha256);
      expect(stored.sha256).toBe(expectedHash.digest("hex"));
    } finally {
      clearInterval(sample);
    }
    // A quarter of a gigabyte went through; memory grew by a small fraction of that at most.
    expect(peak - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it("takes concurrent puts, each whole under its key", async () => {
    const store = fileBlobStore(dir);
    const sizes = [1, 70_000, 200_000, 333_333, 1_000_000, 5, 64 * 1024, 64 * 1024 + 1];
    const results = await Promise.all(sizes.map((n, i) => store.put(`t/u${i}`, generated(n, { seed: i, size: 4096 }).stream, opts)));
    for (const [i, n] of sizes.entries()) {
      const data = bytesOf(n, i);
      expect(results[i]).toEqual({ size: n, sha256: sha256(data) });
      expect(same(await read((await store.get(`t/u${i}`))!.body), data)).toBe(true);
    }
  });

  it("leaves one complete version when puts of the same key race, and readers keep the version they opened", async () => {
    const store = fileBlobStore(dir);
    await store.put("t/same", generated(500_000, { seed: 99 }).stream, opts);
    const reading = await store.get("t/same");
    const versions = [0, 1, 2, 3].map((seed) => bytesOf(400_000 + seed, seed));
    await Promise.all(versions.map((data) => store.put("t/same", generated(data.byteLength, { seed: data[0]!, size: 3000 }).stream, opts)));
    const now = await read((await store.get("t/same"))!.body);
    expect(versions.some((v) => same(v, now))).toBe(true);
    expect(same(await read(reading!.body), bytesOf(500_000, 99))).toBe(true);
    expect(await files()).toEqual([join("t", "same")]);
  });
});
