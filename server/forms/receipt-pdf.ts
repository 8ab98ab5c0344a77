/**
 * The receipt (Eingangsbestätigung) a citizen gets for a sent form: attached to the receipt
 * mail and downloadable. A4 on the town's letterhead, the reference number, the time of
 * receipt in Berlin time and every answer in form order (./answer-lines.ts).
 *
 * Pure JS (pdf-lib, fontkit), so it runs on Node and in workerd. With fonts (DejaVu Sans,
 * server/node/receipt-fonts.ts) every Latin, Greek and Cyrillic name prints as typed; without,
 * the PDF standard font Helvetica is used, which only knows WinAnsi (German is complete there),
 * and other letters are printed without their accents (`Łukasz Żółć` -> `Lukasz Zolc`).
 */
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFImage, type PDFPage, type RGB } from "pdf-lib";
import { answerLines, type UploadInfo } from "./answer-lines.js";
import type { FormData, FormDefinition } from "./definition.js";
import { berlinStamp } from "../lib/berlin-time.js";
import { formatFileSize, localized, type Lang } from "./value-format.js";

export interface ReceiptFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

export interface ReceiptInput {
  lang: Lang;
  town: {
    officialName: string;
    name: string;
    address?: string;
    email: string;
    phone?: string;
    website?: string;
    logoPng?: Uint8Array | null;
    /** `#rrggbb` or `#rgb`. */
    primaryColor: string;
  };
  form: FormDefinition;
  submission: {
    reference: string;
    /** Epoch ms; also the PDF's creation date, so the same submission gives the same bytes. */
    submittedAt: number;
    data: FormData;
    uploads: UploadInfo[];
    sender?: { name?: string; email: string };
  };
}

const strings = {
  de: {
    title: "Eingangsbestätigung",
    intro: "Ihr Antrag ist bei uns eingegangen. Diese Bestätigung enthält alle Angaben, die Sie gemacht haben.",
    reference: "Aktenzeichen",
    receivedAt: "Eingegangen am",
    sender: "Absender",
    answers: "Ihre Angaben",
    files: "Beigefügte Dateien",
    keep: (ref: string) => `Bitte bewahren Sie diese Bestätigung auf. Ihr Aktenzeichen: ${ref}`,
    questions: (contact: string) => `Bei Fragen erreichen Sie uns unter ${contact}.`,
    automatic: "Diese Bestätigung wurde automatisch erstellt und ist ohne Unterschrift gültig.",
    phone: "Tel.",
    continued: "Fortsetzung",
    page: (n: number, total: number) => `Seite ${n} von ${total}`,
    pdfLanguage: "de-DE",
  },
  en: {
    title: "Receipt",
    intro: "We have received your application. This receipt lists everything you entered.",
    reference: "Reference number",
    receivedAt: "Received on",
    sender: "Sender",
    answers: "Your details",
    files: "Attached files",
    keep: (ref: string) => `Please keep this receipt. Your reference number: ${ref}`,
    questions: (contact: string) => `If you have any questions, please contact us at ${contact}.`,
    automatic: "This receipt was created automatically and is valid without a signature.",
    phone: "Phone",
    continued: "continued",
    page: (n: number, total: number) => `Page ${n} of ${total}`,
    pdfLanguage: "en",
  },
} as const;

type Strings = (typeof strings)[Lang];

// A4 in points; margins of 20 mm left and right.
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const LEFT = 56.7;
const RIGHT = PAGE_W - 56.7;
const CONTENT_W = RIGHT - LEFT;
const TOP = PAGE_H - 48;
const BOTTOM = 64;
const FOOTER_Y = 34;
const LABEL_W = 178;
const VALUE_X = LEFT + LABEL_W + 14;
const VALUE_W = RIGHT - VALUE_X;
const BODY = 10;
const BODY_LH = 13.5;
const ROW_GAP = 4;
const LOGO_MAX_H = 48;
const LOGO_MAX_W = 120;

