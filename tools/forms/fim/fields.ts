/**
 * One FIM `datenfeld` → one field of the form format, by `feldart` and `datentyp`, with its
 * `praezisierung` as constraints. Structure (required, repetition, ids) is ./map.ts's business;
 * this module only decides the field's type and checks. Everything it cannot carry over is
 * reported through `warn`, German and English.
 */
import {
  acceptedMediaTypes,
  maxPatternLength,
  maxUploadBytes,
} from "../../../server/forms/definition-schema.js";
import type {
  ChoiceField,
  DateField,
  FileField,
  NumberField,
  Option,
  TextField,
  TimeField,
  YesNoField,
} from "../../../server/forms/definition.js";
import { type CodeListIndex, optionsFrom } from "./codelists.js";
import type { FimField, RawConstraints } from "./model.js";

export type Warn = (de: string, en: string) => void;

/** What a field becomes before id, label, help, fim and required are added. */
export type FieldShape =
  | Omit<TextField, "id" | "label">
  | Omit<NumberField, "id" | "label">
  | Omit<DateField, "id" | "label">
  | Omit<TimeField, "id" | "label">
  | Omit<YesNoField, "id" | "label">
  | Omit<FileField, "id" | "label">
  | Omit<ChoiceField, "id" | "label">;

export const DEFAULT_ACCEPT = ["application/pdf", "image/jpeg", "image/png"] as const;
/** Longer texts get a multi-line box. */
const TEXTAREA_FROM = 200;
const PATTERN_MESSAGE = { de: "Bitte prüfen Sie das Format.", en: "Please check the format." };
const OPTION_VALUE_MAX = 100;

export interface FieldContext {
  codeLists: CodeListIndex | undefined;
  warn: Warn;
}

/** The field for an `input` (or unknown feldart) by its datentyp. */
export function inputField(field: FimField, ctx: FieldContext): FieldShape {
  const { warn } = ctx;
  switch (field.datentyp) {
    case "text":
    case "text_latin":
      if (field.datentyp === "text_latin") {
        warn(
          "Datentyp text_latin: der Zeichensatz (DIN SPEC 91379) wird nicht geprüft.",
          "Data type text_latin: the character set (DIN SPEC 91379) is not checked.",
        );
      }
      return textField(field.constraints, warn);
    case "date":
      return dateField(field.constraints, warn);
    case "datetime":
      warn(
        "Datum mit Uhrzeit (datetime) wird als Datum ohne Uhrzeit abgefragt.",
        "Date and time (datetime) is asked as a date without time.",
      );
      return dateField(field.constraints, warn);
    case "time":
      return timeField(field.constraints, warn);
    case "bool":
      ignoreConstraints(field.constraints, ["minLength", "maxLength", "minValue", "maxValue", "pattern"], warn);
      return { type: "yesno" };
    case "num":
      return numberField("number", field.constraints, warn);
    case "num_int":
      return numberField("integer", field.constraints, warn);
    case "num_currency":
      return numberField("amount", field.constraints, warn);
    case "file":
      return fileField(field, warn);
    case "obj":
      warn("Datentyp obj (Objekt) wird als Datei-Upload abgefragt.", "Data type obj (object) is asked as a file upload.");
      return fileField(field, warn);
    default:
      warn(
        `Unbekannter Datentyp „${field.datentyp || "(leer)"}“: als Textfeld übernommen.`,
        `Unknown data type "${field.datentyp || "(empty)"}": taken as a text field.`,
      );
      return textField(field.constraints, warn);
  }
}

/**
 * A `select`: options from inline values (XDF3 `werte`) or the referenced genericode list;
 * when neither is at hand, a text field takes its place so the form still asks the question.
 */
