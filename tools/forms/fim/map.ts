/**
 * The FIM tree (./model.ts) → a form file (FormFile). Top-level groups become steps, nested
 * groups sections, `anzahl` decides required flags and repetition; field types are ./fields.ts's.
 *
 * One deliberate reading of FIM: a field is required only when it and every group around it
 * (up to the step, or up to the entry of a repeated group) are mandatory. FIM's "1:1 inside an
 * optional 0:1 group" means "required once the group is filled"; the form format expresses
 * that with a condition on the group, which only a person can write from the rules' prose. So
 * such fields come in optional, and the report lists them per group.
 */
import type { Field, FormFile, GroupItem, HintItem, Item, MultiChoiceField, Step, Text } from "../../../server/forms/definition.js";
import { maxNesting, maxUploadFiles } from "../../../server/forms/definition-schema.js";
import type { CodeListIndex } from "./codelists.js";
import { type FieldShape, inputField, selectField, type Warn } from "./fields.js";
import { fimIdFrom, IdScope, itemIdFrom } from "./ids.js";
import type { FimChild, FimField, FimGroup, FimSchema } from "./model.js";
import type { ImportCounts, ImportWarning, Place, Placement, RuleEntry } from "./report.js";

/** `repeat.max` for groups FIM leaves unbounded (or allows more than this). */
export const REPEAT_CAP = 20;
const FORM_LEVEL = "(Formular / form)";

export interface MapOptions {
  codeLists?: CodeListIndex;
  /** Category shown in the town's form list; default "Allgemein". */
  category?: string;
}

export interface MapResult {
  form: FormFile;
  warnings: ImportWarning[];
  rules: RuleEntry[];
  counts: ImportCounts;
}

interface OptionalGroup {
  name: string;
  fimId: string;
  raw: string;
  step: string;
  path: string;
}

interface Ctx {
  step: string;
  /** Dot path of the enclosing group in the answers; "" at the root. */
  base: string;
  ids: IdScope;
  /** Innermost optional, non-repeated group around; its mandatory fields come in optional. */
  optional: OptionalGroup | null;
  /** Nesting level of the items made here; root items are 1. */
  level: number;
}

const join = (base: string, id: string): string => (base ? `${base}.${id}` : id);
const text = (de: string): Text => ({ de });

export function mapSchema(schema: FimSchema, options: MapOptions = {}): MapResult {
  return new Mapper(schema, options).run();
}

class Mapper {
  private readonly warnings: ImportWarning[] = [];
  private readonly placed = new Map<string, Placement>();
  private readonly ruleHolders = new Map<string, string[]>();
  private readonly fimWarned = new Set<string>();
  private readonly downgraded = new Map<string, { group: OptionalGroup; fields: string[] }>();

  constructor(
    private readonly schema: FimSchema,
    private readonly options: MapOptions,
  ) {}

