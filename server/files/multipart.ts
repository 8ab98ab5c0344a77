/**
 * A streaming multipart/form-data reader (RFC 7578, RFC 2046 §5.1) over a web
 * ReadableStream, for Node and workerd alike. Text fields are collected, small and limited;
 * a file part is handed out as a stream that the consumer pipes into the BlobStore while
 * the request body is still arriving, so no upload is ever held whole in memory.
 */
import { concat } from "./bytes.js";

/** Stable codes for the route to map: 400, 415 and 413. */
export type MultipartErrorCode = "malformed_multipart" | "unsupported_media_type" | "payload_too_large";

export class MultipartError extends Error {
  constructor(
    readonly code: MultipartErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MultipartError";
  }
}

export interface MultipartLimits {
  /** Bytes of one text field's value. */
  maxFieldBytes: number;
  /** Parts of any kind. */
  maxParts: number;
  /** File parts (with a filename); default 1. */
  maxFiles?: number;
  /** Bytes of one part's header block; default 8 KiB. */
  maxHeaderBytes?: number;
}

export interface FieldPart {
  kind: "field";
  name: string;
  value: string;
}

export interface FilePart {
  kind: "file";
  name: string;
  /** As sent (filename* preferred), unsanitised: pass it through safeFileName. `""` for an empty file input. */
  filename: string;
  /** The browser's claim, for logs only: the type is decided by content (./sniff.ts). */
  contentType: string | null;
  /**
   * The part's bytes, produced as they are read. Read it to its end (or cancel it) before
   * asking for the next part: asking earlier errors it, so a consumer never mistakes a cut-off
   * file for a complete one. A cancelled or unread body is skipped.
   */
  body: ReadableStream<Uint8Array>;
}

export type Part = FieldPart | FilePart;

const defaultMaxHeaderBytes = 8 * 1024;
/** Browsers send no preamble; a little is allowed, a body that is all preamble is not read to its end. */
const maxPreambleBytes = 1024;
/** Transport padding (RFC 2046: spaces and tabs after a boundary); anything more is garbage. */
const maxPaddingBytes = 64;

const CR = 13;
const LF = 10;
const DASH = 45;
const SP = 32;
const HT = 9;
const crlfcrlf = new Uint8Array([CR, LF, CR, LF]);
/** Throws on invalid UTF-8 instead of inventing U+FFFD. */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

const malformed = (message: string) => new MultipartError("malformed_multipart", message);

/**
 * The boundary from a Content-Type header; throws "unsupported_media_type" unless it is
 * multipart/form-data with a valid boundary (RFC 2046: 1–70 characters, no trailing space).
 */
export function multipartBoundary(contentType: string | null | undefined): string {
  const unsupported = (why: string) => new MultipartError("unsupported_media_type", why);
  if (!contentType) throw unsupported("no Content-Type");
  let parsed: HeaderValue;
  try {
    parsed = parseHeaderValue(contentType);
  } catch {
    throw unsupported("unparseable Content-Type");
  }
  if (parsed.value.toLowerCase() !== "multipart/form-data") throw unsupported(`Content-Type ${parsed.value} is not multipart/form-data`);
  const boundary = parsed.params.get("boundary");
  if (boundary === undefined) throw unsupported("no boundary in Content-Type");
  if (!/^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary)) throw unsupported("invalid boundary");
  return boundary;
}

/**
 * The parts of a multipart/form-data body, in order. Checks the Content-Type at once (throws
 * MultipartError "unsupported_media_type"); everything else surfaces while iterating as
 * MultipartError "malformed_multipart" (bad syntax, body ends before the final boundary, too
 * many parts or files) or "payload_too_large" (a text field past maxFieldBytes). Ending the
 * iteration early (break, throw) cancels `body`; the epilogue after the final boundary is
 * never read.
 */
export function readMultipart(body: ReadableStream<Uint8Array>, contentType: string | null | undefined, limits: MultipartLimits): AsyncIterable<Part> {
  const boundary = multipartBoundary(contentType);
  return parts(body, boundary, limits);
}

