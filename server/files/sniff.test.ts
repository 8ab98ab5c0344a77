import { PDFDocument, PDFName, PDFString, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { type ContentRefusalCode, ContentRefused, contentInspector, detectType, imageLimits, inspectUpload } from "./sniff.js";
import { concatBytes, countedStream } from "./test-streams.js";

const enc = new TextEncoder();
const be16 = (n: number) => [n >> 8, n & 0xff];
const le16 = (n: number) => [n & 0xff, n >> 8];
const be32 = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const le24 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];

// Headers crafted byte by byte: only the parts the inspectors read need to be right.
const png = (w: number, h: number) => concatBytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], be32(13), "IHDR", be32(w), be32(h), [8, 2, 0, 0, 0], be32(0), be32(0), "IEND", be32(0));
const jfif = concatBytes([0xff, 0xe0], be16(16), "JFIF\0", [1, 1, 0, 0, 1, 0, 1, 0, 0]);
const sof = (marker: number, w: number, h: number) => concatBytes([0xff, marker], be16(17), [8], be16(h), be16(w), [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
const sos = concatBytes([0xff, 0xda], be16(12), [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0], [0x12, 0x34, 0xff, 0x00, 0x56], [0xff, 0xd9]);
const jpeg = (w: number, h: number, before: Uint8Array = new Uint8Array(0), marker = 0xc0) => concatBytes([0xff, 0xd8], jfif, before, sof(marker, w, h), sos);
/** An Exif-sized APP1 segment: the SOF comes after it. */
const app1 = concatBytes([0xff, 0xe1], be16(60_002), "Exif\0\0", new Uint8Array(59_994).fill(0xff));
const gif = (w: number, h: number) => concatBytes("GIF89a", le16(w), le16(h), [0xf7, 0, 0]);
const riff = (chunk: Uint8Array) => concatBytes("RIFF", le32(4 + chunk.byteLength), "WEBP", chunk);
const webpVp8x = (w: number, h: number) => riff(concatBytes("VP8X", le32(10), [0x10, 0, 0, 0], le24(w - 1), le24(h - 1)));
const webpVp8l = (w: number, h: number) => riff(concatBytes("VP8L", le32(5), [0x2f], le32((w - 1) | ((h - 1) << 14))));
const webpVp8 = (w: number, h: number) => riff(concatBytes("VP8 ", le32(10), [0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a], le16(w), le16(h)));

/** A PDF as plain text objects, the way simple writers produce it. */
const pdf = (catalogExtra = "", streamData: Uint8Array | string = "BT /F1 12 Tf (Hallo) Tj ET") =>
  concatBytes(
    "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    `1 0 obj\n<< /Type /Catalog /Pages 2 0 R ${catalogExtra}>>\nendobj\n`,
    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n",
    `4 0 obj\n<< /Length ${typeof streamData === "string" ? streamData.length : streamData.byteLength} /Filter /FlateDecode >>\nstream\r\n`,
    typeof streamData === "string" ? streamData : streamData,
    "\r\nendstream\nendobj\n",
    "trailer\n<< /Root 1 0 R /Info << /AAPL:Keywords [(scan)] /Producer (macOS) >> >>\n%%EOF\n",
  );

/** Feeds `data` in chunks of `size` (or split at the given indices) and returns the refusal code, or null if accepted. */
function inspect(mediaType: string, data: Uint8Array, chunking: number | number[] = data.byteLength): ContentRefusalCode | null {
  const cuts = typeof chunking === "number" ? Array.from({ length: Math.ceil(data.byteLength / chunking) }, (_, i) => i * chunking).slice(1) : chunking;
  const bounds = [0, ...cuts, data.byteLength];
  try {
    const inspector = contentInspector(mediaType);
    for (let i = 0; i + 1 < bounds.length; i++) inspector.update(data.subarray(bounds[i], bounds[i + 1]));
    inspector.finish();
    return null;
  } catch (err) {
    if (err instanceof ContentRefused) return err.code;
    throw err;
  }
}

describe("detectType", () => {
  it.each([
    ["application/pdf", "pdf", pdf()],
    ["image/jpeg", "jpg", jpeg(10, 10)],
    ["image/png", "png", png(1, 1)],
    ["image/gif", "gif", gif(1, 1)],
    ["image/gif", "gif", concatBytes("GIF87a", le16(1), le16(1))],
    ["image/webp", "webp", webpVp8x(1, 1)],
  ])("recognises %s", (mediaType, ext, data) => {
    expect(detectType(data.subarray(0, 12))).toEqual({ mediaType, ext });
  });

  it.each([
    ["HTML named photo.jpg", "<!DOCTYPE html><html><script>alert(1)</script>"],
    ["SVG", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
    ["SVG after an XML declaration", '<?xml version="1.0"?><svg/>'],
    ["a script", "#!/bin/sh\nrm -rf /\n"],
    ["a PDF signature not at the start", "  %PDF-1.4"],
    ["a RIFF that is not WebP (WAV)", "RIFF\x24\x00\x00\x00WAVEfmt "],
  ])("refuses %s", (_, text) => {
    expect(detectType(enc.encode(text))).toBeNull();
  });

  it("refuses zip (and so docx and odt), and an empty file", () => {
    expect(detectType(concatBytes([0x50, 0x4b, 0x03, 0x04], new Uint8Array(20)))).toBeNull();
    expect(detectType(new Uint8Array(0))).toBeNull();
  });
});

describe("PDF inspection", () => {
  it("accepts a plain PDF, including macOS's /AAPL keys and an /OpenAction that only opens a page", () => {
    expect(inspect("application/pdf", pdf("/OpenAction [3 0 R /Fit] "))).toBeNull();
  });

  it("accepts a PDF as pdf-lib writes it", async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage();
    page.drawText("Antrag auf Hundesteuer", { font: await doc.embedFont(StandardFonts.Helvetica) });
    for (const useObjectStreams of [true, false]) expect(inspect("application/pdf", await doc.save({ useObjectStreams }), 1000)).toBeNull();
  });

  it.each([
    ["/JavaScript", "/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "],
    ["/JS alone", "/OpenAction 5 0 R /X << /JS(x)>> "],
    ["/Launch", "/OpenAction << /S /Launch /F (cmd.exe) >> "],
    ["/EmbeddedFile", "/Names << /EmbeddedFiles 6 0 R >> "],
    ["/AA", "/AA << /O 7 0 R >> "],
    ["a hex-escaped name", "/OpenAction << /S /J#61vaScript /J#53 (x) >> "],
    ["a name at the very end", "/Names<</EmbeddedFile"],
  ])("refuses %s", (_, extra) => {
    expect(inspect("application/pdf", pdf(extra))).toBe("unsafe_pdf");
  });

  it("refuses /JavaScript split at every chunk boundary, and in 1-byte chunks", () => {
    const data = pdf("/OpenAction << /S /JavaScript >> ");
    const at = new TextDecoder("latin1").decode(data).indexOf("/JavaScript");
    for (let cut = at - 2; cut <= at + "/JavaScript".length + 1; cut++) expect(inspect("application/pdf", data, [cut])).toBe("unsafe_pdf");
    expect(inspect("application/pdf", data, 1)).toBe("unsafe_pdf");
    expect(inspect("application/pdf", data, [at + 3, at + 5, at + 6])).toBe("unsafe_pdf");
  });

  it("refuses a JavaScript action pdf-lib writes as plain objects", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    doc.catalog.set(PDFName.of("OpenAction"), doc.context.obj({ Type: "Action", S: "JavaScript", JS: PDFString.of("app.alert(1)") }));
    expect(inspect("application/pdf", await doc.save({ useObjectStreams: false }), 7)).toBe("unsafe_pdf");
  });

  it("does not see JavaScript inside a compressed object stream (known limit: downloads are attachments)", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    doc.catalog.set(PDFName.of("OpenAction"), doc.context.obj({ Type: "Action", S: "JavaScript", JS: PDFString.of("app.alert(1)") }));
    expect(inspect("application/pdf", await doc.save({ useObjectStreams: true }))).toBeNull();
  });

  it("skips stream data, where compressed bytes can spell /JS by chance, and scans again after endstream", () => {
    const binary = concatBytes([0x78, 0x9c, 0x01], "/JS ", [0xff, 0x00], "/AA(", [0x13], "endstrea", [0x9e], "/Launch\n");
    expect(inspect("application/pdf", pdf("", binary), 3)).toBeNull();
    const after = concatBytes(pdf("", binary), "5 0 obj << /JS (x) >> endobj\n");
    expect(inspect("application/pdf", after, 3)).toBe("unsafe_pdf");
    // `endstream` split across chunks still ends the stream.
    const data = pdf("", binary);
    const end = new TextDecoder("latin1").decode(data).lastIndexOf("endstream");
    expect(inspect("application/pdf", concatBytes(data, "<< /AA 1 0 R >>"), [end + 4])).toBe("unsafe_pdf");
  });

  it("does not take `stream` outside a dictionary's end as the start of binary data", () => {
    expect(inspect("application/pdf", pdf("/Title (a stream\n) /OpenAction << /JS (x) >> "))).toBe("unsafe_pdf");
  });
});

