import { afterAll, describe, expect, it } from "vitest";
import { pdfText } from "../../tests/support/pdf-text.js";
import type { FormDefinition } from "../forms/definition.js";
import type { ReceiptInput } from "../forms/receipt-pdf.js";
import { workerReceiptRenderer } from "./receipt-renderer.js";

const form: FormDefinition = {
  id: "maengelmelder",
  version: 1,
  source: "town",
  title: { de: "Mängelmelder" },
  category: { de: "Ordnung" },
  access: { anonymous: true },
  steps: [{ id: "meldung", title: { de: "Meldung" }, items: [{ id: "name", type: "text", label: { de: "Ihr Name" } }] }],
};

const input = (name: string): ReceiptInput => ({
  lang: "de",
  town: { officialName: "Einheitsgemeinde Stadt Tangerhütte", name: "Tangerhütte", email: "info@tangerhuette.example", primaryColor: "#1f6f3f" },
  form,
  submission: { reference: "TGH-2026-000042", submittedAt: Date.UTC(2026, 10, 26, 13, 5), data: { name }, uploads: [] },
});

const renderer = workerReceiptRenderer();
afterAll(() => renderer.close());

describe("receipts in a worker thread", () => {
  it("renders with the embedded fonts, so every name prints as typed", { timeout: 60_000 }, async () => {
    const text = await pdfText(await renderer(input("Łukasz Żółć")));
    expect(text).toContain("TGH-2026-000042");
    expect(text).toContain("Łukasz Żółć");
  });

  it("renders receipts asked for at once, each with its own content", { timeout: 60_000 }, async () => {
    const names = ["Anna Ölmez", "Jiří Novák", "Zoë Weiß"];
    const texts = await Promise.all(names.map(async (n) => pdfText(await renderer(input(n)))));
    names.forEach((n, i) => expect(texts[i], texts[i]).toContain(n));
  });

  it("fails a receipt whose input cannot be rendered, and renders the next one", { timeout: 60_000 }, async () => {
    const broken = { ...input("x"), form: { ...form, steps: null } } as unknown as ReceiptInput;
    await expect(renderer(broken)).rejects.toThrow(/receipt PDF/);
    expect(await pdfText(await renderer(input("Nach dem Fehler")))).toContain("Nach dem Fehler");
  });
});
