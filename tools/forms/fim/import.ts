/**
 * XDatenfelder XML → form file and import report, without touching the file system (the CLI,
 * ../cli.ts, reads and writes). Throws for what cannot become a form at all; everything else
 * becomes a warning in the report.
 */
import type { FormFile } from "../../../server/forms/definition.js";
import { maxFields } from "../../../server/forms/definition-schema.js";
import { formIdFrom } from "./ids.js";
import { mapSchema, type MapOptions } from "./map.js";
import { readFimXml } from "./read.js";
import type { ImportReport } from "./report.js";

export { FimFormatError } from "./read.js";
export { XmlError } from "./xml.js";

export class FimImportError extends Error {
  override name = "FimImportError";
}

export interface ImportOptions extends MapOptions {
  /** The XML file's name, for the report. */
  sourceName?: string;
}

export interface ImportResult {
  form: FormFile;
  report: ImportReport;
  /** The form id the schema suggests: its name, lowercase and dashed. */
  suggestedId: string;
}

export function importFim(xml: string, options: ImportOptions = {}): ImportResult {
  const schema = readFimXml(xml);
  const { form, warnings, rules, counts } = mapSchema(schema, options);
  const fields = Object.entries(counts.form.byType)
    .filter(([type]) => type !== "hint" && !type.startsWith("group"))
    .reduce((sum, [, n]) => sum + n, 0);
  if (form.steps.length === 0 || fields === 0) {
    throw new FimImportError(
      `${schema.id || schema.name}: keine Datenfelder, die sich als Formularfelder übernehmen lassen ` +
        `(no fields that can become form fields; ${counts.fim.fields} FIM fields, ${schema.rules.size} rules)`,
    );
  }
  if (fields > maxFields) {
    throw new FimImportError(
      `${schema.id || schema.name}: ${fields} Felder, höchstens ${maxFields} sind erlaubt; Schema bitte aufteilen ` +
        `(${fields} fields, at most ${maxFields} are allowed; please split the schema)`,
    );
  }
  const report: ImportReport = {
    source: {
      xdfVersion: schema.xdfVersion,
      messageKind: schema.messageKind,
      id: schema.id,
      name: schema.name,
      ...(schema.version ? { version: schema.version } : {}),
      ...(options.sourceName ? { file: options.sourceName } : {}),
    },
    formTitle: form.title.de,
    counts,
    warnings,
    rules,
  };
  return { form, report, suggestedId: formIdFrom(schema.name || schema.id) };
}
