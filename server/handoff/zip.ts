/**
 * A minimal ZIP writer (PKWARE APPNOTE 6.3): stored entries only, no compression, no ZIP64.
 * Enough for a submission package (at most 25 MB of PDFs and images, which do not compress
 * anyway), without a native dependency, on Node and in workerd. Names are UTF-8 (flag bit 11).
 */

export interface ZipEntry {
  /** Path inside the archive, `/`-separated, e.g. `attachments/Nachweis.pdf`. */
  name: string;
  bytes: Uint8Array;
  /** Shown as the file's time by unzip tools; written in the town's local time (Europe/Berlin). */
  modified: number;
}

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC, as ZIP and gzip use it). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const berlinParts = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Berlin", hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });

/** MS-DOS date and time (2-second resolution, local time, from 1980). */
function dosTime(epochMs: number): { time: number; date: number } {
  const p = Object.fromEntries(berlinParts.formatToParts(epochMs).map((x) => [x.type, Number(x.value)]));
  const year = Math.min(Math.max(p.year ?? 1980, 1980), 2107);
  return { time: ((p.hour ?? 0) << 11) | ((p.minute ?? 0) << 5) | ((p.second ?? 0) >> 1), date: ((year - 1980) << 9) | ((p.month ?? 1) << 5) | (p.day ?? 1) };
}

const utf8 = new TextEncoder();
const flagUtf8 = 0x0800;
const versionNeeded = 20;
/** Made by: Unix (3), spec 2.0 — so that the external attributes below mean file permissions. */
const versionMadeBy = (3 << 8) | 20;
/** A regular file, rw-r--r--. */
const unixFileAttributes = (0o100644 << 16) >>> 0;

interface Prepared {
  name: Uint8Array;
  bytes: Uint8Array;
  crc: number;
  time: number;
  date: number;
  offset: number;
}

function localHeader(e: Prepared): Uint8Array {
  const h = new Uint8Array(30 + e.name.length);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, versionNeeded, true);
  v.setUint16(6, flagUtf8, true);
  v.setUint16(8, 0, true); // stored
  v.setUint16(10, e.time, true);
  v.setUint16(12, e.date, true);
  v.setUint32(14, e.crc, true);
  v.setUint32(18, e.bytes.length, true);
  v.setUint32(22, e.bytes.length, true);
  v.setUint16(26, e.name.length, true);
  v.setUint16(28, 0, true);
  h.set(e.name, 30);
  return h;
}

function centralHeader(e: Prepared): Uint8Array {
  const h = new Uint8Array(46 + e.name.length);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x02014b50, true);
  v.setUint16(4, versionMadeBy, true);
  v.setUint16(6, versionNeeded, true);
  v.setUint16(8, flagUtf8, true);
  v.setUint16(10, 0, true);
  v.setUint16(12, e.time, true);
  v.setUint16(14, e.date, true);
  v.setUint32(16, e.crc, true);
  v.setUint32(20, e.bytes.length, true);
  v.setUint32(24, e.bytes.length, true);
  v.setUint16(28, e.name.length, true);
  // Extra field, comment, disk number start and internal attributes: all 0.
  v.setUint32(38, unixFileAttributes, true);
  v.setUint32(42, e.offset, true);
  h.set(e.name, 46);
  return h;
}

function endOfCentralDirectory(count: number, size: number, offset: number): Uint8Array {
  const h = new Uint8Array(22);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, count, true);
  v.setUint16(10, count, true);
  v.setUint32(12, size, true);
  v.setUint32(16, offset, true);
  return h;
}

/**
 * The archive of `entries` in their order, as a stream that hands out one piece at a time (no
 * copy of the files into one buffer), with its total size known before the first byte.
 */
export function zipArchive(entries: ReadonlyArray<ZipEntry>): { size: number; stream: ReadableStream<Uint8Array> } {
  if (entries.length > 0xffff) throw new Error("zip: too many entries for a ZIP without ZIP64");
  const names = new Set<string>();
  let offset = 0;
  const prepared: Prepared[] = entries.map((e) => {
    if (!e.name || e.name.startsWith("/") || e.name.split("/").includes("..") || names.has(e.name)) throw new Error(`zip: bad or repeated entry name ${JSON.stringify(e.name)}`);
    names.add(e.name);
    const name = utf8.encode(e.name);
    if (name.length > 0xffff) throw new Error("zip: entry name too long");
    const p = { name, bytes: e.bytes, crc: crc32(e.bytes), ...dosTime(e.modified), offset };
    offset += 30 + name.length + e.bytes.length;
    return p;
  });
  const central = prepared.map(centralHeader);
  const centralSize = central.reduce((n, h) => n + h.length, 0);
  if (offset + centralSize > 0xffffffff) throw new Error("zip: archive too large without ZIP64");
  const pieces: Uint8Array[] = [...prepared.flatMap((p) => [localHeader(p), p.bytes]), ...central, endOfCentralDirectory(prepared.length, centralSize, offset)];
  const size = pieces.reduce((n, p) => n + p.length, 0);
  let next = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        // The body of an empty file is an empty piece: not worth a chunk of its own.
        while (next < pieces.length && pieces[next]!.length === 0) next++;
        if (next < pieces.length) controller.enqueue(pieces[next++]!);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { size, stream };
}
