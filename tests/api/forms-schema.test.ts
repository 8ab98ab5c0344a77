/// <reference types="vite/client" />
import { Validator } from "@cfworker/json-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import { berlinDate } from "../../server/lib/berlin-time.js";
import type { FileField, FormData, FormDefinition, FormFile } from "../../server/forms/definition.js";
import { formJsonSchema } from "../../server/forms/json-schema.js";
import { validateForm } from "../../server/forms/rules/index.js";
import type { TestApp } from "../harness/types.js";
import { uploadNeeds, validData } from "../support/form-data.js";
import { api, call, verifiedAccount } from "./flows.js";
import { idempotencyKey, pdfBytes, pngBytes, upload } from "./form-flows.js";

/**
 * The published JSON Schema of each demo form (`GET forms/{id}/schema.json`) against what the
 * server really stores: valid answers go in through the API, the stored data comes back out
 * of `me/submissions/{id}` and must pass the schema; mutated copies must not. Also the unit
 * check of tests/support/form-data.ts: its answers pass the rules for every demo form and for
 * the FIM import of every fixture.
 */

let t: TestApp;
let today: string;
const towns = ["tangerhuette", "musterstadt"] as const;
type Town = (typeof towns)[number];
const served = new Map<Town, FormDefinition[]>();

beforeAll(async () => {
  t = await createTestApp();
  today = berlinDate(t.clock.now());
  for (const slug of towns) {
    const list = await call(t, "GET", `${api(slug)}/forms`);
    expect(list.status).toBe(200);
    const defs: FormDefinition[] = [];
    for (const { id } of list.json.items as Array<{ id: string }>) {
      const def = await call(t, "GET", `${api(slug)}/forms/${id}`);
      expect(def.status).toBe(200);
      defs.push(def.json as FormDefinition);
    }
    served.set(slug, defs);
  }
});
afterAll(() => t.close());

const forms = (slug: Town) => served.get(slug)!;
/** Ids shaped like the server's, for checks that never reach the upload table. */
const fakeUploads = (path: string, field: FileField) =>
  Array.from({ length: Math.min(field.maxFiles ?? 1, 2) }, (_, i) => `u_${i}fake${path.replace(/\W/g, "")}`.padEnd(14, "x").slice(0, 60));
const seeds = [undefined, ...Array.from({ length: 24 }, (_, i) => i + 1)];

