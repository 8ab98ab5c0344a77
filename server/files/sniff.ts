/**
 * What an upload is, decided by its bytes and never by its name or the browser's claim, and
 * the checks that run on every chunk while it streams into the BlobStore. Only types that
 * staff can open without risk are accepted; anything else (HTML, SVG, scripts, archives,
 * Office files) has no signature here and is refused.
 */
import { concat } from "./bytes.js";

export type ContentRefusalCode = "unsupported_type" | "unsafe_pdf" | "image_too_large";

/** A refusal with a stable code: the route answers 415 for "unsupported_type", 422 otherwise. */
export class ContentRefused extends Error {
  constructor(
    readonly code: ContentRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "ContentRefused";
  }
}

export interface DetectedType {
  mediaType: string;
  /** Without the dot; the extension a stored file's name is given (./filename.ts). */
  ext: string;
}

/** Bytes detectType needs to tell every type apart (WebP's signature ends at byte 12). */
export const sniffLength = 12;

/** Past these, an "image" is refused: decoding it would take gigabytes (a decompression bomb). */
export const imageLimits = { maxPixels: 40_000_000, maxSide: 20_000 } as const;

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) => bytes.every((b, i) => head[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The type of a file from its first bytes (at least sniffLength of them), or null if it is not one we take. */
export function detectType(head: Uint8Array): DetectedType | null {
  if (startsWith(head, ascii("%PDF-"))) return { mediaType: "application/pdf", ext: "pdf" };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { mediaType: "image/jpeg", ext: "jpg" };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mediaType: "image/png", ext: "png" };
  if (startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a"))) return { mediaType: "image/gif", ext: "gif" };
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) return { mediaType: "image/webp", ext: "webp" };
  return null;
}

/** Fed every chunk of a file in order; throws ContentRefused as soon as the bytes seen so far decide it. */
export interface ContentInspector {
  update(chunk: Uint8Array): void;
  /** At the end of the file: throws if what was needed never came (an image without readable dimensions). */
  finish(): void;
}

export function contentInspector(mediaType: string): ContentInspector {
  switch (mediaType) {
    case "application/pdf":
      return pdfInspector();
    case "image/png":
      return imageInspector(pngSize());
    case "image/jpeg":
      return imageInspector(jpegSize());
    case "image/gif":
      return imageInspector(gifSize());
    case "image/webp":
      return imageInspector(webpSize());
    default:
      throw new ContentRefused("unsupported_type", `no inspector for ${mediaType}`);
  }
}

/**
 * Sniffs `body` and returns its type and a stream of the same bytes that runs the type's
 * inspector on each chunk as it is read, erroring with ContentRefused (and cancelling `body`)
 * on the chunk that decides. Throws ContentRefused "unsupported_type" at once for other files.
 * Pull-based, like limitedStream: nothing is read ahead of the consumer.
 */
export async function inspectUpload(body: ReadableStream<Uint8Array>): Promise<DetectedType & { body: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  const headChunks: Uint8Array[] = [];
  let headLength = 0;
  try {
    while (headLength < sniffLength) {
      const { done, value } = await reader.read();
      if (done) break;
      headChunks.push(value);
      headLength += value.byteLength;
    }
  } catch (err) {
    await reader.cancel(err).catch(() => {});
    throw err;
  }
  const head = concat(headChunks, headLength);
  const type = detectType(head);
  if (!type) {
    await reader.cancel().catch(() => {});
    throw new ContentRefused("unsupported_type", "not a PDF, JPEG, PNG, GIF or WebP file");
  }
  const inspector = contentInspector(type.mediaType);
  let pending: Uint8Array | null = head;
  const checked = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          let chunk = pending;
          pending = null;
          while (!chunk) {
            const { done, value } = await reader.read();
            if (done) {
              inspector.finish();
              controller.close();
              return;
            }
            if (value.byteLength > 0) chunk = value;
          }
          inspector.update(chunk);
          controller.enqueue(chunk);
        } catch (err) {
          controller.error(err);
          await reader.cancel(err).catch(() => {});
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { ...type, body: checked };
}

// ---------------------------------------------------------------------------------------------
// PDF

/**
 * Names that make a PDF act rather than show: JavaScript (also what an /OpenAction or an /AA
 * additional action runs), launching programs, embedded files. /OpenAction itself is common
 * and harmless (open at a page); one that runs a script names /JS or /JavaScript and is caught.
 * Names are compared whole and decoded (`/J#61vaScript` is /JavaScript), so /AAPL:Keywords,
 * which macOS writes into every PDF, is not mistaken for /AA.
 */
const unsafePdfNames = new Set(["JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "AA"]);

/**
 * A small lexer over the raw bytes, its state carried from one chunk to the next, so a name
 * split across chunk boundaries is seen whole (in effect a rolling window as long as a name).
 *
 * Stream data (between `>> stream` and `endstream`) is skipped: it is mostly compressed, and
 * random bytes would spell `/JS` or `/AA` followed by a delimiter in several percent of
 * scanned 10 MB PDFs, refusing honest uploads.
 *
 * What this does not see: names inside compressed object streams (PDF 1.5+ may keep every
 * dictionary there), and anything a reader finds through the xref table in bytes this
 * sequential scan misreads. So a crafted PDF can carry JavaScript past it. The check stops
 * the plain cases; what makes a missed one harmless is how files are served: staff download
 * them with `Content-Disposition: attachment` (filename.ts), so no browser opens them inline,
 * and previews are rendered without running scripts.
 */
function pdfInspector(): ContentInspector {
  const endstream = matcher(ascii("endstream"));
  let inStream = false;
  /** The current name (after `/`), raw, or null outside a name; capped, since PDF names are short. */
  let name: number[] | null = null;
  let nameTooLong = false;
  /** The current run of regular bytes that is not a name (a keyword or number), capped. */
  let keyword = "";
  /** Whether the last two significant bytes before the current keyword were `>>`. */
  let keywordAfterDict = false;
  let prev1 = 0;
  let prev2 = 0;

  const endName = () => {
    if (name && !nameTooLong) {
      const decoded = decodePdfName(name);
      if (unsafePdfNames.has(decoded)) throw new ContentRefused("unsafe_pdf", `the PDF contains /${decoded}`);
    }
    name = null;
    nameTooLong = false;
  };

  return {
    update(chunk) {
      let i = 0;
      while (i < chunk.byteLength) {
        if (inStream) {
          const end = endstream.find(chunk, i);
          if (end < 0) return;
          inStream = false;
          i = end;
          prev1 = prev2 = 0;
          continue;
        }
        const b = chunk[i++]!;
        if (isPdfRegular(b)) {
          if (name) {
            if (name.length < 128) name.push(b);
            else nameTooLong = true;
          } else {
            if (keyword === "") keywordAfterDict = prev1 === 0x3e && prev2 === 0x3e;
            if (keyword.length < 16) keyword += String.fromCharCode(b);
          }
          continue;
        }
        // A delimiter or whitespace ends a name or keyword.
        endName();
        if (keyword !== "") {
          // `stream` must follow a dictionary and end its line; then binary data up to `endstream`.
          if (keyword === "stream" && keywordAfterDict && (b === 0x0d || b === 0x0a)) inStream = true;
          keyword = "";
          prev2 = 0;
          prev1 = 0x73; // significant: the keyword itself
        }
        if (b === 0x2f) name = [];
        if (!isPdfWhitespace(b)) {
          prev2 = prev1;
          prev1 = b;
        }
      }
    },
    finish() {
      endName();
    },
  };
}

/** PDF whitespace (7.2.3). */
function isPdfWhitespace(b: number): boolean {
  return b === 0x00 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d || b === 0x20;
}

/** Neither whitespace nor one of the delimiters `()<>[]{}/%` (7.2.3). */
function isPdfRegular(b: number): boolean {
  if (isPdfWhitespace(b)) return false;
  return !(b === 0x28 || b === 0x29 || b === 0x3c || b === 0x3e || b === 0x5b || b === 0x5d || b === 0x7b || b === 0x7d || b === 0x2f || b === 0x25);
}

/** `#xx` in a name is the byte xx (7.3.5). */
function decodePdfName(raw: number[]): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const hex = raw[i] === 0x23 && i + 2 < raw.length ? String.fromCharCode(raw[i + 1]!, raw[i + 2]!) : "";
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else out += String.fromCharCode(raw[i]!);
  }
  return out;
}

/** Knuth–Morris–Pratt over a stream of chunks: finds `needle` even when split across them. */
function matcher(needle: number[]) {
  const fail = new Array<number>(needle.length).fill(0);
  for (let i = 1, k = 0; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = fail[k - 1]!;
    if (needle[i] === needle[k]) k++;
    fail[i] = k;
  }
  let matched = 0;
  return {
    /** The index just past the match in `chunk`, or -1 (the partial match is kept for the next chunk). */
    find(chunk: Uint8Array, from: number): number {
      for (let i = from; i < chunk.byteLength; i++) {
        // Fast path through binary data: jump to the next possible first byte.
        if (matched === 0) {
          i = chunk.indexOf(needle[0]!, i);
          if (i < 0) return -1;
        }
        const b = chunk[i]!;
        while (matched > 0 && b !== needle[matched]) matched = fail[matched - 1]!;
        if (b === needle[matched]) matched++;
        if (matched === needle.length) {
          matched = 0;
          return i + 1;
        }
      }
      return -1;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Images

interface Size {
  width: number;
  height: number;
}

/**
 * A header parser as a generator: it yields how many bytes it wants to read (or skip) and is
 * resumed with them, so it is written straight through while chunks may split anywhere.
 */
type SizeParser = Generator<{ read: number } | { skip: number }, Size, Uint8Array | undefined>;

const unreadable = (what: string) => new ContentRefused("unsupported_type", `the ${what} header cannot be read`);

function imageInspector(parser: SizeParser): ContentInspector {
  let request = parser.next().value as { read: number } | { skip: number };
  let size: Size | null = null;
  let buffer = new Uint8Array(0);
  let filled = 0;

  const step = (input: Uint8Array | undefined) => {
    const r = parser.next(input);
    if (r.done) {
      size = r.value;
      checkSize(size);
    } else {
      request = r.value;
      if ("read" in request) {
        buffer = new Uint8Array(request.read);
        filled = 0;
      }
    }
  };
  if ("read" in request) buffer = new Uint8Array(request.read);

  return {
    update(chunk) {
      let i = 0;
      while (size === null && i < chunk.byteLength) {
        if ("skip" in request) {
          const n = Math.min(request.skip, chunk.byteLength - i);
          request = { skip: request.skip - n };
          i += n;
          if (request.skip === 0) step(undefined);
        } else {
          const n = Math.min(buffer.byteLength - filled, chunk.byteLength - i);
          buffer.set(chunk.subarray(i, i + n), filled);
          filled += n;
          i += n;
          if (filled === buffer.byteLength) step(buffer);
        }
      }
    },
    finish() {
      if (size === null) throw new ContentRefused("unsupported_type", "the image's dimensions cannot be read");
    },
  };
}

function checkSize({ width, height }: Size): void {
  if (width === 0 || height === 0) throw new ContentRefused("unsupported_type", "an image without pixels");
  if (width > imageLimits.maxSide || height > imageLimits.maxSide || width * height > imageLimits.maxPixels) {
    throw new ContentRefused("image_too_large", `an image of ${width}×${height} pixels is larger than allowed`);
  }
}

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
const u32le = (b: Uint8Array, at: number) => (u24le(b, at) + ((b[at + 3]! << 24) >>> 0)) >>> 0;

/** Signature, then IHDR, which must be the first chunk: width and height as 32-bit big-endian. */
function* pngSize(): SizeParser {
  const h = (yield { read: 24 })!;
  if (!startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) || !startsWith(h, ascii("IHDR"), 12)) throw unreadable("PNG");
  return { width: u32be(h, 16), height: u32be(h, 20) };
}

/**
 * The logical screen. A frame may claim more than the screen, but decoders draw frames onto
 * the screen, so the screen is what they allocate.
 */
function* gifSize(): SizeParser {
  const h = (yield { read: 10 })!;
  return { width: u16le(h, 6), height: u16le(h, 8) };
}

/** RIFF container, then the first chunk: lossy (VP8), lossless (VP8L) or extended (VP8X, canvas size). */
function* webpSize(): SizeParser {
  const riff = (yield { read: 12 })!;
  if (!startsWith(riff, ascii("RIFF")) || !startsWith(riff, ascii("WEBP"), 8)) throw unreadable("WebP");
  const chunk = (yield { read: 8 })!;
  const fourcc = String.fromCharCode(...chunk.subarray(0, 4));
  if (fourcc === "VP8 ") {
    const f = (yield { read: 10 })!;
    // A key frame (bit 0 clear) with its start code; 14 bits of each dimension, 2 bits of scaling.
    if ((f[0]! & 1) !== 0 || !startsWith(f, [0x9d, 0x01, 0x2a], 3)) throw unreadable("WebP (VP8)");
    return { width: u16le(f, 6) & 0x3fff, height: u16le(f, 8) & 0x3fff };
  }
  if (fourcc === "VP8L") {
    const f = (yield { read: 5 })!;
    if (f[0] !== 0x2f) throw unreadable("WebP (VP8L)");
    const bits = u32le(f, 1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (fourcc === "VP8X") {
    const f = (yield { read: 10 })!;
    return { width: u24le(f, 4) + 1, height: u24le(f, 7) + 1 };
  }
  throw unreadable("WebP");
}

/** Start-of-frame markers: SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/**
 * Walks the segments after SOI, skipping each by its length (APPn with Exif, ICC profiles and
 * thumbnails can come first and be large), up to the first SOFn: precision, height, width.
 * Reaching the scan data or the end of the image without one is unreadable.
 */
function* jpegSize(): SizeParser {
  const soi = (yield { read: 2 })!;
  if (soi[0] !== 0xff || soi[1] !== 0xd8) throw unreadable("JPEG");
  for (;;) {
    if ((yield { read: 1 })![0] !== 0xff) throw unreadable("JPEG");
    let marker: number;
    do marker = (yield { read: 1 })![0]!;
    while (marker === 0xff); // fill bytes
    // Markers without a length: TEM, RSTn, and a stray SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xda || marker === 0xd9 || marker === 0x00) throw unreadable("JPEG");
    const length = u16be((yield { read: 2 })!, 0);
    if (length < 2) throw unreadable("JPEG");
    if (isSof(marker)) {
      if (length < 7) throw unreadable("JPEG");
      const sof = (yield { read: 5 })!;
      return { width: u16be(sof, 3), height: u16be(sof, 1) };
    }
    if (length > 2) yield { skip: length - 2 };
  }
}

