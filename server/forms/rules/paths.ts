/**
 * Finding items in a definition by dot path, and answers in the data by the same path.
 * Paths carry entry indexes where a repeated group is crossed: `hunde.1.rasse`.
 */
import type { Item, Step } from "../definition.js";

/** An item at one concrete place in the data. */
export interface Node {
  item: Item;
  /** Dot path of the answer, entry indexes included. */
  path: string;
  /** Path of the object holding the answer: "" at the root, `hunde.1` inside an entry. */
  base: string;
  /** The enclosing group, null at the root. */
  parent: Node | null;
  step: number;
}

export type Rec = Record<string, unknown>;

export const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** Own keys only: an answer called `constructor` must not find Object.prototype's. */
export const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

export const join = (base: string, key: string | number): string => (base ? base + "." + key : "" + key);

const INDEX = /^\d+$/;

/**
 * Follows `segs` through the definition, starting in `items` (null: the root, where every
 * step's items share one namespace). A repeated group must be followed by an entry index, and
 * a path must end on an item, not on an entry.
 */
export function locate(steps: Step[], segs: string[], items: Item[] | null, base: string, parent: Node | null): Node | null {
  let step = parent ? parent.step : -1;
  for (let i = 0; i < segs.length; ) {
    const id = segs[i++];
    let item: Item | undefined;
    const lists = items ? [items] : steps.map((s) => s.items);
    for (let k = 0; !item && k < lists.length; k++) {
      item = lists[k]!.find((x) => x.id === id);
      if (item && !items) step = k;
    }
    if (!item) return null;
    const node: Node = { item, path: join(base, item.id), base, parent, step };
    if (i === segs.length) return node;
    if (item.type !== "group") return null;
    base = node.path;
    if (item.repeat) {
      const index = segs[i++];
      if (!index || !INDEX.test(index) || i === segs.length) return null;
      base = join(base, +index);
    }
    items = item.items;
    parent = node;
  }
  return null;
}

/** The raw value at a dot path; undefined where the data has no such place. */
export function valueAt(data: unknown, path: string): unknown {
  let v = data;
  for (const key of path.split(".")) {
    v = isRec(v) ? (own(v, key) ? v[key] : undefined) : Array.isArray(v) && INDEX.test(key) ? v[+key] : undefined;
  }
  return v;
}

/** Blank answers count as absent: "" and whitespace, empty lists, null. Strings come back trimmed. */
export function blank(v: unknown): unknown {
  if (typeof v === "string") v = v.trim();
  return v === "" || v === null || (Array.isArray(v) && !v.length) ? undefined : v;
}
