/**
 * A JSON Schema (draft 2020-12) of a form's stored answers, for the systems that take
 * submissions over: the shape `validateForm` (./rules/) cleans answers into. Strings are
 * trimmed and never blank, blank answers and hidden ones are left out, IBANs are normalised,
 * groups nest, repeated groups are lists of entries. Conditions cannot be expressed without
 * repeating the rules module in JSON Schema, so a conditional field is optional here and its
 * `description` says when it is asked.
 */
import type { Condition, Field, FormDefinition, GroupItem, Item, Literal } from "./definition.js";

type Schema = Record<string, unknown>;

/** The rules module's upload id (`u_…`), see `isUploadId` in ./rules/fields.ts. */
const uploadIdPattern = "^u_[A-Za-z0-9_-]{10,64}$";
/** Normalised: no spaces, capitals; the check digits are checked by the server, not here. */
const ibanPattern = "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$";
const datePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const timePattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
const phonePattern = "^\\+?[0-9 ()/-]+$";
/** The rules module's plausibility check of e-mail addresses. */
const emailPattern = "^[^\\s@]+@(?:[^\\s@.]+\\.)+[^\\s@.]{2,}$";

function literal(v: Literal): string {
  if (typeof v === "boolean") return v ? "ja" : "nein";
  return typeof v === "string" ? `„${v}“` : String(v);
}

/** A condition in words, for the description of a conditional field. */
export function describeCondition(c: Condition): string {
  if ("all" in c) return c.all.length === 1 ? describeCondition(c.all[0]!) : `(${c.all.map(describeCondition).join(" und ")})`;
  if ("any" in c) return c.any.length === 1 ? describeCondition(c.any[0]!) : `(${c.any.map(describeCondition).join(" oder ")})`;
  if ("not" in c) return `nicht ${describeCondition(c.not)}`;
  if ("equals" in c) return `${c.field} = ${literal(c.equals)}`;
  if ("in" in c) return `${c.field} ist eines von ${c.in.map(literal).join(", ")}`;
  if ("filled" in c) return `${c.field} ist ausgefüllt`;
  return `${c.field} = ja`;
}

function annotate(schema: Schema, item: Exclude<Item, { type: "hint" }>, conditions: readonly Condition[]): Schema {
  const out: Schema = { title: item.label.de, ...schema };
  const notes: string[] = [];
  if (item.help) notes.push(item.help.de);
  if (typeof schema.description === "string") notes.push(schema.description);
  if (conditions.length) {
    const when = conditions.map(describeCondition).join(" und ");
    const required = item.type !== "group" && item.required;
    notes.push(`Nur angegeben, wenn ${when}${required ? "; dann Pflichtangabe" : ""}.`);
  }
  if (notes.length) out.description = notes.join("\n\n");
  if (item.fim) out["x-fim"] = item.fim;
  return out;
}

const units = { D: ["Tag", "Tage"], M: ["Monat", "Monate"], Y: ["Jahr", "Jahre"] } as const;

/** `today`, `-P18Y` in words; "heute" is the day the answers were sent. */
function dateBound(bound: string): string {
  if (bound === "today") return "heute (Tag der Angabe)";
  const m = /^([+-])P(\d+)([DMY])$/.exec(bound);
  if (!m) return bound;
  const n = Number(m[2]);
  const unit = units[m[3] as keyof typeof units][n === 1 ? 0 : 1];
  return `${n} ${unit} ${m[1] === "+" ? "nach" : "vor"} dem Tag der Angabe`;
}

function stringSchema(minLength: number | undefined, maxLength: number | undefined, extra: Schema = {}): Schema {
  // A stored string is never blank: blank answers are left out.
  const s: Schema = { type: "string", minLength: Math.max(minLength ?? 1, 1), ...extra };
  if (maxLength !== undefined) s.maxLength = maxLength;
  return s;
}

