import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { TenantDefinitionError } from "../tenants/definitions.js";
import { formFileSchema, parseFormFile, resolveConditionField } from "./definition-schema.js";
import type { FormFile, Item } from "./definition.js";
import { declarationStep, definitionError, dogName, dogTaxForm, dogSex, dogsStep, listedBreed, ownerStep, paymentStep, t, temperamentTest } from "./test-fixtures.js";

const FILE = "tenants/_catalog/forms/hundesteuer.json";

/** A dog-tax-like form: an owner section, repeated dogs, payment by debit, a declaration. */
function hundesteuer(): FormFile {
  return dogTaxForm({
    department: "kaemmerei",
    access: { anonymous: false, accountKinds: ["person"] },
    steps: [
      ownerStep({
        label: t("Halter"),
        fim: "G60000045",
        items: [
          { id: "name", type: "text", label: t("Name"), required: true, maxLength: 120, prefill: "name", fim: "F60000227" },
          { id: "anschrift", type: "address", label: t("Anschrift"), required: true, prefill: "address" },
          { id: "telefon", type: "phone", label: t("Telefon"), prefill: "mobile" },
        ],
      }),
      dogsStep([dogName(), { id: "geburtsdatum", type: "date", label: t("Geburtsdatum"), required: true, max: "today" }, dogSex(), listedBreed(), temperamentTest({ maxFiles: 3 })]),
      paymentStep(),
      declarationStep(),
    ],
  });
}

const json = (form: unknown) => JSON.stringify(form);

const failure = (form: unknown, opts?: { departments?: string[] }): TenantDefinitionError =>
  definitionError(() => parseFormFile(typeof form === "string" ? form : json(form), FILE, opts), "the form file to be rejected");

/** The fixture with one change, written as plain JSON edits, the way a consortium admin errs. */
function edited(edit: (f: any) => void): unknown {
  const f = JSON.parse(json(hundesteuer()));
  edit(f);
  return f;
}

const dogs = (f: any) => f.steps[1].items[0].items as any[];
const payment = (f: any) => f.steps[2].items as any[];

