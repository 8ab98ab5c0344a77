import { describe, expect, it } from "vitest";
import type { Field, FormData, Item, Step } from "../definition.js";
import type { RuleErrorCode } from "./types.js";
import {
  fieldTypes,
  fileRefs,
  isValidIban,
  isVisible,
  itemAt,
  parseDecimal,
  prefillData,
  resolveDateBound,
  validateField,
  validateForm,
  validateStep,
  visibleSteps,
} from "./index.js";

const ctx = { today: "2026-05-15" };
const label = { de: "Feld" };
const U1 = "u_abcdefghij";
const U2 = "u_0123456789_-x";
const U3 = "u_ZZZZZZZZZZZZ";

/** A form with one step holding `items`. */
const form = (...items: Item[]) => ({ steps: [{ id: "s", title: label, items }] });
const field = (f: { type: Field["type"]; [key: string]: unknown }): Field => ({ id: "f", label, ...f }) as Field;
const codes = (errors: { path: string; code: string }[]) => errors.map((e) => [e.path, e.code]);

type Expect = { value: unknown } | { code: RuleErrorCode; path?: string };
type Case = [name: string, field: Field, value: unknown, expected: Expect];

const text = field({ type: "text", minLength: 2, maxLength: 5 });
const pattern = field({
  type: "text",
  pattern: { regex: "[A-Z]{2}\\d{3}", message: { de: "Bitte zwei Großbuchstaben und drei Ziffern, z. B. AB123." } },
});
const number = field({ type: "number", min: -5, max: 100.5 });
const amount = field({ type: "amount", max: 1000 });
const options = ["a", "b", "c", "d"].map((value) => ({ value, label: { de: value } }));

