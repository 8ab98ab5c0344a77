/**
 * The import report: what a person has to look at after an import — every warning, and every
 * FIM rule in its prose with the places of the form it concerns, to be modelled as conditions
 * (`when`) by hand. Rendered as Markdown next to the form (`<id>.import-report.md`).
 */

export interface ImportWarning {
  /** Step id the item stands in. */
  step?: string;
  /** Dot path of ids in the answers (`vertretung.anschrift.strasse`). */
  path?: string;
  /** FIM element as written (`F60000243`, version `1.1`) and its name. */
  fimId?: string;
  fimVersion?: string;
  name?: string;
  de: string;
  en: string;
}

/** One place in the form: a step, or an item in it (dot path in the answers). */
export interface Place {
  step: string;
  /** Empty for the step itself (a top-level FIM group). */
  path: string;
}

/** Where a FIM element ended up. */
export interface Placement {
  fimId: string;
  name: string;
  /** Each occurrence; XDF2 repeats shared groups in full. Empty: not in the form. */
  places: Place[];
}

export interface RuleEntry {
  id: string;
  version?: string;
  name: string;
  text: string;
  script?: string;
  /** The elements the rule is attached to (`regel` inside them); the schema itself as `(Formular)`. */
  attachedTo: Placement[];
  /** Elements the prose names by FIM id. */
  mentions: Placement[];
}

export interface ImportCounts {
  /** FIM side: `datenfeld` occurrences by feldart, file fields (datentyp file/obj), groups. */
  fim: { fields: number; groups: number; byFeldart: Record<string, number>; files: number };
  /** Form side: items by type, steps. */
  form: { steps: number; byType: Record<string, number> };
}

export interface ImportReport {
  source: {
    file?: string;
    xdfVersion: 2 | 3;
    messageKind: string;
    id: string;
    version?: string;
    name: string;
  };
  formTitle: string;
  /** Where the form was written, once it is. */
  formPath?: string;
  counts: ImportCounts;
  warnings: ImportWarning[];
  rules: RuleEntry[];
}

/** Escapes what would change Markdown's reading; underscores stay (ids are full of them, and intraword `_` is literal). */
const md = (s: string): string => s.replace(/([\\`*[\]<>|])/g, "\\$1");

function where(w: ImportWarning): string {
  const parts: string[] = [];
  if (w.path) parts.push(`\`${w.step ? `${w.step}: ` : ""}${w.path}\``);
  else if (w.step) parts.push(`\`${w.step}\``);
  if (w.fimId) parts.push(`${w.fimId}${w.fimVersion ? ` v${w.fimVersion}` : ""}${w.name ? ` „${md(w.name)}“` : ""}`);
  else if (w.name) parts.push(`„${md(w.name)}“`);
  return parts.join(" – ");
}

function counted(record: Record<string, number>): string {
  return Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

export const placeText = (p: Place): string => (p.path ? `${p.step}: ${p.path}` : `${p.step} (Schritt / step)`);

function placements(list: Placement[]): string[] {
  return list.map((p) => {
    const places = p.places.length > 0 ? p.places.map((x) => `\`${placeText(x)}\``).join(", ") : "— (nicht im Formular / not in the form)";
    return `  - ${p.fimId}${p.name ? ` „${md(p.name)}“` : ""} → ${places}`;
  });
}

/** The report as Markdown, German first, English second. */
export function renderReport(report: ImportReport): string {
  const { source, counts } = report;
  const lines: string[] = [];
  lines.push(`# Import-Bericht / Import report: ${md(report.formTitle)}`, "");
  lines.push(
    `- Quelle / Source: ${source.file ? `\`${source.file}\`, ` : ""}XDatenfelder ${source.xdfVersion}.0, ${source.messageKind} ${source.id}${source.version ? ` v${source.version}` : ""} „${md(source.name)}“`,
  );
  if (report.formPath) lines.push(`- Formular / Form: \`${report.formPath}\``);
  lines.push(
    `- FIM: ${counts.fim.fields} Datenfelder / fields (${counted(counts.fim.byFeldart)}; davon Dateien / files ${counts.fim.files}), ${counts.fim.groups} Gruppen / groups`,
  );
  lines.push(`- Formular / Form: ${counts.form.steps} Schritte / steps; ${counted(counts.form.byType)}`);
  lines.push(`- Warnungen / Warnings: ${report.warnings.length}; Regeln / Rules: ${report.rules.length}`, "");

  lines.push(`## Warnungen / Warnings (${report.warnings.length})`, "");
  if (report.warnings.length === 0) lines.push("Keine. / None.");
  for (const w of report.warnings) {
    const at = where(w);
    lines.push(`- ${at ? `${at}: ` : ""}${md(w.de)}`, `  *${md(w.en)}*`);
  }
  lines.push("");

  lines.push(`## Regeln / Rules (${report.rules.length})`, "");
  if (report.rules.length > 0) {
    lines.push(
      "Die Regeln sind Prosa und wurden nicht übernommen. Bitte als Bedingungen (`when`) und Pflichtangaben modellieren.",
      "*The rules are prose and were not taken over. Please model them as conditions (`when`) and required flags.*",
      "",
    );
  } else {
    lines.push("Keine. / None.");
  }
  for (const rule of report.rules) {
    lines.push(`### ${rule.id}${rule.version ? ` v${rule.version}` : ""}: ${md(rule.name)}`, "");
    if (rule.attachedTo.length > 0) lines.push("- Gehört zu / Belongs to:", ...placements(rule.attachedTo));
    if (rule.mentions.length > 0) lines.push("- Erwähnt / Mentions:", ...placements(rule.mentions));
    lines.push("");
    const text = rule.text || "(ohne Text / no text)";
    for (const line of text.split("\n")) lines.push(`> ${md(line)}`);
    if (rule.script) {
      lines.push("", "Skript / Script:", "", "```", rule.script.replace(/```/g, "ʼʼʼ"), "```");
    }
    lines.push("");
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

/** A few lines for the terminal; the full report is in the file. */
export function renderSummary(report: ImportReport): string {
  const lines = [
    `${report.formPath ? `${report.formPath}: ` : ""}${report.counts.form.steps} Schritte/steps, ${counted(report.counts.form.byType)}`,
    `FIM ${report.source.id}${report.source.version ? ` v${report.source.version}` : ""}: ${report.counts.fim.fields} Datenfelder/fields, ${report.counts.fim.groups} Gruppen/groups`,
    `${report.warnings.length} Warnungen/warnings, ${report.rules.length} Regeln/rules (als Bedingungen zu modellieren / to model as conditions)`,
  ];
  for (const w of report.warnings) {
    const at = where(w).replace(/\\/g, "");
    lines.push(`  ! ${at ? `${at}: ` : ""}${w.de}`);
  }
  return lines.join("\n") + "\n";
}
