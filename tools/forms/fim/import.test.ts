import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Field, FormFile, GroupItem, Item } from "../../../server/forms/definition.js";
import { parseFormFile } from "../../../server/forms/definition-schema.js";
import { CodeListIndex, parseGenericode } from "./codelists.js";
import { FimImportError, importFim, type ImportResult } from "./import.js";
import { renderReport } from "./report.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

function codeLists(...names: string[]): CodeListIndex {
  const index = new CodeListIndex();
  for (const name of names) index.add(parseGenericode(fixture(`codelists/${name}`), name));
  return index;
}

/** Every item with its dot path, in document order. */
function items(form: FormFile): Array<{ item: Item; path: string; step: string }> {
  const out: Array<{ item: Item; path: string; step: string }> = [];
  const walk = (list: Item[], base: string, step: string) => {
    for (const item of list) {
      const path = base ? `${base}.${item.id}` : item.id;
      out.push({ item, path, step });
      if (item.type === "group") walk(item.items, path, step);
    }
  };
  for (const s of form.steps) walk(s.items, "", s.id);
  return out;
}

const fields = (form: FormFile) =>
  items(form).filter((x): x is { item: Field; path: string; step: string } => x.item.type !== "group" && x.item.type !== "hint");

function at(form: FormFile, step: string, path: string): Item {
  const found = items(form).find((x) => x.step === step && x.path === path);
  if (!found) throw new Error(`no item ${step}: ${path}`);
  return found.item;
}

/** The form passes the sync's check; returns what the check returns. */
function valid(result: ImportResult): FormFile {
  return parseFormFile(JSON.stringify(result.form), "test.json");
}

describe("each sample imports into a valid form", () => {
  it.each(["S00000246v1.1_xdf2.xml", "xdf2-select.xml", "xdf3-simple.xml", "xdf3-input.xml", "xdf3-types.xml"])("%s", (name) => {
    const result = importFim(fixture(name), { sourceName: name });
    expect(() => valid(result)).not.toThrow();
    expect(result.report.source.file).toBe(name);
  });

  it("xdf2-rule.xml (a rule, no fields) is refused with a reason, not turned into an empty form", () => {
    expect(() => importFim(fixture("xdf2-rule.xml"))).toThrow(FimImportError);
    expect(() => importFim(fixture("xdf2-rule.xml"))).toThrow(/keine Datenfelder.*1 rules/);
  });

  it("refuses files that are not XDatenfelder", () => {
    expect(() => importFim(`<x:r xmlns:x="urn:other"/>`)).toThrow(/Not an XDatenfelder/);
    expect(() => importFim(fixture("codelists/example_1.xml"))).toThrow(/Not an XDatenfelder/);
  });
});

