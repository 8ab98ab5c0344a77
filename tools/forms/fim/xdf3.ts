/**
 * XDatenfelder 3.0 specifics: `praezisierung` carries attributes, select values may be inline
 * (`werte/wert`), `codeKey`/`nameKey` pick the genericode columns, file fields have `mediaType`
 * and `maxSize`, and the schema's title is `bezeichnung`.
 */
import type { FimField, InlineValue, RawConstraints, ReadWarning } from "./model.js";
import type { Dialect } from "./read.js";
import { readCodeListRef } from "./xdf2.js";
import { child, childrenNamed, childText, type XmlElement } from "./xml.js";

const CONSTRAINT_KEYS = ["minLength", "maxLength", "minValue", "maxValue", "pattern"] as const;

function readConstraints(el: XmlElement | undefined): RawConstraints {
  const result: RawConstraints = {};
  if (!el) return result;
  for (const key of CONSTRAINT_KEYS) {
    const value = el.attrs[key]?.trim();
    if (value) result[key] = value;
  }
  return result;
}

function readValues(el: XmlElement): InlineValue[] {
  const values: InlineValue[] = [];
  for (const wert of childrenNamed(child(el, "werte"), "wert")) {
    const code = childText(wert, "code");
    if (code === undefined) continue;
    const name = childText(wert, "name")?.replace(/\s+/g, " ") ?? code;
    const help = childText(wert, "hilfe");
    values.push(help ? { code, name, help } : { code, name });
  }
  return values;
}

export const xdf3: Dialect = {
  version: 3,
  readFieldDetails(el: XmlElement, field: FimField, warn: (w: ReadWarning) => void): void {
    field.constraints = readConstraints(child(el, "praezisierung"));
    const codeList = readCodeListRef(el);
    if (codeList) field.codeList = codeList;
    field.values = readValues(el);
    const codeKey = childText(el, "codeKey");
    const nameKey = childText(el, "nameKey");
    if (codeKey) field.codeKey = codeKey;
    if (nameKey) field.nameKey = nameKey;
    field.mediaTypes = childrenNamed(el, "mediaType")
      .map((m) => m.text.trim().toLowerCase())
      .filter((m) => m !== "");
    const maxSize = childText(el, "maxSize");
    if (maxSize !== undefined) {
      const n = Number(maxSize);
      if (Number.isInteger(n) && n > 0) field.maxSize = n;
      else {
        warn({
          where: field.id || field.name,
          de: `maxSize „${maxSize}“ ist keine positive ganze Zahl und wurde ignoriert.`,
          en: `maxSize "${maxSize}" is not a positive integer and was ignored.`,
        });
      }
    }
  },
  schemaLabel: (el) => childText(el, "bezeichnung") ?? childText(el, "bezeichnungEingabe"),
  schemaHelp: (el) => childText(el, "hilfetext") ?? childText(el, "hilfetextEingabe"),
};