describe("parseFormFile: shape", () => {
  it("accepts a valid form and returns it unchanged", () => {
    expect(parseFormFile(json(hundesteuer()), FILE, { departments: ["kaemmerei"] })).toEqual(hundesteuer());
  });

  it("names the file when it is not JSON", () => {
    const e = failure('{"title": ');
    expect(e.file).toBe(FILE);
    expect(e.field).toBe("");
    expect(e.message).toMatch(/^tenants\/_catalog\/forms\/hundesteuer\.json: is not valid JSON/);
  });

  it("names a missing field", () => {
    const e = failure(edited((f) => delete f.category));
    expect(e.field).toBe("category");
    expect(e.message).toBe(`${FILE}: field "category": is missing`);
  });

  it("names an unknown field with its full path, so typos do not go unnoticed", () => {
    const e = failure(edited((f) => (dogs(f)[3].requried = true)));
    expect(e.field).toBe("steps.1.items.0.items.3.requried");
    expect(e.problem).toBe("is not a known field");
  });

  it("says what a value of the wrong type should be", () => {
    const e = failure(edited((f) => (dogs(f)[0].maxLength = "12")));
    expect(e.field).toBe("steps.1.items.0.items.0.maxLength");
    expect(e.problem).toBe("must be a number");
    const empty = failure(edited((f) => (dogs(f)[0].label = { de: "" })));
    expect([empty.field, empty.problem]).toEqual(["steps.1.items.0.items.0.label.de", "must not be empty"]);
  });

  it("rejects an option for another type (maxLength on a yesno)", () => {
    expect(failure(edited((f) => (dogs(f)[3].maxLength = 3))).field).toBe("steps.1.items.0.items.3.maxLength");
  });

  it("names an unknown item type and lists the known ones", () => {
    const e = failure(edited((f) => (dogs(f)[0].type = "string")));
    expect(e.field).toBe("steps.1.items.0.items.0.type");
    expect(e.problem).toContain('"string" is not a known item type');
    expect(e.problem).toContain("textarea");
  });

  it("explains the forms of a condition when one is malformed", () => {
    const e = failure(edited((f) => (dogs(f)[4].when = { field: "listenhund", is: true })));
    expect(e.field).toBe("steps.1.items.0.items.4.when");
    expect(e.problem).toContain("{field, equals}");
  });

  it("reports a problem inside a nested condition at its place", () => {
    const e = failure(edited((f) => (dogs(f)[4].when = { all: [{ field: "listenhund", yes: true }, { field: "Listenhund", yes: true }] })));
    expect(e.field).toBe("steps.1.items.0.items.4.when.all.1.field");
  });

  it("requires item ids of lowercase letters, digits and _", () => {
    for (const bad of ["Name", "1name", "na-me", "a".repeat(41), ""]) {
      expect(failure(edited((f) => (dogs(f)[0].id = bad))).field, bad).toBe("steps.1.items.0.items.0.id");
    }
  });

  it("requires at least one step and no empty steps or groups", () => {
    expect(failure(edited((f) => (f.steps = []))).field).toBe("steps");
    expect(failure(edited((f) => (f.steps[3].items = []))).field).toBe("steps.3.items");
    expect(failure(edited((f) => (f.steps[0].items[0].items = []))).field).toBe("steps.0.items.0.items");
  });

  it("checks leika, fim and the upload limits", () => {
    expect(failure(edited((f) => (f.leika = "9900800200100"))).field).toBe("leika");
    expect(failure(edited((f) => (f.steps[0].items[0].items[0].fim = "F6000022"))).field).toBe("steps.0.items.0.items.0.fim");
    expect(parseFormFile(json(edited((f) => (f.steps[0].items[0].items[0].fim = "F60000227V1.2"))), FILE)).toBeTruthy();
    expect(failure(edited((f) => (dogs(f)[4].accept = ["image/tiff"]))).field).toBe("steps.1.items.0.items.4.accept.0");
    expect(failure(edited((f) => (dogs(f)[4].accept = []))).field).toBe("steps.1.items.0.items.4.accept");
    expect(failure(edited((f) => (dogs(f)[4].maxSize = 25 * 1024 * 1024 + 1))).field).toBe("steps.1.items.0.items.4.maxSize");
    expect(parseFormFile(json(edited((f) => (dogs(f)[4].maxSize = 25 * 1024 * 1024))), FILE)).toBeTruthy();
    expect(failure(edited((f) => (dogs(f)[4].maxFiles = 11))).field).toBe("steps.1.items.0.items.4.maxFiles");
    expect(failure(edited((f) => (f.steps[1].items[0].repeat.max = 101))).field).toBe("steps.1.items.0.repeat.max");
  });

  it("checks the form of date and time bounds", () => {
    for (const ok of ["today", "2026-04-01", "+P30D", "-P18Y", "+P2M"]) {
      expect(parseFormFile(json(edited((f) => (dogs(f)[1].min = ok))), FILE), ok).toBeTruthy();
    }
    for (const bad of ["yesterday", "1.4.2026", "P30D", "+P1W", "+30D"]) {
      expect(failure(edited((f) => (dogs(f)[1].min = bad))).field, bad).toBe("steps.1.items.0.items.1.min");
    }
    const time = (min: string) => edited((f) => f.steps[3].items.push({ id: "uhrzeit", type: "time", label: t("Uhrzeit"), min }));
    expect(parseFormFile(json(time("08:30")), FILE)).toBeTruthy();
    for (const bad of ["8:30", "24:00", "08:60"]) expect(failure(time(bad)).field, bad).toBe("steps.3.items.1.min");
  });

  it("rejects an option with an empty value", () => {
    expect(failure(edited((f) => (dogs(f)[2].options[1].value = ""))).field).toBe("steps.1.items.0.items.2.options.1.value");
  });

  it("has a shape zod can describe as JSON Schema, for the docs", () => {
    const schema = z.toJSONSchema(formFileSchema) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toContain("steps");
  });
});

