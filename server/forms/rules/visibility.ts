/**
 * Which items and steps are shown: their own `when` and every ancestor's. One `Run` holds
 * the answers and remembers each place's verdict, so a form is evaluated in linear time.
 */
import type { Condition, FormDefinition, GroupItem, Step } from "../definition.js";
import type { RuleError } from "./types.js";
import { type Node, blank, locate, valueAt } from "./paths.js";

export type Def = Pick<FormDefinition, "steps">;

export interface Run {
  steps: Step[];
  data: unknown;
  today: string;
  seen: Map<string, boolean>;
  busy: Set<string>;
  errors: RuleError[];
}

export const run = (def: Def, data: unknown, today = ""): Run => ({
  steps: def.steps,
  data,
  today,
  seen: new Map(),
  busy: new Set(),
  errors: [],
});

/** Where a condition is evaluated: the container of the item it belongs to. */
type Scope = Pick<Node, "base" | "parent">;
const ROOT: Scope = { base: "", parent: null };

function memo(r: Run, key: string, decide: () => boolean): boolean {
  let v = r.seen.get(key);
  if (v === undefined) {
    // A condition that (through others) depends on itself sees its own item as hidden.
    if (r.busy.has(key)) return false;
    r.busy.add(key);
    v = decide();
    r.busy.delete(key);
    r.seen.set(key, v);
  }
  return v;
}

export function stepShown(r: Run, index: number): boolean {
  const step = r.steps[index];
  // "#" cannot occur in ids, so step keys never meet item paths.
  return !!step && memo(r, "#" + index, () => holds(r, step.when, ROOT));
}

export function shown(r: Run, n: Node): boolean {
  return memo(r, n.path, () => (n.parent ? shown(r, n.parent) : stepShown(r, n.step)) && holds(r, n.item.when, n));
}

export function holds(r: Run, c: Condition | undefined, at: Scope): boolean {
  if (!c) return true;
  if ("all" in c) return c.all.every((x) => holds(r, x, at));
  if ("any" in c) return c.any.some((x) => holds(r, x, at));
  if ("not" in c) return !holds(r, c.not, at);
  const v = answer(r, c.field, at);
  if ("equals" in c) return Array.isArray(v) ? v.includes(c.equals) : v === c.equals;
  if ("in" in c) return (Array.isArray(v) ? v : [v]).some((x) => (c.in as unknown[]).includes(x));
  if ("filled" in c) return v !== undefined;
  return v === true;
}

/**
 * The answer a condition names: looked up in the innermost container first (a dog entry's own
 * fields), then outward to the root. Hidden answers and blanks are absent.
 */
function answer(r: Run, field: string, at: Scope): unknown {
  const segs = field.split(".");
  let { parent, base } = at;
  for (;;) {
    const n = locate(r.steps, segs, parent ? (parent.item as GroupItem).items : null, base, parent);
    if (n) return shown(r, n) ? blank(valueAt(r.data, n.path)) : undefined;
    if (!parent) return undefined;
    base = parent.base;
    parent = parent.parent;
  }
}
