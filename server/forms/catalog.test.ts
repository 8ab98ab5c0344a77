import { describe, expect, it } from "vitest";
import type { CatalogFormAdaptation } from "../tenants/schema.js";
import type { TenantDefinitionError } from "../tenants/definitions.js";
import { adaptCatalogForm } from "./catalog.js";
import { forEachItem } from "./definition-schema.js";
import type { FormFile, Item, Text } from "./definition.js";
import { declarationStep, definitionError, dogName, dogTaxForm, dogsStep, ownerStep, t, temperamentTest } from "./test-fixtures.js";

const TENANT = "tenants/musterstadt/tenant.json";

/** A catalogue dog-tax form: owner with an optional proxy, repeated dogs, optional extras, a declaration. */
function hundesteuer(): FormFile {
  return dogTaxForm({
    fees: t("Gebührenfrei"),
    intro: t("Bitte Nachweise bereithalten"),
    access: { anonymous: false },
    steps: [
      ownerStep({
        label: t("Halter"),
        items: [
          { id: "name", type: "text", label: t("Name"), required: true },
          { id: "telefon", type: "phone", label: t("Telefon") },
          { id: "vertretung", type: "yesno", label: t("Vertreten Sie jemanden?") },
          {
            id: "vertreter",
            type: "group",
            label: t("Vertretung"),
            when: { field: "vertretung", yes: true },
            items: [
              { id: "name", type: "text", label: t("Name der vertretenen Person"), required: true },
              { id: "vollmacht", type: "file", label: t("Vollmacht"), required: true, accept: ["application/pdf"] },
            ],
          },
        ],
      }),
      dogsStep(
        [
          dogName(),
          { id: "rasse", type: "text", label: t("Rasse"), help: t("Bei Mischlingen die erkennbaren Rassen") },
          // Optional, so that hiding it is refused for the condition that reads it, not as a required field.
          { id: "listenhund", type: "yesno", label: t("Listenhund?") },
          temperamentTest(),
          { id: "bemerkung", type: "textarea", label: t("Bemerkung") },
        ],
        { min: 1, max: 5 },
      ),
      {
        id: "extras",
        title: t("Zusätzliches"),
        items: [
          {
            id: "zusatz",
            type: "group",
            label: t("Zusätzliches"),
            items: [
              { id: "newsletter", type: "consent", label: t("Newsletter") },
              { id: "hinweis", type: "hint", text: t("Freiwillig") },
            ],
          },
        ],
      },
      declarationStep("Richtig und vollständig"),
    ],
  });
}

const adaptation = (a: Partial<CatalogFormAdaptation> = {}): CatalogFormAdaptation => ({ id: "hundesteuer", ...a });

function paths(form: FormFile): string[] {
  const out: string[] = [];
  forEachItem(form.steps, (_item, path) => out.push(path));
  return out;
}

function itemAt(form: FormFile, path: string): Item | undefined {
  let found: Item | undefined;
  forEachItem(form.steps, (item, p) => {
    if (p === path) found = item;
  });
  return found;
}