const fieldCases: Case[] = [
  ["text trimmed", text, "  ab  ", { value: "ab" }],
  ["text blank is absent", text, "   ", { value: undefined }],
  ["text too short", text, "a", { code: "too_short" }],
  ["text too long", text, "abcdef", { code: "too_long" }],
  ["text counts code points (5 emoji)", text, "😀😀😀😀😀", { value: "😀😀😀😀😀" }],
  ["text 6 emoji too long", text, "😀😀😀😀😀😀", { code: "too_long" }],
  ["text not a string", text, 5, { code: "invalid_type" }],
  ["text required absent", field({ type: "text", required: true }), undefined, { code: "required" }],
  ["text required blank", field({ type: "text", required: true }), " ", { code: "required" }],
  ["text null is absent", field({ type: "text" }), null, { value: undefined }],
  ["pattern full match", pattern, "AB123", { value: "AB123" }],
  ["pattern no partial match at end", pattern, "AB1234", { code: "pattern" }],
  ["pattern no partial match at start", pattern, "xAB123", { code: "pattern" }],
  ["pattern that does not compile checks nothing", field({ type: "text", pattern: { regex: "(", message: label } }), "x", { value: "x" }],
  ["textarea keeps inner newlines", field({ type: "textarea", maxLength: 20 }), " Zeile 1\nZeile 2\n", { value: "Zeile 1\nZeile 2" }],
  ["textarea too long", field({ type: "textarea", maxLength: 3 }), "abcd", { code: "too_long" }],
  ["email", field({ type: "email" }), " anna@example.org ", { value: "anna@example.org" }],
  ["email subdomain", field({ type: "email" }), "a.b+c@mail.example.co.uk", { value: "a.b+c@mail.example.co.uk" }],
  ["email without tld", field({ type: "email" }), "anna@example", { code: "invalid_email" }],
  ["email with space", field({ type: "email" }), "anna maier@example.org", { code: "invalid_email" }],
  ["email two @", field({ type: "email" }), "a@b@example.org", { code: "invalid_email" }],
  ["email longer than 254", field({ type: "email" }), "a".repeat(246) + "@beispiel.de", { code: "invalid_email" }],
  ["email not a string", field({ type: "email" }), ["a@b.de"], { code: "invalid_type" }],
  ["phone international", field({ type: "phone" }), "+49 3935 123456", { value: "+49 3935 123456" }],
  ["phone national with / and -", field({ type: "phone" }), "03935/1234-56", { value: "03935/1234-56" }],
  ["phone with parentheses", field({ type: "phone" }), "(03935) 123456", { value: "(03935) 123456" }],
  ["phone 5 digits", field({ type: "phone" }), "12345", { code: "invalid_phone" }],
  ["phone 21 digits", field({ type: "phone" }), "1".repeat(21), { code: "invalid_phone" }],
  ["phone letters", field({ type: "phone" }), "0800 CALL ME", { code: "invalid_phone" }],
  ["phone + not first", field({ type: "phone" }), "49+3935123456", { code: "invalid_phone" }],
  ["number", number, 3.25, { value: 3.25 }],
  ["number at min", number, -5, { value: -5 }],
  ["number below min", number, -5.1, { code: "too_small" }],
  ["number above max", number, 100.6, { code: "too_large" }],
  ["number as string", number, "12", { code: "invalid_type" }],
  ["number boolean", number, true, { code: "invalid_type" }],
  ["number NaN", number, Number.NaN, { code: "not_a_number" }],
  ["number Infinity", number, Number.POSITIVE_INFINITY, { code: "not_a_number" }],
  ["integer", field({ type: "integer", min: 1 }), 3, { value: 3 }],
  ["integer with decimals", field({ type: "integer", min: 1 }), 3.5, { code: "not_an_integer" }],
  ["integer below min", field({ type: "integer", min: 1 }), 0, { code: "too_small" }],
  ["amount", amount, 12.5, { value: 12.5 }],
  ["amount 0.29 (float artefacts)", amount, 0.29, { value: 0.29 }],
  ["amount at max", amount, 1000, { value: 1000 }],
  ["amount above max", amount, 1000.01, { code: "too_large" }],
  ["amount three decimals", amount, 12.345, { code: "invalid_amount" }],
  ["amount negative", amount, -1, { code: "invalid_amount" }],
  ["amount negative allowed by min", field({ type: "amount", min: -100 }), -50.5, { value: -50.5 }],
  ["amount below negative min", field({ type: "amount", min: -100 }), -100.01, { code: "too_small" }],
  ["date", field({ type: "date" }), "2026-05-15", { value: "2026-05-15" }],
  ["date leap day", field({ type: "date" }), "2024-02-29", { value: "2024-02-29" }],
  ["date leap day 2000", field({ type: "date" }), "2000-02-29", { value: "2000-02-29" }],
  ["date no leap day 2025", field({ type: "date" }), "2025-02-29", { code: "invalid_date" }],
  ["date no leap day 1900", field({ type: "date" }), "1900-02-29", { code: "invalid_date" }],
  ["date 31 April", field({ type: "date" }), "2026-04-31", { code: "invalid_date" }],
  ["date month 13", field({ type: "date" }), "2026-13-01", { code: "invalid_date" }],
  ["date German format", field({ type: "date" }), "15.05.2026", { code: "invalid_date" }],
  ["date number", field({ type: "date" }), 20260515, { code: "invalid_type" }],
  ["date at fixed min", field({ type: "date", min: "2026-04-01" }), "2026-04-01", { value: "2026-04-01" }],
  ["date before fixed min", field({ type: "date", min: "2026-04-01" }), "2026-03-31", { code: "date_too_early" }],
  ["date past only: today", field({ type: "date", max: "today" }), "2026-05-15", { value: "2026-05-15" }],
  ["date past only: tomorrow", field({ type: "date", max: "today" }), "2026-05-16", { code: "date_too_late" }],
  ["date future only: yesterday", field({ type: "date", min: "today", max: "+P30D" }), "2026-05-14", { code: "date_too_early" }],
  ["date within 30 days", field({ type: "date", min: "today", max: "+P30D" }), "2026-06-14", { value: "2026-06-14" }],
  ["date after 30 days", field({ type: "date", min: "today", max: "+P30D" }), "2026-06-15", { code: "date_too_late" }],
  ["date of birth 18 years ago", field({ type: "date", max: "-P18Y" }), "2008-05-15", { value: "2008-05-15" }],
  ["date of birth one day short of 18", field({ type: "date", max: "-P18Y" }), "2008-05-16", { code: "date_too_late" }],
  ["time", field({ type: "time", min: "08:00", max: "18:00" }), "08:00", { value: "08:00" }],
  ["time before min", field({ type: "time", min: "08:00", max: "18:00" }), "07:59", { code: "time_too_early" }],
  ["time after max", field({ type: "time", min: "08:00", max: "18:00" }), "18:01", { code: "time_too_late" }],
  ["time 24:00", field({ type: "time" }), "24:00", { code: "invalid_time" }],
  ["time single-digit hour", field({ type: "time" }), "8:00", { code: "invalid_time" }],
  ["time minute 60", field({ type: "time" }), "12:60", { code: "invalid_time" }],
  ["time 23:59", field({ type: "time" }), "23:59", { value: "23:59" }],
  ["choice", field({ type: "choice", options }), "b", { value: "b" }],
  ["choice unknown value", field({ type: "choice", options }), "x", { code: "invalid_choice" }],
  ["choice number", field({ type: "choice", options }), 1, { code: "invalid_type" }],
  ["choice required", field({ type: "choice", options, required: true }), undefined, { code: "required" }],
  ["multichoice", field({ type: "multichoice", options, minItems: 2, maxItems: 3 }), ["a", "c"], { value: ["a", "c"] }],
  ["multichoice too few", field({ type: "multichoice", options, minItems: 2 }), ["a"], { code: "too_few" }],
  ["multichoice too many", field({ type: "multichoice", options, maxItems: 3 }), ["a", "b", "c", "d"], { code: "too_many" }],
  ["multichoice duplicate", field({ type: "multichoice", options }), ["a", "a"], { code: "invalid_choice" }],
  ["multichoice unknown value", field({ type: "multichoice", options }), ["a", "x"], { code: "invalid_choice" }],
  ["multichoice string", field({ type: "multichoice", options }), "a", { code: "invalid_type" }],
  ["multichoice numbers", field({ type: "multichoice", options }), [1, 2], { code: "invalid_type" }],
  ["multichoice empty is absent", field({ type: "multichoice", options, minItems: 2 }), [], { value: undefined }],
  ["multichoice required empty", field({ type: "multichoice", options, required: true }), [], { code: "required" }],
  ["yesno yes", field({ type: "yesno" }), true, { value: true }],
  ["yesno no is an answer", field({ type: "yesno", required: true }), false, { value: false }],
  ["yesno string", field({ type: "yesno" }), "ja", { code: "invalid_type" }],
  ["yesno required unanswered", field({ type: "yesno", required: true }), undefined, { code: "required" }],
  ["consent given", field({ type: "consent", required: true }), true, { value: true }],
  ["consent refused", field({ type: "consent", required: true }), false, { code: "must_accept" }],
  ["consent missing", field({ type: "consent", required: true }), undefined, { code: "must_accept" }],
  ["consent optional refused", field({ type: "consent" }), false, { value: false }],
  ["consent string", field({ type: "consent", required: true }), "true", { code: "invalid_type" }],
  ["file", field({ type: "file", accept: ["application/pdf"], maxFiles: 2 }), [U1, U2], { value: [U1, U2] }],
  ["file over maxFiles", field({ type: "file", accept: ["application/pdf"], maxFiles: 2 }), [U1, U2, U3], { code: "too_many" }],
  ["file default maxFiles 1", field({ type: "file", accept: ["application/pdf"] }), [U1, U2], { code: "too_many" }],
  ["file bad id", field({ type: "file", accept: ["application/pdf"] }), ["x"], { code: "invalid_type" }],
  ["file id too short", field({ type: "file", accept: ["application/pdf"] }), ["u_abc"], { code: "invalid_type" }],
  ["file duplicate id", field({ type: "file", accept: ["application/pdf"], maxFiles: 2 }), [U1, U1], { code: "invalid_type" }],
  ["file not a list", field({ type: "file", accept: ["application/pdf"] }), U1, { code: "invalid_type" }],
  ["file required none", field({ type: "file", accept: ["application/pdf"], required: true }), [], { code: "required" }],
  ["iban normalised", field({ type: "iban" }), " de89 3704 0044 0532 0130 00 ", { value: "DE89370400440532013000" }],
  ["iban wrong checksum", field({ type: "iban" }), "DE88370400440532013000", { code: "invalid_iban" }],
  ["iban too short", field({ type: "iban" }), "DE8937040044053201300", { code: "invalid_iban" }],
  ["iban not a string", field({ type: "iban" }), 89370400440532013000, { code: "invalid_type" }],
  [
    "address trimmed",
    field({ type: "address", required: true }),
    { street: " Hauptstraße 1 ", postalCode: "39517", city: "Tangerhütte " },
    { value: { street: "Hauptstraße 1", postalCode: "39517", city: "Tangerhütte" } },
  ],
  ["address 4-digit postcode", field({ type: "address" }), { street: "A 1", postalCode: "3951", city: "B" }, { code: "invalid_postal_code", path: "f.postalCode" }],
  ["address city missing", field({ type: "address", required: true }), { street: "A 1", postalCode: "39517" }, { code: "required", path: "f.city" }],
  ["address optional but partial", field({ type: "address" }), { street: "", postalCode: "39517", city: "B" }, { code: "required", path: "f.street" }],
  ["address optional all blank", field({ type: "address" }), { street: " ", postalCode: "", city: "" }, { value: undefined }],
  ["address required absent", field({ type: "address", required: true }), undefined, { code: "required" }],
  ["address other key", field({ type: "address" }), { street: "A 1", postalCode: "39517", city: "B", country: "DE" }, { code: "unknown_field", path: "f.country" }],
  ["address part not a string", field({ type: "address" }), { street: 5, postalCode: "39517", city: "B" }, { code: "invalid_type", path: "f.street" }],
  ["address as string", field({ type: "address" }), "Hauptstraße 1, 39517 B", { code: "invalid_type" }],
];

