/**
 * Code lists in OASIS genericode 1.0 (the format XRepository publishes FIM's lists in): reading
 * them, finding the one a select references, and turning its rows into options.
 */
import type { CodeListRef } from "./model.js";
import { child, childrenNamed, childText, parseXml, type XmlElement } from "./xml.js";

export interface CodeListColumn {
  id: string;
  shortName?: string;
}

export interface CodeList {
  /** Where it came from (file name), for the report. */
  source: string;
  shortName?: string;
  canonicalUri?: string;
  version?: string;
  canonicalVersionUri?: string;
  columns: CodeListColumn[];
  /** Column ids of the list's first key (usually the code column). */
  keyColumns: string[];
  /** Each row: column id → value. */
  rows: Record<string, string>[];
}

export class GenericodeError extends Error {
  override name = "GenericodeError";
}

/** Reads one genericode document; throws GenericodeError when it is not one. */
export function parseGenericode(xml: string, source: string): CodeList {
  const root = parseXml(xml);
  if (root.name !== "CodeList") throw new GenericodeError(`${source}: root element is <${root.name}>, not <CodeList>`);
  const ident = child(root, "Identification");
  const columnSet = child(root, "ColumnSet");
  const columns: CodeListColumn[] = childrenNamed(columnSet, "Column").map((c) => {
    const shortName = childText(c, "ShortName");
    return shortName ? { id: c.attrs.Id ?? shortName, shortName } : { id: c.attrs.Id ?? "" };
  });
  const key = child(columnSet, "Key");
  const keyColumns = childrenNamed(key, "ColumnRef")
    .map((r) => r.attrs.Ref)
    .filter((r): r is string => !!r);
  const simple = child(root, "SimpleCodeList");
  if (!simple) throw new GenericodeError(`${source}: no <SimpleCodeList>`);
  const rows = childrenNamed(simple, "Row").map((row) => readRow(row, columns));
  const list: CodeList = { source, columns, keyColumns, rows };
  const shortName = childText(ident, "ShortName");
  const canonicalUri = childText(ident, "CanonicalUri");
  const version = childText(ident, "Version");
  const canonicalVersionUri = childText(ident, "CanonicalVersionUri");
  if (shortName) list.shortName = shortName;
  if (canonicalUri) list.canonicalUri = canonicalUri;
  if (version) list.version = version;
  if (canonicalVersionUri) list.canonicalVersionUri = canonicalVersionUri;
  if (!list.canonicalUri && !list.canonicalVersionUri) {
    throw new GenericodeError(`${source}: <Identification> names neither CanonicalUri nor CanonicalVersionUri`);
  }
  return list;
}

/** A Value without ColumnRef belongs to the column after the previous value's (genericode 1.0). */
function readRow(row: XmlElement, columns: CodeListColumn[]): Record<string, string> {
  const values: Record<string, string> = {};
  let position = 0;
  for (const value of childrenNamed(row, "Value")) {
    const ref = value.attrs.ColumnRef;
    const index = ref !== undefined ? columns.findIndex((c) => c.id === ref) : position;
    const columnId = ref ?? columns[index]?.id;
    position = (index >= 0 ? index : position) + 1;
    const text = childText(value, "SimpleValue");
    if (columnId !== undefined && text !== undefined) values[columnId] = text.replace(/\s+/g, " ");
  }
  return values;
}

export type LookupProblem = "no-reference" | "none-given" | "not-found" | "other-versions";

export type Lookup =
  | { list: CodeList; /** Set when no version was referenced and several were there: the newest was taken. */ tookNewest?: boolean }
  | { list?: undefined; problem: LookupProblem; /** For "other-versions": the versions that are there. */ versions?: string[] };

/** The code lists given with `--codelists`, found by canonical version URI or URI + version. */
export class CodeListIndex {
  private readonly lists: CodeList[] = [];

  add(list: CodeList): void {
    this.lists.push(list);
  }

  get size(): number {
    return this.lists.length;
  }

  /** Never substitutes another version for the one referenced: codes change between versions. */
  find(ref: CodeListRef): Lookup {
    if (!ref.canonicalUri && !ref.canonicalVersionUri) return { problem: "no-reference" };
    if (this.lists.length === 0) return { problem: "none-given" };
    if (ref.canonicalVersionUri) {
      const byVersionUri = this.lists.find((l) => l.canonicalVersionUri === ref.canonicalVersionUri);
      if (byVersionUri) return { list: byVersionUri };
    }
    const sameUri = ref.canonicalUri ? this.lists.filter((l) => l.canonicalUri === ref.canonicalUri) : [];
    if (ref.version !== undefined || (ref.canonicalVersionUri && !ref.canonicalUri)) {
      const exact = sameUri.find((l) => l.version === ref.version);
      if (exact) return { list: exact };
      if (sameUri.length > 0) return { problem: "other-versions", versions: sameUri.map((l) => l.version ?? "?") };
      return { problem: "not-found" };
    }
    if (sameUri.length === 1) return { list: sameUri[0]! };
    if (sameUri.length > 1) {
      const byVersion = (a: CodeList, b: CodeList) => (a.version ?? "").localeCompare(b.version ?? "", "en", { numeric: true });
      return { list: [...sameUri].sort(byVersion).at(-1)!, tookNewest: true };
    }
    return { problem: "not-found" };
  }
}

export interface OptionsResult {
  options: { code: string; name: string }[];
  codeColumn: string;
  nameColumn: string;
  /** Rows left out: no code, or a code already taken. */
  skipped: number;
}

const CODE_NAMES = ["code", "schluessel", "schlüssel", "key", "kennung"];
const NAME_NAMES = ["name", "wert", "beschreibung", "bezeichnung", "value", "label"];

function columnNamed(list: CodeList, names: string[]): string | undefined {
  return list.columns.find((c) => names.includes(c.id.toLowerCase()) || names.includes((c.shortName ?? "").toLowerCase()))?.id;
}

function columnFor(list: CodeList, wanted: string | undefined): string | undefined {
  if (!wanted) return undefined;
  return list.columns.find((c) => c.id === wanted || c.shortName === wanted)?.id;
}

/**
 * The list's rows as code/name pairs. The code column is the field's `codeKey`, else a column
 * called code (or Schlüssel, key), else the list's key; the name column the field's `nameKey`,
 * else a column called name (or Wert, Beschreibung), else the first other column.
 */
export function optionsFrom(list: CodeList, codeKey?: string, nameKey?: string): OptionsResult {
  const codeColumn = columnFor(list, codeKey) ?? columnNamed(list, CODE_NAMES) ?? list.keyColumns[0] ?? list.columns[0]?.id ?? "";
  const nameColumn =
    columnFor(list, nameKey) ??
    columnNamed(list, NAME_NAMES.filter((n) => n !== codeColumn.toLowerCase())) ??
    list.columns.find((c) => c.id !== codeColumn)?.id ??
    codeColumn;
  const seen = new Set<string>();
  const options: { code: string; name: string }[] = [];
  let skipped = 0;
  for (const row of list.rows) {
    const code = row[codeColumn];
    if (code === undefined || code === "" || seen.has(code)) {
      skipped++;
      continue;
    }
    seen.add(code);
    options.push({ code, name: row[nameColumn] || code });
  }
  return { options, codeColumn, nameColumn, skipped };
}
