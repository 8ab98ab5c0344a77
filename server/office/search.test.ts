import { describe, expect, it } from "vitest";
import { fold, parseSearch, prefixEnd, searchTerms } from "./search.js";

describe("what a clerk types into the inbox search", () => {
  it.each([
    ["TGH-2026-000123", { kind: "reference", prefix: "TGH-2026-000123" }],
    ["tgh-2026-0001", { kind: "reference", prefix: "TGH-2026-0001" }],
    [" TGH-2026 ", { kind: "reference", prefix: "TGH-2026" }],
    ["123", { kind: "number", number: 123, year: null }],
    ["000123", { kind: "number", number: 123, year: null }],
    ["2026-000123", { kind: "number", number: 123, year: 2026 }],
    ["Müller", { kind: "words", words: ["muller"] }],
    ["anna  MÜLLER-Lüdenscheidt", { kind: "words", words: ["anna", "muller", "ludenscheidt"] }],
    ["Anna-Lena", { kind: "words", words: ["anna", "lena"] }],
    ["anna anna", { kind: "words", words: ["anna"] }],
    ["Yılmaz", { kind: "words", words: ["yilmaz"] }],
    ["Weiß", { kind: "words", words: ["weiss"] }],
    ["---", { kind: "words", words: [] }],
  ])("%j", (q, expected) => {
    expect(parseSearch(q)).toEqual(expected);
  });
});

describe("the terms a submission is found by", () => {
  it("every word of the name, folded and with umlauts spelt out", () => {
    expect(searchTerms("Jürgen Müller (Heimatverein Tangerhütte e. V.)").sort()).toEqual(
      ["jurgen", "juergen", "muller", "mueller", "heimatverein", "tangerhutte", "tangerhuette", "e", "v"].sort(),
    );
  });

  it("an anonymous sender by the parts of the e-mail address", () => {
    expect(searchTerms("anna.becker@example.org").sort()).toEqual(["anna", "becker", "example", "org"]);
  });

  it("each way a clerk may spell a name finds it", () => {
    const terms = searchTerms("Sören Åström-Weiß");
    for (const typed of ["soren", "Sören", "SOEREN", "astrom", "Åström", "weiss", "Weiß"]) {
      const [word] = (parseSearch(typed) as { words: string[] }).words;
      expect(terms.some((t) => t >= word! && t < prefixEnd(word!)), typed).toBe(true);
    }
  });

  it("stays within one statement's parameters however long the name", () => {
    expect(searchTerms(Array.from({ length: 40 }, (_, i) => `Name${i}`).join(" "))).toHaveLength(16);
    expect(fold("x".repeat(100))).toHaveLength(40);
  });
});