export async function receiptPdf(input: ReceiptInput, fonts: ReceiptFonts | null): Promise<Uint8Array> {
  const { town, form, submission } = input;
  const t = strings[input.lang];
  const createdAt = new Date(submission.submittedAt);
  const formTitle = localized(form.title, input.lang);

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`${t.title} ${submission.reference}: ${formTitle}`);
  doc.setAuthor(town.officialName);
  doc.setSubject(formTitle);
  doc.setKeywords([submission.reference]);
  doc.setLanguage(t.pdfLanguage);
  doc.setCreator("Digitales Rathaus");
  doc.setProducer("Digitales Rathaus");
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);

  const [regular, bold] = await embedFonts(doc, fonts);
  const logo = await embedLogo(doc, town.logoPng);
  const theme = themeFor(town.primaryColor);

  const w = new Writer(doc, regular, bold, theme, (writer) => continuationHeader(writer, town.officialName, `${t.title} · ${submission.reference}`), t.continued);
  letterhead(w, input, logo, t);
  titleBlock(w, input, formTitle, t);

  w.sectionTitle(t.answers);
  for (const line of answerLines(form, submission.data, submission.uploads, input.lang)) {
    if (line.kind === "heading") w.heading(line.level, line.text);
    else if (line.kind === "answer") w.row(line.label, line.value);
    else w.row("", line.text);
  }

  if (submission.uploads.length > 0) {
    w.sectionTitle(t.files);
    for (const upload of submission.uploads) {
      w.row(upload.name, `${formatFileSize(upload.size, input.lang)} · ${mediaTypeName(upload.mediaType)}`);
    }
  }

  closing(w, input, t);
  footers(w, `${t.reference} ${submission.reference}`, t);
  return doc.save();
}

// ---------------------------------------------------------------------------------------------
// Fonts and text

/** A font with the code points it can draw: anything else is replaced before measuring or drawing. */
interface Face {
  font: PDFFont;
  chars: Set<number>;
  /** Advance width at size 1 by character: pdf-lib shapes the whole string on every measurement (~0.1 ms). */
  widths: Map<string, number>;
}

/** Character sets and measured widths, kept with the font they describe. */
const metrics = new WeakMap<object, Pick<Face, "chars" | "widths">>();
const standardMetrics = new Map<string, Pick<Face, "chars" | "widths">>();

function faceOf(font: PDFFont, key: Uint8Array | StandardFonts): Face {
  let known = typeof key === "string" ? standardMetrics.get(key) : metrics.get(key);
  if (!known) {
    known = { chars: new Set(font.getCharacterSet()), widths: new Map() };
    if (typeof key === "string") standardMetrics.set(key, known);
    else metrics.set(key, known);
  }
  return { font, ...known };
}

async function embedFonts(doc: PDFDocument, fonts: ReceiptFonts | null): Promise<[Face, Face]> {
  if (!fonts) {
    return [
      faceOf(await doc.embedFont(StandardFonts.Helvetica), StandardFonts.Helvetica),
      faceOf(await doc.embedFont(StandardFonts.HelveticaBold), StandardFonts.HelveticaBold),
    ];
  }
  // Each document parses the fonts itself: a parsed font shared between documents gave later
  // receipts wrong glyphs in their subsets (a "Z" printed as another letter).
  doc.registerFontkit(fontkit);
  // Subsetting keeps only the glyphs used: ~10 KB a font instead of ~700 KB. pdf-lib draws
  // glyphs without their GPOS positions, so computing them (kerning, mark placement) is
  // switched off: that was half of the time spent drawing text.
  const options = { subset: true, features: { kern: false, mark: false, mkmk: false, curs: false } };
  return [
    faceOf(await doc.embedFont(fonts.regular, options), fonts.regular),
    faceOf(await doc.embedFont(fonts.bold, options), fonts.bold),
  ];
}

/** Letters without a Unicode decomposition that still have an obvious plain form. */
const plainLetters: Record<string, string> = {
  Ł: "L",
  ł: "l",
  Đ: "D",
  đ: "d",
  Ħ: "H",
  ħ: "h",
  ı: "i",
  Ŧ: "T",
  ŧ: "t",
  "\u00a0": " ",
  "\u2007": " ",
  "\u2009": " ",
  "\u202f": " ",
  "\u2010": "-",
  "\u2011": "-",
  "\u2212": "-",
};

