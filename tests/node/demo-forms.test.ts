/**
 * The demo towns' forms and the catalogue are read by the same loader and checks as
 * `npm run tenants -- validate`, so a broken demo file fails here before it fails a sync.
 * Beyond validity it pins what other tests and the docs rely on: both towns serve the same
 * form ids, every text has an English version, Musterstadt's `hide` really removes a field, and
 * the complete example in docs/forms.md stays valid.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { adaptCatalogForm } from "../../server/forms/catalog.js";
import { forEachItem, parseFormFile } from "../../server/forms/definition-schema.js";
import type { FormFile, Item, Text } from "../../server/forms/definition.js";
import { readTenantSources } from "../../server/node/tenant-files.js";
import { parseTenantSource, parseTenantSources } from "../../server/tenants/definitions.js";
import { root } from "./process.js";

const tenantsDir = join(root, "tenants");
const towns = ["musterstadt", "tangerhuette"] as const;
const ownFormIds = ["kita-anmeldung", "maengelmelder", "osterfeuer"];

function formFiles(folder: string): Array<{ id: string; file: string; json: string }> {
  const dir = join(tenantsDir, folder, "forms");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ id: f.slice(0, -5), file: relative(root, join(dir, f)), json: readFileSync(join(dir, f), "utf8") }));
}

function townConfig(slug: string) {
  const src = readTenantSources(tenantsDir, root).find((s) => s.folder === slug)!;
  return parseTenantSource(src).config;
}

/** Every Text of a form, with where it is, for the English check. */
function texts(form: FormFile): Array<[string, Text]> {
  const out: Array<[string, Text]> = [];
  for (const key of ["title", "summary", "category", "fees", "intro", "afterSubmit"] as const) {
    if (form[key]) out.push([key, form[key]]);
  }
  form.steps.forEach((s) => out.push([`step ${s.id}`, s.title]));
  forEachItem(form.steps, (item: Item, path) => {
    if (item.type === "hint") return out.push([path, item.text]);
    out.push([path, item.label]);
    if (item.help) out.push([`${path} help`, item.help]);
    if (item.type === "choice" || item.type === "multichoice") item.options.forEach((o) => out.push([`${path}=${o.value}`, o.label]));
    if (item.type === "group" && item.repeat?.itemLabel) out.push([`${path} itemLabel`, item.repeat.itemLabel]);
    if (item.type === "text" && item.pattern) out.push([`${path} pattern`, item.pattern.message]);
  });
  return out;
}

function paths(form: FormFile): string[] {
  const out: string[] = [];
  forEachItem(form.steps, (_item, path) => out.push(path));
  return out;
}

/** Federal forms imported with `npm run forms -- import-fim`: German only, as FIM publishes them. */
const imported = (slug: string) => (slug === "musterstadt" ? ["aufenthaltserlaubnis"] : []);