describe("S00000246 (XDatenfelder 2, a federal schema)", () => {
  const xml = fixture("S00000246v1.1_xdf2.xml");
  const plain = importFim(xml);
  const form = plain.form;

  it("keeps every field of the XML: 134 fields, 12 selects, 58 files", () => {
    // Counted in the XML itself, independently of the reader.
    const xmlFields = xml.match(/<xdf:datenfeld>/g)!.length;
    const xmlSelects = xml.match(/<xdf:feldart[^>]*><code>select<\/code>/g)!.length;
    const xmlFiles = xml.match(/<xdf:datentyp[^>]*><code>file<\/code>/g)!.length;
    expect([xmlFields, xmlSelects, xmlFiles]).toEqual([134, 12, 58]);

    const all = fields(form);
    expect(all).toHaveLength(xmlFields);
    expect(all.filter((f) => f.item.type === "file")).toHaveLength(xmlFiles);
    const xmlIds = new Set([...xml.matchAll(/<xdf:datenfeld><xdf:identifikation><xdf:id>(F\d+)<\/xdf:id><xdf:version>([\d.]+)</g)].map((m) => `${m[1]}V${m[2]}`));
    expect(new Set(all.map((f) => f.item.fim))).toEqual(xmlIds);
    expect(plain.report.counts.fim).toMatchObject({ fields: 134, files: 58, byFeldart: { input: 122, select: 12 } });

    // Without code lists each select is a text field with a warning of its own.
    const unresolved = plain.report.warnings.filter((w) => w.de.startsWith("Auswahlliste nicht aufgelöst"));
    expect(unresolved).toHaveLength(xmlSelects);
    for (const w of unresolved) expect(at(form, w.step!, w.path!).type).toBe("text");
  });

  it("turns the top-level groups into steps", () => {
    expect(form.steps.map((s) => [s.id, s.title.de])).toEqual([
      ["gesetzlicher_vertreter_bevollmaechtigter", "Gesetzliche Vertretung / Bevollmächtigung"],
      ["antragsteller_aufenthaltserlaubnis", "Persönliche Daten der antragstellenden Person"],
      ["generelle_nachweise_aufenthaltserlaubnis", "Generelle Nachweise"],
      ["spezifische_nachweise", "Angaben zur Verlängerung einer Aufenthaltserlaubnis zum Zweck der Erwerbstätigkeit"],
    ]);
    expect(form).toMatchObject({
      title: { de: "Antrag auf Verlängerung einer Aufenthaltserlaubnis zum Zweck der Erwerbstätigkeit" },
      category: { de: "Allgemein" },
      access: { anonymous: false },
    });
    expect(form.leika).toBeUndefined();
    expect(form.summary).toBeUndefined();
    expect(plain.suggestedId).toBe("antrag-aufenthaltserlaubnis-zum-zweck-der-erwerbstaetigkeit");
  });

  it("maps cardinalities", () => {
    const step2 = "antragsteller_aufenthaltserlaubnis";
    // 1:1 and 0:1 in a mandatory group
    expect(at(form, step2, "familienname")).toMatchObject({ type: "text", required: true, minLength: 1, maxLength: 120, fim: "F60000227V1.1" });
    expect(at(form, step2, "geburtsname")).not.toHaveProperty("required");
    // nested 1:1 group → section; a 1:1 field in it stays required
    expect(at(form, step2, "geburtsdatum_teilbekannt")).toMatchObject({ type: "group", fim: "G60000083V2.0" });
    expect(at(form, step2, "geburtsdatum_teilbekannt")).not.toHaveProperty("repeat");
    expect(at(form, step2, "geburtsdatum_teilbekannt.jahr")).toMatchObject({ type: "integer", required: true, min: 1850, max: 2080 });
    // 1:* text (unresolved select) → a repeated group of one required field
    expect(at(form, step2, "staatsangehoerigkeit")).toMatchObject({ type: "group", repeat: { min: 1, max: 20 } });
    expect(at(form, step2, "staatsangehoerigkeit.staatsangehoerigkeit")).toMatchObject({ type: "text", required: true, fim: "F60000236V1.4" });
    // 2:5 inside an optional group: the entries are no longer required, the maximum stays
    expect(at(form, step2, "anschrift_inland_oder_ausland_mit_frage.anschrift_ausland.anschriftzone.zeileanschrift")).toMatchObject({
      type: "group",
      repeat: { min: 0, max: 5 },
    });
    // files: 1:* → required, at most 10; 0:* → optional
    expect(at(form, "generelle_nachweise_aufenthaltserlaubnis", "identitaetsnachweis")).toMatchObject({
      type: "file",
      required: true,
      maxFiles: 10,
      accept: ["application/pdf", "image/jpeg", "image/png"],
    });
    const vollmacht = at(form, "gesetzlicher_vertreter_bevollmaechtigter", "vollmacht");
    expect(vollmacht).toMatchObject({ type: "file", maxFiles: 10 });
    expect(vollmacht).not.toHaveProperty("required");
  });

  it("imports FIM-mandatory fields inside optional groups as optional and says so per group", () => {
    const strasse = at(form, "antragsteller_aufenthaltserlaubnis", "anschrift_inland_oder_ausland_mit_frage.anschrift_inland.anschrift_inland_strassenanschrift.strasse");
    expect(strasse).toMatchObject({ type: "text", fim: "F60000243V1.2" });
    expect(strasse).not.toHaveProperty("required");
    const warning = plain.report.warnings.find(
      (w) => w.step === "antragsteller_aufenthaltserlaubnis" && w.path === "anschrift_inland_oder_ausland_mit_frage.anschrift_inland.anschrift_inland_strassenanschrift",
    );
    expect(warning?.de).toContain("Gruppe optional (Anzahl 0:1): 3 darin verlangte Angabe(n) nicht als Pflicht übernommen (Straße, Postleitzahl, Ort)");
    // The whole first step is an optional group: its question is not required either.
    expect(at(form, "gesetzlicher_vertreter_bevollmaechtigter", "vertretung_durch_gesetzlichen_vertreter")).not.toHaveProperty("required");
  });

  it("gives root items ids unique across steps, and sibling ids unique within a group", () => {
    const roots = form.steps.flatMap((s) => s.items.map((i) => i.id));
    expect(new Set(roots).size).toBe(roots.length);
    const nachweise = (at(form, "spezifische_nachweise", "fachkraft_mit_akademischer_ausbildung") as GroupItem).items.map((i) => i.id);
    expect(new Set(nachweise).size).toBe(nachweise.length);
    for (const { item } of items(form)) expect(item.id).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
  });

  it("keeps the XSD pattern and its German/English message", () => {
    const plz = at(form, "antragsteller_aufenthaltserlaubnis", "anschrift_inland_oder_ausland_mit_frage.anschrift_inland.anschrift_inland_strassenanschrift.postleitzahl");
    expect(plz).toMatchObject({
      type: "text",
      minLength: 5,
      maxLength: 5,
      pattern: { regex: "([0]{1}[1-9]{1}|[1-9]{1}[0-9]{1})[0-9]{3}", message: { de: "Bitte prüfen Sie das Format.", en: "Please check the format." } },
    });
    // maxLength 1000 → textarea
    expect(at(form, "gesetzlicher_vertreter_bevollmaechtigter", "gesetzlicher_vertreter_juristische.eingetragener_name_organisationsname")).toMatchObject({
      type: "textarea",
      maxLength: 1000,
    });
  });

  it("resolves code lists given, and replaces only the others by text fields", () => {
    const result = importFim(xml, { codeLists: codeLists("geschlecht_3.xml", "anschrift-inland-oder-ausland_2020-01-01.xml") });
    valid(result);
    expect(at(result.form, "antragsteller_aufenthaltserlaubnis", "geschlecht")).toMatchObject({
      type: "choice",
      required: true,
      fim: "F60000332V1.3",
      options: [
        { value: "d", label: { de: "divers" } },
        { value: "m", label: { de: "männlich" } },
        { value: "w", label: { de: "weiblich" } },
        { value: "x", label: { de: "keine Angabe" } },
      ],
    });
    const unresolved = result.report.warnings.filter((w) => w.de.startsWith("Auswahlliste nicht aufgelöst"));
    expect(unresolved).toHaveLength(11);
    // The address list is at hand only in another version: not used, and the report says which.
    const anschrift = unresolved.filter((w) => w.fimId === "F60000263");
    expect(anschrift).toHaveLength(3);
    expect(anschrift[0]!.de).toContain("nur andere Versionen vorhanden: 2020-01-01");
    expect(at(result.form, anschrift[0]!.step!, anschrift[0]!.path!).type).toBe("text");
  });

  it("lists every prose rule in the report, with the elements it belongs to and where they are", () => {
    const xmlRules = new Set(xml.match(/<xdf:regel><xdf:identifikation><xdf:id>(R\d+)/g)!.map((m) => m.slice(-9)));
    expect(plain.report.rules.map((r) => r.id).sort()).toEqual([...xmlRules].sort());
    expect(plain.report.rules).toHaveLength(34);

    const rule = plain.report.rules.find((r) => r.id === "R60000048")!;
    expect(rule).toMatchObject({ version: "1.1", name: "Augenfarbe Person Freitext" });
    expect(rule.text).toContain('Wenn das Feld F60000281 "Augenfarbe Person" = 98 "Sonstige"');
    expect(rule.text).toContain("<> 98"); // entities decoded
    expect(rule.attachedTo).toEqual([
      { fimId: "G60000144", name: "Augenfarbe Person", places: [{ step: "antragsteller_aufenthaltserlaubnis", path: "augenfarbe_person" }] },
    ]);
    expect(rule.mentions.map((m) => [m.fimId, m.places.map((p) => p.path)])).toEqual([
      ["F60000281", ["augenfarbe_person.augenfarbe_person"]],
      ["F60000355", ["augenfarbe_person.augenfarbe_person_freitext"]],
    ]);
    // Nothing is guessed: no conditions in the form.
    expect(JSON.stringify(form)).not.toContain('"when"');

    const markdown = renderReport(plain.report);
    expect(markdown).toContain("### R60000048 v1.1: Augenfarbe Person Freitext");
    expect(markdown).toContain('> Wenn das Feld F60000281 "Augenfarbe Person" = 98 "Sonstige"');
    expect(markdown).toContain("`antragsteller_aufenthaltserlaubnis: augenfarbe_person.augenfarbe_person_freitext`");
    expect(markdown).not.toContain("function script()");
  });

  it("scopes a rule's mentions to the element it is attached to", () => {
    // R60000050 sits on the representative's contact groups; F60000240 also occurs in the applicant's.
    const rule = plain.report.rules.find((r) => r.id === "R60000050")!;
    const telefon = rule.mentions.find((m) => m.fimId === "F60000240")!;
    expect(telefon.places.length).toBe(3);
    expect(telefon.places.every((p) => p.step === "gesetzlicher_vertreter_bevollmaechtigter")).toBe(true);
  });
});