  run(): MapResult {
    const { schema } = this;
    for (const w of schema.readWarnings) this.warnings.push({ name: w.where, de: w.de, en: w.en });
    this.noteRules(FORM_LEVEL, schema.ruleIds);

    const rootIds = new IdScope();
    const stepIds = new IdScope();
    const steps: Step[] = [];
    const rootCtx = (step: string, optional: OptionalGroup | null): Ctx => ({ step, base: "", ids: rootIds, optional, level: 1 });

    const loose = schema.children.filter((c) => c.element.kind === "field");
    if (loose.length > 0) {
      const id = stepIds.take("angaben");
      const items = this.children(loose, rootCtx(id, null));
      if (items.length > 0) steps.push({ id, title: text("Angaben"), items });
    }
    for (const child of schema.children) {
      if (child.element.kind !== "group") continue;
      const group = child.element;
      const { min, max } = child.cardinality;
      this.noteRules(group.id || group.name, group.ruleIds);
      const place = (p?: Place) => this.place(group, p);
      if (max === 0) {
        this.warn({ name: group.name, fimId: group.id }, "Gruppe mit Anzahl 0:0 übersprungen.", "Group with cardinality 0:0 skipped.");
        place();
        continue;
      }
      const id = stepIds.take(itemIdFrom(group.name, "schritt"));
      const title = text(group.label ?? group.name);
      let items: Item[];
      if (max === null || max > 1) {
        // A step cannot repeat; the repeated group goes inside it.
        items = this.group(child, rootCtx(id, null));
      } else {
        const optional = min === 0 ? { name: group.name, fimId: group.id, raw: child.cardinality.raw, step: id, path: "" } : null;
        items = this.children(group.children, rootCtx(id, optional));
        if (items.length > 0 && group.help) {
          const hint: HintItem = { type: "hint", id: rootIds.take(itemIdFrom(`${id} hinweis`)), text: text(group.help) };
          items.unshift(hint);
        }
        place({ step: id, path: "" });
      }
      if (items.length === 0) {
        this.warn({ step: id, name: group.name, fimId: group.id }, "Gruppe ohne übernommene Felder; kein Schritt angelegt.", "Group without fields taken over; no step made.");
        continue;
      }
      steps.push({ id, title, items });
    }

    for (const { group, fields } of this.downgraded.values()) {
      const onStep = group.path === "";
      this.warnings.push({
        step: group.step,
        ...(group.path ? { path: group.path } : {}),
        ...(group.fimId ? { fimId: group.fimId } : {}),
        name: group.name,
        de:
          `Gruppe optional (Anzahl ${group.raw}): ${fields.length} darin verlangte Angabe(n) nicht als Pflicht übernommen (${fields.join(", ")}). ` +
          `Mit einer Bedingung (when) auf ${onStep ? "dem Schritt" : "der Gruppe"} aus den Regeln können sie wieder Pflicht werden.`,
        en:
          `Optional group (cardinality ${group.raw}): ${fields.length} answer(s) it requires not taken over as required (${fields.join(", ")}). ` +
          `With a condition (when) on the ${onStep ? "step" : "group"}, taken from the rules, they can be required again.`,
      });
    }

    const form: FormFile = {
      title: text(schema.label ?? schema.name),
      category: text(this.options.category?.trim() || "Allgemein"),
      access: { anonymous: false },
      steps,
    };
    const summary = schema.description ?? schema.definition;
    if (summary) form.summary = text(summary);
    const leika = findLeika(schema);
    if (leika) form.leika = leika;
    return { form: orderForm(form), warnings: this.warnings, rules: this.rules(), counts: countAll(schema, form) };
  }

  private children(children: FimChild[], ctx: Ctx): Item[] {
    return children.flatMap((c) => (c.element.kind === "group" ? this.group(c, ctx) : this.field(c, ctx)));
  }

  private group(child: FimChild, ctx: Ctx): Item[] {
    const g = child.element as FimGroup;
    const { min, max, raw } = child.cardinality;
    this.noteRules(g.id || g.name, g.ruleIds);
    const at = { step: ctx.step, fimId: g.id, fimVersion: g.version, name: g.name };
    if (max === 0) {
      this.warn(at, "Gruppe mit Anzahl 0:0 übersprungen.", "Group with cardinality 0:0 skipped.");
      this.place(g);
      return [];
    }
    const repeated = max === null || max > 1;
    if (ctx.level >= maxNesting) {
      this.warn(
        at,
        `Gruppe zu tief verschachtelt (mehr als ${maxNesting} Ebenen); ihre Felder stehen direkt in der umgebenden Gruppe${repeated ? ", ohne Wiederholung" : ""}.`,
        `Group nested too deep (more than ${maxNesting} levels); its fields stand directly in the enclosing group${repeated ? ", without repetition" : ""}.`,
      );
      return this.children(g.children, ctx);
    }
    const id = ctx.ids.take(itemIdFrom(g.name, "gruppe"));
    const path = join(ctx.base, id);
    const label = g.label ?? g.name;
    const optional = repeated
      ? null
      : min === 0
        ? { name: g.name, fimId: g.id, raw, step: ctx.step, path }
        : ctx.optional;
    const items = this.children(g.children, { step: ctx.step, base: path, ids: new IdScope(), optional, level: ctx.level + 1 });
    if (items.length === 0) {
      this.warn({ ...at, path }, "Gruppe ohne übernommene Felder weggelassen.", "Group without fields taken over left out.");
      this.place(g);
      return [];
    }
    const item: GroupItem = { id, type: "group", label: text(label), items };
    if (g.help) item.help = text(g.help);
    const fim = this.fim(g, "G", { ...at, path });
    if (fim) item.fim = fim;
    if (repeated) item.repeat = this.repeat(min, max, raw, label, ctx, { ...at, path });
    this.place(g, { step: ctx.step, path });
    return [reorder(item)];
  }