describe("validData (tests/support/form-data.ts)", () => {
  it("serves the demo forms of both towns", () => {
    for (const slug of towns) {
      expect(forms(slug).map((f) => f.id).sort()).toEqual(expect.arrayContaining(["hundesteuer", "kita-anmeldung", "maengelmelder", "osterfeuer"]));
    }
  });

  it("answers every demo form, minimal and seeded, so that the rules find no problem", () => {
    for (const slug of towns) {
      for (const def of forms(slug)) {
        for (const seed of seeds) {
          const data = validData(def, { today, uploads: fakeUploads, ...(seed === undefined ? {} : { seed }) });
          const { errors } = validateForm(def, data, { today });
          expect(errors, `${slug}/${def.id} seed ${seed}: ${JSON.stringify(data)}`).toEqual([]);
        }
      }
    }
  });

  it("varies with the seed: seeded answers reach fields the minimal ones leave out", () => {
    const def = forms("tangerhuette").find((f) => f.id === "hundesteuer")!;
    const minimal = JSON.stringify(validData(def, { today }));
    const variants = new Set(seeds.map((seed) => JSON.stringify(validData(def, { today, uploads: fakeUploads, ...(seed === undefined ? {} : { seed }) }))));
    expect(variants.size).toBeGreaterThan(10);
    expect([...variants].some((v) => v.includes('"nachweis"'))).toBe(true);
    expect(minimal).not.toContain("nachweis");
    // The same seed gives the same answers.
    expect(JSON.stringify(validData(def, { today, uploads: fakeUploads, seed: 7 }))).toBe(JSON.stringify(validData(def, { today, uploads: fakeUploads, seed: 7 })));
  });

  it("throws for a required file field without uploads, and for a pattern it cannot meet", () => {
    const proof: Pick<FormDefinition, "steps"> = {
      steps: [{ id: "s", title: { de: "S" }, items: [{ id: "nachweis", type: "file", label: { de: "Nachweis" }, required: true, accept: ["application/pdf"] }] }],
    };
    expect(() => validData(proof, { today })).toThrow(/nachweis is a required file field; pass opts\.uploads/);
    expect(validData(proof, { today, uploads: () => ["u_abcdefghijkl"] })).toEqual({ nachweis: ["u_abcdefghijkl"] });
    const odd: Pick<FormDefinition, "steps"> = {
      steps: [{ id: "s", title: { de: "S" }, items: [{ id: "code", type: "text", label: { de: "Code" }, required: true, pattern: { regex: "Q{7}", message: { de: "x" } } }] }],
    };
    expect(() => validData(odd, { today })).toThrow(/code matches \/Q\{7\}\//);
  });

  // The FIM importer (tools/forms/fim) is written alongside; its forms are checked once it is there.
  const importers = import.meta.glob<FimModule>("../../tools/forms/fim/import.ts");
  const codeListModules = import.meta.glob<CodeListModule>("../../tools/forms/fim/codelists.ts");
  const fixtures = import.meta.glob<string>("../../tools/forms/fixtures/*.xml", { query: "?raw", import: "default", eager: true });
  const codeListFiles = import.meta.glob<string>("../../tools/forms/fixtures/codelists/*.xml", { query: "?raw", import: "default", eager: true });

  it.skipIf(Object.keys(importers).length === 0 || Object.keys(fixtures).length === 0)(
    "answers the FIM import of every fixture so that the rules find no problem and the form's JSON Schema takes it",
    async () => {
      const { importFim } = await Object.values(importers)[0]!();
      const { CodeListIndex, parseGenericode } = await Object.values(codeListModules)[0]!();
      const codeLists = new CodeListIndex();
      for (const [name, xml] of Object.entries(codeListFiles)) codeLists.add(parseGenericode(xml, name));
      let imported = 0;
      for (const [name, xml] of Object.entries(fixtures)) {
        let form: FormFile;
        try {
          form = importFim(xml, { codeLists }).form;
        } catch (e) {
          // Fixtures that are no form at all (a lone rule) are the importer's to refuse.
          if (e instanceof Error && /keine Datenfelder/.test(e.message)) continue;
          throw e;
        }
        imported++;
        const def: FormDefinition = { ...form, id: "fim", version: 1, source: "town" };
        const validator = new Validator(formJsonSchema(def, "http://rathaus.test/fim.json") as Record<string, unknown>, "2020-12", false);
        for (const seed of seeds) {
          const data = validData(def, { today, uploads: fakeUploads, ...(seed === undefined ? {} : { seed }) });
          const result = validateForm(def, data, { today });
          expect(result.errors, `${name} seed ${seed}`).toEqual([]);
          const checked = validator.validate(result.data);
          expect(checked.errors.slice(-3), `${name} seed ${seed}: ${JSON.stringify(result.data)}`).toEqual([]);
        }
      }
      expect(imported).toBeGreaterThanOrEqual(4);
    },
  );
});

interface FimModule {
  importFim(xml: string, options?: { codeLists?: unknown }): { form: FormFile };
}
interface CodeListModule {
  CodeListIndex: new () => { add(list: unknown): void };
  parseGenericode(xml: string, source: string): unknown;
}

/** A file of a type the field accepts, from the two real files the forms suites have. */
function fileFor(field: FileField, index: number) {
  if (field.accept.includes("application/pdf")) return { bytes: pdfBytes(), name: `nachweis-${index}.pdf`, type: "application/pdf" };
  if (field.accept.includes("image/png")) return { bytes: pngBytes(), name: `foto-${index}.png`, type: "image/png" };
  throw new Error(`no test file for a field accepting ${field.accept.join(", ")}`);
}

/** The first key's value turned into another JSON type than the one it has. */
function withWrongType(data: FormData): Record<string, unknown> {
  const [key, v] = Object.entries(data)[0]!;
  const wrong = typeof v === "string" ? 42 : typeof v === "number" ? String(v) : typeof v === "boolean" ? "ja" : Array.isArray(v) ? "x" : [v];
  return { ...data, [key]: wrong };
}

/** A copy with an unknown key in the deepest object of the answers (an entry, a section, an address, or the root). */
function withUnknownKeyDeep(data: FormData): unknown {
  const copy = JSON.parse(JSON.stringify(data)) as FormData;
  let deepest: Record<string, unknown> = copy;
  let depth = 0;
  const visit = (v: unknown, d: number) => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, d + 1));
    else if (v && typeof v === "object") {
      if (d > depth) [deepest, depth] = [v as Record<string, unknown>, d];
      Object.values(v).forEach((x) => visit(x, d + 1));
    }
  };
  visit(copy, 0);
  deepest.zz_unbekannt = "x";
  return copy;
}