export function selectField(field: FimField, ctx: FieldContext): FieldShape {
  const { warn } = ctx;
  let raw: { code: string; name: string }[] = [];
  const ref = field.codeList;
  if (field.values.length > 0) {
    raw = field.values;
  } else if (!ref || (!ref.canonicalUri && !ref.canonicalVersionUri)) {
    return unresolved(field, LOOKUP_TEXT["no-reference"], warn);
  } else if (ctx.codeLists) {
    const found = ctx.codeLists.find(ref);
    if (found.list) {
      const result = optionsFrom(found.list, field.codeKey, field.nameKey);
      raw = result.options;
      if (found.tookNewest) {
        warn(
          `Codeliste ohne Version referenziert; die neueste vorhandene (${found.list.version ?? "?"}) wurde genommen.`,
          `Code list referenced without version; the newest at hand (${found.list.version ?? "?"}) was taken.`,
        );
      }
      if (result.skipped > 0) {
        warn(
          `${result.skipped} Zeile(n) der Codeliste ohne oder mit doppeltem Code übersprungen.`,
          `${result.skipped} code list row(s) without a code or with a repeated code skipped.`,
        );
      }
    } else {
      return unresolved(field, describeLookupProblem(found.problem, found.versions), warn);
    }
  } else {
    return unresolved(field, LOOKUP_TEXT["none-given"], warn);
  }
  const options: Option[] = [];
  const seen = new Set<string>();
  for (const value of raw) {
    if (value.code.length > OPTION_VALUE_MAX || seen.has(value.code)) {
      warn(
        `Option „${value.code.slice(0, 40)}“ übersprungen (Code doppelt oder länger als ${OPTION_VALUE_MAX} Zeichen).`,
        `Option "${value.code.slice(0, 40)}" skipped (code repeated or longer than ${OPTION_VALUE_MAX} characters).`,
      );
      continue;
    }
    seen.add(value.code);
    options.push({ value: value.code, label: { de: value.name || value.code } });
  }
  if (options.length === 0) {
    return unresolved(field, { de: "die Codeliste hat keine Einträge", en: "the code list has no entries" }, warn);
  }
  return { type: "choice", options };
}

const LOOKUP_TEXT = {
  "no-reference": { de: "keine Codeliste referenziert", en: "no code list referenced" },
  "none-given": { de: "keine Codelisten angegeben (--codelists)", en: "no code lists given (--codelists)" },
  "not-found": { de: "nicht unter den angegebenen Codelisten", en: "not among the code lists given" },
  "other-versions": { de: "nur andere Versionen vorhanden", en: "only other versions at hand" },
} as const;

function describeLookupProblem(problem: keyof typeof LOOKUP_TEXT, versions?: string[]): { de: string; en: string } {
  const text = LOOKUP_TEXT[problem];
  if (problem !== "other-versions" || !versions) return text;
  return { de: `${text.de}: ${versions.join(", ")}`, en: `${text.en}: ${versions.join(", ")}` };
}

function unresolved(field: FimField, why: { de: string; en: string }, warn: Warn): FieldShape {
  const ref = field.codeList;
  const name = ref ? (ref.canonicalVersionUri ?? [ref.canonicalUri, ref.version].filter(Boolean).join(" ")) || ref.id || "?" : "–";
  warn(
    `Auswahlliste nicht aufgelöst (${why.de}; Codeliste: ${name}): stattdessen ein Textfeld. Optionen ergänzen oder die Codeliste mit --codelists angeben.`,
    `Select not resolved (${why.en}; code list: ${name}): a text field instead. Add options or give the code list with --codelists.`,
  );
  return { type: "text" };
}

function int(raw: string | undefined, what: string, warn: Warn): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 0) return n;
  warn(`${what} „${raw}“ ist keine ganze Zahl ≥ 0 und wurde ignoriert.`, `${what} "${raw}" is not an integer ≥ 0 and was ignored.`);
  return undefined;
}