  private field(child: FimChild, ctx: Ctx): Item[] {
    const f = child.element as FimField;
    const { min, max, raw } = child.cardinality;
    this.noteRules(f.id || f.name, f.ruleIds);
    const at: Omit<ImportWarning, "de" | "en"> = { step: ctx.step, fimId: f.id, fimVersion: f.version, name: f.name };
    const skip = (de: string, en: string): Item[] => {
      this.warn(at, de, en);
      this.place(f);
      return [];
    };
    if (max === 0) return skip("Feld mit Anzahl 0:0 übersprungen.", "Field with cardinality 0:0 skipped.");
    if (f.feldart === "hidden" || f.feldart === "locked") {
      return skip(
        `Feldart ${f.feldart} (${f.feldart === "hidden" ? "versteckt" : "gesperrt"}) wird nicht abgefragt; übersprungen${f.content ? ` (Inhalt: ${f.content})` : ""}.`,
        `Field kind ${f.feldart} is not asked; skipped${f.content ? ` (content: ${f.content})` : ""}.`,
      );
    }
    const label = f.label ?? f.name;
    if (f.feldart === "label") {
      const id = ctx.ids.take(itemIdFrom(f.name, "hinweis"));
      this.place(f, { step: ctx.step, path: join(ctx.base, id) });
      const hint: HintItem = { type: "hint", id, text: text(f.content ?? f.help ?? label) };
      return [hint];
    }
    const id = ctx.ids.take(itemIdFrom(f.name));
    const path = join(ctx.base, id);
    at.path = path;
    const warn: Warn = (de, en) => this.warn(at, de, en);
    const fieldCtx = { codeLists: this.options.codeLists, warn };
    const ownWarnings = this.warnings.length;
    let shape: FieldShape;
    if (f.feldart === "select") shape = selectField(f, fieldCtx);
    else {
      if (f.feldart !== "input") {
        warn(`Unbekannte Feldart „${f.feldart || "(leer)"}“: als Eingabe übernommen.`, `Unknown field kind "${f.feldart || "(empty)"}": taken as input.`);
      }
      shape = inputField(f, fieldCtx);
    }
    if (f.content) warn(`Vorbelegung „${f.content}“ nicht übernommen.`, `Preset value "${f.content}" not taken over.`);
    let required = min >= 1;
    if (required && ctx.optional) {
      this.downgrade(ctx.optional, label);
      required = false;
    }
    const fim = this.fim(f, "F", at);
    const base = { id, label: text(label), help: f.help ? text(f.help) : undefined, fim };
    this.place(f, { step: ctx.step, path });

    if (max !== null && max <= 1) return [assemble(base, shape, required)];
    if (shape.type === "file") {
      const files = max === null ? maxUploadFiles : Math.min(max, maxUploadFiles);
      if (max !== null && max > maxUploadFiles) {
        warn(`Anzahl ${raw}: höchstens ${maxUploadFiles} Dateien möglich.`, `Cardinality ${raw}: at most ${maxUploadFiles} files possible.`);
      }
      if (required && min > 1) {
        warn(
          `Anzahl ${raw}: eine Mindestzahl von ${min} Dateien ist nicht abbildbar; verlangt wird mindestens eine.`,
          `Cardinality ${raw}: a minimum of ${min} files cannot be expressed; at least one is required.`,
        );
      }
      return [assemble(base, { ...shape, maxFiles: files }, required)];
    }
    if (shape.type === "choice") {
      const multi: Omit<MultiChoiceField, "id" | "label"> = { type: "multichoice", options: shape.options };
      if (required && min > 1) {
        multi.minItems = Math.min(min, shape.options.length);
        if (min > shape.options.length) {
          warn(`Anzahl ${raw}: mehr als die ${shape.options.length} Optionen verlangt; auf alle begrenzt.`, `Cardinality ${raw}: more than the ${shape.options.length} options required; limited to all.`);
        }
      }
      if (max !== null && max < shape.options.length) multi.maxItems = max;
      return [assemble(base, multi, required)];
    }
    if (ctx.level >= maxNesting) {
      warn(
        `Anzahl ${raw}: zu tief verschachtelt für eine Wiederholung; nur eine Angabe wird abgefragt.`,
        `Cardinality ${raw}: nested too deep to repeat; only one answer is asked.`,
      );
      return [assemble(base, shape, required)];
    }
    // A list of entries with one field each: `zeilen: [{zeilen: "…"}, …]`. What was said about
    // the field concerns the one inside.
    for (const w of this.warnings.slice(ownWarnings)) if (w.path === path) w.path = join(path, id);
    warn(
      `Anzahl ${raw}: als wiederholte Gruppe mit einem Feld abgebildet.`,
      `Cardinality ${raw}: mapped to a repeated group of one field.`,
    );
    const wrapper: GroupItem = {
      id,
      type: "group",
      label: text(label),
      items: [assemble({ ...base, help: undefined }, shape, true)],
      // `required` already accounts for an optional group around (and reported it).
      repeat: this.repeat(required ? min : 0, max, raw, label, { ...ctx, optional: null }, at),
    };
    if (f.help) wrapper.help = text(f.help);
    return [reorder(wrapper)];
  }

