/**
 * "Imports into a form that validates and can be submitted": the imported definitions go
 * through the same rules module the server uses to accept a submission.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Field, FormData, FormFile, Item, Value } from "../../../server/forms/definition.js";
import { parseFormFile } from "../../../server/forms/definition-schema.js";
import { validateForm } from "../../../server/forms/rules/index.js";
import { CodeListIndex, parseGenericode } from "./codelists.js";
import { importFim } from "./import.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const ctx = { today: "2026-03-15" };

/** A value the field accepts, whatever its type and bounds. */
function validValue(f: Field): Value {
  switch (f.type) {
    case "text":
    case "textarea": {
      const min = f.minLength ?? 0;
      const max = f.maxLength ?? Infinity;
      const re = f.pattern ? new RegExp(`^(?:${f.pattern.regex})$`, "u") : null;
      const fits = ["Beispiel", "AB-123", "12345", "x".repeat(Math.max(min, 1))].find(
        (c) => c.length >= min && c.length <= max && (!re || re.test(c)),
      );
      if (fits === undefined) throw new Error(`no test value for ${f.id}`);
      return fits;
    }
    case "number":
    case "integer":
    case "amount":
      return Math.min(f.min ?? 1, f.max ?? Infinity);
    case "date":
      return f.min && /^\d{4}-\d{2}-\d{2}$/.test(f.min) ? f.min : "2020-06-15";
    case "time":
      return f.min ?? "12:00";
    case "choice":
      return f.options[0]!.value;
    case "multichoice":
      return f.options.slice(0, Math.max(f.minItems ?? 1, 1)).map((o) => o.value);
    case "yesno":
    case "consent":
      return true;
    case "file":
      return ["u_testupload01"];
    case "email":
      return "person@example.org";
    case "phone":
      return "+49 30 1234567";
    case "iban":
      return "DE89370400440532013000";
    case "address":
      return { street: "Hauptstraße 1", postalCode: "12345", city: "Musterstadt" };
  }
}

/** Answers for every required field (imported forms have no conditions: all are visible), entries for repeated groups' minimum. */
function fillRequired(items: Item[]): FormData {
  const out: FormData = {};
  for (const item of items) {
    if (item.type === "hint") continue;
    if (item.type === "group") {
      if (item.repeat) {
        if (item.repeat.min > 0) out[item.id] = Array.from({ length: item.repeat.min }, () => fillRequired(item.items));
      } else {
        const inner = fillRequired(item.items);
        if (Object.keys(inner).length > 0) out[item.id] = inner;
      }
    } else if (item.required) {
      out[item.id] = validValue(item);
    }
  }
  return out;
}

function imported(name: string, codeLists?: CodeListIndex): FormFile {
  const result = importFim(fixture(name), codeLists ? { codeLists } : {});
  // What the sync would serve: the file as written, checked.
  return parseFormFile(JSON.stringify(result.form), name);
}

describe("an imported form can be submitted", () => {
  const lists = new CodeListIndex();
  lists.add(parseGenericode(fixture("codelists/geschlecht_3.xml"), "geschlecht_3.xml"));

  it.each([
    ["S00000246v1.1_xdf2.xml", lists],
    ["S00000246v1.1_xdf2.xml", undefined],
    ["xdf3-types.xml", undefined],
    ["xdf2-select.xml", undefined],
  ] as const)("%s: required answers given → no errors; none given → the required ones are named", (name, codeLists) => {
    const form = imported(name, codeLists);
    const data = fillRequired(form.steps.flatMap((s) => s.items));
    expect(Object.keys(data).length).toBeGreaterThan(0);

    const accepted = validateForm(form, data, ctx);
    expect(accepted.errors).toEqual([]);
    expect(accepted.data).toEqual(data);

    const empty = validateForm(form, {}, ctx);
    expect(empty.errors.length).toBeGreaterThan(0);
    for (const e of empty.errors) expect(["required", "too_few"]).toContain(e.code);
    // Each root answer given above is missed when left out.
    const missed = new Set(empty.errors.map((e) => e.path.split(".")[0]));
    for (const key of Object.keys(data)) expect(missed).toContain(key);
  });

  it("S00000246: the applicant's mandatory answers are required, the representative's are not", () => {
    const form = imported("S00000246v1.1_xdf2.xml", lists);
    const paths = validateForm(form, {}, ctx).errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(["familienname", "geschlecht", "groesse_person", "geburtsdatum_teilbekannt.jahr", "staatsangehoerigkeit", "identitaetsnachweis", "nachweis_integrationskurs"]),
    );
    expect(paths.some((p) => p.startsWith("gesetzlicher_vertreter"))).toBe(false);

    // Wrong values are caught by the imported constraints.
    const data = fillRequired(form.steps.flatMap((s) => s.items));
    const wrong = { ...data, geschlecht: "q", groesse_person: 12, geburtsdatum_teilbekannt: { jahr: 1700 } };
    const codes = validateForm(form, wrong, ctx).errors.map((e) => [e.path, e.code]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ["geschlecht", "invalid_choice"],
        ["groesse_person", "too_small"],
        ["geburtsdatum_teilbekannt.jahr", "too_small"],
      ]),
    );
  });
});