/**
 * The text as this font can draw it: characters it lacks become their plain form (accents
 * dropped by NFKD) or `?`. Control characters go; tabs become spaces; line breaks are kept.
 */
function drawable(face: Face, text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC").replace(/\t/g, " ")) {
    if (ch === "\n") {
      out += ch;
      continue;
    }
    if (/\p{Cc}|\p{Cf}/u.test(ch)) continue;
    if (face.chars.has(ch.codePointAt(0) ?? 0)) {
      out += ch;
      continue;
    }
    const candidates = [plainLetters[ch], ch.normalize("NFKD").replace(/\p{M}/gu, "")];
    const usable = candidates.find((c) => c !== undefined && [...c].every((x) => face.chars.has(x.codePointAt(0) ?? 0)));
    out += usable ?? "?";
  }
  return out;
}

/** Width of drawable text, summed per character: pdf-lib draws glyph advances without kerning too. */
function widthOf(face: Face, text: string, size: number): number {
  let width = 0;
  for (const ch of text) {
    let w = face.widths.get(ch);
    if (w === undefined) {
      w = face.font.widthOfTextAtSize(ch, 1000) / 1000;
      face.widths.set(ch, w);
    }
    width += w;
  }
  return width * size;
}

/** Lines of at most `maxWidth`, broken at spaces, and inside words only when a word alone is too wide. */
function wrapText(face: Face, text: string, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  const paragraphs = drawable(face, text)
    .trim()
    .replace(/\n{3,}/g, "\n\n")
    .split("\n");
  const space = widthOf(face, " ", size);
  for (const paragraph of paragraphs) {
    const words = paragraph.trim().split(/ +/).filter((x) => x !== "");
    let line = "";
    let lineWidth = 0;
    for (const word of words) {
      const wordWidth = widthOf(face, word, size);
      if (line && lineWidth + space + wordWidth <= maxWidth) {
        line += ` ${word}`;
        lineWidth += space + wordWidth;
        continue;
      }
      if (line) lines.push(line);
      if (wordWidth <= maxWidth) {
        line = word;
        lineWidth = wordWidth;
        continue;
      }
      const pieces = breakWord(face, word, size, maxWidth);
      lines.push(...pieces.slice(0, -1));
      line = pieces.at(-1) ?? "";
      lineWidth = widthOf(face, line, size);
    }
    lines.push(line);
  }
  return lines;
}

function breakWord(face: Face, word: string, size: number, maxWidth: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  for (const ch of word) {
    if (piece && widthOf(face, piece + ch, size) > maxWidth) {
      pieces.push(piece);
      piece = ch;
    } else piece += ch;
  }
  pieces.push(piece);
  return pieces;
}

/** One line cut to `maxWidth` with an ellipsis (running headers, where wrapping has no room). */
function truncate(face: Face, text: string, size: number, maxWidth: number): string {
  const line = drawable(face, text).replace(/\n/g, " ");
  if (widthOf(face, line, size) <= maxWidth) return line;
  const chars = [...line];
  while (chars.length > 0 && widthOf(face, `${chars.join("")}…`, size) > maxWidth) chars.pop();
  return `${chars.join("").trimEnd()}…`;
}

// ---------------------------------------------------------------------------------------------
// Colours and images

interface Theme {
  primary: RGB;
  tint: RGB;
  text: RGB;
  muted: RGB;
  rule: RGB;
}

function themeFor(primaryColor: string): Theme {
  let [r, g, b] = parseHex(primaryColor) ?? [0.2, 0.2, 0.2];
  // A light brand colour (yellow, pastel) would leave the name unreadable on white paper.
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  if (luminance > 0.55) [r, g, b] = [r, g, b].map((c) => c * (0.55 / luminance)) as [number, number, number];
  const mix = (c: number, toward: number, share: number) => c + (toward - c) * share;
  return {
    primary: rgb(r, g, b),
    tint: rgb(mix(r, 1, 0.9), mix(g, 1, 0.9), mix(b, 1, 0.9)),
    text: rgb(0.1, 0.1, 0.1),
    muted: rgb(0.38, 0.38, 0.38),
    rule: rgb(0.8, 0.8, 0.8),
  };
}