describe("image inspection", () => {
  const bomb: ContentRefusalCode = "image_too_large";

  it("accepts images within the limits, whatever the chunking", () => {
    for (const chunking of [1, 5, 1_000_000]) {
      expect(inspect("image/png", png(6000, 6000), chunking)).toBeNull();
      expect(inspect("image/jpeg", jpeg(4032, 3024, app1), chunking)).toBeNull();
      expect(inspect("image/gif", gif(640, 480), chunking)).toBeNull();
      expect(inspect("image/webp", webpVp8x(4000, 3000), chunking)).toBeNull();
      expect(inspect("image/webp", webpVp8l(800, 600), chunking)).toBeNull();
      expect(inspect("image/webp", webpVp8(800, 600), chunking)).toBeNull();
    }
  });

  it("refuses a PNG claiming 100000×100000 pixels", () => {
    expect(inspect("image/png", png(100_000, 100_000))).toBe(bomb);
    expect(inspect("image/png", png(0xffffffff, 1))).toBe(bomb);
  });

  it("refuses more than 40 megapixels or a side longer than 20000 pixels", () => {
    expect(imageLimits).toEqual({ maxPixels: 40_000_000, maxSide: 20_000 });
    expect(inspect("image/png", png(8000, 5000))).toBeNull();
    expect(inspect("image/png", png(8000, 5001))).toBe(bomb);
    expect(inspect("image/png", png(20_000, 2))).toBeNull();
    expect(inspect("image/png", png(20_001, 1))).toBe(bomb);
    expect(inspect("image/gif", gif(65535, 65535))).toBe(bomb);
    expect(inspect("image/webp", webpVp8x(16384, 16384))).toBe(bomb);
    expect(inspect("image/webp", webpVp8l(16384, 16384))).toBe(bomb);
    expect(inspect("image/webp", webpVp8(16383, 16383))).toBe(bomb);
  });

  it("reads JPEG dimensions from SOFn after large segments, in 1-byte chunks", () => {
    expect(inspect("image/jpeg", jpeg(30_000, 100, app1), 1)).toBe(bomb);
    expect(inspect("image/jpeg", jpeg(100, 30_000, app1, 0xc2), 1)).toBe(bomb); // progressive
    expect(inspect("image/jpeg", jpeg(7000, 7000, app1, 0xc1))).toBe(bomb);
    // DHT (C4) is not a frame header, whatever its bytes would say as one.
    const dht = concatBytes([0xff, 0xc4], be16(17), [8], be16(60_000), be16(60_000), new Uint8Array(10));
    expect(inspect("image/jpeg", jpeg(100, 100, dht))).toBeNull();
    // Fill bytes before a marker are allowed.
    expect(inspect("image/jpeg", concatBytes([0xff, 0xd8, 0xff, 0xff], jfif.subarray(1), sof(0xc0, 30_000, 30_000)))).toBe(bomb);
  });

  it("refuses images whose header cannot be read", () => {
    const unreadable: ContentRefusalCode = "unsupported_type";
    expect(inspect("image/jpeg", concatBytes([0xff, 0xd8], jfif, sos))).toBe(unreadable); // scan before any frame header
    expect(inspect("image/jpeg", concatBytes([0xff, 0xd8], jfif, app1.subarray(0, 1000)))).toBe(unreadable); // ends inside a segment
    expect(inspect("image/jpeg", concatBytes([0xff, 0xd8, 0x00, 0x00]))).toBe(unreadable);
    expect(inspect("image/png", png(1, 1).subarray(0, 20))).toBe(unreadable);
    const notIhdr = png(1, 1);
    notIhdr.set(enc.encode("IDAT"), 12);
    expect(inspect("image/png", notIhdr)).toBe(unreadable);
    expect(inspect("image/png", png(0, 10))).toBe(unreadable);
    expect(inspect("image/webp", riff(concatBytes("VP8Z", le32(10), new Uint8Array(10))))).toBe(unreadable);
    expect(inspect("image/gif", enc.encode("GIF89a"))).toBe(unreadable);
  });
});