describe("field types", () => {
  it("the table covers every field type", () => {
    expect(new Set(fieldCases.map((c) => c[1].type))).toEqual(new Set(fieldTypes));
    expect(fieldTypes).toHaveLength(16);
  });

  it.each(fieldCases)("%s", (_, f, value, expected) => {
    const def = form(f);
    const data = value === undefined ? {} : { f: value };
    const result = validateForm(def, data, ctx);
    const single = validateField(def, "f", data, ctx);
    if ("code" in expected) {
      expect(codes(result.errors)).toEqual([[expected.path ?? "f", expected.code]]);
      expect(result.data).toEqual({});
      expect(single?.code).toBe(expected.code);
      for (const e of result.errors) expect(e.message.de.length * e.message.en.length).toBeGreaterThan(0);
    } else {
      expect(result.errors).toEqual([]);
      expect(result.data).toEqual(expected.value === undefined ? {} : { f: expected.value });
      expect(single).toBeNull();
    }
  });
});

describe("messages", () => {
  const message = (f: Field, value: unknown) => validateForm(form(f), { f: value }, ctx).errors[0]?.message;

  it("name the bound, dates German style in de", () => {
    expect(message(field({ type: "text", maxLength: 40 }), "x".repeat(41))?.de).toMatch(/^Höchstens 40 Zeichen\./);
    expect(message(field({ type: "text", minLength: 3 }), "ab")).toEqual({
      de: "Bitte geben Sie mindestens 3 Zeichen ein.",
      en: "Please enter at least 3 characters.",
    });
    const early = message(field({ type: "date", min: "2026-04-01" }), "2026-03-01");
    expect(early?.de).toMatch(/^Frühestens am 01\.04\.2026\./);
    expect(early?.en).toContain("2026-04-01");
    expect(message(field({ type: "date", max: "+P30D" }), "2026-07-01")?.de).toMatch(/^Spätestens am 14\.06\.2026\./);
    expect(message(field({ type: "time", min: "08:00" }), "07:00")?.de).toMatch(/^Frühestens um 08:00 Uhr\./);
    expect(message(amount, 2000)).toEqual({ de: "Der Wert darf höchstens 1.000,00 € betragen.", en: "The value must be at most €1,000.00." });
    expect(message(number, 101)?.de).toBe("Der Wert darf höchstens 100,5 betragen.");
    expect(message(field({ type: "multichoice", options, minItems: 2 }), ["a"])?.de).toBe("Bitte wählen Sie mindestens 2 Antworten aus.");
    expect(message(field({ type: "file", accept: [] }), [U1, U2])?.de).toBe("Bitte laden Sie höchstens eine Datei hoch.");
  });

  it("tell what to do", () => {
    expect(message(field({ type: "iban" }), "DE00")?.de).toBe("Bitte geben Sie eine gültige IBAN ein, z. B. DE89 3704 0044 0532 0130 00.");
    expect(message(field({ type: "consent", required: true }), false)?.de).toBe("Bitte bestätigen Sie diese Erklärung, um fortzufahren.");
    expect(message(field({ type: "address" }), { street: "A", postalCode: "1", city: "B" })?.de).toContain("fünfstellige Postleitzahl");
    expect(message(field({ type: "address", required: true }), { postalCode: "39517", city: "B" })?.de).toBe("Bitte geben Sie Straße und Hausnummer an.");
  });

  it("take the pattern's own text, English falling back to German", () => {
    expect(message(pattern, "x")).toEqual({ de: "Bitte zwei Großbuchstaben und drei Ziffern, z. B. AB123.", en: "Bitte zwei Großbuchstaben und drei Ziffern, z. B. AB123." });
    const both = field({ type: "text", pattern: { regex: "\\d+", message: { de: "Nur Ziffern.", en: "Digits only." } } });
    expect(message(both, "x")).toEqual({ de: "Nur Ziffern.", en: "Digits only." });
  });
});

