import { createHash, randomUUID } from "node:crypto";
import { type FileHandle, mkdir, open, rename, rm, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type BlobStore, type IncrementalHash, assertBlobKey, limitedStream } from "../files/blobs.js";

/** Read size for get(): large enough for few syscalls, small enough to stay out of the way. */
const readChunk = 64 * 1024;

/**
 * Blobs as files: `<dir>/<tenantId>/<uploadId>`; the server passes `<DATA_DIR>/blobs`.
 * A put writes to `<dir>/.partial/<random>` and renames when complete, so a reader never sees
 * half a file and a crash leaves debris only in `.partial` (keys cannot start with a dot, so
 * that name never clashes with a tenant). Writes go chunk by chunk through a FileHandle,
 * each awaited: no stream buffering, so memory stays at about one chunk per upload.
 */
const nativeSha256 = (): IncrementalHash => {
  const h = createHash("sha256");
  return { update: (chunk) => h.update(chunk), digest: () => new Uint8Array(h.digest()) };
};

export function fileBlobStore(dir: string): BlobStore {
  const partialDir = join(dir, ".partial");
  // Each directory is made once per process, not on every upload.
  const made = new Map<string, Promise<unknown>>();
  const ensureDir = (path: string) => {
    let p = made.get(path);
    if (!p) {
      made.set(path, (p = mkdir(path, { recursive: true })));
      p.catch(() => made.delete(path));
    }
    return p;
  };
  const pathOf = (key: string) => {
    assertBlobKey(key);
    return join(dir, key);
  };

  return {
    async put(key, body, opts) {
      const target = pathOf(key);
      await ensureDir(partialDir);
      await ensureDir(dirname(target));
      const partial = join(partialDir, randomUUID());
      const metered = limitedStream(body, opts.maxBytes, nativeSha256);
      const reader = metered.stream.getReader();
      let file: FileHandle | null = await open(partial, "wx", 0o600);
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          await file.write(value);
        }
        // On disk before it becomes visible under its key: a crash must not leave a short file there.
        await file.datasync();
        await file.close();
        file = null;
        await rename(partial, target);
        return metered.result();
      } catch (err) {
        // Stops the source too when the failure was ours (disk full); a no-op when the source failed.
        await reader.cancel(err).catch(() => {});
        await file?.close().catch(() => {});
        await rm(partial, { force: true });
        throw err;
      }
    },

    async get(key) {
      const path = pathOf(key);
      let file: FileHandle;
      try {
        file = await open(path, "r");
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
      const close = () => file.close().catch(() => {});
      // Size of the file that is open: a put renaming a new version over it does not change what is read.
      const size = await file.stat().then((s) => s.size, async (err: unknown) => {
        await close();
        throw err;
      });
      const body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            try {
              const { bytesRead, buffer } = await file.read(new Uint8Array(readChunk), 0, readChunk, null);
              if (bytesRead === 0) {
                await close();
                controller.close();
              } else {
                controller.enqueue(bytesRead === readChunk ? buffer : buffer.subarray(0, bytesRead));
              }
            } catch (err) {
              await close();
              controller.error(err);
            }
          },
          cancel: close,
        },
        { highWaterMark: 0 },
      );
      return { body, size };
    },

    async delete(key) {
      try {
        await unlink(pathOf(key));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
  };
}

function isNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "ENOENT";
}
