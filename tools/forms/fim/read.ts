/**
 * Reads an XDatenfelder 2.0 or 3.0 file into the neutral tree of ./model.ts. Both versions
 * share the skeleton (identifikation, struktur/anzahl/enthaelt, feldart, datentyp, regel); what
 * differs — `praezisierung`, code list references, inline values, file limits — is in
 * ./xdf2.ts and ./xdf3.ts.
 */
import type {
  Cardinality,
  FimChild,
  FimField,
  FimGroup,
  FimRule,
  FimSchema,
  ReadWarning,
} from "./model.js";
import { child, childrenNamed, childText, namespaceOf, parseXml, pathText, type XmlElement } from "./xml.js";
import { xdf2 } from "./xdf2.js";
import { xdf3 } from "./xdf3.js";

export const NS_XDF2 = "urn:xoev-de:fim:standard:xdatenfelder_2";
export const NS_XDF3_PREFIX = "urn:xoev-de:fim:standard:xdatenfelder_3";

/** What the two versions read differently from a `datenfeld`. */
export interface Dialect {
  version: 2 | 3;
  /** Fills constraints, code list, values, media types, size of `field` from `el`. */
  readFieldDetails(el: XmlElement, field: FimField, warn: (w: ReadWarning) => void): void;
  /** The schema's own title element (XDF2 `bezeichnungEingabe`, XDF3 `bezeichnung`). */
  schemaLabel(el: XmlElement): string | undefined;
  schemaHelp(el: XmlElement): string | undefined;
}

export class FimFormatError extends Error {
  override name = "FimFormatError";
}

/** Whitespace as in the file, line endings normalised, ends trimmed; undefined when blank. */
export function cleanText(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const text = raw
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trimEnd())
    .join("\n")
    .trim();
  return text ? text : undefined;
}

/** For labels: one line, single spaces. */
export function oneLine(raw: string | undefined): string | undefined {
  const text = raw?.replace(/\s+/g, " ").trim();
  return text ? text : undefined;
}

/** `"0:1"`, `"1:n"`, `"0:*"`, `"2:5"`; null when unreadable. */
export function parseCardinality(raw: string): Cardinality | null {
  const match = /^\s*(\d+)\s*:\s*(\d+|n|\*)\s*$/i.exec(raw);
  if (!match) return null;
  const min = Number(match[1]);
  const max = /^\d+$/.test(match[2] ?? "") ? Number(match[2]) : null;
  if (max !== null && max < min) return null;
  return { min, max, raw: raw.trim() };
}

export function readFimXml(source: string): FimSchema {
  return readFimRoot(parseXml(source));
}

export function readFimRoot(root: XmlElement): FimSchema {
  const ns = namespaceOf(root);
  let dialect: Dialect;
  if (ns === NS_XDF2) dialect = xdf2;
  else if (ns?.startsWith(NS_XDF3_PREFIX)) dialect = xdf3;
  else {
    throw new FimFormatError(
      `Not an XDatenfelder 2.0/3.0 file: root <${root.prefix ? `${root.prefix}:` : ""}${root.name}> in namespace ${ns ?? "(none)"} ` +
        "(keine XDatenfelder-2.0/3.0-Datei)",
    );
  }
  if (!root.name.startsWith("xdatenfelder.")) {
    throw new FimFormatError(`Unexpected root element <${root.name}> (unerwartetes Wurzelelement)`);
  }
  const body = child(root, "stammdatenschema") ?? child(root, "datenfeldgruppe");
  if (!body) {
    throw new FimFormatError(
      `<${root.name}> holds neither a stammdatenschema nor a datenfeldgruppe (weder Stammdatenschema noch Datenfeldgruppe)`,
    );
  }
  return new Reader(dialect).schema(body);
}

class Reader {
  private readonly rules = new Map<string, FimRule>();
  private readonly warnings: ReadWarning[] = [];

  constructor(private readonly dialect: Dialect) {}

  schema(body: XmlElement): FimSchema {
    const id = pathText(body, ["identifikation", "id"]) ?? "";
    const isSchema = body.name === "stammdatenschema";
    return {
      xdfVersion: this.dialect.version,
      messageKind: body.name,
      id,
      version: pathText(body, ["identifikation", "version"]),
      name: oneLine(childText(body, "name")) ?? id,
      label: oneLine(isSchema ? this.dialect.schemaLabel(body) : childText(body, "bezeichnungEingabe")),
      help: cleanText(isSchema ? this.dialect.schemaHelp(body) : childText(body, "hilfetextEingabe")),
      description: cleanText(childText(body, "beschreibung")),
      definition: cleanText(childText(body, "definition")),
      references: references(body),
      ruleIds: this.readRules(body),
      children: this.structure(body, id),
      rules: this.rules,
      readWarnings: this.warnings,
    };
  }