describe("GET forms/{id}/schema.json takes what the server stores", () => {
  it.each(towns)("every demo form of %s: sent through the API, read back, checked against its schema", async (slug) => {
    let checked = 0;
    for (const def of forms(slug)) {
      // One account per form keeps the uploads of a big form (FIM imports have dozens of file fields) within the hourly limit.
      const a = await verifiedAccount(t, slug);
      const schemaRes = await call(t, "GET", `${api(slug)}/forms/${def.id}/schema.json`);
      expect(schemaRes.status).toBe(200);
      const validator = new Validator(schemaRes.json as Record<string, unknown>, "2020-12", false);
      for (const seed of [undefined, 3, 11]) {
        const where = `${slug}/${def.id} seed ${seed}`;
        const base = seed === undefined ? { today } : { today, seed };
        const ids = new Map<string, string[]>();
        for (const { path, field } of uploadNeeds(def, base)) {
          const count = seed === undefined ? 1 : 1 + (seed % Math.min(field.maxFiles ?? 1, 2));
          const list: string[] = [];
          for (let i = 0; i < count; i++) {
            const up = await upload(t, slug, def.id, path, fileFor(field, i), { token: a.token });
            expect(up.status, `${where} upload ${path}: ${up.text}`).toBe(201);
            list.push(up.json.id);
          }
          ids.set(path, list);
        }
        const data = validData(def, { ...base, uploads: (path) => ids.get(path) ?? [] });
        const sent = await call(t, "POST", `${api(slug)}/forms/${def.id}/submissions`, {
          token: a.token,
          headers: { "Idempotency-Key": idempotencyKey() },
          body: { version: def.version, data },
        });
        expect(sent.status, `${where}: ${sent.text}`).toBe(201);

        const detail = await call(t, "GET", `${api(slug)}/me/submissions/${sent.json.id}`, { token: a.token });
        expect(detail.status).toBe(200);
        const stored = detail.json.data as FormData;
        // What is stored is what the rules cleaned, and every upload is linked.
        expect(stored, where).toEqual(validateForm(def, data, { today }).data);
        expect(detail.json.uploads.map((u: { id: string }) => u.id).sort(), where).toEqual([...ids.values()].flat().sort());

        const result = validator.validate(stored);
        expect(result.errors.slice(-3), `${where}: ${JSON.stringify(stored)}`).toEqual([]);
        expect(result.valid).toBe(true);
        // The schema is no blank cheque: unknown keys and wrong types are refused.
        expect(validator.validate({ ...stored, zz_unbekannt: 1 }).valid, `${where} unknown key`).toBe(false);
        expect(validator.validate(withUnknownKeyDeep(stored)).valid, `${where} unknown nested key`).toBe(false);
        expect(validator.validate(withWrongType(stored)).valid, `${where} wrong type`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBe(forms(slug).length * 3);
  });
});