function parseHex(color: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m?.[1]) return null;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join("") : m[1];
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
}

/** A logo that is not a readable PNG is left out: the receipt matters more than the letterhead. */
async function embedLogo(doc: PDFDocument, png: Uint8Array | null | undefined): Promise<PDFImage | null> {
  if (!png || png.length === 0) return null;
  try {
    return await doc.embedPng(png);
  } catch {
    return null;
  }
}

function mediaTypeName(mediaType: string): string {
  const names: Record<string, string> = { "application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG" };
  return names[mediaType] ?? mediaType;
}

// ---------------------------------------------------------------------------------------------
// Layout

/** Moves down the page; starts a new one (with the small running header) when space runs out. */
class Writer {
  readonly pages: PDFPage[] = [];
  page: PDFPage;
  /** Top of the next thing to draw. */
  y = TOP;
  /** Where content starts on the current page, to drop spacing before a heading at the top. */
  private contentTop = TOP;

  constructor(
    readonly doc: PDFDocument,
    readonly regular: Face,
    readonly bold: Face,
    readonly theme: Theme,
    private readonly runningHeader: (w: Writer) => void,
    /** `Fortsetzung`: marks a long answer that goes on over a page break. */
    private readonly continued: string,
  ) {
    this.page = this.addPage();
  }

  private addPage(): PDFPage {
    const page = this.doc.addPage([PAGE_W, PAGE_H]);
    this.pages.push(page);
    return page;
  }

  newPage(): void {
    this.page = this.addPage();
    this.y = TOP;
    this.runningHeader(this);
    this.contentTop = this.y;
  }

  fits(height: number): boolean {
    return this.y - height >= BOTTOM;
  }

  atTop(): boolean {
    return this.y === this.contentTop;
  }

  /** Draws one prepared line with its top at `top` (the baseline sits a font ascent lower). */
  draw(line: string, x: number, top: number, size: number, face: Face, color: RGB): void {
    if (line === "") return;
    this.page.drawText(line, { x, y: top - size * 0.8, size, font: face.font, color });
  }

  paragraph(text: string, opts: { size?: number; face?: Face; color?: RGB; lineHeight?: number } = {}): void {
    const size = opts.size ?? BODY;
    const face = opts.face ?? this.regular;
    const lineHeight = opts.lineHeight ?? size * 1.35;
    for (const line of wrapText(face, text, size, CONTENT_W)) {
      if (!this.fits(lineHeight)) this.newPage();
      this.draw(line, LEFT, this.y, size, face, opts.color ?? this.theme.text);
      this.y -= lineHeight;
    }
  }

  sectionTitle(text: string): void {
    const lines = wrapText(this.bold, text, 13, CONTENT_W);
    const before = this.atTop() ? 0 : 18;
    if (!this.fits(before + lines.length * 17 + 6 + 3 * BODY_LH)) this.newPage();
    else this.y -= before;
    for (const line of lines) {
      this.draw(line, LEFT, this.y, 13, this.bold, this.theme.text);
      this.y -= 17;
    }
    this.y -= 6;
  }

  heading(level: number, text: string): void {
    const style =
      level <= 1
        ? { size: 11.5, face: this.bold, color: this.theme.primary, before: 14, after: 7, rule: true }
        : level === 2
          ? { size: 10.5, face: this.bold, color: this.theme.text, before: 9, after: 4, rule: false }
          : { size: BODY, face: this.bold, color: this.theme.muted, before: 6, after: 3, rule: false };
    const lineHeight = style.size * 1.3;
    const lines = wrapText(style.face, text, style.size, CONTENT_W);
    const height = lines.length * lineHeight + style.after;
    // Keep a heading with the first two lines under it.
    if (!this.fits((this.atTop() ? 0 : style.before) + height + 2 * BODY_LH)) this.newPage();
    else if (!this.atTop()) this.y -= style.before;
    for (const line of lines) {
      this.draw(line, LEFT, this.y, style.size, style.face, style.color);
      this.y -= lineHeight;
    }
    if (style.rule) {
      this.page.drawLine({ start: { x: LEFT, y: this.y + 2 }, end: { x: RIGHT, y: this.y + 2 }, thickness: 0.6, color: this.theme.primary });
    }
    this.y -= style.after;
  }