function ignoreConstraints(c: RawConstraints, keys: (keyof RawConstraints)[], warn: Warn): void {
  const present = keys.filter((k) => c[k] !== undefined);
  if (present.length === 0) return;
  const list = present.map((k) => `${k}=${c[k]}`).join(", ");
  warn(`Präzisierung ${list} passt nicht zum Datentyp und wurde ignoriert.`, `Constraints ${list} do not fit the data type and were ignored.`);
}

function textField(c: RawConstraints, warn: Warn): Omit<TextField, "id" | "label"> {
  ignoreConstraints(c, ["minValue", "maxValue"], warn);
  let minLength = int(c.minLength, "minLength", warn);
  let maxLength = int(c.maxLength, "maxLength", warn);
  if (maxLength === 0) maxLength = undefined;
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
    warn(
      `minLength ${minLength} ist größer als maxLength ${maxLength}; beide ignoriert.`,
      `minLength ${minLength} is more than maxLength ${maxLength}; both ignored.`,
    );
    minLength = maxLength = undefined;
  }
  const result: Omit<TextField, "id" | "label"> = {
    type: maxLength !== undefined && maxLength > TEXTAREA_FROM ? "textarea" : "text",
  };
  if (minLength !== undefined && minLength > 0) result.minLength = minLength;
  if (maxLength !== undefined) result.maxLength = maxLength;
  const pattern = c.pattern !== undefined ? checkedPattern(c.pattern, warn) : undefined;
  if (pattern) result.pattern = { regex: pattern, message: { ...PATTERN_MESSAGE } };
  return result;
}

/**
 * FIM patterns are XML Schema regular expressions, which always match the whole value; the
 * rules module matches the same way (`^(?:…)$`), so the pattern is kept as written. One that
 * JavaScript cannot compile with the `u` flag (XSD-only escapes like `\i`, class subtraction)
 * is dropped rather than approximated.
 */
export function checkedPattern(raw: string, warn: Warn): string | undefined {
  if (raw.length > maxPatternLength) {
    warn(
      `Muster länger als ${maxPatternLength} Zeichen; nicht übernommen: ${raw}`,
      `Pattern longer than ${maxPatternLength} characters; not taken over: ${raw}`,
    );
    return undefined;
  }
  try {
    new RegExp(raw, "u");
    new RegExp(`^(?:${raw})$`, "u");
  } catch (e) {
    warn(
      `Muster ist in JavaScript (Flag u) ungültig und wurde nicht übernommen: ${raw} (${(e as Error).message})`,
      `Pattern is invalid in JavaScript (u flag) and was not taken over: ${raw} (${(e as Error).message})`,
    );
    return undefined;
  }
  return raw;
}

function numberField(type: NumberField["type"], c: RawConstraints, warn: Warn): Omit<NumberField, "id" | "label"> {
  ignoreConstraints(c, ["minLength", "maxLength", "pattern"], warn);
  const num = (raw: string | undefined, what: string): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw.replace(",", "."));
    if (raw.trim() !== "" && Number.isFinite(n)) return n;
    warn(`${what} „${raw}“ ist keine Zahl und wurde ignoriert.`, `${what} "${raw}" is not a number and was ignored.`);
    return undefined;
  };
  let min = num(c.minValue, "minValue");
  let max = num(c.maxValue, "maxValue");
  if (min !== undefined && max !== undefined && min > max) {
    warn(`minValue ${min} ist größer als maxValue ${max}; beide ignoriert.`, `minValue ${min} is more than maxValue ${max}; both ignored.`);
    min = max = undefined;
  }
  const result: Omit<NumberField, "id" | "label"> = { type };
  if (min !== undefined) result.min = min;
  if (max !== undefined) result.max = max;
  return result;
}

