import { readFileSync } from "node:fs";
import { PDFDocument, PDFName, PDFString } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { pdfText } from "../../tests/support/pdf-text.js";
import { loadReceiptFonts } from "../node/receipt-fonts.js";
import type { FormData, FormDefinition } from "./definition.js";
import { type ReceiptFonts, type ReceiptInput, receiptPdf } from "./receipt-pdf.js";

const form: FormDefinition = {
  id: "hundesteuer",
  version: 3,
  source: "catalog",
  title: { de: "Anmeldung zur Hundesteuer", en: "Dog tax registration" },
  category: { de: "Steuern", en: "Taxes" },
  access: { anonymous: true },
  steps: [
    {
      id: "halterin",
      title: { de: "Halterin/Halter", en: "Dog owner" },
      items: [
        {
          type: "group",
          id: "halter",
          label: { de: "Angaben zur Person", en: "Personal details" },
          items: [
            { type: "text", id: "name", label: { de: "Vor- und Nachname", en: "Full name" } },
            { type: "date", id: "geburtsdatum", label: { de: "Geburtsdatum", en: "Date of birth" } },
            { type: "address", id: "anschrift", label: { de: "Anschrift", en: "Address" } },
            { type: "phone", id: "telefon", label: { de: "Telefonnummer", en: "Phone number" } },
          ],
        },
      ],
    },
    {
      id: "hundedaten",
      title: { de: "Hunde", en: "Dogs" },
      items: [
        { type: "hint", id: "hinweis", text: { de: "Geben Sie jeden Hund einzeln an.", en: "Enter each dog separately." } },
        {
          type: "group",
          id: "hunde",
          label: { de: "Ihre Hunde", en: "Your dogs" },
          repeat: { min: 1, max: 5, itemLabel: { de: "Hund", en: "Dog" } },
          items: [
            { type: "text", id: "name", label: { de: "Name des Hundes", en: "Dog's name" } },
            {
              type: "choice",
              id: "rasse",
              label: { de: "Rasse", en: "Breed" },
              options: [
                { value: "labrador", label: { de: "Labrador Retriever" } },
                { value: "dackel", label: { de: "Dackel", en: "Dachshund" } },
              ],
            },
            { type: "date", id: "haltung_seit", label: { de: "Gehalten seit", en: "Kept since" } },
            { type: "yesno", id: "listenhund", label: { de: "Listenhund", en: "Listed dangerous breed" } },
            {
              type: "file",
              id: "wesenstest",
              label: { de: "Wesenstest", en: "Temperament test" },
              accept: ["application/pdf"],
              when: { field: "listenhund", yes: true },
            },
          ],
        },
      ],
    },
    {
      id: "zahlung",
      title: { de: "Zahlung", en: "Payment" },
      items: [
        { type: "iban", id: "iban", label: { de: "IBAN" } },
        { type: "amount", id: "vorauszahlung", label: { de: "Vorauszahlung", en: "Advance payment" } },
        { type: "text", id: "kontoinhaber", label: { de: "Kontoinhaberin/Kontoinhaber" } },
      ],
    },
    {
      id: "ermaessigung",
      title: { de: "Ermäßigung", en: "Reduction" },
      when: { field: "halter.name", equals: "nobody" },
      items: [{ type: "text", id: "grund", label: { de: "Grund der Ermäßigung" } }],
    },
    {
      id: "erklaerung",
      title: { de: "Erklärung", en: "Declaration" },
      items: [
        { type: "textarea", id: "bemerkungen", label: { de: "Bemerkungen", en: "Remarks" } },
        { type: "file", id: "haftpflicht", label: { de: "Nachweis der Haftpflichtversicherung", en: "Liability insurance" }, accept: ["application/pdf"] },
        {
          type: "consent",
          id: "richtigkeit",
          label: {
            de: "Ich versichere die Richtigkeit und Vollständigkeit meiner Angaben. Änderungen (Abgabe, Tod oder Wegzug des Hundes) melde ich innerhalb von zwei Wochen.",
            en: "I confirm that my details are correct and complete.",
          },
        },
      ],
    },
  ],
};

function data(name = "Łukasz Żółć"): FormData {
  return {
    halter: {
      name,
      geburtsdatum: "1985-07-09",
      anschrift: { street: "Hauptstraße 5", postalCode: "39517", city: "Tangerhütte" },
    },
    hunde: [
      { name: "Bello", rasse: "labrador", haltung_seit: "2026-04-01", listenhund: true, wesenstest: ["up-wesen"] },
      { name: "Waldi", rasse: "dackel", haltung_seit: "2025-12-24", listenhund: false },
    ],
    iban: "de89370400440532013000",
    vorauszahlung: 1234.5,
    kontoinhaber: "",
    bemerkungen: "Bello ist sehr freundlich.\nWaldi bellt manchmal.",
    haftpflicht: ["up-haft"],
    richtigkeit: true,
  };
}

const uploads = [
  { id: "up-wesen", name: "wesenstest-bello.pdf", size: 245_000, mediaType: "application/pdf" },
  { id: "up-haft", name: "haftpflicht.pdf", size: 1_300_000, mediaType: "application/pdf" },
];

