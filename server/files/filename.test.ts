import { describe, expect, it } from "vitest";
import { contentDisposition, maxFileNameLength, safeFileName } from "./filename.js";

describe("safeFileName", () => {
  it.each([
    ["../../etc/passwd", "pdf", "passwd.pdf"],
    ["C:\\Users\\Anna\\Desktop\\Ausweis.jpg", "jpg", "Ausweis.jpg"],
    ["/var/www/../../x.pdf", "pdf", "x.pdf"],
    ["photo.jpg", "png", "photo.png"],
    ["Scan.PDF", "pdf", "Scan.pdf"],
    ["scan.jpeg", "jpg", "scan.jpg"],
    ["Antrag v1.2", "pdf", "Antrag v1.2.pdf"],
    ["bericht.final.docx", "pdf", "bericht.final.pdf"],
    ["Bescheid für Müller – Straße.pdf", "pdf", "Bescheid für Müller – Straße.pdf"],
    ["CON", "pdf", "_CON.pdf"],
    ["con.txt", "pdf", "_con.pdf"],
    ["LPT1.tar.gz", "pdf", "_LPT1.tar.pdf"],
    ["COM¹.png", "png", "_COM¹.png"],
    ["CONSTANZE.pdf", "pdf", "CONSTANZE.pdf"],
    ['"quoted" \'name\' `x`.pdf', "pdf", "quoted name x.pdf"],
    ["a<b>c:d|e?f*g.pdf", "pdf", "a_b_c_d_e_f_g.pdf"],
    ["tab\there\r\nnewline\u0000nul\u007fdel\u0085nel.pdf", "pdf", "tabherenewlinenuldelnel.pdf"],
    ["  ..hidden  ", "gif", "hidden.gif"],
    ["trailing dots... .pdf", "pdf", "trailing dots.pdf"],
    ["many     spaces\u00a0here.pdf", "pdf", "many spaces here.pdf"],
    [undefined, "pdf", "datei.pdf"],
    ["", "webp", "datei.webp"],
    ["../", "pdf", "datei.pdf"],
    ["\u202e\u200b", "pdf", "datei.pdf"],
  ])("%j as %s → %j", (raw, ext, expected) => {
    expect(safeFileName(raw, ext)).toBe(expected);
  });

  it("removes bidi overrides, so `.exe` cannot pose as `.pdf`", () => {
    expect(safeFileName("Rechnung\u202Efdp.exe", "pdf")).toBe("Rechnungfdp.pdf");
    expect(safeFileName("a\u2066b\u2069c\u200fd\u061ce\ufeff.png", "png")).toBe("abcde.png");
  });

  it("composes to NFC and keeps umlauts", () => {
    const decomposed = "Mu\u0308ller.pdf";
    expect(safeFileName(decomposed, "pdf")).toBe("Müller.pdf");
    expect(safeFileName(decomposed, "pdf")).toHaveLength("Müller.pdf".length);
  });

  it("caps the name at 120 characters, extension included, without splitting a character", () => {
    const long = safeFileName(`${"ä".repeat(200)}.pdf`, "pdf");
    expect(Array.from(long)).toHaveLength(maxFileNameLength);
    expect(long.endsWith("ä.pdf")).toBe(true);
    const emoji = safeFileName(`${"😀".repeat(200)}.jpg`, "jpg");
    expect(Array.from(emoji)).toHaveLength(maxFileNameLength);
    expect(emoji).toBe(`${"😀".repeat(116)}.jpg`);
    // Cut where a space was: no trailing space before the extension.
    expect(safeFileName(`${"a".repeat(115)} bcdef`, "pdf")).toBe(`${"a".repeat(115)}.pdf`);
  });

  it("keeps only letters and digits of the extension", () => {
    expect(safeFileName("x", "../PDF")).toBe("x.pdf");
  });
});

describe("contentDisposition", () => {
  it("is an attachment with an ASCII fallback and the UTF-8 name", () => {
    expect(contentDisposition("Bescheid für Müller.pdf")).toBe(`attachment; filename="Bescheid fuer Mueller.pdf"; filename*=UTF-8''Bescheid%20f%C3%BCr%20M%C3%BCller.pdf`);
  });

  it("spells German letters out and drops other accents", () => {
    expect(contentDisposition("Größe Ärger ẞ café.png")).toMatch(/^attachment; filename="Groesse Aerger SS cafe.png";/);
  });

  it("cannot be broken out of: quotes, backslashes and line breaks never reach the header raw", () => {
    const header = contentDisposition('a"b\\c\r\nSet-Cookie: x=1;\'()*.pdf');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(`attachment; filename="a_b_cSet-Cookie: x=1;'()*.pdf"; filename*=UTF-8''a%22b%5CcSet-Cookie%3A%20x%3D1%3B%27%28%29%2A.pdf`);
  });

  it("replaces what has no ASCII spelling in the fallback", () => {
    expect(contentDisposition("申请.pdf")).toBe(`attachment; filename="__.pdf"; filename*=UTF-8''%E7%94%B3%E8%AF%B7.pdf`);
  });
});