  private warn = (w: ReadWarning): void => {
    this.warnings.push(w);
  };

  private structure(container: XmlElement, where: string): FimChild[] {
    const result: FimChild[] = [];
    for (const struktur of childrenNamed(container, "struktur")) {
      const enthaelt = child(struktur, "enthaelt");
      const target = enthaelt?.children.find((c) => c.name === "datenfeld" || c.name === "datenfeldgruppe");
      if (!target) {
        this.warn({
          where,
          de: "Ein <struktur>-Eintrag ohne Datenfeld oder Datenfeldgruppe wurde übersprungen.",
          en: "A <struktur> entry without a field or group was skipped.",
        });
        continue;
      }
      const element = target.name === "datenfeld" ? this.field(target) : this.group(target);
      const rawCount = childText(struktur, "anzahl") ?? "";
      let cardinality = parseCardinality(rawCount);
      if (!cardinality) {
        this.warn({
          where: element.id || element.name,
          de: `Anzahl „${rawCount}“ ist nicht lesbar; als 0:1 übernommen.`,
          en: `Cardinality "${rawCount}" is unreadable; taken as 0:1.`,
        });
        cardinality = { min: 0, max: 1, raw: rawCount };
      }
      result.push({ cardinality, element });
    }
    return result;
  }

  private group(el: XmlElement): FimGroup {
    const base = this.base(el);
    return { kind: "group", ...base, children: this.structure(el, base.id || base.name) };
  }

  private field(el: XmlElement): FimField {
    const field: FimField = {
      kind: "field",
      ...this.base(el),
      feldart: (pathText(el, ["feldart", "code"]) ?? "").toLowerCase(),
      datentyp: (pathText(el, ["datentyp", "code"]) ?? "").toLowerCase(),
      constraints: {},
      content: cleanText(childrenNamed(el, "inhalt").map((c) => c.text).find((t) => t.trim() !== "")),
      values: [],
      mediaTypes: [],
    };
    this.dialect.readFieldDetails(el, field, this.warn);
    return field;
  }

  private base(el: XmlElement) {
    const id = pathText(el, ["identifikation", "id"]) ?? "";
    return {
      id,
      version: pathText(el, ["identifikation", "version"]),
      name: oneLine(childText(el, "name")) ?? id,
      label: oneLine(childText(el, "bezeichnungEingabe")),
      help: cleanText(childText(el, "hilfetextEingabe")),
      description: cleanText(childText(el, "beschreibung")),
      definition: cleanText(childText(el, "definition")),
      ruleIds: this.readRules(el),
    };
  }

  private readRules(el: XmlElement): string[] {
    const ids: string[] = [];
    for (const regel of childrenNamed(el, "regel")) {
      const id = pathText(regel, ["identifikation", "id"]) ?? `regel-${this.rules.size + 1}`;
      ids.push(id);
      if (this.rules.has(id)) continue;
      const script = cleanText(childText(regel, "skript") ?? childText(regel, "script"));
      this.rules.set(id, {
        id,
        version: pathText(regel, ["identifikation", "version"]),
        name: oneLine(childText(regel, "name")) ?? id,
        text:
          cleanText(childText(regel, "freitextRegel")) ??
          cleanText(childText(regel, "definition")) ??
          cleanText(childText(regel, "beschreibung")) ??
          "",
        script,
      });
    }
    return ids;
  }
}

/** Texts and links on the schema that may carry a LeiKa key. */
function references(body: XmlElement): string[] {
  const found: string[] = [];
  for (const name of ["bezug", "stichwort", "dokumentsteckbrief", "leistung"]) {
    for (const el of childrenNamed(body, name)) {
      const text = cleanText(el.text);
      if (text) found.push(text);
      for (const value of Object.values(el.attrs)) found.push(value);
      for (const sub of el.children) {
        const subText = cleanText(sub.text);
        if (subText) found.push(`${sub.name}: ${subText}`);
      }
    }
  }
  return found;
}
