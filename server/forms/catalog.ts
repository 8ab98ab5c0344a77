/**
 * A town's adaptations of a catalogue form (tenant.json `forms.catalog`): its own title, fees,
 * department and help texts, and the items it does not ask for. The catalogue file is never
 * copied into the town, so a fix to it reaches every town at the next sync; that is also why
 * an adaptation that no longer fits the catalogue form fails the sync instead of being ignored.
 */
import type { CatalogFormAdaptation } from "../tenants/schema.js";
import { TenantDefinitionError } from "../tenants/errors.js";
import { checkFormFile, forEachItem, resolveConditionField } from "./definition-schema.js";
import type { Condition, FormFile, Item } from "./definition.js";

interface Located {
  item: Item;
  /** Dot path of the group the item stands in; empty at the root. */
  scope: string;
}

/**
 * An item the catalogue needs an answer for whenever the form is sent: a required field, or an
 * unconditional section that holds one (or asks for at least one entry). A conditional section
 * is optional as a whole, so a town may leave it out.
 */
function isMandatory(item: Item): boolean {
  if (item.type === "hint") return false;
  if (item.type !== "group") return item.required === true;
  if (item.when) return false;
  if (item.repeat) return item.repeat.min > 0;
  return item.items.some(isMandatory);
}

function fieldRefs(c: Condition): string[] {
  if ("all" in c) return c.all.flatMap(fieldRefs);
  if ("any" in c) return c.any.flatMap(fieldRefs);
  if ("not" in c) return fieldRefs(c.not);
  return [c.field];
}

const within = (path: string, ancestor: string): boolean => path === ancestor || path.startsWith(`${ancestor}.`);

/**
 * Applies a town's adaptation to a catalogue form and returns the form the town serves. Errors
 * name the town's tenant.json (`file`) and the adaptation's field; `index` is the adaptation's
 * place in `forms.catalog`. The catalogue form itself is left untouched.
 */
export function adaptCatalogForm(form: FormFile, adaptation: CatalogFormAdaptation, file: string, index?: number): FormFile {
  const base = index === undefined ? "forms.catalog" : `forms.catalog.${index}`;
  const fail = (key: "hide" | "help", problem: string): never => {
    throw new TenantDefinitionError(file, `${base}.${key}`, `catalogue form "${adaptation.id}": ${problem}`);
  };

  const items = new Map<string, Located>();
  forEachItem(form.steps, (item, dataPath, parents) => items.set(dataPath, { item, scope: parents.map((p) => p.id).join(".") }));

  const hidden = adaptation.hide ?? [];
  for (const path of hidden) {
    const found = items.get(path);
    if (!found) fail("hide", `"${path}" is not an item of the form (a dot path of ids, like halter.telefon)`);
    if (isMandatory(found!.item)) {
      fail(
        "hide",
        found!.item.type === "group"
          ? `"${path}" holds answers the form requires; only optional items can be hidden`
          : `"${path}" is a required field; only optional items can be hidden`,
      );
    }
  }
  const isHidden = (path: string) => hidden.some((h) => within(path, h));

  // A condition that stays must still find the answer it was written for.
  const checkCondition = (c: Condition | undefined, scope: string, owner: string) => {
    if (!c) return;
    for (const ref of fieldRefs(c)) {
      const target = resolveConditionField(ref, scope, (p) => items.get(p)?.item);
      if (target !== undefined && isHidden(target)) {
        fail("hide", `"${target}" cannot be hidden: the condition of ${owner} uses its answer; hide both or neither`);
      }
    }
  };
  form.steps.forEach((s) => checkCondition(s.when, "", `step "${s.id}"`));
  for (const [path, { item, scope }] of items) {
    if (!isHidden(path)) checkCondition(item.when, scope, `"${path}"`);
  }

  // A Map, not the record itself: an item may be called `constructor`.
  const help = new Map(Object.entries(adaptation.help ?? {}));
  for (const path of help.keys()) {
    const found = items.get(path);
    if (!found) fail("help", `"${path}" is not an item of the form (a dot path of ids, like hunde.rasse)`);
    if (isHidden(path)) fail("help", `"${path}" is hidden by this town, so its help would never show`);
    if (found!.item.type === "hint") fail("help", `"${path}" is a hint; its text is the help`);
  }

  const adapted = structuredClone(form);
  const prune = (list: Item[], prefix: string): Item[] =>
    list.filter((item) => {
      const path = prefix ? `${prefix}.${item.id}` : item.id;
      if (isHidden(path)) return false;
      const text = help.get(path);
      if (text && item.type !== "hint") item.help = structuredClone(text);
      if (item.type === "group") {
        item.items = prune(item.items, path);
        if (item.items.length === 0) fail("hide", `hides every item of the group "${path}"; hide "${path}" itself instead`);
      }
      return true;
    });
  // A step has no path to hide it by; one whose items are all hidden has nothing to show and goes.
  adapted.steps = adapted.steps.map((s) => ({ ...s, items: prune(s.items, "") })).filter((s) => s.items.length > 0);
  for (const key of ["title", "summary", "category", "fees", "intro", "afterSubmit"] as const) {
    const text = adaptation[key];
    if (text) adapted[key] = structuredClone(text);
  }
  if (adaptation.department !== undefined) adapted.department = adaptation.department;

  // What the catalogue form promised may no longer hold once items are gone (a form with no
  // field left, a step condition on a vanished step); say so in the town's terms.
  try {
    checkFormFile(adapted, file);
  } catch (e) {
    if (!(e instanceof TenantDefinitionError)) throw e;
    fail("hide", `the adapted form is not valid (${e.field ? `${e.field}: ` : ""}${e.problem})`);
  }
  return adapted;
}