async function* parts(body: ReadableStream<Uint8Array>, boundary: string, limits: MultipartLimits): AsyncGenerator<Part, void, undefined> {
  const reader = body.getReader();
  const input = new Input(reader, new TextEncoder().encode(`\r\n--${boundary}`));
  const maxFiles = limits.maxFiles ?? 1;
  const maxHeaderBytes = limits.maxHeaderBytes ?? defaultMaxHeaderBytes;
  let partCount = 0;
  let fileCount = 0;
  try {
    await input.skipPreamble();
    while (await input.afterDelimiter()) {
      if (++partCount > limits.maxParts) throw malformed(`more than ${limits.maxParts} parts`);
      const head = parsePartHeaders(await input.headerBlock(maxHeaderBytes));
      if (head.filename === undefined) {
        yield { kind: "field", name: head.name, value: await readField(input, limits.maxFieldBytes) };
        continue;
      }
      if (++fileCount > maxFiles) throw malformed(`more than ${maxFiles} file parts`);
      const file = new FileBody(input);
      yield { kind: "file", name: head.name, filename: head.filename, contentType: head.contentType, body: file.stream };
      await file.skipRest();
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

async function readField(input: Input, maxBytes: number): Promise<string> {
  const pieces: Uint8Array[] = [];
  let size = 0;
  for (let piece = await input.bodyPiece(); piece !== null; piece = await input.bodyPiece()) {
    size += piece.byteLength;
    if (size > maxBytes) throw new MultipartError("payload_too_large", `a field is longer than ${maxBytes} bytes`);
    pieces.push(piece);
  }
  try {
    return strictUtf8.decode(concat(pieces, size));
  } catch {
    throw malformed("a field is not UTF-8");
  }
}

/** One file part's body as a stream, read from the input only when the consumer pulls. */
class FileBody {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private state: "open" | "ended" | "cancelled" | "failed" = "open";
  private reading: Promise<unknown> = Promise.resolve();

  constructor(private readonly input: Input) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: (controller) => {
          const read = this.input.bodyPiece().then(
            (piece) => {
              if (piece !== null) return controller.enqueue(piece);
              this.state = "ended";
              controller.close();
            },
            (err: unknown) => {
              this.state = "failed";
              throw err;
            },
          );
          this.reading = read.catch(() => {});
          return read;
        },
        cancel: () => {
          if (this.state === "open") this.state = "cancelled";
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** Before the next part: wait for a read in flight, end the stream if it is still open, skip what is left. */
  async skipRest(): Promise<void> {
    await this.reading;
    if (this.state === "ended") return;
    if (this.state === "failed") {
      // The error the stream saw (truncated body, malformed) is the iteration's error too.
      await this.input.bodyPiece();
      return;
    }
    if (this.state === "open") {
      this.state = "cancelled";
      this.controller.error(new Error("multipart: the next part was requested before this file part was read to its end"));
    }
    while ((await this.input.bodyPiece()) !== null);
  }
}

/**
 * The body as it arrives, with the delimiter (`CRLF--boundary`) search. Chunks are never
 * written to, only sliced or copied into new arrays, so slices handed out stay valid.
 */
class Input {
  /** A virtual CRLF first: the first boundary needs none in front of it, the search then treats all alike. */
  private buf: Uint8Array = new Uint8Array([CR, LF]);
  private pos = 0;
  private eof = false;
  private failure: unknown = null;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly delimiter: Uint8Array,
  ) {}

  /** Appends the next chunk; false at the end of the body. */
  private async more(): Promise<boolean> {
    if (this.eof) return false;
    const { done, value } = await this.reader.read();
    if (done) {
      this.eof = true;
      return false;
    }
    if (this.pos === this.buf.byteLength) this.buf = value;
    else this.buf = concat([this.buf.subarray(this.pos), value]);
    this.pos = 0;
    return true;
  }

  private get available(): number {
    return this.buf.byteLength - this.pos;
  }

  /** Up to and including the first delimiter; the bytes before it are the preamble, ignored. */
  async skipPreamble(): Promise<void> {
    for (;;) {
      const at = indexOf(this.buf, this.delimiter, this.pos);
      if (at >= 0) {
        if (at > maxPreambleBytes) throw malformed("no boundary at the start of the body");
        this.pos = at + this.delimiter.byteLength;
        return;
      }
      if (this.available > maxPreambleBytes + this.delimiter.byteLength) throw malformed("no boundary at the start of the body");
      if (!(await this.more())) throw malformed("no boundary in the body");
    }
  }

  /**
   * Right after a delimiter: true if a part follows (padding, then the CRLF that starts the
   * header block, left in place), false at the close delimiter (`--`).
   */
  async afterDelimiter(): Promise<boolean> {
    let padding = 0;
    for (;;) {
      while (this.available < 2) if (!(await this.more())) throw malformed("the body ends after a boundary");
      const a = this.buf[this.pos]!;
      const b = this.buf[this.pos + 1]!;
      if (padding === 0 && a === DASH && b === DASH) return false;
      if (a === CR && b === LF) return true;
      if ((a !== SP && a !== HT) || ++padding > maxPaddingBytes) throw malformed("garbage after a boundary");
      this.pos++;
    }
  }

  /** The header block between the boundary line's CRLF and the empty line, without either. */
  async headerBlock(maxBytes: number): Promise<Uint8Array> {
    let from = this.pos;
    for (;;) {
      const at = indexOf(this.buf, crlfcrlf, from);
      if (at >= 0) {
        const block = at - this.pos < 2 ? new Uint8Array(0) : this.buf.subarray(this.pos + 2, at);
        if (block.byteLength > maxBytes) throw malformed(`a part's headers are longer than ${maxBytes} bytes`);
        this.pos = at + crlfcrlf.byteLength;
        return block;
      }
      if (this.available > maxBytes + 2 * crlfcrlf.byteLength) throw malformed(`a part's headers are longer than ${maxBytes} bytes`);
      from = Math.max(this.pos, this.buf.byteLength - (crlfcrlf.byteLength - 1));
      const offset = from - this.pos;
      if (!(await this.more())) throw malformed("the body ends inside a part's headers");
      from = this.pos + offset;
    }
  }

  /**
   * The next piece of the current part's body, or null at its delimiter (consumed). Everything
   * but a possible start of the delimiter is handed out at once, so a part's bytes are never
   * held back beyond the delimiter's length. A failure (body ends before the final boundary)
   * repeats on every later call.
   */
  async bodyPiece(): Promise<Uint8Array | null> {
    if (this.failure !== null) throw this.failure;
    try {
      for (;;) {
        const at = indexOf(this.buf, this.delimiter, this.pos);
        if (at >= 0) {
          if (at > this.pos) return this.take(at);
          this.pos += this.delimiter.byteLength;
          return null;
        }
        const safe = this.buf.byteLength - (this.delimiter.byteLength - 1);
        if (safe > this.pos) return this.take(safe);
        if (!(await this.more())) throw malformed("the body ends before the final boundary");
      }
    } catch (err) {
      this.failure = err;
      throw err;
    }
  }

  private take(end: number): Uint8Array {
    const piece = this.buf.subarray(this.pos, end);
    this.pos = end;
    return piece;
  }
}

interface PartHead {
  name: string;
  filename: string | undefined;
  contentType: string | null;
}

/** Content-Disposition (form-data, name, filename or filename*) and Content-Type of a part. */
function parsePartHeaders(block: Uint8Array): PartHead {
  // Browsers send names and filenames as raw UTF-8; invalid bytes become U+FFFD rather than failing.
  const text = new TextDecoder().decode(block);
  const headers = new Map<string, string>();
  const lines: string[] = [];
  for (const line of text.split("\r\n")) {
    if (line === "") continue;
    // Obsolete line folding: a continuation line joins the one before.
    if ((line.startsWith(" ") || line.startsWith("\t")) && lines.length > 0) lines[lines.length - 1] += ` ${line.trim()}`;
    else lines.push(line);
  }
  for (const line of lines) {
    if (/[\r\n]/.test(line)) throw malformed("a bare CR or LF in a part's headers");
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed("a part header without a name");
    const name = line.slice(0, colon).trim().toLowerCase();
    if (headers.has(name)) throw malformed(`a part has two ${name} headers`);
    headers.set(name, line.slice(colon + 1).trim());
  }
  const disposition = headers.get("content-disposition");
  if (disposition === undefined) throw malformed("a part without Content-Disposition");
  let parsed: HeaderValue;
  try {
    parsed = parseHeaderValue(disposition);
  } catch (err) {
    throw malformed(`Content-Disposition: ${(err as Error).message}`);
  }
  if (parsed.value.toLowerCase() !== "form-data") throw malformed("a part's Content-Disposition is not form-data");
  const name = parsed.params.get("name");
  if (name === undefined) throw malformed("a part without a name");
  const extended = parsed.params.get("filename*");
  const plain = parsed.params.get("filename");
  const filename = (extended !== undefined ? decodeExtValue(extended) : undefined) ?? (plain !== undefined ? unescapeHtmlForm(plain) : undefined);
  return { name: unescapeHtmlForm(name), filename, contentType: headers.get("content-type") ?? null };
}

interface HeaderValue {
  value: string;
  params: Map<string, string>;
}

/**
 * `value; a=token; b="quoted \" string"`. Parameter names are lowercased. A parameter given
 * twice is refused: two parsers picking different ones is how filters are bypassed.
 */
function parseHeaderValue(header: string): HeaderValue {
  let i = header.indexOf(";");
  if (i < 0) i = header.length;
  const value = header.slice(0, i).trim();
  const params = new Map<string, string>();
  while (i < header.length) {
    i++; // the ';'
    while (header[i] === " " || header[i] === "\t") i++;
    if (i >= header.length) break;
    const eq = header.indexOf("=", i);
    const semi = header.indexOf(";", i);
    if (eq < 0 || (semi >= 0 && semi < eq)) throw new Error("a parameter without a value");
    const key = header.slice(i, eq).trim().toLowerCase();
    if (!/^[a-z0-9!#$&+.^_`|~*-]+$/.test(key)) throw new Error("an invalid parameter name");
    i = eq + 1;
    while (header[i] === " " || header[i] === "\t") i++;
    let val = "";
    if (header[i] === '"') {
      i++;
      for (;;) {
        if (i >= header.length) throw new Error("an unterminated quoted string");
        const c = header[i]!;
        // Only \" and \\ are escapes: browsers send backslashes (Windows paths) unescaped.
        if (c === "\\" && (header[i + 1] === '"' || header[i + 1] === "\\")) {
          val += header[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          val += c;
          i++;
        }
      }
      while (header[i] === " " || header[i] === "\t") i++;
      if (i < header.length && header[i] !== ";") throw new Error("text after a quoted string");
    } else {
      const end = header.indexOf(";", i);
      val = header.slice(i, end < 0 ? header.length : end).trim();
      i = end < 0 ? header.length : end;
    }
    if (params.has(key)) throw new Error(`parameter ${key} given twice`);
    params.set(key, val);
  }
  return { value, params };
}

/** HTML's form encoding writes `"`, CR and LF in names and filenames as %22, %0D, %0A. */
function unescapeHtmlForm(s: string): string {
  return s.replace(/%22|%0D|%0A/gi, (m) => ({ "%22": '"', "%0D": "\r", "%0A": "\n" })[m.toUpperCase()] ?? m);
}

/** RFC 5987 ext-value: `UTF-8'lang'percent%20encoded`; undefined when unreadable (then `filename` is used). */
function decodeExtValue(ext: string): string | undefined {
  const m = /^([A-Za-z0-9!#$%&+^_`{}~-]+)'[A-Za-z0-9-]*'(.*)$/.exec(ext);
  if (!m) return undefined;
  const charset = m[1]!.toLowerCase();
  if (charset !== "utf-8" && charset !== "iso-8859-1") return undefined;
  const encoded = m[2]!;
  if (!/^(?:[A-Za-z0-9!#$&+.^_`|~-]|%[0-9A-Fa-f]{2})*$/.test(encoded)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === "%") {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(encoded.charCodeAt(i));
  }
  // ISO-8859-1 by hand: its bytes are the first 256 code points; TextDecoder need not know it everywhere.
  if (charset === "iso-8859-1") return String.fromCharCode(...bytes);
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

/** First index of `needle` in `hay` at or after `from`, or -1; finds the first byte natively. */
function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  const last = hay.byteLength - needle.byteLength;
  for (let i = hay.indexOf(first, from); i >= 0 && i <= last; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.byteLength && hay[i + j] === needle[j]) j++;
    if (j === needle.byteLength) return i;
  }
  return -1;
}