// 26.11.2026 13:05 UTC is 14:05 in Berlin (CET, UTC+1).
const submittedAt = Date.UTC(2026, 10, 26, 13, 5);

function input(overrides: { lang?: "de" | "en"; data?: FormData; logoPng?: Uint8Array | null; submittedAt?: number } = {}): ReceiptInput {
  return {
    lang: overrides.lang ?? "de",
    town: {
      officialName: "Einheitsgemeinde Stadt Tangerhütte",
      name: "Tangerhütte",
      address: "Bahnhofstraße 2, 39517 Tangerhütte",
      email: "buergerbuero@tangerhuette.example",
      phone: "03935 9300-0",
      website: "https://tangerhuette.example",
      logoPng: overrides.logoPng ?? null,
      primaryColor: "#1f6f3f",
    },
    form,
    submission: {
      reference: "TGH-2026-000123",
      submittedAt: overrides.submittedAt ?? submittedAt,
      data: overrides.data ?? data(),
      uploads,
      sender: { name: "Łukasz Żółć", email: "lukasz@example.org" },
    },
  };
}

/** One expectation per part, so that a failure names the part missing from `text`. */
function expectToContainEach(text: string, parts: string[]): void {
  for (const part of parts) expect(text).toContain(part);
}

let fonts: ReceiptFonts;
beforeAll(async () => {
  fonts = await loadReceiptFonts();
});