  private repeat(min: number, max: number | null, raw: string, label: string, ctx: Ctx, at: Omit<ImportWarning, "de" | "en">): NonNullable<GroupItem["repeat"]> {
    let repMax = max === null ? REPEAT_CAP : Math.min(max, REPEAT_CAP);
    if (max !== null && max > REPEAT_CAP) {
      this.warn(at, `Anzahl ${raw}: höchstens ${REPEAT_CAP} Einträge übernommen.`, `Cardinality ${raw}: at most ${REPEAT_CAP} entries taken over.`);
    }
    repMax = Math.max(repMax, 1);
    let repMin = min;
    if (repMin > 0 && ctx.optional) {
      this.downgrade(ctx.optional, label);
      repMin = 0;
    }
    if (repMin > repMax) {
      this.warn(at, `Anzahl ${raw}: Mindestzahl auf ${repMax} begrenzt.`, `Cardinality ${raw}: minimum limited to ${repMax}.`);
      repMin = repMax;
    }
    return { min: repMin, max: repMax, itemLabel: text(label) };
  }

  private downgrade(group: OptionalGroup, label: string): void {
    const key = `${group.step}:${group.path}`;
    const entry = this.downgraded.get(key) ?? { group, fields: [] };
    entry.fields.push(label);
    this.downgraded.set(key, entry);
  }

  private fim(el: FimField | FimGroup, kind: "F" | "G", at: Omit<ImportWarning, "de" | "en">): string | undefined {
    if (!el.id) return undefined;
    const result = fimIdFrom(el.id, el.version, kind);
    const key = `${el.id}:${el.version ?? ""}`;
    if (result.problem && !this.fimWarned.has(key)) {
      this.fimWarned.add(key);
      if (result.problem === "id") {
        this.warn(
          at,
          `FIM-Kennung „${el.id}“ passt nicht ins Format ${kind} + 8 Ziffern; nicht übernommen.`,
          `FIM id "${el.id}" does not fit the format ${kind} + 8 digits; not taken over.`,
        );
      } else {
        this.warn(
          at,
          `FIM-Version „${el.version}“ passt nicht ins Format V1.2; nur die Kennung ${el.id} übernommen.`,
          `FIM version "${el.version}" does not fit the format V1.2; only the id ${el.id} taken over.`,
        );
      }
    }
    return result.fim;
  }

  private warn(at: Omit<ImportWarning, "de" | "en">, de: string, en: string): void {
    const w: ImportWarning = { de, en };
    if (at.step) w.step = at.step;
    if (at.path) w.path = at.path;
    if (at.fimId) w.fimId = at.fimId;
    if (at.fimVersion) w.fimVersion = at.fimVersion;
    if (at.name) w.name = at.name;
    this.warnings.push(w);
  }

  private place(el: FimField | FimGroup, where?: Place): void {
    const key = el.id || el.name;
    const entry = this.placed.get(key) ?? { fimId: key, name: el.name, places: [] };
    if (where) entry.places.push(where);
    this.placed.set(key, entry);
  }

  private noteRules(holder: string, ruleIds: string[]): void {
    for (const id of ruleIds) {
      const holders = this.ruleHolders.get(id) ?? [];
      if (!holders.includes(holder)) holders.push(holder);
      this.ruleHolders.set(id, holders);
    }
  }

