/**
 * DejaVu Sans for receipt PDFs on Node, from the `dejavu-fonts-ttf` package: it covers the
 * Latin, Greek and Cyrillic letters of names people type (Ł, ş, ř, ő …), which the PDF
 * standard fonts do not. Read once per process; the PDF embeds only the glyphs it uses.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ReceiptFonts } from "../forms/receipt-pdf.js";

let loading: Promise<ReceiptFonts> | undefined;

export function loadReceiptFonts(): Promise<ReceiptFonts> {
  loading ??= read().catch((error: unknown) => {
    // A failed read (package missing) is not remembered, so a later call can succeed.
    loading = undefined;
    throw error;
  });
  return loading;
}

async function read(): Promise<ReceiptFonts> {
  const dir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  const [regular, bold] = await Promise.all([readFile(join(dir, "DejaVuSans.ttf")), readFile(join(dir, "DejaVuSans-Bold.ttf"))]);
  // Plain Uint8Arrays: fontkit and pdf-lib need no Buffer, and callers may hand them to workerd code.
  return { regular: new Uint8Array(regular.buffer, regular.byteOffset, regular.byteLength), bold: new Uint8Array(bold.buffer, bold.byteOffset, bold.byteLength) };
}