describe("receiptPdf with DejaVu fonts", () => {
  let text: string;
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = await receiptPdf(input(), fonts);
    text = await pdfText(bytes);
  });

  it("heads the receipt with the town, the title, the reference and the Berlin time of receipt", () => {
    expectToContainEach(text, ["Einheitsgemeinde Stadt Tangerhütte", "Bahnhofstraße 2, 39517 Tangerhütte", "Eingangsbestätigung", "Anmeldung zur Hundesteuer", "TGH-2026-000123", "26.11.2026, 14:05 Uhr"]);
    expect(text).toMatch(/Absender Łukasz Żółć\nlukasz@example\.org/);
  });

  it("prints every answer in form order with its label, formatted for people", () => {
    const lines = text.split("\n");
    const expected = [
      "Halterin/Halter",
      "Angaben zur Person",
      "Vor- und Nachname Łukasz Żółć",
      "Geburtsdatum 09.07.1985",
      "Anschrift Hauptstraße 5",
      "39517 Tangerhütte",
      "Hunde",
      "Ihre Hunde",
      "Hund 1",
      "Name des Hundes Bello",
      "Rasse Labrador Retriever",
      "Gehalten seit 01.04.2026",
      "Listenhund Ja",
      "Wesenstest wesenstest-bello.pdf (239 KB)",
      "Hund 2",
      "Name des Hundes Waldi",
      "Rasse Dackel",
      "Gehalten seit 24.12.2025",
      "Listenhund Nein",
      "Zahlung",
      "IBAN DE89 3704 0044 0532 0130 00",
      "Vorauszahlung 1.234,50 €",
      "Erklärung",
      "Bemerkungen Bello ist sehr freundlich.",
      "Waldi bellt manchmal.",
      // A long label wraps in its column.
      "Nachweis der haftpflicht.pdf (1,2 MB)",
      "Haftpflichtversicherung",
      "Bestätigt",
      "Beigefügte Dateien",
      "wesenstest-bello.pdf 239 KB · PDF",
      "haftpflicht.pdf 1,2 MB · PDF",
    ];
    let from = 0;
    for (const line of expected) {
      const at = lines.indexOf(line, from);
      expect(at, `"${line}" after line ${from}`).toBeGreaterThanOrEqual(from);
      from = at + 1;
    }
    // The long declaration is printed whole (wrapped), above its answer.
    expect(text.replace(/\n/g, " ")).toContain("Ich versichere die Richtigkeit und Vollständigkeit meiner Angaben.");
  });

  it("leaves out hints, hidden steps, absent and empty answers", () => {
    for (const absent of ["Geben Sie jeden Hund einzeln an", "Ermäßigung", "Telefonnummer", "Kontoinhaberin"]) expect(text).not.toContain(absent);
    // Only Bello has a temperament test.
    expect(text.match(/Wesenstest/g)).toHaveLength(1);
  });

  it("closes with the note to keep it and numbers its pages", () => {
    expect(text).toContain("Bitte bewahren Sie diese Bestätigung auf. Ihr Aktenzeichen: TGH-2026-000123");
    const total = Number(/Seite 1 von (\d+)/.exec(text)?.[1]);
    expect(total).toBeGreaterThanOrEqual(1);
    expect(text.trimEnd().endsWith(`Seite ${total} von ${total}`)).toBe(true);
  });

  it("embeds subsets of the fonts, so the file stays small", () => {
    expect(bytes.length).toBeLessThan(80_000);
  });

  it("keeps Polish, Turkish, Czech and Cyrillic letters as typed", async () => {
    const names = await pdfText(await receiptPdf(input({ data: data("Şükrü Yılmaz, Jiří Dvořák, Иван Петров") }), fonts));
    expect(names).toContain("Vor- und Nachname Şükrü Yılmaz, Jiří Dvořák, Иван Петров");
  });

  it("sets title, author, language and the creation date from the submission, and gives the same bytes again", async () => {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getTitle()).toBe("Eingangsbestätigung TGH-2026-000123: Anmeldung zur Hundesteuer");
    expect(doc.getAuthor()).toBe("Einheitsgemeinde Stadt Tangerhütte");
    expect(doc.getCreationDate()?.getTime()).toBe(submittedAt);
    const lang = doc.catalog.get(PDFName.of("Lang"));
    expect(lang instanceof PDFString ? lang.decodeText() : String(lang)).toBe("de-DE");
    expect(Buffer.from(await receiptPdf(input(), fonts)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe("receiptPdf without fonts (Helvetica)", () => {
  // ó and ü are WinAnsi letters and stay; Ł, Ż, ć, Ş, ı are not and lose their marks.
  it("prints German correctly and other letters without their accents", async () => {
    const text = await pdfText(await receiptPdf(input({ data: data("Łukasz Żółć, Şükrü Yılmaz, Иван") }), null));
    expectToContainEach(text, ["Eingangsbestätigung", "Anschrift Hauptstraße 5", "Vorauszahlung 1.234,50 €", "Vor- und Nachname Lukasz Zólc, Sükrü Yilmaz, ????"]);
    expect(text).toMatch(/Absender Lukasz Zólc\n/);
    expect(text).not.toMatch(/[ŁŻłżćŞşı]/);
  });
});

describe("receiptPdf layout", () => {
  it("breaks a long form over pages with a running header and numbered footers", async () => {
    const long = data();
    long.hunde = Array.from({ length: 5 }, (_, i) => ({ name: `Hund Nummer ${i + 1}`, rasse: "dackel", haltung_seit: "2026-01-15", listenhund: false }));
    const paragraphs = Array.from({ length: 60 }, (_, i) => `Absatz ${i + 1}: Der Hund wird tagsüber im Garten gehalten und nachts im Haus, er ist gut erzogen und verträglich.`);
    long.bemerkungen = paragraphs.join("\n");
    const text = await pdfText(await receiptPdf(input({ data: long }), fonts));
    const total = Number(/Seite 1 von (\d+)/.exec(text)?.[1]);
    expect(total).toBeGreaterThanOrEqual(3);
    for (let n = 2; n <= total; n++) {
      expect(text).toContain(`Seite ${n} von ${total}`);
    }
    // Running header on the following pages, above everything else on them.
    expect(text.match(/Einheitsgemeinde Stadt Tangerhütte Eingangsbestätigung · TGH-2026-000123/g)).toHaveLength(total - 1);
    // Nothing of the long text is lost at the breaks.
    for (let i = 1; i <= 60; i++) expect(text).toContain(`Absatz ${i}:`);
    // The remarks go on over a break; the next page names what they answer.
    expect(text).toMatch(/\nBemerkungen \(Fortsetzung\) Absatz \d+:/);
    expect(text).toContain("Hund 5");
    expect(text).toContain("Ihr Aktenzeichen: TGH-2026-000123");
  });

  it("draws the town's logo when given, and still builds the receipt when the logo is broken", async () => {
    const png = new Uint8Array(readFileSync(new URL("../../tenants/tangerhuette/logo.png", import.meta.url)));
    const withLogo = await PDFDocument.load(await receiptPdf(input({ logoPng: png }), null));
    const xObjects = withLogo.getPage(0).node.Resources()?.lookup(PDFName.of("XObject"));
    expect(xObjects?.toString()).toMatch(/\/Image/);
    const broken = await receiptPdf(input({ logoPng: new Uint8Array([1, 2, 3]) }), null);
    expect(await pdfText(broken)).toContain("TGH-2026-000123");
  });

  it("shows summer time in Berlin as UTC+2", async () => {
    const text = await pdfText(await receiptPdf(input({ submittedAt: Date.UTC(2026, 6, 1, 22, 30) }), null));
    expect(text).toContain("02.07.2026, 00:30 Uhr");
  });
});

describe("receiptPdf in English", () => {
  it("uses the English texts and labels, falling back to German where the town wrote none", async () => {
    const text = await pdfText(await receiptPdf(input({ lang: "en" }), fonts));
    expectToContainEach(text, [
      "Receipt",
      "Dog tax registration",
      "Reference number",
      "26 November 2026 at 14:05",
      "Dog 1",
      "Breed Labrador Retriever",
      "Breed Dachshund",
      "Listed dangerous breed Yes",
      "Listed dangerous breed No",
      "Advance payment €1,234.50",
      "Confirmed",
      "Please keep this receipt. Your reference number: TGH-2026-000123",
    ]);
    expect(text).toMatch(/Page 1 of \d/);
    expect(text).not.toContain("Eingangsbestätigung");
  });
});
