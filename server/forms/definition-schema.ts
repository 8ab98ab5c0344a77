/**
 * Checks a form file (`tenants/<slug>/forms/<id>.json`, `tenants/_catalog/forms/<id>.json`)
 * at sync: first its shape (`formFileSchema`), then what a shape cannot say (`checkFormFile`):
 * unique ids, conditions that point at real fields, bounds that can be met. Every problem is
 * one TenantDefinitionError naming the file and the field, for a consortium admin.
 */
import { z } from "zod";
import { TenantDefinitionError } from "../tenants/errors.js";
import type { Condition, FormFile, GroupItem, Item, Literal, Step } from "./definition.js";

/** Lowercase letters, digits and `_`, a letter first: usable as a key in data, CSV and XML. */
export const itemIdPattern = /^[a-z][a-z0-9_]{0,39}$/;
const fieldRefPattern = /^[a-z][a-z0-9_]{0,39}(\.[a-z][a-z0-9_]{0,39})*$/;
export const leikaPattern = /^\d{14}$/;
export const fimPattern = /^[FG]\d{8}(V\d+\.\d+)?$/;
const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;
const dateBoundPattern = /^(today|\d{4}-\d{2}-\d{2}|[+-]P\d{1,4}[DMY])$/;
const timePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What the upload check can recognise by content; anything else is refused at upload. */
export const acceptedMediaTypes = ["application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"] as const;
export const maxUploadBytes = 25 * 1024 * 1024;
export const maxUploadFiles = 10;
export const maxRepeat = 100;
export const maxFields = 500;
/** Root-level items are level 1. */
export const maxNesting = 8;
export const maxPatternLength = 500;

const text = z.strictObject({ de: z.string().min(1), en: z.string().min(1).optional() });
const itemId = z.string().regex(itemIdPattern, "lowercase letters, digits and _, starting with a letter, at most 40 characters");
const literal = z.union([z.string(), z.number(), z.boolean()]);
const fieldRef = z.string().regex(fieldRefPattern, "a dot path of item ids, like halter.art");

const conditionShapes = "a condition: {field, equals}, {field, in}, {field, filled: true}, {field, yes: true}, {all}, {any} or {not}";

const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ field: fieldRef, equals: literal }),
      z.strictObject({ field: fieldRef, in: z.array(literal).min(1) }),
      z.strictObject({ field: fieldRef, filled: z.literal(true) }),
      z.strictObject({ field: fieldRef, yes: z.literal(true) }),
      z.strictObject({ all: z.array(condition).min(1) }),
      z.strictObject({ any: z.array(condition).min(1) }),
      z.strictObject({ not: condition }),
    ],
    { error: `must be ${conditionShapes}` },
  ),
);

const itemBase = {
  id: itemId,
  label: text,
  help: text.optional(),
  when: condition.optional(),
  fim: z.string().regex(fimPattern, "a FIM id like F60000227 or G60000045, optionally with a version like V1.2").optional(),
};

const fieldBase = {
  ...itemBase,
  required: z.boolean().optional(),
  prefill: z.enum(["name", "organisation", "address", "email", "mobile"]).optional(),
};

const count = z.number().int().min(0);
const option = z.strictObject({ value: z.string().min(1).max(100), label: text });
const dateBound = z.string().regex(dateBoundPattern, "today, a date like 2026-04-01, or a period like +P30D, -P18Y, +P2M");
const timeBound = z.string().regex(timePattern, "a time like 08:30 (HH:MM, 24 hours)");