  private rules(): RuleEntry[] {
    const entries: RuleEntry[] = [];
    for (const rule of this.schema.rules.values()) {
      const holders = this.ruleHolders.get(rule.id) ?? [];
      const attachedTo = holders.map((h) =>
        h === FORM_LEVEL ? { fimId: FORM_LEVEL, name: "", places: [] } : (this.placed.get(h) ?? { fimId: h, name: "", places: [] }),
      );
      const scopes = holders.includes(FORM_LEVEL) ? [] : attachedTo.flatMap((a) => a.places);
      const mentioned = [...new Set(rule.text.match(/\b[FG]\d{8,11}\b/g) ?? [])];
      const mentions = mentioned.map((id) => {
        const found = this.placed.get(id) ?? { fimId: id, name: "", places: [] };
        return { ...found, places: within(found.places, scopes) };
      });
      const entry: RuleEntry = { id: rule.id, name: rule.name, text: rule.text, attachedTo, mentions };
      if (rule.version) entry.version = rule.version;
      if (rule.script && !/^function\s+script\s*\(\s*\)\s*\{\s*\}$/.test(rule.script)) entry.script = rule.script;
      entries.push(entry);
    }
    return entries;
  }
}

/**
 * A rule speaks about the occurrences inside the element it is attached to: an address rule on
 * the applicant's address concerns that address's fields, not the representative's. When none
 * lies inside (or the rule sits on the schema), every occurrence is shown.
 */
function within(places: Place[], scopes: Place[]): Place[] {
  if (scopes.length === 0) return places;
  const inside = places.filter((p) =>
    scopes.some((s) => s.step === p.step && (s.path === "" || p.path === s.path || p.path.startsWith(`${s.path}.`))),
  );
  return inside.length > 0 ? inside : places;
}

interface FieldBase {
  id: string;
  label: Text;
  help: Text | undefined;
  fim: string | undefined;
}

/** A field with its keys in reading order: id, type, label, help, fim, required, the rest. */
function assemble(base: FieldBase, shape: FieldShape | Omit<MultiChoiceField, "id" | "label">, required: boolean): Field {
  const { type, ...rest } = shape;
  const field: Record<string, unknown> = { id: base.id, type, label: base.label };
  if (base.help) field.help = base.help;
  if (base.fim) field.fim = base.fim;
  if (required) field.required = true;
  Object.assign(field, rest);
  return field as unknown as Field;
}

function reorder(group: GroupItem): GroupItem {
  const { id, type, label, help, fim, repeat, items, ...rest } = group;
  const out: GroupItem = { id, type, label } as GroupItem;
  if (help) out.help = help;
  if (fim) out.fim = fim;
  if (repeat) out.repeat = repeat;
  out.items = items;
  return Object.assign(out, rest);
}

function orderForm(form: FormFile): FormFile {
  const { title, summary, category, leika, access, steps, ...rest } = form;
  return {
    title,
    ...(summary ? { summary } : {}),
    category,
    ...(leika ? { leika } : {}),
    access,
    ...rest,
    steps,
  };
}

/** A 14-digit number in a schema text that speaks of a Leistung (LeiKa key). */
function findLeika(schema: FimSchema): string | undefined {
  const texts = [...schema.references, schema.description ?? "", schema.definition ?? ""];
  for (const t of texts) {
    if (!/leistung|leika/i.test(t)) continue;
    const match = /(?<!\d)(\d{14})(?!\d)/.exec(t);
    if (match) return match[1];
  }
  return undefined;
}

function countAll(schema: FimSchema, form: FormFile): ImportCounts {
  const counts: ImportCounts = {
    fim: { fields: 0, groups: 0, byFeldart: {}, files: 0 },
    form: { steps: form.steps.length, byType: {} },
  };
  const walkFim = (children: FimChild[]): void => {
    for (const { element } of children) {
      if (element.kind === "group") {
        counts.fim.groups++;
        walkFim(element.children);
      } else {
        counts.fim.fields++;
        const kind = element.feldart || "?";
        counts.fim.byFeldart[kind] = (counts.fim.byFeldart[kind] ?? 0) + 1;
        if (element.datentyp === "file" || element.datentyp === "obj") counts.fim.files++;
      }
    }
  };
  walkFim(schema.children);
  const walkForm = (items: Item[]): void => {
    for (const item of items) {
      const key = item.type === "group" && item.repeat ? "group (repeat)" : item.type;
      counts.form.byType[key] = (counts.form.byType[key] ?? 0) + 1;
      if (item.type === "group") walkForm(item.items);
    }
  };
  for (const step of form.steps) walkForm(step.items);
  return counts;
}