describe("demo forms", () => {
  it("the whole tenants/ folder loads as `npm run tenants -- validate` loads it", () => {
    const defs = parseTenantSources(readTenantSources(tenantsDir, root));
    expect(defs.map((d) => d.config.slug)).toEqual([...towns]);
    for (const d of defs) {
      expect(d.config.services).toContain("forms");
      expect(d.forms.map((f) => [f.id, f.source])).toEqual(
        [["hundesteuer", "catalog"], ...[...ownFormIds, ...imported(d.config.slug)].map((id) => [id, "town"])].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      );
    }
    expect(defs.map((d) => d.config.forms.referencePrefix)).toEqual(["MST", "TGH"]);
  });

  it("the catalogue forms are valid on their own", () => {
    const files = formFiles("_catalog");
    expect(files.map((f) => f.id)).toEqual(["hundesteuer"]);
    for (const f of files) expect(() => parseFormFile(f.json, f.file)).not.toThrow();
  });

  for (const slug of towns) {
    describe(slug, () => {
      const config = townConfig(slug);
      const departments = config.departments.map((d) => d.id);

      it("has the four departments the forms are sent to", () => {
        expect(departments).toEqual(["ordnungsamt", "kaemmerei", "kita", "bauhof"]);
        for (const d of config.departments) expect(d.email).toMatch(new RegExp(`@${slug}\\.example$`));
      });

      it("serves its own forms, each valid and sent to one of its departments", () => {
        const files = formFiles(slug);
        expect(files.map((f) => f.id)).toEqual([...ownFormIds, ...imported(slug)].sort());
        for (const f of files) {
          const form = parseFormFile(f.json, f.file, { departments });
          expect(form.department, f.file).toBeDefined();
          expect(departments, f.file).toContain(form.department);
        }
      });

      it("applies its catalogue adaptations to the catalogue forms", () => {
        const catalog = new Map(formFiles("_catalog").map((f) => [f.id, f]));
        expect(config.forms.catalog.map((a) => a.id)).toEqual(["hundesteuer"]);
        config.forms.catalog.forEach((adaptation, i) => {
          const entry = catalog.get(adaptation.id)!;
          const adapted = adaptCatalogForm(parseFormFile(entry.json, entry.file), adaptation, `tenants/${slug}/tenant.json`, i);
          expect(adapted.department).toBe("kaemmerei");
          expect(adapted.fees).toEqual(adaptation.fees);
          for (const [path, help] of Object.entries(adaptation.help ?? {})) {
            let found: Text | undefined;
            forEachItem(adapted.steps, (item, p) => {
              if (p === path && item.type !== "hint") found = item.help;
            });
            expect(found, path).toEqual(help);
          }
        });
      });

      it("writes every text in German and English", () => {
        const forms = formFiles(slug)
          .filter((f) => !imported(slug).includes(f.id))
          .map((f) => parseFormFile(f.json, f.file, { departments }));
        for (const form of forms) {
          // Guards against a walk that finds nothing and so passes vacuously.
          expect(texts(form).length, form.title.de).toBeGreaterThan(20);
          for (const [where, t] of texts(form)) expect(t.en, `${form.title.de}: ${where}`).toBeTruthy();
        }
      });
    });
  }

  it("Musterstadt hides the owner's phone number of the dog tax form; Tangerhütte asks for it", () => {
    const entry = formFiles("_catalog").find((f) => f.id === "hundesteuer")!;
    const adapted = (slug: string) => {
      const adaptation = townConfig(slug).forms.catalog.find((a) => a.id === "hundesteuer")!;
      return adaptCatalogForm(parseFormFile(entry.json, entry.file), adaptation, `tenants/${slug}/tenant.json`, 0);
    };
    expect(paths(parseFormFile(entry.json, entry.file))).toContain("halter.telefon");
    expect(paths(adapted("tangerhuette"))).toContain("halter.telefon");
    expect(paths(adapted("musterstadt"))).not.toContain("halter.telefon");
    expect(adapted("musterstadt").title.de).toBe("Hund anmelden (Hundesteuer)");
  });

  it("the complete example in docs/forms.md is a valid form", () => {
    const doc = readFileSync(join(root, "docs", "forms.md"), "utf8");
    const section = doc.slice(doc.indexOf("## A complete example"));
    const block = /```json\n([\s\S]*?)\n```/.exec(section);
    expect(block, "a ```json block after the heading").not.toBeNull();
    const form = parseFormFile(block![1]!, "docs/forms.md", { departments: ["bauhof"] });
    expect(form.steps.map((s) => s.id)).toEqual(["abholung", "kontakt", "zahlung"]);
  });

  it("the catalogue's texts are in German and English too", () => {
    for (const f of formFiles("_catalog")) {
      const form = parseFormFile(f.json, f.file);
      for (const [where, t] of texts(form)) expect(t.en, `${f.id}: ${where}`).toBeTruthy();
    }
  });
});