const yes = { value: "ja", label: { de: "Ja" } };
const arten = [
  { value: "privat", label: { de: "Privat" } },
  { value: "gewerblich", label: { de: "Gewerblich" } },
];
const areas = ["a", "b", "c"].map((value) => ({ value, label: { de: value } }));

/** A dog tax form: conditions of every kind, a section, a repeated group, a conditional step. */
const hundesteuer: { steps: Step[] } = {
  steps: [
    {
      id: "halter",
      title: { de: "Halter" },
      items: [
        { id: "art", label, type: "choice", options: arten, required: true },
        { id: "firma", label, type: "text", required: true, when: { field: "art", equals: "gewerblich" } },
        { id: "bereiche", label, type: "multichoice", options: areas },
        { id: "detail_a", label, type: "text", when: { field: "bereiche", in: ["a", "x"] } },
        { id: "detail_b", label, type: "text", when: { field: "bereiche", equals: "b" } },
        { id: "telefon", label, type: "phone" },
        { id: "rueckruf", label, type: "yesno", when: { field: "telefon", filled: true } },
        { id: "zeit", label, type: "time", when: { field: "rueckruf", yes: true } },
        { id: "beide", label, type: "text", when: { all: [{ field: "art", equals: "privat" }, { field: "rueckruf", yes: true }] } },
        { id: "eines", label, type: "text", when: { any: [{ field: "art", equals: "gewerblich" }, { field: "rueckruf", yes: true }] } },
        { id: "nicht_privat", label, type: "text", when: { not: { field: "art", in: ["privat"] } } },
        { id: "preis", label, type: "integer", when: { field: "zahl", equals: 3 } },
        { id: "zahl", label, type: "integer" },
        {
          id: "anschrift",
          label,
          type: "group",
          items: [
            { id: "vorher", label, type: "yesno" },
            { id: "ort", label, type: "text", required: true, when: { field: "vorher", yes: true } },
            { id: "hrb", label, type: "text", when: { field: "art", equals: "gewerblich" } },
            { id: "hinweis", type: "hint", text: { de: "Hinweis" } },
          ],
        },
        {
          id: "hunde",
          label,
          type: "group",
          repeat: { min: 1, max: 3 },
          items: [
            { id: "name", label, type: "text", required: true },
            { id: "listenhund", label, type: "yesno", required: true },
            { id: "nachweis", label, type: "file", accept: ["application/pdf"], required: true, when: { field: "listenhund", yes: true } },
            { id: "gewerbe", label, type: "text", when: { field: "art", equals: "gewerblich" } },
            { id: "ort_frueher", label, type: "text", when: { field: "anschrift.vorher", yes: true } },
          ],
        },
      ],
    },
    {
      id: "gewerbe",
      title: { de: "Gewerbe" },
      when: { field: "art", equals: "gewerblich" },
      items: [{ id: "register", label, type: "text", required: true }],
    },
    {
      id: "nachweise",
      title: { de: "Nachweise" },
      when: { field: "register", filled: true },
      items: [{ id: "auszug", label, type: "file", accept: ["application/pdf"], maxFiles: 2 }],
    },
    {
      id: "abschluss",
      title: { de: "Abschluss" },
      items: [
        { id: "richtig", label, type: "consent", required: true },
        { id: "ende", type: "hint", text: { de: "Danke" } },
      ],
    },
  ],
};

const dog = (extra: FormData = {}): FormData => ({ name: "Bello", listenhund: false, ...extra });
const complete = (extra: FormData = {}): FormData => ({ art: "privat", hunde: [dog()], richtig: true, ...extra });

