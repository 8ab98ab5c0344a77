import { Validator } from "@cfworker/json-schema";
// Ajv comes with the OpenAPI validator; it is used here because it checks a schema against the
// 2020-12 meta-schema ($dynamicRef included), which @cfworker/json-schema cannot.
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { FormDefinition, FormFile } from "./definition.js";
import { describeCondition, formJsonSchema } from "./json-schema.js";
import { validateForm } from "./rules/index.js";
import { declarationStep, dogName, dogTaxForm, dogSex, dogsStep, listedBreed, options, ownerStep, paymentStep, t, temperamentTest } from "./test-fixtures.js";

const URL = "https://rathaus.example/api/v1/t/musterstadt/forms/hundesteuer/schema.json";

/** A dog-tax-like form using every field type. */
function hundesteuer(): FormFile {
  return dogTaxForm({
    access: { anonymous: false },
    steps: [
      ownerStep({
        label: t("Halterin oder Halter"),
        items: [
          { id: "name", type: "text", label: t("Vor- und Nachname"), required: true, maxLength: 120, fim: "F60000227" },
          { id: "anschrift", type: "address", label: t("Anschrift"), required: true, help: t("Wo der Hund gehalten wird") },
          { id: "email", type: "email", label: t("E-Mail"), required: true },
          { id: "telefon", type: "phone", label: t("Telefon") },
          { id: "geburtsdatum", type: "date", label: t("Geburtsdatum"), required: true, max: "-P18Y" },
        ],
      }),
      dogsStep([
        dogName(),
        { id: "chip", type: "text", label: t("Chipnummer"), pattern: { regex: "\\d{15}", message: t("15 Ziffern") } },
        dogSex(),
        { id: "gewicht", type: "number", label: t("Gewicht in kg"), min: 0, max: 120 },
        { id: "wuerfe", type: "integer", label: t("Würfe") },
        { id: "merkmale", type: "multichoice", label: t("Merkmale"), options: options({ kastriert: "Kastriert", geimpft: "Geimpft", versichert: "Versichert" }) },
        listedBreed(),
        temperamentTest({ maxFiles: 3 }),
      ]),
      paymentStep(
        { id: "vorauszahlung", type: "amount", label: t("Vorauszahlung"), max: 1000 },
        { id: "rueckruf", type: "time", label: t("Rückruf ab"), min: "08:00", max: "18:00" },
      ),
      {
        id: "ueberweisung",
        title: t("Überweisung"),
        when: { field: "zahlungsart", equals: "ueberweisung" },
        items: [{ id: "bemerkung", type: "textarea", label: t("Bemerkung"), required: true }],
      },
      declarationStep("Ich versichere die Richtigkeit.", { id: "newsletter", type: "consent", label: t("Newsletter") }),
    ],
  });
}

const def: FormDefinition = { ...hundesteuer(), id: "hundesteuer", version: 3, source: "catalog" };
const schema = formJsonSchema(def, URL);
const validator = new Validator(schema as never, "2020-12", false);

const ajv = new Ajv2020({ validateFormats: false });
// The form's own keywords are annotations; Ajv's strict mode wants them declared.
ajv.addVocabulary(["x-fim", "x-form-id", "x-form-version", "x-leika"]);
const ajvValidate = ajv.compile(schema);

type Json = Record<string, any>;

/** Stored answers as the server keeps them: trimmed, blanks left out, IBAN normalised. */
function sample(): Json {
  return {
    halter: {
      name: "Erika Mustermann",
      anschrift: { street: "Hauptstraße 1", postalCode: "39517", city: "Tangerhütte" },
      email: "erika@example.de",
      telefon: "+49 3935 1234",
      geburtsdatum: "1980-02-29",
    },
    hunde: [
      { name: "Bello", geschlecht: "ruede", listenhund: false, gewicht: 31.5, wuerfe: 0, merkmale: ["geimpft", "kastriert"] },
      { name: "Luna", geschlecht: "huendin", listenhund: true, nachweis: ["u_abcdefghij12", "u_klmnopqrst34"], chip: "276098106543210" },
    ],
    zahlungsart: "lastschrift",
    iban: "DE02120300000000202051",
    vorauszahlung: 19.99,
    rueckruf: "08:30",
    richtigkeit: true,
  };
}

