import { describe, expect, it } from "vitest";
import { type MultipartLimits, MultipartError, multipartBoundary, readMultipart } from "./multipart.js";
import { chunkedStream, concatBytes } from "./test-streams.js";

const enc = new TextEncoder();
const boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
const contentType = `multipart/form-data; boundary=${boundary}`;
const limits: MultipartLimits = { maxFieldBytes: 1024, maxParts: 10 };

type Raw = string | Uint8Array;

/** A body as browsers build it: each part is its header lines and content. */
function form(parts: Array<{ headers: string[]; content: Raw }>, end = `--${boundary}--\r\n`): Uint8Array {
  return concatBytes(...parts.flatMap((p) => [`--${boundary}\r\n`, p.headers.map((h) => `${h}\r\n`).join(""), "\r\n", p.content, "\r\n"]), end);
}

const field = (name: string, value: Raw) => ({ headers: [`Content-Disposition: form-data; name="${name}"`], content: value });
const file = (name: string, filename: string, content: Raw, type = "application/octet-stream") => ({
  headers: [`Content-Disposition: form-data; name="${name}"; filename="${filename}"`, `Content-Type: ${type}`],
  content,
});

type Seen = { kind: "field"; name: string; value: string } | { kind: "file"; name: string; filename: string; contentType: string | null; content: string };

/** Reads everything, each file body as it comes (the way the upload route does). */
async function collect(data: Uint8Array, chunk?: number, opts: MultipartLimits = limits, type = contentType): Promise<Seen[]> {
  const seen: Seen[] = [];
  for await (const part of readMultipart(chunkedStream(data, chunk).stream, type, opts)) {
    if (part.kind === "field") seen.push(part);
    else seen.push({ kind: "file", name: part.name, filename: part.filename, contentType: part.contentType, content: await new Response(part.body).text() });
  }
  return seen;
}

async function failure(run: () => Promise<unknown>): Promise<MultipartError> {
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MultipartError);
  return err as MultipartError;
}

/** Content that looks almost like a delimiter, CRs and LFs in every position, a trailing CR. */
const tricky = `line1\r\nline2\n\rline3\r\n--${boundary.slice(0, -1)}X\r\n-\r\n--\r\n--${boundary.slice(0, 10)}\r`;