describe("parseFormFile: ids", () => {
  it("rejects a repeated id among siblings", () => {
    const e = failure(edited((f) => (dogs(f)[1].id = "name")));
    expect(e.field).toBe("steps.1.items.0.items.1.id");
    expect(e.problem).toContain('"name" is already the id');
  });

  it("allows the same id in different groups (they are different keys in the data)", () => {
    // halter.name and hunde.name in the fixture.
    expect(() => parseFormFile(json(hundesteuer()), FILE)).not.toThrow();
  });

  it("rejects a top-level id used on two steps, since all steps share one set of answers", () => {
    const e = failure(edited((f) => (f.steps[3].items[0].id = "iban")));
    expect(e.field).toBe("steps.3.items.0.id");
    expect(e.problem).toContain("steps.2.items.1");
  });

  it("rejects a repeated step id", () => {
    expect(failure(edited((f) => (f.steps[2].id = "halterin"))).field).toBe("steps.2.id");
  });

  it("counts a hint's id too", () => {
    expect(failure(edited((f) => (payment(f)[2].id = "iban"))).field).toBe("steps.2.items.2.id");
  });
});

describe("parseFormFile: conditions", () => {
  const when = (edit: (f: any) => void) => failure(edited(edit));

  it("accepts a condition relative to the repeated entry it stands in", () => {
    // The fixture's nachweis uses its own dog's listenhund.
    expect(() => parseFormFile(json(hundesteuer()), FILE)).not.toThrow();
  });

  it("looks outward from a nested group to the entry, then to the root", () => {
    const form = edited((f) => {
      dogs(f).push({
        id: "details",
        type: "group",
        label: t("Details"),
        items: [
          { id: "chip", type: "yesno", label: t("Chip?") },
          { id: "chipnummer", type: "text", label: t("Chipnummer"), when: { field: "chip", yes: true } },
          { id: "grund", type: "text", label: t("Grund"), when: { field: "listenhund", yes: true } },
          { id: "lastschrift_hund", type: "text", label: t("x"), when: { field: "halter.telefon", filled: true } },
        ],
      });
    });
    expect(() => parseFormFile(json(form), FILE)).not.toThrow();
  });

  it("rejects a field that does not exist", () => {
    const e = when((f) => (payment(f)[1].when = { field: "zahlungsweise", equals: "lastschrift" }));
    expect(e.field).toBe("steps.2.items.1.when.field");
    expect(e.problem).toContain('"zahlungsweise" is not an item of this form');
  });

  it("rejects a hint or a group as the field", () => {
    expect(when((f) => (f.steps[3].items[0].when = { field: "hinweis", filled: true })).problem).toContain("is a hint");
    expect(when((f) => (f.steps[3].items[0].when = { field: "halter", filled: true })).problem).toContain("is a group");
  });

  it("rejects a field that depends on itself", () => {
    const e = when((f) => (payment(f)[1].when = { field: "iban", filled: true }));
    expect(e.field).toBe("steps.2.items.1.when.field");
    expect(e.problem).toContain("the field itself");
  });

  it("rejects a group that depends on one of its own fields", () => {
    const e = when((f) => (f.steps[0].items[0].when = { field: "halter.telefon", filled: true }));
    expect(e.field).toBe("steps.0.items.0.when.field");
    expect(e.problem).toContain("inside the group");
  });

  it("rejects a step that depends on one of its own fields", () => {
    const e = when((f) => (f.steps[2].when = { field: "zahlungsart", equals: "lastschrift" }));
    expect(e.field).toBe("steps.2.when.field");
  });

  it("accepts a step that depends on an earlier step, and rejects one on a later step", () => {
    expect(() => parseFormFile(json(edited((f) => (f.steps[2].when = { field: "halter.telefon", filled: true }))), FILE)).not.toThrow();
    const e = when((f) => (f.steps[0].items[0].items[2].when = { field: "zahlungsart", equals: "lastschrift" }));
    expect(e.field).toBe("steps.0.items.0.items.2.when.field");
    expect(e.problem).toContain("later step");
  });

  it("rejects a condition outside a repeated group that uses an answer inside it", () => {
    const e = when((f) => (payment(f)[1].when = { field: "hunde.listenhund", yes: true }));
    expect(e.field).toBe("steps.2.items.1.when.field");
    expect(e.problem).toContain('repeated group "hunde"');
  });

  it("rejects the absolute path inside the entry, which the rules module cannot follow without an index", () => {
    const e = when((f) => (dogs(f)[4].when = { field: "hunde.listenhund", yes: true }));
    expect(e.field).toBe("steps.1.items.0.items.4.when.field");
    expect(e.problem).toContain("relative to the entry");
  });

  it("rejects values a field's answer can never have", () => {
    expect(when((f) => (dogs(f)[4].when = { field: "listenhund", equals: "ja" })).field).toBe("steps.1.items.0.items.4.when.equals");
    const e = when((f) => (payment(f)[1].when = { field: "zahlungsart", in: ["lastschrift", "sepa"] }));
    expect(e.field).toBe("steps.2.items.1.when.in.1");
    expect(e.problem).toContain("lastschrift, ueberweisung");
    expect(when((f) => (payment(f)[1].when = { field: "zahlungsart", yes: true })).field).toBe("steps.2.items.1.when.yes");
    expect(when((f) => (payment(f)[1].when = { field: "halter.anschrift", equals: "x" })).problem).toContain("filled");
  });

  it("rejects conditions that depend on each other", () => {
    const e = when((f) => {
      f.steps[3].items.push(
        { id: "a", type: "text", label: t("a"), when: { field: "b", filled: true } },
        { id: "b", type: "text", label: t("b"), when: { not: { field: "a", filled: true } } },
      );
    });
    expect(e.field).toBe("steps.3.items.1.when.field");
    expect(e.problem).toContain("loop (a → b → a)");
  });

  it("finds a loop through a group's condition", () => {
    const e = when((f) => {
      f.steps[3].items.push(
        { id: "a", type: "yesno", label: t("a"), when: { field: "g.b", yes: true } },
        { id: "g", type: "group", label: t("g"), when: { field: "a", yes: true }, items: [{ id: "b", type: "yesno", label: t("b") }] },
      );
    });
    expect(e.problem).toContain("loop");
  });
});