describe("conditions", () => {
  const cases: [name: string, data: FormData, path: string, shown: boolean][] = [
    ["no condition", {}, "art", true],
    ["equals holds", { art: "gewerblich" }, "firma", true],
    ["equals fails", { art: "privat" }, "firma", false],
    ["equals on a missing answer", {}, "firma", false],
    ["equals compares trimmed answers", { art: " gewerblich " }, "firma", true],
    ["equals with a number", { zahl: 3 }, "preis", true],
    ["equals number vs string", { zahl: "3" }, "preis", false],
    ["in: a multichoice value in the list", { bereiche: ["c", "a"] }, "detail_a", true],
    ["in: no selected value in the list", { bereiche: ["b", "c"] }, "detail_a", false],
    ["equals on a multichoice: selected", { bereiche: ["a", "b"] }, "detail_b", true],
    ["equals on a multichoice: not selected", { bereiche: ["a"] }, "detail_b", false],
    ["filled", { telefon: "0391 123456" }, "rueckruf", true],
    ["filled: blank is not filled", { telefon: "   " }, "rueckruf", false],
    ["yes", { telefon: "0391 123456", rueckruf: true }, "zeit", true],
    ["yes: false", { telefon: "0391 123456", rueckruf: false }, "zeit", false],
    ["yes: a truthy string is not yes", { telefon: "0391 123456", rueckruf: "ja" }, "zeit", false],
    ["a hidden answer counts as absent", { rueckruf: true }, "zeit", false],
    ["all: both", { art: "privat", telefon: "0391 123456", rueckruf: true }, "beide", true],
    ["all: one", { art: "privat", rueckruf: true }, "beide", false],
    ["any: one", { art: "gewerblich" }, "eines", true],
    ["any: none", { art: "privat" }, "eines", false],
    ["not in", { art: "gewerblich" }, "nicht_privat", true],
    ["not in: absent answer is not in the list", {}, "nicht_privat", true],
    ["not in: in", { art: "privat" }, "nicht_privat", false],
    ["in a section, relative to the section", { anschrift: { vorher: true } }, "anschrift.ort", true],
    ["in a section, a root answer found outward", { art: "gewerblich" }, "anschrift.hrb", true],
    ["a hint inside a shown section", {}, "anschrift.hinweis", true],
    ["in an entry, the entry's own answer", { hunde: [dog(), dog({ listenhund: true })] }, "hunde.1.nachweis", true],
    ["in an entry, another entry's answer does not count", { hunde: [dog(), dog({ listenhund: true })] }, "hunde.0.nachweis", false],
    ["in an entry, a root answer", { art: "gewerblich", hunde: [dog()] }, "hunde.0.gewerbe", true],
    ["in an entry, a path from the root", { anschrift: { vorher: true }, hunde: [dog()] }, "hunde.0.ort_frueher", true],
    ["a step's condition", { art: "gewerblich" }, "register", true],
    ["an item of a hidden step", { art: "privat" }, "register", false],
    ["a step whose condition names an item of a hidden step", { art: "privat", register: "HRB 1" }, "auszug", false],
    ["a step whose condition names a shown item", { art: "gewerblich", register: "HRB 1" }, "auszug", true],
    ["no such item", {}, "nope", false],
  ];
  it.each(cases)("%s", (_, data, path, shown) => {
    expect(isVisible(hundesteuer, path, data)).toBe(shown);
  });

  it("visibleSteps follows the steps' conditions", () => {
    expect(visibleSteps(hundesteuer, { art: "privat" })).toEqual([0, 3]);
    expect(visibleSteps(hundesteuer, { art: "gewerblich" })).toEqual([0, 1, 3]);
    expect(visibleSteps(hundesteuer, { art: "gewerblich", register: "HRB 1" })).toEqual([0, 1, 2, 3]);
    expect(visibleSteps(hundesteuer, "kein Objekt")).toEqual([0, 3]);
  });

  it("conditions that depend on each other hide both instead of looping", () => {
    const def = form(
      { id: "a", label, type: "text", when: { field: "b", filled: true } },
      { id: "b", label, type: "text", when: { field: "a", filled: true } },
      { id: "c", label, type: "text", when: { field: "c", filled: true } },
    );
    const data = { a: "x", b: "y", c: "z" };
    expect(isVisible(def, "a", data)).toBe(false);
    expect(isVisible(def, "c", data)).toBe(false);
    expect(validateForm(def, data, ctx)).toEqual({ data: {}, errors: [] });
  });
});

