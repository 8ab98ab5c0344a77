/**
 * The walk over a definition and its answers: shown items are checked and copied into the
 * cleaned data, hidden ones dropped, keys the definition does not know reported. The walk
 * follows the definition, never the data, so hostile nesting costs nothing; it stops at
 * MAX_ERRORS.
 */
import type { Field, FormData, GroupItem, Item, Value } from "../definition.js";
import type { RuleErrorCode } from "./types.js";
import { checkField } from "./fields.js";
import { message } from "./messages.js";
import { type Node, type Rec, isRec, join, own } from "./paths.js";
import { type Run, shown } from "./visibility.js";

export const MAX_ERRORS = 100;

export function fail(r: Run, path: string, code: RuleErrorCode, type: string, param?: unknown): void {
  if (r.errors.length < MAX_ERRORS) r.errors.push({ path, code, message: message(code, type, param) });
}

export function checkAnswer(r: Run, f: Field, path: string, v: unknown): Value | undefined {
  return checkField(f, v, r.today, (code, param, sub) => void fail(r, sub ? path + "." + sub : path, code, f.type, param));
}

/** Entry count of a shown repeated group; returns the entries, or null when the answer is not a list. */
export function countEntries(r: Run, g: GroupItem, path: string, v: unknown): unknown[] | null {
  if (v == null) v = [];
  if (!Array.isArray(v)) return fail(r, path, "invalid_type", "group"), null;
  const { min, max } = g.repeat!;
  if (v.length < min) fail(r, path, "too_few", "group", min);
  if (v.length > max) fail(r, path, "too_many", "group", max);
  return v;
}

export function walk(r: Run, items: Item[], raw: Rec, out: FormData, base: string, parent: Node | null, step: number): void {
  for (const item of items) {
    if (r.errors.length >= MAX_ERRORS) return;
    if (item.type === "hint") continue;
    const n: Node = { item, path: join(base, item.id), base, parent, step };
    if (!shown(r, n)) continue;
    const v = own(raw, item.id) ? raw[item.id] : undefined;
    const answer = item.type === "group" ? group(r, item, n, v) : checkAnswer(r, item, n.path, v);
    if (answer !== undefined) out[item.id] = answer;
  }
}

function group(r: Run, g: GroupItem, n: Node, v: unknown): Value | undefined {
  const entry = (raw: unknown, path: string): FormData | undefined => {
    if (!isRec(raw)) return fail(r, path, "invalid_type", "group"), undefined;
    const o: FormData = {};
    walk(r, g.items, raw, o, path, n, n.step);
    unknownKeys(r, raw, g.items, path);
    return o;
  };
  if (!g.repeat) {
    const o = entry(v ?? {}, n.path);
    return o && Object.keys(o).length ? o : undefined;
  }
  const list = countEntries(r, g, n.path, v);
  const entries: FormData[] = [];
  // Entries beyond `max` are already an error; checking them would only add noise.
  for (let i = 0; list && i < Math.min(list.length, g.repeat.max); i++) {
    // Blank entries stay, so that indexes in the data match those in error paths.
    const o = entry(list[i], join(n.path, i));
    if (o) entries.push(o);
  }
  return entries.length ? entries : undefined;
}

/** Keys of `raw` that are no answer of `items` (hints have none). */
export function unknownKeys(r: Run, raw: Rec, items: Item[], base: string): void {
  for (const key of Object.keys(raw)) {
    if (r.errors.length >= MAX_ERRORS) return;
    if (!items.some((i) => i.id === key && i.type !== "hint")) fail(r, join(base, key), "unknown_field", "");
  }
}
