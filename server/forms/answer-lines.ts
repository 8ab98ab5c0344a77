/**
 * A submission's answers as people read them: in form order, steps and sections as headings,
 * repeated entries numbered, each answer as label and formatted value. Items without an
 * answer in the data (hidden, never shown, optional and left empty) are left out, and so are
 * headings with nothing under them. Used by the receipt PDF; plain text, so mails can use it too.
 */
import type { AddressValue, Field, FormData, FormDefinition, GroupItem, Item, Option, Value } from "./definition.js";
import { formatAmount, formatDate, formatFileSize, formatIban, formatNumber, formatTime, localized, type Lang } from "./value-format.js";

export interface UploadInfo {
  id: string;
  name: string;
  size: number;
  mediaType: string;
}

/** `level` 1: a step; 2: a section or a repeated group; 3 and deeper: entries and nested sections. */
export type AnswerLine =
  | { kind: "heading"; level: number; text: string }
  | { kind: "answer"; label: string; value: string }
  | { kind: "note"; text: string };

const words = {
  de: { yes: "Ja", no: "Nein", confirmed: "Bestätigt", notConfirmed: "Nicht bestätigt", noEntries: "Keine Einträge" },
  en: { yes: "Yes", no: "No", confirmed: "Confirmed", notConfirmed: "Not confirmed", noEntries: "No entries" },
} as const;

export function answerLines(form: FormDefinition, data: FormData, uploads: UploadInfo[], lang: Lang): AnswerLine[] {
  const ctx: Ctx = { lang, uploads: new Map(uploads.map((u) => [u.id, u])) };
  const lines: AnswerLine[] = [];
  for (const step of form.steps) {
    // Step items sit at the root of the data; a step only groups them into pages.
    const body = itemLines(step.items, data, 2, ctx);
    if (body.length === 0) continue;
    lines.push({ kind: "heading", level: 1, text: localized(step.title, lang) }, ...body);
  }
  return lines;
}

interface Ctx {
  lang: Lang;
  uploads: Map<string, UploadInfo>;
}

function itemLines(items: Item[], data: FormData, level: number, ctx: Ctx): AnswerLine[] {
  const lines: AnswerLine[] = [];
  for (const item of items) {
    if (item.type === "hint") continue;
    if (!Object.hasOwn(data, item.id)) continue;
    const value = data[item.id];
    if (value === undefined || value === null) continue;
    if (item.type === "group") lines.push(...groupLines(item, value, level, ctx));
    else {
      // An optional field left empty ("" or no files) was not answered.
      const text = formatValue(item, value, ctx);
      if (text.trim() !== "") lines.push({ kind: "answer", label: localized(item.label, ctx.lang), value: text });
    }
  }
  return lines;
}

function groupLines(group: GroupItem, value: Value, level: number, ctx: Ctx): AnswerLine[] {
  const label = localized(group.label, ctx.lang);
  if (!group.repeat) {
    if (!isFormData(value)) return [];
    const body = itemLines(group.items, value, level + 1, ctx);
    return body.length > 0 ? [{ kind: "heading", level, text: label }, ...body] : [];
  }
  if (!Array.isArray(value)) return [];
  const entries = value.filter(isFormData);
  if (entries.length === 0) return [{ kind: "heading", level, text: label }, { kind: "note", text: words[ctx.lang].noEntries }];
  const entryLabel = group.repeat.itemLabel ? localized(group.repeat.itemLabel, ctx.lang) : label;
  const lines: AnswerLine[] = [{ kind: "heading", level, text: label }];
  entries.forEach((entry, i) => {
    lines.push({ kind: "heading", level: level + 1, text: `${entryLabel} ${i + 1}` });
    lines.push(...itemLines(group.items, entry, level + 2, ctx));
  });
  return lines;
}

/** One answer as text; lines are separated by `\n`. Unexpected shapes are shown as they are, never dropped. */
export function formatValue(field: Field, value: Value, ctx: { lang: Lang; uploads: Map<string, UploadInfo> }): string {
  const w = words[ctx.lang];
  switch (field.type) {
    case "yesno":
      if (typeof value === "boolean") return value ? w.yes : w.no;
      break;
    case "consent":
      if (typeof value === "boolean") return value ? w.confirmed : w.notConfirmed;
      break;
    case "choice":
      if (typeof value === "string") return optionLabel(field.options, value, ctx.lang);
      break;
    case "multichoice":
      if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? optionLabel(field.options, v, ctx.lang) : plain(v))).join("\n");
      break;
    case "date":
      if (typeof value === "string") return formatDate(value);
      break;
    case "time":
      if (typeof value === "string") return formatTime(value, ctx.lang);
      break;
    case "amount":
      if (typeof value === "number") return formatAmount(value, ctx.lang);
      break;
    case "number":
    case "integer":
      if (typeof value === "number") return formatNumber(value, ctx.lang);
      break;
    case "iban":
      if (typeof value === "string") return formatIban(value);
      break;
    case "address":
      if (isAddress(value)) return [value.street, `${value.postalCode} ${value.city}`.trim()].filter((l) => l.trim() !== "").join("\n");
      break;
    case "file":
      if (Array.isArray(value)) {
        return value
          .map((id) => {
            const upload = typeof id === "string" ? ctx.uploads.get(id) : undefined;
            return upload ? `${upload.name} (${formatFileSize(upload.size, ctx.lang)})` : plain(id);
          })
          .join("\n");
      }
      break;
    default:
      break;
  }
  return plain(value);
}

function optionLabel(options: Option[], value: string, lang: Lang): string {
  const option = options.find((o) => o.value === value);
  return option ? localized(option.label, lang) : value;
}

function plain(value: Value | FormData): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map((v) => plain(v)).join("\n");
  if (isAddress(value)) return `${value.street}\n${value.postalCode} ${value.city}`;
  return JSON.stringify(value);
}

function isFormData(value: unknown): value is FormData {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isAddress(value: unknown): value is AddressValue {
  if (!isFormData(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.street === "string" && typeof v.postalCode === "string" && typeof v.city === "string";
}