  /** Label left, value right. A row that fits on a page is not split; a longer one continues on the next. */
  row(label: string, value: string): void {
    let labels = wrapText(this.regular, label, BODY, LABEL_W);
    let values = wrapText(this.regular, value, BODY, VALUE_W);
    if (labels.length > 4) {
      // Declarations (a SEPA mandate, a consent) would make a tall narrow column: full width, answer below.
      labels = wrapText(this.regular, label, BODY, CONTENT_W);
      values = [...labels.map(() => ""), ...values];
    }
    const count = Math.max(labels.length, values.length);
    const height = count * BODY_LH + ROW_GAP;
    if (!this.fits(height) && height <= this.contentTop - BOTTOM) this.newPage();
    for (let i = 0; i < count; i++) {
      let labelLine = labels[i] ?? "";
      if (!this.fits(BODY_LH)) {
        this.newPage();
        // Without its label a page of continued text would not say what it answers.
        if (labelLine === "" && label.trim() !== "") labelLine = truncate(this.regular, `${label} (${this.continued})`, BODY, LABEL_W);
      }
      this.draw(labelLine, LEFT, this.y, BODY, this.regular, this.theme.muted);
      this.draw(values[i] ?? "", VALUE_X, this.y, BODY, this.regular, this.theme.text);
      this.y -= BODY_LH;
    }
    this.y -= ROW_GAP;
  }
}

function letterhead(w: Writer, input: ReceiptInput, logo: PDFImage | null, t: Strings): void {
  const { town } = input;
  let textX = LEFT;
  let logoHeight = 0;
  if (logo) {
    const scale = Math.min(LOGO_MAX_H / logo.height, LOGO_MAX_W / logo.width);
    const width = logo.width * scale;
    logoHeight = logo.height * scale;
    w.page.drawImage(logo, { x: LEFT, y: w.y - logoHeight, width, height: logoHeight });
    textX = LEFT + width + 14;
  }
  const textWidth = RIGHT - textX;
  let top = w.y;
  for (const line of wrapText(w.bold, town.officialName, 15, textWidth)) {
    w.draw(line, textX, top, 15, w.bold, w.theme.primary);
    top -= 19;
  }
  const contact = [
    town.address?.replace(/\s*\n\s*/g, ", "),
    town.phone ? `${t.phone} ${town.phone}` : undefined,
    town.email,
    town.website,
  ].filter((part): part is string => !!part && part.trim() !== "");
  top -= 2;
  for (const line of wrapText(w.regular, contact.join("  ·  "), 8.5, textWidth)) {
    w.draw(line, textX, top, 8.5, w.regular, w.theme.muted);
    top -= 11.5;
  }
  w.y = Math.min(top, w.y - logoHeight) - 8;
  w.page.drawLine({ start: { x: LEFT, y: w.y }, end: { x: RIGHT, y: w.y }, thickness: 1.5, color: w.theme.primary });
  w.y -= 28;
}

