import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CodeListIndex, GenericodeError, optionsFrom, parseGenericode } from "./codelists.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/codelists/${name}`, import.meta.url), "utf8");

describe("parseGenericode", () => {
  it("reads identification, columns, key and rows by ColumnRef", () => {
    const list = parseGenericode(fixture("example_1.xml"), "example_1.xml");
    expect(list).toMatchObject({
      canonicalUri: "urn:de:example",
      version: "1",
      canonicalVersionUri: "urn:de:example_1",
      keyColumns: ["code"],
    });
    expect(list.rows[1]).toEqual({ code: "B", name: "Zweite & letzte Möglichkeit" });
  });

  it("reads values without ColumnRef by position", () => {
    const list = parseGenericode(fixture("geschlecht_3.xml"), "geschlecht_3.xml");
    expect(list.rows).toEqual([
      { Schluessel: "d", Wert: "divers" },
      { Schluessel: "m", Wert: "männlich" },
      { Schluessel: "w", Wert: "weiblich" },
      { Schluessel: "x", Wert: "keine Angabe" },
    ]);
  });

  it("refuses what is not a code list", () => {
    expect(() => parseGenericode("<foo/>", "foo.xml")).toThrow(GenericodeError);
    expect(() => parseGenericode("<CodeList><SimpleCodeList/></CodeList>", "x.xml")).toThrow(/CanonicalUri/);
  });
});

describe("optionsFrom", () => {
  it("takes the code and name columns and skips repeated codes", () => {
    const result = optionsFrom(parseGenericode(fixture("example_1.xml"), "e"));
    expect(result.options).toEqual([
      { code: "A", name: "Erste Möglichkeit" },
      { code: "B", name: "Zweite & letzte Möglichkeit" },
    ]);
    expect(result.skipped).toBe(1);
  });

  it("finds Schlüssel/Wert columns, and follows codeKey/nameKey when given", () => {
    const list = parseGenericode(fixture("geschlecht_3.xml"), "g");
    expect(optionsFrom(list).options[1]).toEqual({ code: "m", name: "männlich" });
    expect(optionsFrom(list, "Wert", "Schluessel").options[1]).toEqual({ code: "männlich", name: "m" });
  });
});

describe("CodeListIndex", () => {
  const index = new CodeListIndex();
  index.add(parseGenericode(fixture("example_1.xml"), "example_1.xml"));
  index.add(parseGenericode(fixture("anschrift-inland-oder-ausland_2020-01-01.xml"), "a.xml"));

  it("finds a list by canonical version URI, or by URI and version", () => {
    expect(index.find({ canonicalVersionUri: "urn:de:example_1" }).list?.source).toBe("example_1.xml");
    expect(index.find({ canonicalUri: "urn:de:example", version: "1" }).list?.source).toBe("example_1.xml");
  });

  it("never substitutes another version", () => {
    const found = index.find({
      canonicalUri: "urn:de:fim:codeliste:anschrift-inland-oder-ausland",
      version: "2021-06-18",
      canonicalVersionUri: "urn:de:fim:codeliste:anschrift-inland-oder-ausland_2021-06-18",
    });
    expect(found).toEqual({ problem: "other-versions", versions: ["2020-01-01"] });
  });

  it("says why nothing was found", () => {
    expect(index.find({})).toEqual({ problem: "no-reference" });
    expect(index.find({ canonicalUri: "urn:de:unknown", version: "1" })).toEqual({ problem: "not-found" });
    expect(new CodeListIndex().find({ canonicalUri: "urn:de:example" })).toEqual({ problem: "none-given" });
  });
});