function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function dateField(c: RawConstraints, warn: Warn): Omit<DateField, "id" | "label"> {
  ignoreConstraints(c, ["minLength", "maxLength", "pattern"], warn);
  const bound = (raw: string | undefined, what: string): string | undefined => {
    if (raw === undefined) return undefined;
    const date = raw.slice(0, 10);
    if (isRealDate(date)) return date;
    warn(`${what} „${raw}“ ist kein Datum (JJJJ-MM-TT) und wurde ignoriert.`, `${what} "${raw}" is not a date (YYYY-MM-DD) and was ignored.`);
    return undefined;
  };
  let min = bound(c.minValue, "minValue");
  let max = bound(c.maxValue, "maxValue");
  if (min && max && min > max) {
    warn(`minValue ${min} liegt nach maxValue ${max}; beide ignoriert.`, `minValue ${min} is after maxValue ${max}; both ignored.`);
    min = max = undefined;
  }
  const result: Omit<DateField, "id" | "label"> = { type: "date" };
  if (min) result.min = min;
  if (max) result.max = max;
  return result;
}

function timeField(c: RawConstraints, warn: Warn): Omit<TimeField, "id" | "label"> {
  ignoreConstraints(c, ["minLength", "maxLength", "pattern"], warn);
  const bound = (raw: string | undefined, what: string): string | undefined => {
    if (raw === undefined) return undefined;
    const match = /^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d+)?)?$/.exec(raw);
    if (match) return `${match[1]}:${match[2]}`;
    warn(`${what} „${raw}“ ist keine Uhrzeit (HH:MM) und wurde ignoriert.`, `${what} "${raw}" is not a time (HH:MM) and was ignored.`);
    return undefined;
  };
  let min = bound(c.minValue, "minValue");
  let max = bound(c.maxValue, "maxValue");
  if (min && max && min > max) {
    warn(`minValue ${min} liegt nach maxValue ${max}; beide ignoriert.`, `minValue ${min} is after maxValue ${max}; both ignored.`);
    min = max = undefined;
  }
  const result: Omit<TimeField, "id" | "label"> = { type: "time" };
  if (min) result.min = min;
  if (max) result.max = max;
  return result;
}

const ACCEPTED: readonly string[] = acceptedMediaTypes;

/**
 * XDF3 `maxSize` is read as kilobytes (KiB): the FIM samples carry small numbers like 10, which
 * as bytes would refuse every real document. The report says so for each field that has one.
 */
function fileField(field: FimField, warn: Warn): Omit<FileField, "id" | "label"> {
  ignoreConstraints(field.constraints, ["minLength", "maxLength", "minValue", "maxValue", "pattern"], warn);
  const wanted = [...new Set(field.mediaTypes.map((m) => (m === "image/jpg" ? "image/jpeg" : m)))];
  const accept = wanted.filter((m) => ACCEPTED.includes(m));
  const refused = wanted.filter((m) => !ACCEPTED.includes(m));
  if (refused.length > 0) {
    warn(
      `Dateitypen ${refused.join(", ")} werden beim Hochladen nicht erkannt und wurden weggelassen${accept.length === 0 ? "; stattdessen PDF, JPEG, PNG" : ""}.`,
      `Media types ${refused.join(", ")} are not recognised at upload and were left out${accept.length === 0 ? "; PDF, JPEG, PNG instead" : ""}.`,
    );
  }
  const result: Omit<FileField, "id" | "label"> = {
    type: "file",
    accept: accept.length > 0 ? accept : [...DEFAULT_ACCEPT],
  };
  if (field.maxSize !== undefined) {
    const bytes = field.maxSize * 1024;
    if (bytes > maxUploadBytes) {
      warn(
        `maxSize ${field.maxSize} (als Kilobyte gelesen) übersteigt 25 MB; auf 25 MB begrenzt.`,
        `maxSize ${field.maxSize} (read as kilobytes) exceeds 25 MB; capped at 25 MB.`,
      );
      result.maxSize = maxUploadBytes;
    } else {
      warn(
        `maxSize ${field.maxSize} als Kilobyte gelesen (${bytes} Bytes); bitte prüfen.`,
        `maxSize ${field.maxSize} read as kilobytes (${bytes} bytes); please check.`,
      );
      result.maxSize = bytes;
    }
  }
  return result;
}