function titleBlock(w: Writer, input: ReceiptInput, formTitle: string, t: Strings): void {
  const { submission } = input;
  w.draw(drawable(w.bold, t.title), LEFT, w.y, 20, w.bold, w.theme.text);
  w.y -= 28;
  for (const line of wrapText(w.bold, formTitle, 13, CONTENT_W)) {
    w.draw(line, LEFT, w.y, 13, w.bold, w.theme.primary);
    w.y -= 17;
  }
  w.y -= 6;
  w.paragraph(t.intro, { color: w.theme.muted });
  w.y -= 10;

  // The reference number and the time of receipt, in a tinted box: what people look for first.
  const boxHeight = 56;
  w.page.drawRectangle({ x: LEFT, y: w.y - boxHeight, width: CONTENT_W, height: boxHeight, color: w.theme.tint });
  const half = CONTENT_W / 2;
  const cells: Array<[string, string, number]> = [
    [t.reference, submission.reference, 18],
    [t.receivedAt, berlinStamp(submission.submittedAt, input.lang), 12],
  ];
  cells.forEach(([label, value, size], i) => {
    const x = LEFT + 14 + i * half;
    const room = half - 28;
    const text = drawable(w.bold, value);
    const fitted = Math.min(size, (size * room) / Math.max(1, widthOf(w.bold, text, size)));
    w.draw(drawable(w.regular, label), x, w.y - 11, 8.5, w.regular, w.theme.muted);
    // Both values on one baseline, whatever their size.
    w.draw(text, x, w.y - 42 + fitted * 0.8, fitted, w.bold, w.theme.text);
  });
  w.y -= boxHeight + 14;

  const sender = submission.sender;
  if (sender) w.row(t.sender, sender.name?.trim() ? `${sender.name.trim()}\n${sender.email}` : sender.email);
}

function continuationHeader(w: Writer, townName: string, right: string): void {
  const size = 8.5;
  const rightText = drawable(w.regular, right);
  const rightWidth = widthOf(w.regular, rightText, size);
  w.draw(truncate(w.bold, townName, 9, CONTENT_W - rightWidth - 20), LEFT, w.y, 9, w.bold, w.theme.primary);
  w.draw(rightText, RIGHT - rightWidth, w.y, size, w.regular, w.theme.muted);
  w.y -= 14;
  w.page.drawLine({ start: { x: LEFT, y: w.y }, end: { x: RIGHT, y: w.y }, thickness: 0.6, color: w.theme.rule });
  w.y -= 18;
}

function closing(w: Writer, input: ReceiptInput, t: Strings): void {
  const { town, submission } = input;
  const contact = [town.email, town.phone ? `${t.phone} ${town.phone}` : undefined].filter((x): x is string => !!x).join(" · ");
  const keep = wrapText(w.bold, t.keep(submission.reference), BODY, CONTENT_W);
  const rest = wrapText(w.regular, `${t.questions(contact)} ${t.automatic}`, 8.5, CONTENT_W);
  // The closing note stays in one piece.
  const height = 22 + keep.length * BODY_LH + 6 + rest.length * 11.5;
  if (!w.fits(height)) w.newPage();
  else w.y -= 22;
  w.page.drawLine({ start: { x: LEFT, y: w.y + 8 }, end: { x: RIGHT, y: w.y + 8 }, thickness: 0.6, color: w.theme.rule });
  for (const line of keep) {
    w.draw(line, LEFT, w.y, BODY, w.bold, w.theme.text);
    w.y -= BODY_LH;
  }
  w.y -= 6;
  for (const line of rest) {
    w.draw(line, LEFT, w.y, 8.5, w.regular, w.theme.muted);
    w.y -= 11.5;
  }
}

function footers(w: Writer, left: string, t: Strings): void {
  const total = w.pages.length;
  w.pages.forEach((page, i) => {
    const size = 8;
    const pageText = drawable(w.regular, t.page(i + 1, total));
    const pageWidth = widthOf(w.regular, pageText, size);
    page.drawLine({ start: { x: LEFT, y: FOOTER_Y + 12 }, end: { x: RIGHT, y: FOOTER_Y + 12 }, thickness: 0.5, color: w.theme.rule });
    page.drawText(truncate(w.regular, left, size, CONTENT_W - pageWidth - 20), { x: LEFT, y: FOOTER_Y, size, font: w.regular.font, color: w.theme.muted });
    page.drawText(pageText, { x: RIGHT - pageWidth, y: FOOTER_Y, size, font: w.regular.font, color: w.theme.muted });
  });
}