describe("XDatenfelder 2 reference cases", () => {
  it("xdf2-select: resolves the referenced genericode list", () => {
    const result = importFim(fixture("xdf2-select.xml"), { codeLists: codeLists("example_1.xml") });
    valid(result);
    const [step] = result.form.steps;
    expect(step).toMatchObject({ id: "angaben", title: { de: "Angaben" } });
    expect(step!.items).toEqual([
      {
        id: "hinweis",
        type: "choice",
        label: { de: "Hinweis" },
        required: true,
        options: [
          { value: "A", label: { de: "Erste Möglichkeit" } },
          { value: "B", label: { de: "Zweite & letzte Möglichkeit" } },
        ],
      },
    ]);
    expect(result.form.summary).toEqual({ de: "Eine Beschreibung" });
    const de = result.report.warnings.map((w) => w.de);
    expect(de).toContain("1 Zeile(n) der Codeliste ohne oder mit doppeltem Code übersprungen.");
    // "F123" is no FIM id format the form accepts: dropped, with a warning.
    expect(de.some((d) => d.startsWith("FIM-Kennung „F123“ passt nicht"))).toBe(true);
  });

  it("xdf2-select without the list: a text field in its place and a warning naming the list", () => {
    const result = importFim(fixture("xdf2-select.xml"));
    expect(result.form.steps[0]!.items[0]).toMatchObject({ id: "hinweis", type: "text", required: true });
    const warning = result.report.warnings.find((w) => w.de.startsWith("Auswahlliste nicht aufgelöst"));
    expect(warning).toMatchObject({ step: "angaben", path: "hinweis", fimId: "F123" });
    expect(warning!.de).toContain("urn:de:example_1");
    expect(warning!.en).toContain("a text field instead");
  });
});