describe("validateForm", () => {
  it("returns the cleaned answers of a complete submission", () => {
    const data = {
      art: " gewerblich ",
      firma: "Zwinger GmbH",
      telefon: "",
      bereiche: [],
      anschrift: { vorher: true, ort: " Stendal " },
      hunde: [dog({ listenhund: true, nachweis: [U1], gewerbe: "Zucht" }), { name: "Rex", listenhund: false, ort_frueher: "Berlin" }],
      register: "HRB 1234",
      auszug: [U2, U3],
      richtig: true,
    };
    expect(validateForm(hundesteuer, data, ctx)).toEqual({
      data: {
        art: "gewerblich",
        firma: "Zwinger GmbH",
        anschrift: { vorher: true, ort: "Stendal" },
        hunde: [
          { name: "Bello", listenhund: true, nachweis: [U1], gewerbe: "Zucht" },
          { name: "Rex", listenhund: false, ort_frueher: "Berlin" },
        ],
        register: "HRB 1234",
        auszug: [U2, U3],
        richtig: true,
      },
      errors: [],
    });
  });

  it("drops hidden answers silently, also of hidden steps and inside entries", () => {
    const data = complete({
      firma: "ACME",
      register: "HRB 1",
      auszug: [U1],
      rueckruf: true,
      zeit: "kein Zeitpunkt",
      anschrift: { vorher: false, ort: 5 },
      hunde: [dog({ nachweis: [U1], gewerbe: "x" })],
    });
    expect(validateForm(hundesteuer, data, ctx)).toEqual({
      data: { art: "privat", anschrift: { vorher: false }, hunde: [dog()], richtig: true },
      errors: [],
    });
  });

  it("reports required fields that are shown, and only those", () => {
    const r = validateForm(hundesteuer, { art: "gewerblich", anschrift: { vorher: true }, hunde: [dog({ listenhund: true }), {}] }, ctx);
    expect(codes(r.errors)).toEqual([
      ["firma", "required"],
      ["anschrift.ort", "required"],
      ["hunde.0.nachweis", "required"],
      ["hunde.1.name", "required"],
      ["hunde.1.listenhund", "required"],
      ["register", "required"],
      ["richtig", "must_accept"],
    ]);
  });

  it("checks the number of entries of a shown repeated group", () => {
    const count = (hunde: unknown, extra: FormData = {}) => codes(validateForm(hundesteuer, complete({ hunde: hunde as FormData[], ...extra }), ctx).errors);
    expect(count(undefined)).toEqual([["hunde", "too_few"]]);
    expect(count([])).toEqual([["hunde", "too_few"]]);
    expect(count([dog(), dog(), dog()])).toEqual([]);
    expect(count([dog(), dog(), dog(), dog()])).toEqual([["hunde", "too_many"]]);
    expect(count({ name: "Bello" })).toEqual([["hunde", "invalid_type"]]);
    expect(count([dog(), "Rex", null, [dog()]])).toEqual([
      ["hunde", "too_many"],
      ["hunde.1", "invalid_type"],
      ["hunde.2", "invalid_type"],
    ]);
    // min applies only while the group is shown
    const hidden = form({ id: "g", label, type: "group", repeat: { min: 2, max: 3 }, when: { field: "x", yes: true }, items: [{ id: "a", label, type: "text" }] }, { id: "x", label, type: "yesno" });
    expect(validateForm(hidden, {}, ctx).errors).toEqual([]);
    expect(codes(validateForm(hidden, { x: true }, ctx).errors)).toEqual([["g", "too_few"]]);
  });

  it("reports keys the definition does not know, also nested and in entries", () => {
    const r = validateForm(hundesteuer, complete({ x: 1, anschrift: { vorher: false, y: "" }, hunde: [dog({ z: true })], ende: "hint", firma: "hidden ok" }), ctx);
    expect(codes(r.errors)).toEqual([
      ["anschrift.y", "unknown_field"],
      ["hunde.0.z", "unknown_field"],
      ["x", "unknown_field"],
      ["ende", "unknown_field"],
    ]);
    expect(r.data).toEqual({ art: "privat", anschrift: { vorher: false }, hunde: [dog()], richtig: true });
  });

  it("reports a section that is not an object", () => {
    expect(codes(validateForm(hundesteuer, complete({ anschrift: [{ vorher: true }] as unknown as FormData }), ctx).errors)).toEqual([["anschrift", "invalid_type"]]);
  });

  it("rejects data that is not an object", () => {
    for (const data of [null, undefined, "x", 42, [], [complete()]]) {
      expect(validateForm(hundesteuer, data, ctx)).toEqual({ data: {}, errors: [expect.objectContaining({ path: "", code: "invalid_type" })] });
    }
  });

  it("reads only own keys: an item called constructor is not found on Object.prototype", () => {
    const def = form({ id: "constructor", label, type: "text", required: true }, { id: "tostring", label, type: "text" });
    expect(codes(validateForm(def, {}, ctx).errors)).toEqual([["constructor", "required"]]);
    const proto = JSON.parse('{"__proto__": {"constructor": "x"}}') as unknown;
    expect(codes(validateForm(def, proto, ctx).errors)).toEqual([
      ["constructor", "required"],
      ["__proto__", "unknown_field"],
    ]);
  });
});

