/**
 * The citizen's answers as the widget edits them: reading and writing by dot path (the rules
 * module's paths, `hunde.1.rasse`), and answers formatted for reading (the review page).
 */
import type { AddressValue, Answers, Field, GroupItem, Item, Lang, Text } from "../core/types.js";

/** A form text in the visitor's language; towns write German, English where they have it. */
export const tx = (t: Text | null | undefined, lang: Lang) => (t ? (lang === "en" && t.en) || t.de : "");

/** The element id of an answer's control: `hunde.0.name` → `f-hunde-0-name` (ids are `[a-z0-9_]`). */
export const fieldId = (path: string) => "f-" + path.replace(/\./g, "-");

const isIndex = (s: string) => /^\d+$/.test(s);
type Container = Record<string, unknown> | unknown[];

export function getAt(data: Answers, path: string): unknown {
  let v: unknown = data;
  for (const key of path.split(".")) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** Sets (or with `undefined` removes) the answer at `path`, creating groups and entries on the way. */
export function setAt(data: Answers, path: string, value: unknown) {
  const keys = path.split(".");
  let box: Container = data;
  keys.forEach((key, i) => {
    const record = box as Record<string, unknown>;
    if (i === keys.length - 1) {
      if (value === undefined && !Array.isArray(box)) delete record[key];
      else record[key] = value;
      return;
    }
    let next = record[key];
    if (next === null || typeof next !== "object") record[key] = next = isIndex(keys[i + 1]!) ? [] : {};
    box = next as Container;
  });
}

/** Empty entries up to each repeated group's minimum, so "Hund 1" is there to fill in. */
export function addMinimumEntries(items: Item[], data: Answers, base = "") {
  for (const item of items) {
    if (item.type !== "group") continue;
    const path = base ? `${base}.${item.id}` : item.id;
    if (!item.repeat) {
      addMinimumEntries(item.items, data, path);
      continue;
    }
    const entries = getAt(data, path);
    const list = Array.isArray(entries) ? entries : [];
    while (list.length < item.repeat.min) list.push({});
    if (list.length) setAt(data, path, list);
    list.forEach((_, i) => addMinimumEntries(item.items, data, `${path}.${i}`));
  }
}

/** How many entries a repeated group shows: what is there, at least its minimum. */
export function entryCount(group: GroupItem, value: unknown) {
  return Math.max(Array.isArray(value) ? value.length : 0, group.repeat?.min ?? 0);
}

/** Today in the towns' time zone, as the server's rules see it. */
export function today(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/** A number as it goes into a text field: German decimal comma, no grouping, cents for amounts. */
export function numberText(n: unknown, type: Field["type"]): string {
  if (typeof n !== "number") return typeof n === "string" ? n : "";
  return n.toLocaleString("de-DE", { useGrouping: false, maximumFractionDigits: 6, ...(type === "amount" ? { minimumFractionDigits: 2 } : {}) });
}

/** `DE89370400440532013000` → `DE89 3704 0044 0532 0130 00`, as printed on bank cards. */
export const groupIban = (v: unknown) => (typeof v === "string" ? v.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ") : "");

export const formatBytes = (n: number, lang: Lang) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { maximumFractionDigits: 1 })} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

const germanDate = (d: string) => (/^\d{4}-\d\d-\d\d$/.test(d) ? `${d.slice(8)}.${d.slice(5, 7)}.${d.slice(0, 4)}` : d);

/** An answer for reading: choices by their labels, dates and amounts the German way. Empty: "". */
export function answerText(f: Field, v: unknown, lang: Lang, fileName: (id: string) => string, yesNo: readonly [string, string]): string {
  if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) return "";
  const de = lang === "de";
  switch (f.type) {
    case "choice":
      return tx(f.options.find((o) => o.value === v)?.label, lang) || String(v);
    case "multichoice":
      return (v as string[]).map((x) => tx(f.options.find((o) => o.value === x)?.label, lang) || x).join(", ");
    case "yesno":
    case "consent":
      return v === true ? yesNo[0] : yesNo[1];
    case "number":
    case "integer":
    case "amount":
      return typeof v === "number" ? v.toLocaleString(de ? "de-DE" : "en-GB", f.type === "amount" ? { style: "currency", currency: "EUR" } : { maximumFractionDigits: 6 }) : String(v);
    case "date":
      return de ? germanDate(String(v)) : String(v);
    case "time":
      return de ? `${String(v)} Uhr` : String(v);
    case "iban":
      return groupIban(v);
    case "file":
      return (v as string[]).map(fileName).join(", ");
    case "address": {
      const a = v as Partial<AddressValue>;
      return [a.street, [a.postalCode, a.city].filter(Boolean).join(" ")].filter(Boolean).join(", ");
    }
    default:
      return String(v);
  }
}

/** `crypto.randomUUID` needs a secure context; town sites on plain http still send once. */
export function uuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
