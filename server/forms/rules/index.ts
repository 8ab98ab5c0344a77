/**
 * The forms rules: whether a form's answers are complete and valid, which items are shown,
 * and the answers cleaned. Pure and without dependencies: the server runs it as the
 * authority, the widget's forms chunk for immediate feedback, with the same messages.
 */
import type { FieldType, FileField, FormData, Item } from "../definition.js";
import type { RuleContext, RuleError, RuleResult } from "./types.js";
import { isUploadId } from "./fields.js";
import { type Node, blank, isRec, join, locate, own, valueAt } from "./paths.js";
import { checkAnswer, countEntries, fail, unknownKeys, walk } from "./validate.js";
import { type Def, run, shown, stepShown } from "./visibility.js";

export { resolveDateBound } from "./dates.js";
export { parseDecimal } from "./decimal.js";
export { fieldTypes } from "./fields.js";
export { isValidIban } from "./iban.js";
export type { Def };

const nodeAt = (def: Def, path: string) => locate(def.steps, String(path).split("."), null, "", null);

/**
 * The authoritative check of a submission: every problem (at most 100), and the answers
 * cleaned: hidden ones dropped, strings trimmed, blanks left out, IBANs normalised.
 */
export function validateForm(def: Def, data: unknown, ctx: RuleContext): RuleResult<FormData> {
  const r = run(def, data, ctx.today);
  const out: FormData = {};
  if (!isRec(data)) fail(r, "", "invalid_type", "");
  else {
    def.steps.forEach((s, i) => stepShown(r, i) && walk(r, s.items, data, out, "", null, i));
    unknownKeys(r, data, def.steps.flatMap((s) => s.items), "");
  }
  return { data: out, errors: r.errors };
}

/** Problems with the shown items of one step (the widget's "Weiter"); none when the step is hidden. */
export function validateStep(def: Def, stepIndex: number, data: unknown, ctx: RuleContext): RuleError[] {
  const r = run(def, data, ctx.today);
  const step = def.steps[stepIndex];
  if (step && stepShown(r, stepIndex)) walk(r, step.items, isRec(data) ? data : {}, {}, "", null, stepIndex);
  return r.errors;
}

/**
 * The problem with one shown field (the widget's blur), e.g. `hunde.1.rasse`; for a repeated
 * group its number of entries. Null when fine, hidden, or not a field.
 */
export function validateField(def: Def, path: string, data: unknown, ctx: RuleContext): RuleError | null {
  const r = run(def, data, ctx.today);
  const n = nodeAt(def, path);
  if (n && shown(r, n)) {
    const { item } = n;
    const v = valueAt(data, n.path);
    if (item.type === "group") item.repeat && countEntries(r, item, n.path, blank(v));
    else if (item.type !== "hint") checkAnswer(r, item, n.path, v);
  }
  return r.errors[0] ?? null;
}

export function visibleSteps(def: Def, data: unknown): number[] {
  const r = run(def, data);
  return def.steps.map((_, i) => i).filter((i) => stepShown(r, i));
}

/** Whether the item at `path` is shown: its step's, its groups' and its own conditions hold. */
export function isVisible(def: Def, path: string, data: unknown): boolean {
  const n = nodeAt(def, path);
  return !!n && shown(run(def, data), n);
}

/** The item at a dot path (entry indexes where a repeated group is crossed) and its step. */
export function itemAt(def: Def, path: string): { item: Item; step: number } | null {
  const n = nodeAt(def, path);
  return n && { item: n.item, step: n.step };
}

export interface PrefillAccount {
  name: string;
  organisation: string | null;
  address: { street: string; postalCode: string; city: string } | null;
  email: string;
  mobile: string;
}

/** Initial answers from the account for fields with `prefill`; repeated groups are left empty. */
export function prefillData(def: Def, account: PrefillAccount): FormData {
  const fill = (items: Item[]): FormData => {
    const o: FormData = {};
    for (const item of items) {
      if (item.type === "group") {
        const inner = item.repeat ? {} : fill(item.items);
        if (Object.keys(inner).length) o[item.id] = inner;
      } else if (item.type !== "hint" && item.prefill) {
        const a = account.address;
        const isAddress = item.prefill === "address";
        const v = isAddress ? a && { street: a.street, postalCode: a.postalCode, city: a.city } : account[item.prefill];
        if (v && isAddress === (item.type === "address")) o[item.id] = v;
      }
    }
    return o;
  };
  return fill(def.steps.flatMap((s) => s.items));
}

/** Every shown file answer with its upload ids, for the server to link the uploads to the submission. */
export function fileRefs(def: Def, data: FormData): Array<{ path: string; field: FileField; ids: string[] }> {
  const r = run(def, data);
  const refs: Array<{ path: string; field: FileField; ids: string[] }> = [];
  const visit = (items: Item[], raw: unknown, base: string, parent: Node | null, step: number): void => {
    if (!isRec(raw)) return;
    for (const item of items) {
      if (item.type === "hint" || !own(raw, item.id)) continue;
      const n: Node = { item, path: join(base, item.id), base, parent, step };
      if (!shown(r, n)) continue;
      const v = raw[item.id];
      if (item.type === "group") {
        if (!item.repeat) visit(item.items, v, n.path, n, step);
        else if (Array.isArray(v)) v.slice(0, item.repeat.max).forEach((e, i) => visit(item.items, e, join(n.path, i), n, step));
      } else if (item.type === "file" && Array.isArray(v)) {
        const ids = v.filter(isUploadId);
        if (ids.length) refs.push({ path: n.path, field: item, ids });
      }
    }
  };
  def.steps.forEach((s, i) => visit(s.items, data, "", null, i));
  return refs;
}

export type { FieldType, RuleContext, RuleError, RuleResult };