function fieldSchema(f: Field): Schema {
  switch (f.type) {
    case "text":
    case "textarea":
      // The rules module matches the town's pattern as a whole, so anchor it the same way.
      return stringSchema(f.minLength, f.maxLength, f.pattern ? { pattern: `^(?:${f.pattern.regex})$` } : {});
    case "email":
      // idn-email rather than email: the rules module accepts non-ASCII addresses (müller@…), which `email` forbids.
      return stringSchema(1, 254, { format: "idn-email", pattern: emailPattern });
    case "phone":
      return stringSchema(1, undefined, { pattern: phonePattern, description: "Telefonnummer wie eingegeben, 6 bis 20 Ziffern." });
    case "number":
    case "integer":
    case "amount": {
      const s: Schema = { type: f.type === "integer" ? "integer" : "number" };
      // Amounts are never negative unless the form allows it with a negative `min`.
      const min = f.type === "amount" ? (f.min ?? 0) : f.min;
      if (min !== undefined) s.minimum = min;
      if (f.max !== undefined) s.maximum = f.max;
      // Not `multipleOf: 0.01`: Ajv and others divide in floating point and reject 19.99.
      if (f.type === "amount") s.description = "Betrag in Euro mit höchstens zwei Nachkommastellen.";
      return s;
    }
    case "date": {
      const bounds = [f.min && `frühestens ${dateBound(f.min)}`, f.max && `spätestens ${dateBound(f.max)}`].filter(Boolean);
      const s: Schema = { type: "string", format: "date", pattern: datePattern };
      // Relative bounds (`today`, `-P18Y`) move with the day the answer was given; say them in words.
      if (bounds.length) s.description = `Datum (JJJJ-MM-TT), ${bounds.join(", ")}.`;
      return s;
    }
    case "time": {
      const bounds = [f.min && `frühestens ${f.min}`, f.max && `spätestens ${f.max}`].filter(Boolean);
      const s: Schema = { type: "string", pattern: timePattern };
      if (bounds.length) s.description = `Uhrzeit (HH:MM), ${bounds.join(", ")}.`;
      return s;
    }
    case "choice":
      return { type: "string", enum: f.options.map((o) => o.value) };
    case "multichoice":
      return {
        type: "array",
        items: { type: "string", enum: f.options.map((o) => o.value) },
        uniqueItems: true,
        // An empty selection is left out, so a stored one has at least one value.
        minItems: Math.max(f.minItems ?? 1, 1),
        maxItems: Math.min(f.maxItems ?? f.options.length, f.options.length),
      };
    case "yesno":
      return { type: "boolean" };
    case "consent":
      return f.required ? { type: "boolean", const: true } : { type: "boolean" };
    case "file":
      return {
        type: "array",
        items: { type: "string", pattern: uploadIdPattern },
        uniqueItems: true,
        minItems: 1,
        maxItems: f.maxFiles ?? 1,
        description: "Kennungen der hochgeladenen Dateien.",
      };
    case "iban":
      return { type: "string", pattern: ibanPattern };
    case "address":
      return {
        type: "object",
        properties: {
          street: { type: "string", minLength: 1, title: "Straße und Hausnummer" },
          postalCode: { type: "string", pattern: "^[0-9]{5}$", title: "Postleitzahl" },
          city: { type: "string", minLength: 1, title: "Ort" },
        },
        required: ["street", "postalCode", "city"],
        additionalProperties: false,
      };
  }
}

/** Whether a shown item always leaves an answer behind (so its key is in the data). */
function alwaysAnswered(item: Item): boolean {
  if (item.type === "hint" || item.when) return false;
  if (item.type !== "group") return item.required === true;
  if (item.repeat) return item.repeat.min > 0;
  return item.items.some(alwaysAnswered);
}

/**
 * The object holding `items`. It exists only while its group is shown, so `required` looks
 * only at the conditions of the items themselves; `inherited` are the conditions of the step
 * (at the root), which make every item of the step optional.
 */
function objectSchema(items: readonly Item[], inherited: ReadonlyMap<Item, readonly Condition[]>): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const item of items) {
    if (item.type === "hint") continue;
    const conditions = [...(inherited.get(item) ?? []), ...(item.when ? [item.when] : [])];
    properties[item.id] = annotate(item.type === "group" ? groupSchema(item) : fieldSchema(item), item, conditions);
    if (!inherited.get(item)?.length && alwaysAnswered(item)) required.push(item.id);
  }
  const s: Schema = { type: "object", properties };
  if (required.length) s.required = required;
  s.additionalProperties = false;
  return s;
}

function groupSchema(g: GroupItem): Schema {
  const entry = objectSchema(g.items, new Map());
  if (!g.repeat) {
    // A group without any answer is left out rather than stored as {}.
    return { ...entry, minProperties: 1 };
  }
  const s: Schema = {
    type: "array",
    items: g.repeat.itemLabel ? { title: g.repeat.itemLabel.de, ...entry } : entry,
    // No entries at all are left out, so a stored list has at least one.
    minItems: Math.max(g.repeat.min, 1),
    maxItems: g.repeat.max,
  };
  return s;
}

/** The schema of a form's stored answers; `schemaUrl` is where it is served (its `$id`). */
export function formJsonSchema(def: FormDefinition, schemaUrl: string): Record<string, unknown> {
  const inherited = new Map<Item, readonly Condition[]>();
  for (const step of def.steps) {
    if (step.when) for (const item of step.items) inherited.set(item, [step.when]);
  }
  const root = objectSchema(
    def.steps.flatMap((s) => s.items),
    inherited,
  );
  const description = def.summary?.de;
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: schemaUrl,
    title: def.title.de,
    ...(description ? { description } : {}),
    "x-form-id": def.id,
    "x-form-version": def.version,
    ...(def.leika ? { "x-leika": def.leika } : {}),
    ...root,
  };
}