const failure = (a: Partial<CatalogFormAdaptation>, form = hundesteuer(), at: { index?: number } = { index: 2 }): TenantDefinitionError =>
  definitionError(() => adaptCatalogForm(form, adaptation(a), TENANT, at.index), "the adaptation to be rejected");

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("adaptCatalogForm", () => {
  it("without adaptations serves the catalogue form as it is", () => {
    expect(adaptCatalogForm(hundesteuer(), adaptation(), TENANT, 0)).toEqual(hundesteuer());
  });

  it("applies the town's texts and department and keeps the catalogue's where the town has none", () => {
    const texts = {
      title: t("Hund anmelden"),
      summary: t("Für Hunde in Musterstadt"),
      category: t("Steuern & Abgaben"),
      fees: t("90 € im Jahr"),
      afterSubmit: t("Sie erhalten die Hundemarke per Post"),
    };
    const form = adaptCatalogForm(hundesteuer(), adaptation({ ...texts, department: "kaemmerei" }), TENANT, 0);
    expect(form).toMatchObject({ ...texts, department: "kaemmerei" });
    expect(form.intro).toEqual(hundesteuer().intro);
  });

  it("never changes the catalogue form, and shares nothing with it", () => {
    const catalogue = deepFreeze(hundesteuer());
    const form = adaptCatalogForm(
      catalogue,
      adaptation({ title: t("Hund anmelden"), hide: ["halter.telefon", "hunde.bemerkung"], help: { "hunde.rasse": t("Neue Hilfe") } }),
      TENANT,
      0,
    );
    expect(catalogue).toEqual(hundesteuer());
    (form.steps[1]!.items[0] as { label: Text }).label.de = "geändert";
    expect(catalogue.steps[1]!.items[0]).toEqual(hundesteuer().steps[1]!.items[0]);
  });

  describe("hide", () => {
    it("removes optional items from their group, also from every entry of a repeated group", () => {
      const form = adaptCatalogForm(hundesteuer(), adaptation({ hide: ["halter.telefon", "hunde.bemerkung"] }), TENANT, 0);
      const left = paths(form);
      expect(left).not.toContain("halter.telefon");
      expect(left).not.toContain("hunde.bemerkung");
      expect(left).toContain("halter.vertretung");
      expect(left).toContain("hunde.rasse");
      expect(paths(hundesteuer()).length - left.length).toBe(2);
    });

    it("names the tenant file and the adaptation when a path does not exist", () => {
      const e = failure({ hide: ["halter.handy"] });
      expect(e.file).toBe(TENANT);
      expect(e.field).toBe("forms.catalog.2.hide");
      expect(e.problem).toBe('catalogue form "hundesteuer": "halter.handy" is not an item of the form (a dot path of ids, like halter.telefon)');
      expect(failure({ hide: ["telefon"] }).field).toBe("forms.catalog.2.hide");
    });

    it("names the adaptation list without an index", () => {
      expect(failure({ hide: ["halter.handy"] }, hundesteuer(), {}).field).toBe("forms.catalog.hide");
    });

    it("refuses to hide a required field or a section the form requires", () => {
      expect(failure({ hide: ["halter.name"] }).problem).toContain('"halter.name" is a required field');
      expect(failure({ hide: ["hunde.nachweis"] }).problem).toContain("required field");
      expect(failure({ hide: ["halter"] }).problem).toContain('"halter" holds answers the form requires');
      expect(failure({ hide: ["hunde"] }).problem).toContain("holds answers the form requires");
      expect(failure({ hide: ["richtigkeit"] }).problem).toContain("required field");
    });

    it("hides a conditional section together with the answer it depends on", () => {
      const form = adaptCatalogForm(hundesteuer(), adaptation({ hide: ["halter.vertretung", "halter.vertreter"] }), TENANT, 0);
      expect(paths(form).filter((p) => p.startsWith("halter."))).toEqual(["halter.name", "halter.telefon"]);
    });

    it("refuses to hide an answer a remaining condition uses", () => {
      const e = failure({ hide: ["halter.vertretung"] });
      expect(e.field).toBe("forms.catalog.2.hide");
      expect(e.problem).toContain('"halter.vertretung" cannot be hidden: the condition of "halter.vertreter" uses its answer');
      expect(failure({ hide: ["hunde.listenhund"] }).problem).toContain('the condition of "hunde.nachweis"');
    });

    it("removes a step whose items are all hidden", () => {
      const form = adaptCatalogForm(hundesteuer(), adaptation({ hide: ["zusatz"] }), TENANT, 0);
      expect(form.steps.map((s) => s.id)).toEqual(["halterin", "hundedaten", "erklaerung"]);
    });

    it("asks to hide a group itself rather than all its items", () => {
      const e = failure({ hide: ["zusatz.newsletter", "zusatz.hinweis"] });
      expect(e.field).toBe("forms.catalog.2.hide");
      expect(e.problem).toContain('hide "zusatz" itself');
    });

    it("rejects an adaptation that leaves a form without fields", () => {
      const form: FormFile = {
        ...hundesteuer(),
        steps: [
          { id: "a", title: t("A"), items: [{ id: "frage", type: "text", label: t("Frage") }] },
          { id: "b", title: t("B"), items: [{ id: "info", type: "hint", text: t("Info") }] },
        ],
      };
      const e = failure({ hide: ["frage"] }, form);
      expect(e.field).toBe("forms.catalog.2.hide");
      expect(e.problem).toContain("the adapted form is not valid");
      expect(e.problem).toContain("no fields");
    });
  });

  describe("help", () => {
    it("leaves items alone whose id is also a property of every object", () => {
      const form: FormFile = { ...hundesteuer(), steps: [...hundesteuer().steps, { id: "x", title: t("X"), items: [{ id: "constructor", type: "text", label: t("C") }] }] };
      const adapted = adaptCatalogForm(form, adaptation({ help: { "hunde.rasse": t("Hilfe") } }), TENANT, 0);
      expect(itemAt(adapted, "constructor")).toEqual({ id: "constructor", type: "text", label: t("C") });
    });

    it("sets or replaces an item's help by path", () => {
      const help = { "hunde.rasse": t("In Musterstadt: Rasse laut Impfpass"), "halter.telefon": t("Für Rückfragen"), hunde: t("Jeder Hund einzeln") };
      const form = adaptCatalogForm(hundesteuer(), adaptation({ help }), TENANT, 0);
      for (const [path, text] of Object.entries(help)) expect((itemAt(form, path) as { help?: Text }).help, path).toEqual(text);
      expect((itemAt(form, "halter.name") as { help?: Text }).help).toBeUndefined();
    });

    it("rejects help for an item that does not exist, is hidden, or is a hint", () => {
      const missing = failure({ help: { "hunde.farbe": t("x") } });
      expect(missing.field).toBe("forms.catalog.2.help");
      expect(missing.problem).toContain('"hunde.farbe" is not an item');
      expect(failure({ hide: ["halter.telefon"], help: { "halter.telefon": t("x") } }).problem).toContain("hidden");
      expect(failure({ help: { "zusatz.hinweis": t("x") } }).problem).toContain("is a hint");
    });
  });
});
