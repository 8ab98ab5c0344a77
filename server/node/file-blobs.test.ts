import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blobStoreContract, patternedBytes, patternedStream, readBytes, sameBytes } from "../../tests/support/blob-store-contract.js";
import { BlobTooLarge } from "../files/blobs.js";
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

/** Every file under dir, relative, except empty directories. */
async function files(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

/** The contract's store lives one level down in dir, so that a file a key put outside it still shows in files(). */
const contractRoot = "blobs";

describe("fileBlobStore", () => {
  blobStoreContract({
    store: () => fileBlobStore(join(dir, contractRoot)),
    holds: async (key) => (await files()).includes(join(contractRoot, key)),
    strays: async (kept) => (await files()).map((f) => relative(contractRoot, f)).filter((name) => !kept.includes(name)),
    // Every chunk goes to the partial file as it arrives.
    bufferedBytes: 0,
  });

  it("answers null for a blob that does not exist", async () => {
    expect(await fileBlobStore(dir).get("t/none")).toBeNull();
  });

  it("refuses a 2 GB upload after ~10 MB, pulling at most one chunk past the limit, with little memory", async () => {
    const store = fileBlobStore(dir);
    const chunk = 64 * 1024;
    const { stream, stats } = patternedStream(2 * 1024 ** 3, { size: chunk });
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
    const { stream } = patternedStream(total, { seed: 3 });
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
      const expected = patternedStream(total, { seed: 3 }).stream.getReader();
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
    const results = await Promise.all(sizes.map((n, i) => store.put(`t/u${i}`, patternedStream(n, { seed: i, size: 4096 }).stream, opts)));
    for (const [i, n] of sizes.entries()) {
      const data = patternedBytes(n, i);
      expect(results[i]).toEqual({ size: n, sha256: sha256(data) });
      expect(sameBytes(await readBytes((await store.get(`t/u${i}`))!.body), data)).toBe(true);
    }
  });

  it("leaves one complete version when puts of the same key race, and readers keep the version they opened", async () => {
    const store = fileBlobStore(dir);
    await store.put("t/same", patternedStream(500_000, { seed: 99 }).stream, opts);
    const reading = await store.get("t/same");
    const versions = [0, 1, 2, 3].map((seed) => patternedBytes(400_000 + seed, seed));
    await Promise.all(versions.map((data) => store.put("t/same", patternedStream(data.byteLength, { seed: data[0]!, size: 3000 }).stream, opts)));
    const now = await readBytes((await store.get("t/same"))!.body);
    expect(versions.some((v) => sameBytes(v, now))).toBe(true);
    expect(sameBytes(await readBytes(reading!.body), patternedBytes(500_000, 99))).toBe(true);
    expect(await files()).toEqual([join("t", "same")]);
  });
});