const textField = z.strictObject({
  ...fieldBase,
  type: z.enum(["text", "textarea"]),
  minLength: count.max(100_000).optional(),
  maxLength: count.min(1).max(100_000).optional(),
  pattern: z.strictObject({ regex: z.string().min(1).max(maxPatternLength), message: text }).optional(),
});
const emailField = z.strictObject({ ...fieldBase, type: z.literal("email") });
const phoneField = z.strictObject({ ...fieldBase, type: z.literal("phone") });
const numberField = z.strictObject({
  ...fieldBase,
  type: z.enum(["number", "integer", "amount"]),
  min: z.number().optional(),
  max: z.number().optional(),
});
const dateField = z.strictObject({ ...fieldBase, type: z.literal("date"), min: dateBound.optional(), max: dateBound.optional() });
const timeField = z.strictObject({ ...fieldBase, type: z.literal("time"), min: timeBound.optional(), max: timeBound.optional() });
const choiceField = z.strictObject({
  ...fieldBase,
  type: z.literal("choice"),
  options: z.array(option).min(1),
  display: z.enum(["radio", "select"]).optional(),
});
const multiChoiceField = z.strictObject({
  ...fieldBase,
  type: z.literal("multichoice"),
  options: z.array(option).min(1),
  minItems: count.optional(),
  maxItems: count.min(1).optional(),
});
const yesNoField = z.strictObject({ ...fieldBase, type: z.literal("yesno") });
const consentField = z.strictObject({ ...fieldBase, type: z.literal("consent") });
const fileField = z.strictObject({
  ...fieldBase,
  type: z.literal("file"),
  accept: z.array(z.enum(acceptedMediaTypes)).min(1),
  maxSize: z.number().int().min(1).max(maxUploadBytes, `at most ${maxUploadBytes} bytes (25 MB)`).optional(),
  maxFiles: z.number().int().min(1).max(maxUploadFiles).optional(),
});
const ibanField = z.strictObject({ ...fieldBase, type: z.literal("iban") });
const addressField = z.strictObject({ ...fieldBase, type: z.literal("address") });
const hintItem = z.strictObject({ type: z.literal("hint"), id: itemId, text, when: condition.optional() });

const groupItem = z.strictObject({
  ...itemBase,
  type: z.literal("group"),
  // Annotated with the type rather than `typeof item`, which TypeScript cannot infer through
  // the cycle; assigning the array to it still checks the items against `Item`.
  get items(): z.ZodArray<z.ZodType<Item>> {
    return z.array(item).min(1);
  },
  repeat: z
    .strictObject({ min: count, max: z.number().int().min(1).max(maxRepeat), itemLabel: text.optional() })
    .optional(),
});

const item = z.discriminatedUnion("type", [
  textField,
  emailField,
  phoneField,
  numberField,
  dateField,
  timeField,
  choiceField,
  multiChoiceField,
  yesNoField,
  consentField,
  fileField,
  ibanField,
  addressField,
  hintItem,
  groupItem,
]);

const step = z.strictObject({ id: itemId, title: text, when: condition.optional(), items: z.array(item).min(1) });

/** The shape of a form file; what it cannot say is checked by `checkFormFile`. */
export const formFileSchema = z.strictObject({
  title: text,
  summary: text.optional(),
  category: text,
  keywords: z.array(z.string().min(1).max(60)).max(30).optional(),
  leika: z.string().regex(leikaPattern, "a Leika key of 14 digits").optional(),
  department: itemId.optional(),
  fees: text.optional(),
  intro: text.optional(),
  afterSubmit: text.optional(),
  access: z.strictObject({
    anonymous: z.boolean(),
    accountKinds: z.array(z.enum(["person", "association", "company"])).min(1).optional(),
    trustLevel: z.enum(["substantial", "high"]).optional(),
  }),
  steps: z.array(step).min(1),
});

type AssertAssignable<T extends U, U> = T;
// Fails to compile when the schema and the FormFile type drift apart.
export type FormFileSchemaMatchesType = AssertAssignable<z.output<typeof formFileSchema>, FormFile>;

export interface FormFileOptions {
  /** Department ids of the town (tenant.json); a form's `department` must be one of them. */
  departments?: string[];
}

