/**
 * Bytes and request-like streams for the tests of the upload readers (multipart, sniff):
 * bodies put together piece by piece, handed out in chunks of a chosen size, and counted, so
 * that a test can tell how much a reader pulled before it gave up and whether it cancelled.
 */

const utf8 = new TextEncoder();

/** The pieces one after the other: strings as UTF-8, number arrays as bytes. */
export function concatBytes(...pieces: Array<string | Uint8Array | number[]>): Uint8Array {
  const arrays = pieces.map((p) => (typeof p === "string" ? utf8.encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.byteLength;
  }
  return out;
}

/** What a counted stream was asked for: bytes handed out, and whether its reader cancelled it. */
export interface PullStats {
  pulled: number;
  cancelled: boolean;
}

/**
 * A stream of the chunks `next` returns until it returns undefined. Each chunk is made only
 * when the reader asks for one (high water mark 0), as a socket is read, so `stats.pulled` is
 * what the reader took and not what a queue filled up with.
 */
export function countedStream(next: () => Uint8Array | undefined): { stream: ReadableStream<Uint8Array>; stats: PullStats } {
  const stats: PullStats = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = next();
        if (chunk === undefined) return controller.close();
        stats.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        stats.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

/** `data` as a counted stream in chunks of `size` bytes (the last one shorter). */
export function chunkedStream(data: Uint8Array, size = data.byteLength): { stream: ReadableStream<Uint8Array>; stats: PullStats } {
  let at = 0;
  return countedStream(() => {
    if (at >= data.byteLength) return undefined;
    const chunk = data.slice(at, at + size);
    at += chunk.byteLength;
    return chunk;
  });
}