describe("readMultipart", () => {
  const body = form([field("title", "Antrag für Hund"), file("file", "scan.pdf", tricky, "application/pdf"), field("after", "")]);
  const expected: Seen[] = [
    { kind: "field", name: "title", value: "Antrag für Hund" },
    { kind: "file", name: "file", filename: "scan.pdf", contentType: "application/pdf", content: tricky },
    { kind: "field", name: "after", value: "" },
  ];

  it("reads fields and a file part in order", async () => {
    expect(await collect(body)).toEqual(expected);
  });

  it.each([1, 2, 3, 7, boundary.length + 3, 64])("gives the same parts when the body arrives in %i-byte chunks", async (size) => {
    expect(await collect(body, size)).toEqual(expected);
  });

  it("keeps CR, LF and CRLF inside field values, and a value of only CRLF", async () => {
    const values = ["a\r\nb", "\r", "\n", "\r\n", "ends with CR\r", `--${boundary}-not-quite`.slice(0, 20)];
    const seen = await collect(form(values.map((v, i) => field(`f${i}`, v))), 1);
    expect(seen.map((s) => (s.kind === "field" ? s.value : null))).toEqual(values);
  });

  it("ignores a preamble and an epilogue, and accepts transport padding after a boundary", async () => {
    const data = concatBytes("this is a preamble\r\n", `--${boundary}  \t\r\n`, 'Content-Disposition: form-data; name="a"\r\n\r\n', "1\r\n", `--${boundary}--`, "\r\nepilogue, never parsed: --garbage");
    expect(await collect(data, 5)).toEqual([{ kind: "field", name: "a", value: "1" }]);
  });

  it("accepts a close delimiter at the very end without CRLF", async () => {
    expect(await collect(form([field("a", "x")], `--${boundary}--`))).toEqual([{ kind: "field", name: "a", value: "x" }]);
  });

  it("reads a quoted boundary with a space, as RFC 2046 allows", async () => {
    const b = "with space";
    const data = concatBytes(`--${b}\r\n`, 'Content-Disposition: form-data; name="a"\r\n\r\n', "v\r\n", `--${b}--\r\n`);
    expect(await collect(data, 3, limits, `multipart/form-data; charset=utf-8; boundary="${b}"`)).toEqual([{ kind: "field", name: "a", value: "v" }]);
  });

  it("prefers filename* (RFC 5987) over filename, in UTF-8 and ISO-8859-1", async () => {
    const utf8 = {
      headers: [`Content-Disposition: form-data; name="file"; filename="Bescheid fuer Mueller.pdf"; filename*=UTF-8''Bescheid%20f%C3%BCr%20M%C3%BCller.pdf`],
      content: "x",
    };
    const latin1 = { headers: [`Content-Disposition: form-data; name="file"; filename*=iso-8859-1'de'Gr%FC%DFe.pdf`], content: "y" };
    const seen = await collect(form([utf8, latin1]), 4, { ...limits, maxFiles: 2 });
    expect(seen.map((s) => (s.kind === "file" ? s.filename : null))).toEqual(["Bescheid für Müller.pdf", "Grüße.pdf"]);
  });

  it("falls back to filename when filename* cannot be decoded", async () => {
    const part = { headers: [`Content-Disposition: form-data; name="file"; filename="plain.pdf"; filename*=UTF-8''%FF%FE.pdf`], content: "x" };
    expect(await collect(form([part]))).toMatchObject([{ kind: "file", filename: "plain.pdf" }]);
  });

  it("takes raw UTF-8 names as browsers send them and undoes HTML's %22 escaping", async () => {
    const part = file("datei", "Straße %22neu%22.jpg", "x", "image/jpeg");
    expect(await collect(form([part]), 1)).toMatchObject([{ kind: "file", name: "datei", filename: 'Straße "neu".jpg', contentType: "image/jpeg" }]);
  });

  it("keeps backslashes of a Windows path and reads an escaped quote", async () => {
    const part = { headers: [String.raw`Content-Disposition: form-data; name="file"; filename="C:\Users\x\a\"b.pdf"`], content: "x" };
    expect(await collect(form([part]))).toMatchObject([{ kind: "file", filename: String.raw`C:\Users\x\a"b.pdf` }]);
  });

  it("treats an empty filename (a file input left empty) as a file part", async () => {
    expect(await collect(form([file("file", "", "")]))).toEqual([{ kind: "file", name: "file", filename: "", contentType: "application/octet-stream", content: "" }]);
  });

  it("hands out the file while the body is still arriving", async () => {
    const big = new Uint8Array(4 * 1024 * 1024).fill(0x61);
    const { stream, stats } = chunkedStream(form([field("a", "1"), file("file", "big.pdf", big)]), 64 * 1024);
    for await (const part of readMultipart(stream, contentType, limits)) {
      if (part.kind !== "file") continue;
      const reader = part.body.getReader();
      const first = await reader.read();
      expect(first.value!.byteLength).toBeGreaterThan(0);
      // One chunk ahead at most: nothing is buffered up before the consumer reads.
      expect(stats.pulled).toBeLessThanOrEqual(2 * 64 * 1024);
      let total = first.value!.byteLength;
      for (let r = await reader.read(); !r.done; r = await reader.read()) total += r.value.byteLength;
      expect(total).toBe(big.byteLength);
    }
  });

  it("skips a file part whose body the consumer does not read or cancels", async () => {
    const data = form([file("file", "a.pdf", "a".repeat(5000)), field("after", "still here")]);
    const names: string[] = [];
    for await (const part of readMultipart(chunkedStream(data, 100).stream, contentType, limits)) {
      names.push(part.kind === "field" ? `${part.name}=${part.value}` : part.name);
    }
    expect(names).toEqual(["file", "after=still here"]);

    const cancelled: string[] = [];
    for await (const part of readMultipart(chunkedStream(data, 100).stream, contentType, limits)) {
      if (part.kind === "file") await part.body.cancel();
      else cancelled.push(part.value);
    }
    expect(cancelled).toEqual(["still here"]);
  });

  it("errors a half-read file body when the next part is requested, so it is never taken for complete", async () => {
    const data = form([file("file", "a.pdf", "a".repeat(5000)), field("after", "x")]);
    const iterator = readMultipart(chunkedStream(data, 100).stream, contentType, limits)[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done || first.value.kind !== "file") throw new Error("expected the file part");
    const reader = first.value.body.getReader();
    await reader.read();
    expect((await iterator.next()).value).toEqual({ kind: "field", name: "after", value: "x" });
    await expect(reader.read()).rejects.toThrow(/before this file part was read/);
  });

  it("cancels the request body when the consumer stops early", async () => {
    const { stream, stats } = chunkedStream(form([field("a", "1"), file("file", "x.pdf", new Uint8Array(1_000_000))]), 1000);
    for await (const part of readMultipart(stream, contentType, limits)) {
      if (part.kind === "file") break;
    }
    expect(stats.cancelled).toBe(true);
    expect(stats.pulled).toBeLessThan(10_000);
  });

  describe("refuses", () => {
    it("a body cut off inside a file, with the error on the file stream too", async () => {
      const cut = form([file("file", "a.pdf", "0123456789".repeat(100))]).slice(0, 700);
      for (const size of [1, 50, cut.byteLength]) {
        let bodyError: unknown = null;
        const err = await failure(async () => {
          for await (const part of readMultipart(chunkedStream(cut, size).stream, contentType, limits)) {
            if (part.kind === "file") await new Response(part.body).arrayBuffer().catch((e: unknown) => (bodyError = e));
          }
        });
        expect(err.code).toBe("malformed_multipart");
        expect(bodyError).toBeInstanceOf(MultipartError);
        expect((bodyError as MultipartError).code).toBe("malformed_multipart");
      }
    });

    it("a body without its final boundary", async () => {
      const noClose = form([field("a", "1")], "");
      expect((await failure(() => collect(noClose))).code).toBe("malformed_multipart");
      // Ends right after a delimiter, or inside the headers of a part.
      expect((await failure(() => collect(concatBytes(noClose, `--${boundary}`)))).code).toBe("malformed_multipart");
      expect((await failure(() => collect(concatBytes(noClose, `--${boundary}\r\nContent-Disposition: form-da`), 1))).code).toBe("malformed_multipart");
    });

    it("an empty body", async () => {
      expect((await failure(() => collect(new Uint8Array(0)))).code).toBe("malformed_multipart");
    });

    it("a missing boundary or another media type, before reading the body", () => {
      const { stream, stats } = chunkedStream(form([field("a", "1")]));
      for (const type of [undefined, null, "", "multipart/form-data", "multipart/form-data; boundary=", "application/json", "multipart/mixed; boundary=abc", `multipart/form-data; boundary=${"x".repeat(71)}`, 'multipart/form-data; boundary="abc "']) {
        let err: unknown = null;
        try {
          readMultipart(stream, type, limits);
        } catch (e) {
          err = e;
        }
        expect(err, String(type)).toBeInstanceOf(MultipartError);
        expect((err as MultipartError).code).toBe("unsupported_media_type");
      }
      expect(stats.pulled).toBe(0);
      expect(multipartBoundary("Multipart/Form-Data; BOUNDARY=abc")).toBe("abc");
    });

    it("garbage, without reading much of it", async () => {
      expect((await failure(() => collect(enc.encode("hello world, this is not multipart")))).code).toBe("malformed_multipart");
      const { stream, stats } = chunkedStream(new Uint8Array(10_000_000).fill(0x61), 64 * 1024);
      const err = await failure(async () => {
        for await (const _ of readMultipart(stream, contentType, limits));
      });
      expect(err.code).toBe("malformed_multipart");
      expect(stats.pulled).toBeLessThanOrEqual(64 * 1024);
      expect(stats.cancelled).toBe(true);
    });

    it("garbage after a boundary, and bare LF line ends", async () => {
      const garbage = concatBytes(`--${boundary}xyz\r\n`, 'Content-Disposition: form-data; name="a"\r\n\r\nv\r\n', `--${boundary}--`);
      expect((await failure(() => collect(garbage))).code).toBe("malformed_multipart");
      const lf = enc.encode(`--${boundary}\nContent-Disposition: form-data; name="a"\n\nv\n--${boundary}--\n`);
      expect((await failure(() => collect(lf))).code).toBe("malformed_multipart");
    });

    it("parts without a usable Content-Disposition", async () => {
      for (const headers of [[], ["Content-Type: text/plain"], ["Content-Disposition: attachment; name=\"a\""], ["Content-Disposition: form-data"], ['Content-Disposition: form-data; name="a"; name="b"'], ['Content-Disposition: form-data; name="a'], ["no colon here"]]) {
        expect((await failure(() => collect(form([{ headers, content: "v" }])))).code, headers.join()).toBe("malformed_multipart");
      }
    });

    it("a field longer than maxFieldBytes, and takes one of exactly that length", async () => {
      const opts = { ...limits, maxFieldBytes: 100 };
      expect(await collect(form([field("a", "x".repeat(100))]), 7, opts)).toEqual([{ kind: "field", name: "a", value: "x".repeat(100) }]);
      const { stream, stats } = chunkedStream(form([field("a", "x".repeat(10_000_000))]), 1000);
      const err = await failure(async () => {
        for await (const _ of readMultipart(stream, contentType, opts));
      });
      expect(err.code).toBe("payload_too_large");
      expect(stats.pulled).toBeLessThan(3000);
    });

    it("a field that is not UTF-8", async () => {
      expect((await failure(() => collect(form([field("a", new Uint8Array([0x66, 0xfc, 0x72]))])))).code).toBe("malformed_multipart");
    });

    it("headers longer than the limit", async () => {
      const long = { headers: ['Content-Disposition: form-data; name="a"', `X-Long: ${"y".repeat(9000)}`], content: "v" };
      expect((await failure(() => collect(form([long]), 512))).code).toBe("malformed_multipart");
    });

    it("more parts than maxParts, and a second file", async () => {
      const many = form(Array.from({ length: 4 }, (_, i) => field(`f${i}`, "v")));
      expect(await collect(many, undefined, { ...limits, maxParts: 4 })).toHaveLength(4);
      expect((await failure(() => collect(many, undefined, { ...limits, maxParts: 3 }))).code).toBe("malformed_multipart");
      const twoFiles = form([file("a", "a.pdf", "1"), file("b", "b.pdf", "2")]);
      expect((await failure(() => collect(twoFiles))).code).toBe("malformed_multipart");
    });
  });
});
