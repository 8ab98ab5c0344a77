/**
 * XDatenfelder 2.0 specifics: `praezisierung` is a JSON string, code lists are referenced through
 * `codelisteReferenz/genericodeIdentification`, there are no inline values and no file limits.
 */
import type { CodeListRef, FimField, RawConstraints, ReadWarning } from "./model.js";
import type { Dialect } from "./read.js";
import { child, childText, pathText, type XmlElement } from "./xml.js";

const CONSTRAINT_KEYS = ["minLength", "maxLength", "minValue", "maxValue", "pattern"] as const;

/** Reads the JSON of an XDF2 `praezisierung`; throws on anything but a JSON object. */
export function parseXdf2Constraints(raw: string): RawConstraints {
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("not a JSON object");
  }
  const record = parsed as Record<string, unknown>;
  const result: RawConstraints = {};
  for (const key of CONSTRAINT_KEYS) {
    const value = record[key];
    if (typeof value === "string" && value.trim() !== "") result[key] = value.trim();
    else if (typeof value === "number" && Number.isFinite(value)) result[key] = String(value);
  }
  return result;
}

/**
 * A `codelisteReferenz` in either layout: XDF2 nests the genericode identification in
 * `genericodeIdentification`; XDF3 puts `canonicalIdentification`/`version` directly inside.
 */
export function readCodeListRef(el: XmlElement): CodeListRef | undefined {
  const ref = child(el, "codelisteReferenz");
  if (!ref) return undefined;
  const gc = child(ref, "genericodeIdentification") ?? ref;
  const result: CodeListRef = {};
  const canonicalUri = childText(gc, "canonicalIdentification");
  const version = childText(gc, "version");
  const canonicalVersionUri = childText(gc, "canonicalVersionUri");
  const id = pathText(ref, ["identifikation", "id"]);
  if (canonicalUri) result.canonicalUri = canonicalUri;
  if (version) result.version = version;
  if (canonicalVersionUri) result.canonicalVersionUri = canonicalVersionUri;
  if (id) result.id = id;
  return result;
}

export const xdf2: Dialect = {
  version: 2,
  readFieldDetails(el: XmlElement, field: FimField, warn: (w: ReadWarning) => void): void {
    const raw = childText(el, "praezisierung");
    if (raw) {
      try {
        field.constraints = parseXdf2Constraints(raw);
      } catch {
        field.constraintsError = raw;
        warn({
          where: field.id || field.name,
          de: `Präzisierung ist kein JSON und wurde nicht übernommen: ${raw}`,
          en: `Constraints (praezisierung) are not JSON and were not taken over: ${raw}`,
        });
      }
    }
    const codeList = readCodeListRef(el);
    if (codeList) field.codeList = codeList;
  },
  schemaLabel: (el) => childText(el, "bezeichnungEingabe"),
  schemaHelp: (el) => childText(el, "hilfetextEingabe"),
};