describe("XDatenfelder 3", () => {
  it("xdf3-simple: the root group's children become the steps; its rule is in the report", () => {
    const result = importFim(fixture("xdf3-simple.xml"));
    const form = valid(result);
    expect(form.title).toEqual({ de: "Anschrift in Deutschland" });
    expect(form.steps.map((s) => s.id)).toEqual(["anschrift_inland_strassenanschrift"]);
    expect(at(form, "anschrift_inland_strassenanschrift", "strasse")).toMatchObject({
      type: "text",
      label: { de: "Straße" },
      help: { de: "Geben Sie an, wie die Straße heißt." },
      minLength: 1,
      maxLength: 55,
    });
    // XDF3's 11-digit ids do not fit the form's FIM id format.
    expect(at(form, "anschrift_inland_strassenanschrift", "strasse")).not.toHaveProperty("fim");
    expect(result.report.warnings.some((w) => w.de.startsWith("FIM-Kennung „F60000000243“"))).toBe(true);
    expect(result.report.rules).toHaveLength(1);
    expect(result.report.rules[0]).toMatchObject({ id: "R60000000019", script: "some script content" });
    expect(result.report.rules[0]!.text).toMatch(/^Es muss entweder Feldgruppe G60000086/);
    expect(result.report.rules[0]!.attachedTo.map((a) => a.fimId).sort()).toEqual(["(Formular / form)", "F60000000243"]);
  });

  it("xdf3-input: a select without values or list becomes a text field with a warning", () => {
    const result = importFim(fixture("xdf3-input.xml"), { codeLists: codeLists("example_1.xml") });
    valid(result);
    expect(result.form.steps[0]!.items[0]).toMatchObject({ id: "strasse", type: "text" });
    expect(result.report.warnings.find((w) => w.path === "strasse" && w.de.startsWith("Auswahlliste"))!.de).toContain("keine Codeliste referenziert");
    expect(result.report.warnings.some((w) => w.de === "Vorbelegung „Some Content“ nicht übernommen.")).toBe(true);
  });

  describe("xdf3-types: every datentyp and feldart", () => {
    const result = importFim(fixture("xdf3-types.xml"), { category: "Hunde" });
    const form = result.form;
    const warned = (path: string) => result.report.warnings.filter((w) => w.path === path).map((w) => w.de);

    it("takes title, category, summary and the LeiKa key", () => {
      valid(result);
      expect(form).toMatchObject({
        title: { de: "Hund anmelden" },
        category: { de: "Hunde" },
        summary: { de: "Testschema mit allen Datentypen." },
        leika: "99108012001000",
      });
      expect(result.suggestedId).toBe("anmeldung-hund-halter");
    });

    it("puts top-level fields in a first step Angaben, and a group's help in a hint", () => {
      expect(form.steps.map((s) => s.id)).toEqual(["angaben", "hund", "halter"]);
      expect(form.steps[0]!.items.map((i) => i.id)).toEqual(["aktenzeichen"]);
      expect(form.steps[1]!.items[0]).toEqual({ type: "hint", id: "hund_hinweis", text: { de: "Ein Hund je Antrag." } });
    });

    it("maps text constraints and drops a pattern JavaScript cannot compile", () => {
      expect(at(form, "angaben", "aktenzeichen")).toMatchObject({
        type: "text",
        minLength: 3,
        maxLength: 20,
        pattern: { regex: "[A-Z]{2}-[0-9]+" },
      });
      const name = at(form, "hund", "name_des_hundes");
      expect(name).toMatchObject({ type: "textarea", maxLength: 400 });
      expect(name).not.toHaveProperty("pattern");
      expect(warned("name_des_hundes").some((d) => d.startsWith("Muster ist in JavaScript (Flag u) ungültig"))).toBe(true);
      expect(warned("name_des_hundes").some((d) => d.includes("text_latin"))).toBe(true);
    });

    it("maps label, select with inline values, date, bool, currency, time and datetime", () => {
      expect(at(form, "hund", "hinweis_hund")).toEqual({
        type: "hint",
        id: "hinweis_hund",
        text: { de: "Hunde müssen binnen zwei Wochen angemeldet werden." },
      });
      expect(at(form, "hund", "rasse")).toMatchObject({
        type: "choice",
        required: true,
        help: { de: "Wählen Sie die Rasse." },
        options: [
          { value: "M", label: { de: "Mischling" } },
          { value: "L", label: { de: "Listenhund" } },
          { value: "S", label: { de: "Sonstige" } },
        ],
      });
      const birth = at(form, "hund", "geburtsdatum_hund");
      expect(birth).toMatchObject({ type: "date", min: "2000-01-01" });
      expect(birth).not.toHaveProperty("max"); // 2099-02-30 is no date
      expect(at(form, "hund", "gechipt")).toMatchObject({ type: "yesno" });
      expect(at(form, "hund", "kaufpreis")).toMatchObject({ type: "amount", min: 0, max: 10000.5 });
      expect(at(form, "hund", "uhrzeit_uebergabe")).toMatchObject({ type: "time", min: "08:00", max: "18:30" });
      expect(at(form, "hund", "zeitpunkt_aufnahme")).toMatchObject({ type: "date" });
      expect(warned("zeitpunkt_aufnahme")).toEqual(["Datum mit Uhrzeit (datetime) wird als Datum ohne Uhrzeit abgefragt."]);
    });

    it("maps files: accepted media types, size in kilobytes capped at 25 MB, 0:3 → three files", () => {
      expect(at(form, "hund", "nachweis")).toEqual({
        id: "nachweis",
        type: "file",
        label: { de: "Nachweis" },
        fim: "F99000010V1.0",
        accept: ["application/pdf"],
        maxSize: 2048 * 1024,
        maxFiles: 3,
      });
      expect(warned("nachweis").some((d) => d.includes("application/msword"))).toBe(true);
      expect(at(form, "hund", "foto")).toMatchObject({ type: "file", required: true, maxSize: 25 * 1024 * 1024, accept: ["application/pdf", "image/jpeg", "image/png"] });
      expect(at(form, "hund", "foto")).not.toHaveProperty("maxFiles");
    });

    it("skips hidden fields with a warning", () => {
      expect(JSON.stringify(form)).not.toContain("F99000012");
      expect(result.report.warnings.some((w) => w.fimId === "F99000012" && w.de.startsWith("Feldart hidden"))).toBe(true);
    });

    it("repeats a 1:3 group inside its step; 1:n field → repeated group; 0:2 select → multichoice", () => {
      const halter = at(form, "halter", "halter") as GroupItem;
      expect(halter).toMatchObject({ type: "group", fim: "G99000002V1.0", repeat: { min: 1, max: 3, itemLabel: { de: "Halterin oder Halter" } } });
      expect(at(form, "halter", "halter.name")).toMatchObject({ type: "text", required: true });
      expect(at(form, "halter", "halter.telefon")).toMatchObject({ type: "group", repeat: { min: 1, max: 20 } });
      expect(at(form, "halter", "halter.telefon.telefon")).toMatchObject({ type: "text", required: true, fim: "F99000014V1.0" });
      const rolle = at(form, "halter", "halter.rolle");
      expect(rolle).toMatchObject({ type: "multichoice", maxItems: 2 });
      expect(rolle).not.toHaveProperty("required");
    });

    it("reports the rule with the field it mentions", () => {
      expect(result.report.rules).toEqual([
        expect.objectContaining({
          id: "R99000001",
          name: "Listenhund braucht Nachweis",
          attachedTo: [{ fimId: "(Formular / form)", name: "", places: [] }],
          mentions: [
            { fimId: "F99000004", name: "Rasse", places: [{ step: "hund", path: "rasse" }] },
            { fimId: "F99000010", name: "Nachweis", places: [{ step: "hund", path: "nachweis" }] },
          ],
        }),
      ]);
    });
  });
});