/** A lazy source: `head`, then `chunks` chunks of `size` spaces, counting what was pulled. */
function lazySource(head: Uint8Array, chunks: number, size = 64 * 1024) {
  let sent = -1;
  return countedStream(() => (sent >= chunks ? undefined : sent++ < 0 ? head : new Uint8Array(size).fill(0x20)));
}

describe("inspectUpload", () => {
  it("passes the same bytes through and names the detected type", async () => {
    const data = jpeg(800, 600, app1);
    const chunks = [data.subarray(0, 5), data.subarray(5, 7), data.subarray(7)];
    const upload = await inspectUpload(countedStream(() => chunks.shift()).stream);
    expect(upload.mediaType).toBe("image/jpeg");
    expect(upload.ext).toBe("jpg");
    expect(new Uint8Array(await new Response(upload.body).arrayBuffer())).toEqual(data);
  });

  it("refuses HTML at its first bytes and cancels the rest", async () => {
    const { stream, stats } = lazySource(enc.encode("<html><body>Rechnung</body></html>"), 1000);
    const err = await inspectUpload(stream).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContentRefused);
    expect((err as ContentRefused).code).toBe("unsupported_type");
    expect(stats.cancelled).toBe(true);
    expect(stats.pulled).toBeLessThan(100);
  });

  it("refuses an image bomb while streaming, before the rest of the file is read", async () => {
    const { stream, stats } = lazySource(png(100_000, 100_000), 30_000); // ~2 GB if it were read
    const upload = await inspectUpload(stream);
    const err = await new Response(upload.body).arrayBuffer().catch((e: unknown) => e);
    expect((err as ContentRefused).code).toBe("image_too_large");
    expect(stats.cancelled).toBe(true);
    expect(stats.pulled).toBeLessThan(1000);
  });

  it("refuses an unsafe PDF at the chunk that shows it, and an unreadable image at its end", async () => {
    const pdfSource = lazySource(pdf("/AA << >> "), 30_000);
    const pdfErr = await new Response((await inspectUpload(pdfSource.stream)).body).arrayBuffer().catch((e: unknown) => e);
    expect((pdfErr as ContentRefused).code).toBe("unsafe_pdf");
    expect(pdfSource.stats.pulled).toBeLessThan(2000);

    const truncated = await inspectUpload(lazySource(png(1, 1).subarray(0, 14), 0).stream);
    const err = await new Response(truncated.body).arrayBuffer().catch((e: unknown) => e);
    expect((err as ContentRefused).code).toBe("unsupported_type");
  });
});