describe("hostile input", () => {
  const deep = (levels: number): unknown => (levels ? { a: deep(levels - 1) } : "x");
  const deepDogs = (levels: number): unknown => (levels ? { hunde: [deepDogs(levels - 1)] } : "x");

  it("10,000 unknown keys give 100 errors, quickly", () => {
    const data: Record<string, unknown> = complete();
    for (let i = 0; i < 10_000; i++) data["k" + i] = { nested: i };
    const start = performance.now();
    const r = validateForm(hundesteuer, data, ctx);
    expect(performance.now() - start).toBeLessThan(500);
    expect(r.errors).toHaveLength(100);
    expect(r.errors.every((e) => e.code === "unknown_field")).toBe(true);
    expect(r.errors[0]?.path).toBe("k0");
  });

  it("50 levels of nesting give errors, not a stack overflow", () => {
    const r = validateForm(hundesteuer, complete({ a: deep(50) as FormData, anschrift: deep(50) as FormData, hunde: [deepDogs(50) as FormData] }), ctx);
    expect(codes(r.errors)).toEqual([
      ["anschrift.a", "unknown_field"],
      ["hunde.0.name", "required"],
      ["hunde.0.listenhund", "required"],
      ["hunde.0.hunde", "unknown_field"],
      ["a", "unknown_field"],
    ]);
    expect(codes(validateForm(hundesteuer, deepDogs(50), ctx).errors)).toContainEqual(["hunde.0.hunde", "unknown_field"]);
    expect(isVisible(hundesteuer, "hunde.0.nachweis", deepDogs(50))).toBe(false);
  });

  it("arrays and objects where the other is expected", () => {
    const r = validateForm(hundesteuer, complete({ art: ["privat"], bereiche: { a: true } as unknown as FormData, hunde: [[dog()] as unknown as FormData] }), ctx);
    expect(codes(r.errors)).toEqual([
      ["art", "invalid_type"],
      ["bereiche", "invalid_type"],
      ["hunde.0", "invalid_type"],
    ]);
  });

  it("huge lists are cut short", () => {
    const many = Array.from({ length: 10_000 }, () => dog());
    const start = performance.now();
    expect(codes(validateForm(hundesteuer, complete({ hunde: many, bereiche: Array(10_000).fill("a") }), ctx).errors)).toEqual([
      ["bereiche", "invalid_choice"],
      ["hunde", "too_many"],
    ]);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it("an invalid today or bound checks no bound, and nothing throws", () => {
    expect(validateForm(form(field({ type: "date", min: "today" })), { f: "1999-01-01" }, { today: "kaputt" }).errors).toEqual([]);
    expect(validateForm(form(field({ type: "date", min: "gestern" })), { f: "1999-01-01" }, ctx).errors).toEqual([]);
  });
});

describe("validateStep", () => {
  it("checks the shown items of one step only", () => {
    const data = { art: "gewerblich", hunde: [{ name: "Bello" }] };
    expect(codes(validateStep(hundesteuer, 0, data, ctx))).toEqual([
      ["firma", "required"],
      ["hunde.0.listenhund", "required"],
    ]);
    expect(codes(validateStep(hundesteuer, 1, data, ctx))).toEqual([["register", "required"]]);
    expect(codes(validateStep(hundesteuer, 3, data, ctx))).toEqual([["richtig", "must_accept"]]);
  });

  it("has nothing to say about a hidden or missing step, nor about unknown root keys", () => {
    expect(validateStep(hundesteuer, 1, { art: "privat" }, ctx)).toEqual([]);
    expect(validateStep(hundesteuer, 9, {}, ctx)).toEqual([]);
    expect(validateStep(hundesteuer, 0, complete({ fremd: 1 }), ctx)).toEqual([]);
  });

  it("treats data that is not an object as no answers", () => {
    expect(codes(validateStep(hundesteuer, 0, "x", ctx))).toEqual([
      ["art", "required"],
      ["hunde", "too_few"],
    ]);
  });
});

describe("validateField", () => {
  it("checks one field in an entry by its path", () => {
    const data = { hunde: [dog(), dog({ name: "", listenhund: true })] };
    expect(validateField(hundesteuer, "hunde.1.name", data, ctx)?.code).toBe("required");
    expect(validateField(hundesteuer, "hunde.1.nachweis", data, ctx)).toMatchObject({ path: "hunde.1.nachweis", code: "required" });
    expect(validateField(hundesteuer, "hunde.0.name", data, ctx)).toBeNull();
  });

  it("is silent for hidden items, hints, sections and unknown paths", () => {
    expect(validateField(hundesteuer, "hunde.0.nachweis", { hunde: [dog()] }, ctx)).toBeNull();
    expect(validateField(hundesteuer, "firma", { art: "privat" }, ctx)).toBeNull();
    expect(validateField(hundesteuer, "anschrift.hinweis", {}, ctx)).toBeNull();
    expect(validateField(hundesteuer, "anschrift", { anschrift: 5 }, ctx)).toBeNull();
    expect(validateField(hundesteuer, "nope", {}, ctx)).toBeNull();
    expect(validateField(hundesteuer, "hunde.x.name", {}, ctx)).toBeNull();
  });

  it("checks the number of entries of a repeated group", () => {
    expect(validateField(hundesteuer, "hunde", {}, ctx)?.code).toBe("too_few");
    expect(validateField(hundesteuer, "hunde", { hunde: [dog(), dog(), dog(), dog()] }, ctx)?.code).toBe("too_many");
    expect(validateField(hundesteuer, "hunde", { hunde: [{}] }, ctx)).toBeNull();
  });

  it("puts address part errors at the part", () => {
    const def = form(field({ id: "adresse", type: "address" }));
    expect(validateField(def, "adresse", { adresse: { street: "A 1", postalCode: "ABCDE", city: "B" } }, ctx)).toMatchObject({ path: "adresse.postalCode", code: "invalid_postal_code" });
  });
});

describe("itemAt", () => {
  it("finds items by path, entry indexes allowed", () => {
    expect(itemAt(hundesteuer, "hunde.0.name")).toMatchObject({ item: { id: "name", type: "text" }, step: 0 });
    expect(itemAt(hundesteuer, "hunde.12.nachweis")).toMatchObject({ item: { id: "nachweis" }, step: 0 });
    expect(itemAt(hundesteuer, "anschrift.ort")).toMatchObject({ item: { id: "ort" }, step: 0 });
    expect(itemAt(hundesteuer, "register")).toMatchObject({ item: { id: "register" }, step: 1 });
    expect(itemAt(hundesteuer, "richtig")?.step).toBe(3);
    expect(itemAt(hundesteuer, "hunde")?.item.type).toBe("group");
  });

  it("returns null for paths that do not end on an item", () => {
    for (const path of ["", "nope", "hunde.name", "hunde.0", "hunde.-1.name", "anschrift.0.ort", "art.x", "register.x"]) {
      expect(itemAt(hundesteuer, path)).toBeNull();
    }
  });
});

describe("prefillData", () => {
  const def = {
    steps: [
      {
        id: "a",
        title: label,
        items: [
          { id: "name", label, type: "text", prefill: "name" },
          { id: "org", label, type: "text", prefill: "organisation" },
          { id: "adresse", label, type: "address", prefill: "address" },
          { id: "ohne", label, type: "text" },
          { id: "falsch", label, type: "text", prefill: "address" },
          { id: "kontakt", label, type: "group", items: [{ id: "mail", label, type: "email", prefill: "email" }] },
          { id: "kinder", label, type: "group", repeat: { min: 0, max: 5 }, items: [{ id: "name", label, type: "text", prefill: "name" }] },
        ],
      },
      { id: "b", title: label, items: [{ id: "handy", label, type: "phone", prefill: "mobile" }] },
    ] satisfies Step[],
  };
  const address = { street: "Hauptstraße 1", postalCode: "39517", city: "Tangerhütte" };

  it("fills fields with a prefill source, in sections too but not in repeated groups", () => {
    expect(prefillData(def, { name: "Anna Maier", organisation: "Zwinger GmbH", address: { ...address, extra: 1 } as typeof address, email: "anna@example.org", mobile: "0170 1234567" })).toEqual({
      name: "Anna Maier",
      org: "Zwinger GmbH",
      adresse: address,
      kontakt: { mail: "anna@example.org" },
      handy: "0170 1234567",
    });
  });

  it("leaves out what the account does not have", () => {
    expect(prefillData(def, { name: "Anna Maier", organisation: null, address: null, email: "", mobile: "" })).toEqual({ name: "Anna Maier" });
  });
});

describe("fileRefs", () => {
  it("lists every shown file answer with its path", () => {
    const data = {
      art: "gewerblich",
      register: "HRB 1",
      auszug: [U2, U3],
      hunde: [dog({ listenhund: true, nachweis: [U1] }), dog({ nachweis: [U3] }), dog({ listenhund: true, nachweis: [U2] })],
    };
    const refs = fileRefs(hundesteuer, data);
    expect(refs.map((r) => [r.path, r.ids])).toEqual([
      ["hunde.0.nachweis", [U1]],
      ["hunde.2.nachweis", [U2]],
      ["auszug", [U2, U3]],
    ]);
    expect(refs[0]?.field).toBe(itemAt(hundesteuer, "hunde.0.nachweis")?.item);
  });

  it("leaves out hidden steps and anything that is not an upload id", () => {
    expect(fileRefs(hundesteuer, { art: "privat", register: "HRB 1", auszug: [U1] })).toEqual([]);
    expect(fileRefs(hundesteuer, { art: "gewerblich", register: "HRB 1", auszug: ["../etc/passwd", 5] as unknown as string[] })).toEqual([]);
  });
});

describe("resolveDateBound", () => {
  it.each([
    ["today", "2026-05-15", "2026-05-15"],
    ["2026-04-01", "2026-05-15", "2026-04-01"],
    ["+P30D", "2026-05-15", "2026-06-14"],
    ["P30D", "2026-05-15", "2026-06-14"],
    ["-P18Y", "2026-05-15", "2008-05-15"],
    ["-P18Y", "2024-02-29", "2006-02-28"],
    ["+P1Y", "2024-02-29", "2025-02-28"],
    ["+P4Y", "2024-02-29", "2028-02-29"],
    ["+P1M", "2026-01-31", "2026-02-28"],
    ["+P1M", "2024-01-31", "2024-02-29"],
    ["-P1M", "2026-03-31", "2026-02-28"],
    ["+P2M", "2026-12-15", "2027-02-15"],
    ["-P13M", "2026-01-15", "2024-12-15"],
    ["+P1Y2M", "2026-12-31", "2028-02-29"],
    ["-P1D", "2026-03-01", "2026-02-28"],
    ["+P1D", "2024-02-28", "2024-02-29"],
    ["+P2W", "2026-12-25", "2027-01-08"],
    ["-P1990Y", "2026-05-15", "0036-05-15"],
    ["+P", "2026-05-15", ""],
    ["gestern", "2026-05-15", ""],
    ["2026-02-30", "2026-05-15", ""],
    ["+P30X", "2026-05-15", ""],
    ["+P99999999Y", "2026-05-15", ""],
    ["today", "15.05.2026", ""],
  ])("%s from %s is %s", (bound, today, expected) => {
    expect(resolveDateBound(bound, today)).toBe(expected);
  });
});

describe("isValidIban", () => {
  it.each([
    ["DE89370400440532013000", true],
    ["de89 3704 0044 0532 0130 00", true],
    ["GB82WEST12345698765432", true],
    ["AT611904300234573201", true],
    ["DE88370400440532013000", false],
    ["DE89370400440532013001", false],
    ["DE8937040044053201300", false],
    // right checksum, wrong length or a letter: only the German rules reject them
    ["DE5137040044053201300", false],
    ["DE543704004405320130001", false],
    ["DE0537040044053201300A", false],
    ["GB82WEST1234569876543X", false],
    ["", false],
    ["DE", false],
  ])("%s: %s", (iban, valid) => {
    expect(isValidIban(iban)).toBe(valid);
  });
});

describe("parseDecimal", () => {
  it.each([
    ["1.234,50", 1234.5],
    ["12,5", 12.5],
    ["12.50", 12.5],
    [" 12,50 € ", 12.5],
    ["1 234,50", 1234.5],
    ["1.234", 1234],
    ["1.234.567", 1234567],
    ["0.125", 0.125],
    ["-3", -3],
    ["-0,5", -0.5],
    [",5", 0.5],
    ["42", 42],
    ["", null],
    ["-", null],
    ["abc", null],
    ["1,234.50", null],
    ["1.23,4", null],
    ["12,", null],
    ["1e5", null],
    ["1,2,3", null],
  ])("%j is %j", (text, expected) => {
    expect(parseDecimal(text)).toBe(expected);
  });
});