describe("cardinalities and limits on a synthetic schema", () => {
  const schema = (struktur: string) => `<?xml version="1.0"?>
<xdf:xdatenfelder.stammdatenschema.0102 xmlns:xdf="urn:xoev-de:fim:standard:xdatenfelder_2">
<xdf:stammdatenschema><xdf:identifikation><xdf:id>S1</xdf:id></xdf:identifikation><xdf:name>T</xdf:name>${struktur}</xdf:stammdatenschema>
</xdf:xdatenfelder.stammdatenschema.0102>`;
  const field = (anzahl: string, name: string, datentyp = "text", praezisierung = "") =>
    `<xdf:struktur><xdf:anzahl>${anzahl}</xdf:anzahl><xdf:enthaelt><xdf:datenfeld><xdf:identifikation><xdf:id>F12345678</xdf:id></xdf:identifikation><xdf:name>${name}</xdf:name><xdf:feldart><code>input</code></xdf:feldart><xdf:datentyp><code>${datentyp}</code></xdf:datentyp><xdf:praezisierung>${praezisierung}</xdf:praezisierung></xdf:datenfeld></xdf:enthaelt></xdf:struktur>`;

  it("caps repetition at 20 entries and 10 files, and says so for explicit larger maxima", () => {
    const result = importFim(schema(field("3:50", "Zeile") + field("1:12", "Anlage", "file") + field("0:0", "Nie")));
    const form = valid(result);
    expect(at(form, "angaben", "zeile")).toMatchObject({ type: "group", repeat: { min: 3, max: 20 } });
    expect(at(form, "angaben", "anlage")).toMatchObject({ type: "file", required: true, maxFiles: 10 });
    const de = result.report.warnings.map((w) => w.de);
    expect(de).toContain("Anzahl 3:50: höchstens 20 Einträge übernommen.");
    expect(de).toContain("Anzahl 1:12: höchstens 10 Dateien möglich.");
    expect(de).toContain("Feld mit Anzahl 0:0 übersprungen.");
    expect(JSON.stringify(form)).not.toContain("nie");
  });

  it("warns about an unreadable cardinality and unreadable XDF2 constraints", () => {
    const result = importFim(schema(field("viele", "Zeile", "text", "max 10 Zeichen")));
    const form = valid(result);
    expect(at(form, "angaben", "zeile")).toEqual({ id: "zeile", type: "text", label: { de: "Zeile" }, fim: "F12345678" });
    const de = result.report.warnings.map((w) => w.de);
    expect(de).toContain("Anzahl „viele“ ist nicht lesbar; als 0:1 übernommen.");
    expect(de).toContain("Präzisierung ist kein JSON und wurde nicht übernommen: max 10 Zeichen");
  });

  it("drops contradictory bounds instead of writing a form the sync rejects", () => {
    const result = importFim(schema(field("1:1", "Zahl", "num_int", '{"minValue":"10","maxValue":"5"}') + field("1:1", "Text", "text", '{"minLength":"9","maxLength":"3"}')));
    const form = valid(result);
    expect(at(form, "angaben", "zahl")).not.toHaveProperty("min");
    expect(at(form, "angaben", "text")).not.toHaveProperty("minLength");
    expect(result.report.warnings.map((w) => w.de)).toContain("minValue 10 ist größer als maxValue 5; beide ignoriert.");
  });
});
