/**
 * The text of a PDF as a reader sees it, for assertions: pages joined by newlines, each page's
 * pieces ordered top to bottom and left to right, pieces on one baseline joined by a space (so a
 * label and its value read `Geburtsdatum 01.04.2026`).
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

interface Piece {
  str: string;
  x: number;
  y: number;
}

export async function pdfText(bytes: Uint8Array): Promise<string> {
  // A copy: pdf.js transfers (detaches) the buffer it is given.
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const pieces: Piece[] = [];
      for (const item of content.items) {
        if (!("str" in item) || item.str.trim() === "") continue;
        pieces.push({ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number });
      }
      pages.push(linesOf(pieces).join("\n"));
      page.cleanup();
    }
    return pages.join("\n");
  } finally {
    await doc.destroy();
  }
}

/** Pieces within 2 pt of the same baseline form one line. */
function linesOf(pieces: Piece[]): string[] {
  const sorted = [...pieces].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Piece[][] = [];
  for (const piece of sorted) {
    const line = lines.at(-1);
    if (line && Math.abs((line[0]?.y ?? 0) - piece.y) < 2) line.push(piece);
    else lines.push([piece]);
  }
  return lines.map((line) =>
    line
      .sort((a, b) => a.x - b.x)
      .map((p) => p.str)
      .join(" "),
  );
}
