import { describe, expect, it } from "vitest";
import { answerColumns, csvCell, csvHeader, csvRow, repeatGroups } from "./csv.js";
import { nestedForm } from "./test-fixtures.js";

describe("CSV columns", () => {
  it("finds the repeated groups with the JSON paths that lead to them", () => {
    expect(repeatGroups(nestedForm)).toEqual([
      { key: "kinder", chain: ["$.kinder"] },
      { key: "kinder.*.impfungen", chain: ["$.kinder", "$.impfungen"] },
    ]);
  });

  it("has one column per answer: sections and addresses flattened, entries numbered up to the most found", () => {
    const columns = answerColumns(nestedForm, new Map([["kinder", 2], ["kinder.*.impfungen", 1]])).map((c) => c.path);
    expect(columns).toEqual([
      "antragsteller.name",
      "antragsteller.anschrift.street",
      "antragsteller.anschrift.postalCode",
      "antragsteller.anschrift.city",
      "kinder.0.name",
      "kinder.0.impfungen.0.am",
      "kinder.0.nachweis",
      "kinder.1.name",
      "kinder.1.impfungen.0.am",
      "kinder.1.nachweis",
      "wege",
      "einverstanden",
      "betrag",
    ]);
    // No entries in the period: no entry columns.
    expect(answerColumns(nestedForm, new Map()).map((c) => c.path)).not.toContain("kinder.0.name");
  });
});

describe("CSV rows", () => {
  it("write values as stored, files by name, and leave missing answers empty", () => {
    const columns = answerColumns(nestedForm, new Map([["kinder", 2], ["kinder.*.impfungen", 2]]));
    const line = csvRow(
      {
        reference: "TGH-2026-000001",
        submittedAt: Date.UTC(2026, 10, 25, 9),
        status: "received",
        applicant: "Erika Mustermann",
        data: {
          antragsteller: { name: 'Erika "Eri" Mustermann', anschrift: { street: "Lindenallee 17", postalCode: "39517", city: "Tangerhütte" } },
          kinder: [{ name: "Max", impfungen: [{ am: "2025-01-02" }, { am: "2025-03-04" }], nachweis: ["u_aaaaaaaaaaaa", "u_bbbbbbbbbbbb"] }],
          wege: ["post", "mail"],
          einverstanden: true,
          betrag: 12.5,
        },
      },
      columns,
      new Map([["u_aaaaaaaaaaaa", "Impfpass.pdf"]]),
    );
    const cells = line.trimEnd().split('","').map((c) => c.replace(/^"|"$/g, ""));
    const byPath = Object.fromEntries(["reference", "submittedAt", "status", "applicant", ...columns.map((c) => c.path)].map((p, i) => [p, cells[i]]));
    expect(byPath).toMatchObject({
      reference: "TGH-2026-000001",
      submittedAt: "2026-11-25T09:00:00.000Z",
      "antragsteller.name": 'Erika ""Eri"" Mustermann',
      "antragsteller.anschrift.city": "Tangerhütte",
      "kinder.0.impfungen.1.am": "2025-03-04",
      // A file that is not found keeps its id rather than vanishing.
      "kinder.0.nachweis": "Impfpass.pdf; u_bbbbbbbbbbbb",
      "kinder.1.name": "",
      "kinder.1.impfungen.0.am": "",
      wege: "post; mail",
      einverstanden: "true",
      betrag: "12.5",
    });
    expect(line.endsWith("\r\n")).toBe(true);
  });

  it("quote every cell and defuse what a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://x","klick")')).toBe(`"'=HYPERLINK(""http://x"",""klick"")"`);
    for (const start of ["+", "-", "@", "\t", "\r"]) expect(csvCell(`${start}1`)).toBe(`"'${start}1"`);
    expect(csvCell("Zeile 1\nZeile 2, mit Komma")).toBe('"Zeile 1\nZeile 2, mit Komma"');
  });

  it("start with a BOM and the fixed columns", () => {
    expect(csvHeader(answerColumns(nestedForm, new Map())).startsWith('\uFEFF"reference","submittedAt","status","applicant","antragsteller.name"')).toBe(true);
  });
});