function valid(data: unknown): boolean {
  const cf = validator.validate(data).valid;
  // What one validator accepts, Ajv (formats off) must accept too: the schema must not lean
  // on one implementation's arithmetic or leniency to accept stored answers.
  if (cf) expect(ajvValidate(data), JSON.stringify(ajvValidate.errors)).toBe(true);
  return cf;
}

function withChange(edit: (d: Json) => void): Json {
  const d = sample();
  edit(d);
  return d;
}

describe("formJsonSchema", () => {
  it("is a 2020-12 schema that names the form, its version and where it is served", () => {
    expect(schema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: URL,
      title: "Hundesteuer-Anmeldung",
      description: "Hunde zur Hundesteuer anmelden",
      "x-form-id": "hundesteuer",
      "x-form-version": 3,
      "x-leika": "99008002001000",
      type: "object",
      additionalProperties: false,
    });
  });

  it("is valid against the 2020-12 meta-schema", () => {
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    // And would notice if it were not.
    expect(ajv.validateSchema({ ...schema, required: "halter" })).toBe(false);
  });

  it("describes answers across all steps, groups nested and hints left out", () => {
    const s = schema as Json;
    expect(Object.keys(s.properties)).toEqual(["halter", "hunde", "zahlungsart", "iban", "vorauszahlung", "rueckruf", "bemerkung", "richtigkeit", "newsletter"]);
    expect(Object.keys(s.properties.halter.properties)).toEqual(["name", "anschrift", "email", "telefon", "geburtsdatum"]);
    expect(s.properties.hunde).toMatchObject({ type: "array", minItems: 1, maxItems: 5, items: { type: "object", title: "Hund", additionalProperties: false } });
  });

  it("requires only required answers that no condition can hide", () => {
    const s = schema as Json;
    // iban depends on zahlungsart, bemerkung on its step's condition: optional here.
    expect(s.required).toEqual(["halter", "hunde", "zahlungsart", "richtigkeit"]);
    expect(s.properties.halter.required).toEqual(["name", "anschrift", "email", "geburtsdatum"]);
    expect(s.properties.hunde.items.required).toEqual(["name", "geschlecht", "listenhund"]);
  });

  it("labels, explains and says when conditional answers are given", () => {
    const s = schema as Json;
    expect(s.properties.halter.properties.name).toMatchObject({ title: "Vor- und Nachname", "x-fim": "F60000227" });
    expect(s.properties.halter.properties.anschrift.description).toBe("Wo der Hund gehalten wird");
    expect(s.properties.iban.description).toBe("Nur angegeben, wenn zahlungsart = „lastschrift“; dann Pflichtangabe.");
    expect(s.properties.bemerkung.description).toContain("zahlungsart = „ueberweisung“");
    expect(s.properties.hunde.items.properties.nachweis.description).toContain("listenhund = ja");
    expect(s.properties.halter.properties.geburtsdatum.description).toBe("Datum (JJJJ-MM-TT), spätestens 18 Jahre vor dem Tag der Angabe.");
  });

  it("accepts the stored answers of a complete submission", () => {
    expect(valid(sample())).toBe(true);
  });

  it("accepts what the rules module stores for raw answers", () => {
    const raw = {
      ...sample(),
      halter: { ...sample().halter, name: "  Erika Mustermann ", telefon: "" },
      iban: "de02 1203 0000 0000 2020 51",
      newsletter: false,
    };
    const { data, errors } = validateForm(def, raw, { today: "2026-04-01" });
    expect(errors).toEqual([]);
    expect(data.iban).toBe("DE02120300000000202051");
    expect(valid(data)).toBe(true);
  });

  it("accepts e-mail addresses with umlauts, as the rules module does (idn-email, not email)", () => {
    const { data, errors } = validateForm(def, withChange((d) => (d.halter.email = "jürgen@müller-hunde.de")), { today: "2026-04-01" });
    expect(errors).toEqual([]);
    expect(valid(data)).toBe(true);
  });

  it("leaves conditional answers optional, as the description says", () => {
    // Luna is a listed dog without a certificate: the rules module rejects this, the schema cannot.
    expect(valid(withChange((d) => delete d.hunde[1].nachweis))).toBe(true);
    expect(valid(withChange((d) => delete d.iban))).toBe(true);
  });

  it("accepts amounts with two decimals in every validator (no multipleOf: 0.01)", () => {
    for (const amount of [19.99, 0.07, 1000, 0]) expect(valid(withChange((d) => (d.vorauszahlung = amount))), String(amount)).toBe(true);
    expect(valid(withChange((d) => (d.vorauszahlung = -1)))).toBe(false);
    expect(valid(withChange((d) => (d.vorauszahlung = 1000.01)))).toBe(false);
  });

  const invalid: Array<[string, (d: Json) => void]> = [
    ["an unknown answer", (d) => (d.farbe = "braun")],
    ["an unknown answer in an entry", (d) => (d.hunde[0].farbe = "braun")],
    ["an unknown part of an address", (d) => (d.halter.anschrift.land = "DE")],
    ["a value that is not an option", (d) => (d.zahlungsart = "bar")],
    ["a multichoice value that is not an option", (d) => (d.hunde[0].merkmale = ["gechipt"])],
    ["a multichoice value twice", (d) => (d.hunde[0].merkmale = ["geimpft", "geimpft"])],
    ["a missing required answer", (d) => delete d.richtigkeit],
    ["a missing required answer in a group", (d) => delete d.halter.email],
    ["a missing required answer in an entry", (d) => delete d.hunde[0].listenhund],
    ["a declaration not given", (d) => (d.richtigkeit = false)],
    ["yes/no as text", (d) => (d.hunde[0].listenhund = "nein")],
    ["no dogs", (d) => (d.hunde = [])],
    ["six dogs", (d) => (d.hunde = Array.from({ length: 6 }, () => sample().hunde[0]))],
    ["more files than allowed", (d) => (d.hunde[1].nachweis = ["u_aaaaaaaaaa1", "u_aaaaaaaaaa2", "u_aaaaaaaaaa3", "u_aaaaaaaaaa4"])],
    ["a file that is not an upload id", (d) => (d.hunde[1].nachweis = ["beweis.pdf"])],
    ["an IBAN as typed", (d) => (d.iban = "DE02 1203 0000 0000 2020 51")],
    ["a postal code of four digits", (d) => (d.halter.anschrift.postalCode = "3951")],
    ["a pattern matched only in part", (d) => (d.hunde[1].chip = "276098106543210x")],
    ["text too long", (d) => (d.halter.name = "x".repeat(121))],
    ["a blank text", (d) => (d.halter.name = "")],
    ["a date that does not exist", (d) => (d.halter.geburtsdatum = "1980-02-30")],
    ["a time without leading zero", (d) => (d.rueckruf = "8:30")],
    ["a fraction for an integer", (d) => (d.hunde[0].wuerfe = 1.5)],
    ["a number above max", (d) => (d.hunde[0].gewicht = 121)],
    ["an e-mail address without domain", (d) => (d.halter.email = "erika@")],
    ["a phone number with letters", (d) => (d.halter.telefon = "0391 ABC")],
  ];
  for (const [what, edit] of invalid) {
    it(`rejects ${what}`, () => {
      expect(valid(sample())).toBe(true);
      expect(valid(withChange(edit))).toBe(false);
    });
  }

  it("makes an optional consent a plain boolean and a required one true", () => {
    const s = schema as Json;
    expect(s.properties.newsletter).toMatchObject({ type: "boolean" });
    expect(s.properties.newsletter.const).toBeUndefined();
    expect(s.properties.richtigkeit).toMatchObject({ type: "boolean", const: true });
  });
});

describe("describeCondition", () => {
  it("puts nested conditions into words", () => {
    expect(
      describeCondition({ any: [{ all: [{ field: "a", equals: 1 }, { field: "b", filled: true }] }, { not: { field: "c", in: ["x", "y"] } }] }),
    ).toBe("((a = 1 und b ist ausgefüllt) oder nicht c ist eines von „x“, „y“)");
  });
});
