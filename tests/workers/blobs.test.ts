import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { r2BlobStore, r2PartSize } from "../../server/workers/r2-blobs.js";
import { blobStoreContract, patternedStream, readBytes, sha256Hex } from "../support/blob-store-contract.js";

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

describe("r2BlobStore", () => {
  blobStoreContract({
    store: () => store,
    holds: async (k) => (await env.BLOBS.head(k)) !== null,
    // A listing of the bucket may hold other tests' blobs, and R2 shows nothing half-written: a
    // multipart upload has no object until it is completed, and the binding cannot list open
    // ones. So `holds` does the looking: it sees a blob left under the test's own key.
    strays: async () => [],
    mediaType: async (k) => (await env.BLOBS.head(k))?.httpMetadata?.contentType,
    bufferedBytes: r2PartSize,
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
    const stored = await store.put(k, patternedStream(total, { seed: 5 }).stream, opts);
    expect(bucketCalls).toEqual([how]);
    const expected = await readBytes(patternedStream(total, { seed: 5 }).stream);
    expect(stored).toEqual({ size: total, sha256: await sha256Hex(expected) });
    const got = await store.get(k);
    expect(got?.size).toBe(total);
    expect(await sha256Hex(await readBytes(got!.body))).toBe(stored.sha256);
    expect((await env.BLOBS.head(k))?.httpMetadata?.contentType).toBe("application/pdf");
  });
});