/** Parses and checks a form file; throws TenantDefinitionError naming `file` and the field. */
export function parseFormFile(json: string, file: string, opts: FormFileOptions = {}): FormFile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new TenantDefinitionError(file, "", `is not valid JSON (${(e as Error).message})`);
  }
  const result = formFileSchema.safeParse(raw);
  if (!result.success) {
    const { field, problem } = describeIssue(result.error.issues[0]!, raw);
    throw new TenantDefinitionError(file, field, problem);
  }
  checkFormFile(result.data, file, opts);
  return result.data;
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** The same wording as tenant.json's errors (parseTenantSource), with the choices spelled out. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): { field: string; problem: string } {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    return { field: [...path, issue.keys[0]!].join("."), problem: "is not a known field" };
  }
  const field = path.join(".");
  const value = valueAt(input, issue.path);
  if (value === undefined && (issue.code === "invalid_type" || issue.code === "invalid_union")) {
    return { field, problem: "is missing" };
  }
  if (issue.code === "invalid_union" && "discriminator" in issue && issue.discriminator) {
    const options = (issue as { options?: unknown[] }).options ?? [];
    return { field, problem: `"${String(value)}" is not a known item type; one of ${options.join(", ")}` };
  }
  if (issue.code === "invalid_value") {
    return { field, problem: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` };
  }
  if (issue.code === "invalid_type") {
    const article = /^[aeiou]/.test(issue.expected) ? "an" : "a";
    return { field, problem: `must be ${article} ${issue.expected}` };
  }
  if (issue.code === "too_small" && issue.origin === "string" && Number(issue.minimum) === 1) {
    return { field, problem: "must not be empty" };
  }
  return { field, problem: issue.message };
}

/** An item with where it stands: its key in the data and its place in the file. */
interface ItemNode {
  item: Item;
  /** Dot path of ids from the form's root: `hunde.listenhund`. */
  dataPath: string;
  /** Path in the file: `steps.1.items.0.items.2`. */
  field: string;
  parent: ItemNode | null;
  step: number;
}

const isField = (item: Item): boolean => item.type !== "hint" && item.type !== "group";

/**
 * Finds the item a condition's `field` names, as the rules module does: relative to the
 * innermost enclosing group first (a dog entry's own `listenhund`), then the groups outward,
 * then the form's root. A path never crosses a repeated group (that needs an entry index), so
 * a repeated group's answers are reachable only from within an entry. `scope` is the dot path
 * of the group the condition's item stands in (empty at the root and for a step's condition);
 * returns the item's dot path from the root.
 */
export function resolveConditionField(
  ref: string,
  scope: string,
  lookup: (dataPath: string) => Item | undefined,
): string | undefined {
  const groups = scope ? scope.split(".") : [];
  const segs = ref.split(".");
  for (let n = groups.length; n >= 0; n--) {
    const path = [...groups.slice(0, n), ...segs];
    const reaches = segs.every((_, k) => {
      const item = lookup(path.slice(0, n + k + 1).join("."));
      return item !== undefined && (k === segs.length - 1 || (item.type === "group" && !item.repeat));
    });
    if (reaches) return path.join(".");
  }
  return undefined;
}

function ancestors(node: ItemNode | null): ItemNode[] {
  const out: ItemNode[] = [];
  for (let n = node; n; n = n.parent) out.push(n);
  return out;
}

function isRealDate(s: string): boolean {
  if (!isoDatePattern.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function findDuplicate<T>(values: readonly T[]): number {
  const seen = new Set<T>();
  for (let i = 0; i < values.length; i++) {
    if (seen.has(values[i]!)) return i;
    seen.add(values[i]!);
  }
  return -1;
}

const prefillTypes: Record<string, readonly string[]> = {
  name: ["text"],
  organisation: ["text"],
  address: ["address"],
  email: ["email"],
  mobile: ["phone"],
};

/**
 * The checks a shape cannot express. Takes a form that already has the right shape (from
 * `formFileSchema`, or a catalogue form after a town's adaptations) and throws the first problem.
 */
export function checkFormFile(form: FormFile, file: string, opts: FormFileOptions = {}): void {
  const fail = (field: string, problem: string): never => {
    throw new TenantDefinitionError(file, field, problem);
  };

  if (form.department !== undefined && opts.departments && !opts.departments.includes(form.department)) {
    fail(
      "department",
      `"${form.department}" is not a department of this town (${opts.departments.join(", ") || "none defined in tenant.json"})`,
    );
  }
  if (form.access.trustLevel && form.access.anonymous) fail("access.anonymous", "a form that needs a trust level (access.trustLevel) cannot be sent without an account");
  if (form.access.accountKinds) {
    const dup = findDuplicate(form.access.accountKinds);
    if (dup >= 0) fail(`access.accountKinds.${dup}`, `"${form.access.accountKinds[dup]}" is listed twice`);
  }
  const stepDup = findDuplicate(form.steps.map((s) => s.id));
  if (stepDup >= 0) fail(`steps.${stepDup}.id`, `"${form.steps[stepDup]!.id}" is already the id of another step`);

  const nodes = new Map<string, ItemNode>();
  let fieldCount = 0;

  const visit = (items: readonly Item[], at: string, parent: ItemNode | null, step: number, level: number): void => {
    items.forEach((item, i) => {
      const field = `${at}.${i}`;
      if (level > maxNesting) fail(field, `is nested ${level} levels deep; at most ${maxNesting} are allowed`);
      const dataPath = parent ? `${parent.dataPath}.${item.id}` : item.id;
      const clash = nodes.get(dataPath);
      if (clash) {
        fail(
          `${field}.id`,
          parent
            ? `"${item.id}" is already the id of another item in this group (${clash.field})`
            : `"${item.id}" is already the id of another item (${clash.field}); items at the top of all steps share one set of answers`,
        );
      }
      const node: ItemNode = { item, dataPath, field, parent, step };
      nodes.set(dataPath, node);
      if (isField(item)) fieldCount++;
      checkItem(node, fail);
      if (item.type === "group") visit(item.items, `${field}.items`, node, step, level + 1);
    });
  };
  form.steps.forEach((s, i) => visit(s.items, `steps.${i}.items`, null, i, 1));

  if (fieldCount === 0) fail("steps", "has no fields; a form asks at least one question");
  if (fieldCount > maxFields) fail("steps", `has ${fieldCount} fields; at most ${maxFields} are allowed`);

  const checkConditions = new ConditionChecker(nodes, fail);
  form.steps.forEach((s, i) => {
    if (s.when) checkConditions.check(s.when, `steps.${i}.when`, { step: i, node: null });
  });
  for (const node of nodes.values()) {
    if (node.item.when) checkConditions.check(node.item.when, `${node.field}.when`, { step: node.step, node });
  }
  checkConditions.checkCycles();
}

type Fail = (field: string, problem: string) => never;

function checkItem(node: ItemNode, fail: Fail): void {
  const { item, field } = node;
  if (item.type === "hint") return;
  if (item.fim !== undefined) {
    const wanted = item.type === "group" ? "G" : "F";
    if (!item.fim.startsWith(wanted)) {
      fail(`${field}.fim`, `"${item.fim}" is a FIM ${wanted === "G" ? "field" : "group"} id; a ${item.type === "group" ? "group" : "field"} takes ${wanted}…`);
    }
  }
  const inRepeat = ancestors(node.parent).some((a) => a.item.type === "group" && a.item.repeat);
  switch (item.type) {
    case "group":
      if (item.repeat && item.repeat.min > item.repeat.max) {
        fail(`${field}.repeat.min`, `${item.repeat.min} is more than repeat.max (${item.repeat.max})`);
      }
      return;
    case "text":
    case "textarea":
      if (item.minLength !== undefined && item.maxLength !== undefined && item.minLength > item.maxLength) {
        fail(`${field}.minLength`, `${item.minLength} is more than maxLength (${item.maxLength})`);
      }
      if (item.pattern) {
        try {
          new RegExp(item.pattern.regex, "u");
        } catch (e) {
          fail(`${field}.pattern.regex`, `is not a valid regular expression (${(e as Error).message})`);
        }
      }
      break;
    case "number":
    case "integer":
    case "amount":
      if (item.min !== undefined && item.max !== undefined && item.min > item.max) {
        fail(`${field}.min`, `${item.min} is more than max (${item.max})`);
      }
      break;
    case "date":
      for (const key of ["min", "max"] as const) {
        const bound = item[key];
        if (bound !== undefined && isoDatePattern.test(bound) && !isRealDate(bound)) {
          fail(`${field}.${key}`, `"${bound}" is not a date of the calendar`);
        }
      }
      if (item.min && item.max && isoDatePattern.test(item.min) && isoDatePattern.test(item.max) && item.min > item.max) {
        fail(`${field}.min`, `${item.min} is after max (${item.max})`);
      }
      break;
    case "time":
      if (item.min !== undefined && item.max !== undefined && item.min > item.max) {
        fail(`${field}.min`, `${item.min} is after max (${item.max})`);
      }
      break;
    case "choice":
    case "multichoice": {
      const dup = findDuplicate(item.options.map((o) => o.value));
      if (dup >= 0) fail(`${field}.options.${dup}.value`, `"${item.options[dup]!.value}" is already the value of another option`);
      if (item.type === "multichoice") {
        if (item.minItems !== undefined && item.maxItems !== undefined && item.minItems > item.maxItems) {
          fail(`${field}.minItems`, `${item.minItems} is more than maxItems (${item.maxItems})`);
        }
        if (item.minItems !== undefined && item.minItems > item.options.length) {
          fail(`${field}.minItems`, `${item.minItems} is more than the ${item.options.length} options`);
        }
      }
      break;
    }
    case "file": {
      const dup = findDuplicate(item.accept);
      if (dup >= 0) fail(`${field}.accept.${dup}`, `"${item.accept[dup]}" is listed twice`);
      break;
    }
    default:
      break;
  }
  if (item.prefill !== undefined) {
    if (inRepeat) fail(`${field}.prefill`, "cannot be used inside a repeated group (the account has one value, the group many entries)");
    const fits = prefillTypes[item.prefill]!;
    if (!fits.includes(item.type)) {
      fail(`${field}.prefill`, `"${item.prefill}" fits a field of type ${fits.join(" or ")}, not ${item.type}`);
    }
  }
}

interface ConditionOwner {
  step: number;
  /** The item whose `when` this is; null for a step's. */
  node: ItemNode | null;
}

class ConditionChecker {
  /** Condition edges, for the cycle check: an item's visibility depends on these answers. */
  private readonly uses = new Map<ItemNode, Array<{ target: ItemNode; at: string }>>();

  constructor(
    private readonly nodes: ReadonlyMap<string, ItemNode>,
    private readonly fail: Fail,
  ) {}

  check(c: Condition, at: string, owner: ConditionOwner): void {
    if ("all" in c) return c.all.forEach((sub, i) => this.check(sub, `${at}.all.${i}`, owner));
    if ("any" in c) return c.any.forEach((sub, i) => this.check(sub, `${at}.any.${i}`, owner));
    if ("not" in c) return this.check(c.not, `${at}.not`, owner);
    const fail = (problem: string): never => this.fail(`${at}.field`, `"${c.field}" ${problem}`);
    // A condition is evaluated where its item stands, so a group's own `when` looks outward from the group.
    const scope = owner.node?.parent?.dataPath ?? "";
    const targetPath = resolveConditionField(c.field, scope, (p) => this.nodes.get(p)?.item);
    if (targetPath === undefined) {
      const repeated = this.repeatedOnTheWay(c.field, scope);
      if (repeated) {
        fail(
          `is inside the repeated group "${repeated}", which has one answer per entry; only items of that group can use it, by a path relative to the entry`,
        );
      }
      fail("is not an item of this form (a dot path of ids from the form's root, or from the enclosing group)");
    }
    const t = this.nodes.get(targetPath!)!;
    if (t.item.type === "hint") fail("is a hint; a condition can only use the answer of a field");
    if (t.item.type === "group") fail("is a group; a condition can only use the answer of a field");
    if (owner.node) {
      if (t === owner.node) fail("is the field itself; a field cannot depend on its own answer");
      if (t.dataPath.startsWith(`${owner.node.dataPath}.`)) {
        fail("is inside the group this condition shows or hides; it would never be answered while hidden");
      }
    } else if (t.step === owner.step) {
      fail("is on the step this condition shows or hides; it would never be answered while hidden");
    }
    if (t.step > owner.step) fail(`is on a later step (steps.${t.step}); a condition can only use answers given before`);
    this.checkLiterals(c, at, t);
    if (owner.node) {
      const list = this.uses.get(owner.node) ?? [];
      list.push({ target: t, at: `${at}.field` });
      this.uses.set(owner.node, list);
    }
  }

  /** The repeated group that keeps a path from resolving, for a better message than "not found". */
  private repeatedOnTheWay(ref: string, scope: string): string | undefined {
    const groups = scope ? scope.split(".") : [];
    for (let n = groups.length; n >= 0; n--) {
      const path = [...groups.slice(0, n), ...ref.split(".")];
      if (!this.nodes.has(path.join("."))) continue;
      for (let k = n + 1; k < path.length; k++) {
        const g = this.nodes.get(path.slice(0, k).join("."))!;
        if (g.item.type === "group" && g.item.repeat) return g.dataPath;
      }
    }
    return undefined;
  }

  /**
   * Items whose conditions depend on each other (a shows when b is filled, b when a is) are
   * never shown: the rules module treats the loop as hidden. An item also depends on its groups.
   */
  checkCycles(): void {
    const state = new Map<ItemNode, "open" | "done">();
    // The edges from the start of the current walk to the node being visited.
    const stack: Array<{ from: ItemNode; at: string }> = [];
    const visit = (node: ItemNode): void => {
      if (state.get(node) === "done") return;
      state.set(node, "open");
      const edges = [...(this.uses.get(node) ?? []), ...(node.parent ? [{ target: node.parent, at: "" }] : [])];
      for (const { target, at } of edges) {
        stack.push({ from: node, at });
        if (state.get(target) === "open") {
          const loop = stack.slice(stack.findIndex((e) => e.from === target));
          // A loop holds at least one condition (group nesting alone cannot loop); report that.
          const where = loop.find((e) => e.at)!.at;
          const names = [...loop.map((e) => e.from.dataPath), target.dataPath].join(" → ");
          this.fail(where, `the conditions form a loop (${names}); these items would never be shown`);
        }
        visit(target);
        stack.pop();
      }
      state.set(node, "done");
    };
    for (const node of this.uses.keys()) visit(node);
  }

  private checkLiterals(c: Condition, at: string, target: ItemNode): void {
    const item = target.item;
    if ("filled" in c) return;
    if ("yes" in c) {
      if (item.type !== "yesno" && item.type !== "consent") {
        this.fail(`${at}.yes`, `only works on a yesno or consent field; "${target.dataPath}" is ${item.type}`);
      }
      return;
    }
    const [key, values]: [string, Literal[]] = "equals" in c ? ["equals", [c.equals]] : ["in", (c as { in: Literal[] }).in];
    values.forEach((v, i) => {
      const where = key === "in" ? `${at}.in.${i}` : `${at}.equals`;
      const problem = this.literalProblem(v, item);
      if (problem) this.fail(where, `${JSON.stringify(v)} ${problem}`);
    });
  }

  private literalProblem(v: Literal, item: Item): string | null {
    switch (item.type) {
      case "yesno":
      case "consent":
        return typeof v === "boolean" ? null : `can never match: ${item.type} answers are true or false`;
      case "number":
      case "integer":
      case "amount":
        return typeof v === "number" ? null : `can never match: ${item.type} answers are numbers`;
      case "choice":
      case "multichoice":
        return typeof v === "string" && item.options.some((o) => o.value === v)
          ? null
          : `is not the value of an option (${item.options.map((o) => o.value).join(", ")})`;
      case "address":
      case "file":
        return `cannot be compared with a ${item.type} answer; use {field, filled: true}`;
      case "hint":
      case "group":
        return null;
      default:
        return typeof v === "string" ? null : `can never match: ${item.type} answers are text`;
    }
  }
}

/** Walks every item with its dot path of ids; exported for the catalogue adaptations. */
export function forEachItem(steps: readonly Step[], visit: (item: Item, dataPath: string, parents: readonly GroupItem[]) => void): void {
  const walk = (items: readonly Item[], prefix: string, parents: readonly GroupItem[]): void => {
    for (const item of items) {
      const dataPath = prefix ? `${prefix}.${item.id}` : item.id;
      visit(item, dataPath, parents);
      if (item.type === "group") walk(item.items, dataPath, [...parents, item]);
    }
  };
  for (const s of steps) walk(s.items, "", []);
}
