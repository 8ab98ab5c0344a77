import type { Field, FormData, FormDefinition, Item, Value } from "../forms/definition.js";

/**
 * A form's submissions as CSV (RFC 4180, UTF-8 with BOM, CRLF): reference, submittedAt, status,
 * applicant, then one column per answer of the form's current version, by its dot path
 * (`halter.anschrift.city`, `hunde.0.name`). Values as stored: choices by their value, yes/no
 * as true/false, several values (choices, files) joined by "; ", files by their names.
 */

/** A repeated group and the repeats it sits in: its entries are counted per export (see `repeatGroups`). */
export interface RepeatGroup {
  /** `hunde`, or `kinder.*.impfungen` inside another repeated group. */
  key: string;
  /** JSON paths: to the first repeated group from the data's root, then each from an entry of the one before. */
  chain: string[];
}

/** The repeated groups of a form, outermost first. */
export function repeatGroups(form: FormDefinition): RepeatGroup[] {
  const out: RepeatGroup[] = [];
  const walk = (items: Item[], path: string[], outer: RepeatGroup | null) => {
    for (const item of items) {
      if (item.type !== "group") continue;
      const here = [...path, item.id];
      if (!item.repeat) {
        walk(item.items, here, outer);
        continue;
      }
      const json = `$.${here.join(".")}`;
      const group = outer ? { key: `${outer.key}.*.${here.join(".")}`, chain: [...outer.chain, json] } : { key: here.join("."), chain: [json] };
      out.push(group);
      walk(item.items, [], group);
    }
  };
  for (const step of form.steps) walk(step.items, [], null);
  return out;
}

export interface Column {
  path: string;
  field: Field;
  /** For address fields: which part. */
  part?: "street" | "postalCode" | "city";
}

/** The answer columns; a repeated group has as many entries as the most any exported submission has. */
export function answerColumns(form: FormDefinition, entries: ReadonlyMap<string, number>): Column[] {
  const columns: Column[] = [];
  const walk = (items: Item[], prefix: string, keyPrefix: string) => {
    for (const item of items) {
      if (item.type === "hint") continue;
      if (item.type === "group") {
        if (!item.repeat) {
          walk(item.items, `${prefix}${item.id}.`, `${keyPrefix}${item.id}.`);
          continue;
        }
        const key = `${keyPrefix}${item.id}`;
        for (let i = 0; i < (entries.get(key) ?? 0); i++) walk(item.items, `${prefix}${item.id}.${i}.`, `${key}.*.`);
        continue;
      }
      const path = `${prefix}${item.id}`;
      if (item.type === "address") for (const part of ["street", "postalCode", "city"] as const) columns.push({ path: `${path}.${part}`, field: item, part });
      else columns.push({ path, field: item });
    }
  };
  for (const step of form.steps) walk(step.items, "", "");
  return columns;
}

function valueAt(data: FormData, column: Column): Value | undefined {
  const segments = column.part ? column.path.split(".").slice(0, -1) : column.path.split(".");
  let v: unknown = data;
  for (const s of segments) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, s)) return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  if (column.part) return v && typeof v === "object" && !Array.isArray(v) ? ((v as Record<string, Value>)[column.part] ?? undefined) : undefined;
  return v as Value;
}

function text(value: Value | undefined, field: Field, fileNames: ReadonlyMap<string, string>): string {
  if (value === undefined || value === null) return "";
  if (field.type === "file" && Array.isArray(value)) return value.map((id) => (typeof id === "string" ? (fileNames.get(id) ?? id) : "")).join("; ");
  if (Array.isArray(value)) return value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join("; ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** One cell: quoted, and never something a spreadsheet would run as a formula (the audit CSV's rule). */
export function csvCell(v: string): string {
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${s.replace(/"/g, '""')}"`;
}

export const csvLine = (cells: ReadonlyArray<string>) => `${cells.map(csvCell).join(",")}\r\n`;

/** The first line, after the BOM that makes spreadsheet programs read UTF-8. */
export const csvHeader = (columns: ReadonlyArray<Column>) => `\uFEFF${csvLine(["reference", "submittedAt", "status", "applicant", ...columns.map((c) => c.path)])}`;

export interface CsvSubmission {
  reference: string;
  submittedAt: number;
  status: string;
  applicant: string;
  data: FormData;
}

export function csvRow(s: CsvSubmission, columns: ReadonlyArray<Column>, fileNames: ReadonlyMap<string, string>): string {
  return csvLine([s.reference, new Date(s.submittedAt).toISOString(), s.status, s.applicant, ...columns.map((c) => text(valueAt(s.data, c), c.field, fileNames))]);
}