describe("parseFormFile: field settings", () => {
  it("rejects a pattern that does not compile as a unicode regular expression, or is too long", () => {
    const withPattern = (regex: string) => edited((f) => (dogs(f)[0].pattern = { regex, message: t("Nur Buchstaben") }));
    expect(parseFormFile(json(withPattern("\\p{L}+")), FILE)).toBeTruthy();
    const e = failure(withPattern("[a-"));
    expect(e.field).toBe("steps.1.items.0.items.0.pattern.regex");
    expect(e.problem).toContain("not a valid regular expression");
    // Valid without the u flag, an error with it: the rules module compiles with u.
    expect(failure(withPattern("\\-\\a")).field).toBe("steps.1.items.0.items.0.pattern.regex");
    expect(failure(withPattern("a".repeat(501))).field).toBe("steps.1.items.0.items.0.pattern.regex");
  });

  it("rejects repeated option values", () => {
    const e = failure(edited((f) => (dogs(f)[2].options[1].value = "ruede")));
    expect(e.field).toBe("steps.1.items.0.items.2.options.1.value");
  });

  it("rejects bounds that cannot be met", () => {
    expect(failure(edited((f) => Object.assign(dogs(f)[0], { minLength: 5, maxLength: 4 }))).field).toBe("steps.1.items.0.items.0.minLength");
    expect(failure(edited((f) => (f.steps[1].items[0].repeat = { min: 6, max: 5 }))).field).toBe("steps.1.items.0.repeat.min");
    expect(failure(edited((f) => Object.assign(dogs(f)[1], { min: "2026-05-01", max: "2026-04-01" }))).field).toBe("steps.1.items.0.items.1.min");
    expect(failure(edited((f) => (dogs(f)[1].max = "2026-02-30"))).field).toBe("steps.1.items.0.items.1.max");
    const number = (min: number, max: number) =>
      edited((f) => f.steps[3].items.push({ id: "betrag", type: "amount", label: t("Betrag"), min, max }));
    expect(parseFormFile(json(number(1, 1)), FILE)).toBeTruthy();
    expect(failure(number(2, 1)).field).toBe("steps.3.items.1.min");
    const multi = (minItems: number, maxItems: number) =>
      edited((f) =>
        f.steps[3].items.push({
          id: "auswahl",
          type: "multichoice",
          label: t("Auswahl"),
          options: [{ value: "a", label: t("A") }, { value: "b", label: t("B") }],
          minItems,
          maxItems,
        }),
      );
    expect(failure(multi(2, 1)).field).toBe("steps.3.items.1.minItems");
    expect(failure(multi(3, 3)).field).toBe("steps.3.items.1.minItems");
    const time = edited((f) => f.steps[3].items.push({ id: "uhrzeit", type: "time", label: t("Uhrzeit"), min: "18:00", max: "08:00" }));
    expect(failure(time).field).toBe("steps.3.items.1.min");
  });

  it("rejects prefill inside a repeated group and prefill that does not fit the type", () => {
    const e = failure(edited((f) => (dogs(f)[0].prefill = "name")));
    expect(e.field).toBe("steps.1.items.0.items.0.prefill");
    expect(e.problem).toContain("repeated group");
    expect(failure(edited((f) => (f.steps[0].items[0].items[2].prefill = "email"))).field).toBe("steps.0.items.0.items.2.prefill");
  });

  it("rejects a FIM group id on a field and a field id on a group", () => {
    expect(failure(edited((f) => (f.steps[0].items[0].items[0].fim = "G60000227"))).field).toBe("steps.0.items.0.items.0.fim");
    expect(failure(edited((f) => (f.steps[0].items[0].fim = "F60000045"))).field).toBe("steps.0.items.0.fim");
  });

  it("checks the department against the town's departments when given", () => {
    expect(parseFormFile(json(hundesteuer()), FILE).department).toBe("kaemmerei");
    const e = failure(hundesteuer(), { departments: ["ordnungsamt", "kita"] });
    expect(e.field).toBe("department");
    expect(e.problem).toContain("ordnungsamt, kita");
  });

  it("rejects a form without any field", () => {
    const e = failure({ ...hundesteuer(), steps: [{ id: "info", title: t("Info"), items: [{ id: "h", type: "hint", text: t("Nur Text") }] }] });
    expect(e.field).toBe("steps");
    expect(e.problem).toContain("no fields");
  });

  it("allows 500 fields and rejects 501", () => {
    const many = (n: number) => ({
      ...hundesteuer(),
      steps: [{ id: "s", title: t("S"), items: Array.from({ length: n }, (_, i): Item => ({ id: `f${i}`, type: "yesno", label: t("F") })) }],
    });
    expect(parseFormFile(json(many(500)), FILE)).toBeTruthy();
    const e = failure(many(501));
    expect(e.field).toBe("steps");
    expect(e.problem).toContain("501 fields");
  });

  it("allows items 8 levels deep and rejects a 9th", () => {
    const nested = (levels: number): Item => {
      let item: Item = { id: "leaf", type: "yesno", label: t("Blatt") };
      for (let i = 1; i < levels; i++) item = { id: `g${i}`, type: "group", label: t("Gruppe"), items: [item] };
      return item;
    };
    const form = (levels: number) => ({ ...hundesteuer(), steps: [{ id: "s", title: t("S"), items: [nested(levels)] }] });
    expect(parseFormFile(json(form(8)), FILE)).toBeTruthy();
    const e = failure(form(9));
    expect(e.field).toBe(`steps.0.items.0${".items.0".repeat(8)}`);
    expect(e.problem).toContain("9 levels");
  });
});

describe("resolveConditionField", () => {
  const form = hundesteuer();
  const items = new Map<string, Item>();
  const walk = (list: Item[], prefix: string) =>
    list.forEach((i) => {
      const p = prefix ? `${prefix}.${i.id}` : i.id;
      items.set(p, i);
      if (i.type === "group") walk(i.items, p);
    });
  form.steps.forEach((s) => walk(s.items, ""));
  const lookup = (p: string) => items.get(p);

  it("prefers the entry's own field, then looks outward", () => {
    expect(resolveConditionField("name", "hunde", lookup)).toBe("hunde.name");
    expect(resolveConditionField("zahlungsart", "hunde", lookup)).toBe("zahlungsart");
    expect(resolveConditionField("halter.name", "hunde", lookup)).toBe("halter.name");
  });

  it("does not cross a repeated group", () => {
    expect(resolveConditionField("hunde.name", "", lookup)).toBeUndefined();
    expect(resolveConditionField("hunde.name", "hunde", lookup)).toBeUndefined();
  });
});
