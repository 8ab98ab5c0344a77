/**
 * Form tools for operators. Run with `npm run forms -- <command>`:
 *
 *   import-fim <file.xml> --tenant <slug> [--id <form-id>] [--codelists <dir>] [--out <path>]
 *              [--category <text>] [--force]
 *
 * Reads an XDatenfelder 2.0/3.0 file (./fim/), writes `tenants/<slug>/forms/<id>.json` and
 * `<id>.import-report.md` next to it, and prints the warnings. The form is checked with the
 * same schema the sync uses before anything is written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseFormFile } from "../../server/forms/definition-schema.js";
import { CodeListIndex, parseGenericode } from "./fim/codelists.js";
import { FORM_ID } from "./fim/ids.js";
import { importFim } from "./fim/import.js";
import { renderReport, renderSummary, type ImportWarning } from "./fim/report.js";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Repository root: `tenants/` is looked up here. */
  root: string;
  /** Where relative paths on the command line start: the caller's folder, not npm's. */
  cwd: string;
}

const USAGE = `Aufruf / Usage:
  npm run forms -- import-fim <datei.xml> --tenant <slug> [--id <formular-id>] [--codelists <ordner>]
                  [--out <pfad>] [--category <text>] [--force]

  --tenant     Kommune (Ordner unter tenants/) / town (folder in tenants/)
  --id         Formular-Id (Dateiname); Standard: aus dem Namen des Schemas / default: from the schema's name
  --codelists  Ordner mit Genericode-Codelisten (*.xml, *.gc) / folder of genericode code lists
  --out        Zieldatei (*.json) oder -ordner statt tenants/<slug>/forms / target file (*.json) or folder
  --category   Kategorie / category (Standard / default: Allgemein)
  --force      vorhandenes Formular überschreiben / overwrite an existing form
`;

const TENANT_SLUG = /^([a-z0-9][a-z0-9-]{1,39}|_catalog)$/;
/** Far above any FIM schema (the federal ones are well under 1 MB); keeps a stray file from filling memory. */
const MAX_INPUT_BYTES = 20 * 1024 * 1024;

class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

const repoRoot = (): string => fileURLToPath(new URL("../../", import.meta.url));

export function main(argv: string[], io: Partial<CliIo> = {}): number {
  const out: CliIo = {
    stdout: io.stdout ?? ((t) => process.stdout.write(t)),
    stderr: io.stderr ?? ((t) => process.stderr.write(t)),
    root: io.root ?? repoRoot(),
    // `npm run` starts scripts in the package folder and keeps the caller's in INIT_CWD.
    cwd: io.cwd ?? process.env.INIT_CWD ?? process.cwd(),
  };
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      out.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command !== "import-fim") throw new CliError(`Unbekannter Befehl / unknown command: ${command}\n\n${USAGE}`, 2);
    return importCommand(rest, out);
  } catch (e) {
    if (e instanceof CliError) {
      out.stderr(`${e.message.trimEnd()}\n`);
      return e.code;
    }
    out.stderr(`Fehler / error: ${(e as Error).message}\n`);
    return 1;
  }
}

function importCommand(args: string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        tenant: { type: "string" },
        id: { type: "string" },
        codelists: { type: "string" },
        out: { type: "string" },
        category: { type: "string" },
        force: { type: "boolean", default: false },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new CliError(`Genau eine XML-Datei angeben / give exactly one XML file.\n\n${USAGE}`, 2);
  const tenant = values.tenant;
  if (!tenant) throw new CliError(`--tenant fehlt / is missing.\n\n${USAGE}`, 2);
  if (!TENANT_SLUG.test(tenant)) throw new CliError(`--tenant „${tenant}“ ist kein gültiger Slug / is not a valid slug.`, 2);
  if (values.id !== undefined && !FORM_ID.test(values.id)) {
    throw new CliError(`--id „${values.id}“: Kleinbuchstaben, Ziffern und -, höchstens 60 Zeichen / lowercase letters, digits and -, at most 60 characters.`, 2);
  }

  const source = resolve(io.cwd, positionals[0]!);
  const xml = readInput(source);
  const extraWarnings: ImportWarning[] = [];
  const codeLists = values.codelists !== undefined ? loadCodeLists(resolve(io.cwd, values.codelists), extraWarnings) : undefined;

  const result = importFim(xml, {
    sourceName: basename(source),
    ...(codeLists ? { codeLists } : {}),
    ...(values.category !== undefined ? { category: values.category } : {}),
  });
  const id = values.id ?? result.suggestedId;
  const target = targetPath(io, tenant, id, values.out);
  if (existsSync(target) && !values.force) {
    throw new CliError(`${display(io.root, target)} gibt es schon; mit --force überschreiben / exists already; overwrite with --force.`);
  }
  const json = `${JSON.stringify(result.form, null, 2)}\n`;
  const shown = display(io.root, target);
  try {
    parseFormFile(json, shown);
  } catch (e) {
    throw new CliError(
      `Das erzeugte Formular besteht die Prüfung nicht; nichts geschrieben / the generated form fails the check; nothing written:\n  ${(e as Error).message}`,
    );
  }

  const reportPath = join(dirname(target), `${basename(target, ".json")}.import-report.md`);
  result.report.warnings.unshift(...extraWarnings);
  result.report.formPath = shown;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, json);
  writeFileSync(reportPath, renderReport(result.report));
  io.stdout(renderSummary(result.report));
  io.stdout(`Bericht / report: ${display(io.root, reportPath)}\n`);
  return 0;
}

function readInput(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CliError(`${path}: Datei nicht gefunden / file not found.`);
  }
  if (size > MAX_INPUT_BYTES) throw new CliError(`${path}: größer als 20 MB / larger than 20 MB.`);
  return readFileSync(path, "utf8");
}

/** Genericode files of a folder; one that cannot be read is a warning, not a stop. */
function loadCodeLists(dir: string, warnings: ImportWarning[]): CodeListIndex {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    throw new CliError(`--codelists ${dir}: Ordner nicht lesbar / folder not readable.`);
  }
  const index = new CodeListIndex();
  for (const name of names) {
    if (!/\.(xml|gc)$/i.test(name)) continue;
    const path = join(dir, name);
    try {
      if (statSync(path).size > MAX_INPUT_BYTES) throw new Error("larger than 20 MB");
      index.add(parseGenericode(readFileSync(path, "utf8"), name));
    } catch (e) {
      warnings.push({
        name,
        de: `Codeliste nicht lesbar, übersprungen: ${(e as Error).message}`,
        en: `Code list not readable, skipped: ${(e as Error).message}`,
      });
    }
  }
  return index;
}

function targetPath(io: CliIo, tenant: string, id: string, out: string | undefined): string {
  if (out !== undefined) {
    const path = resolve(io.cwd, out);
    return path.toLowerCase().endsWith(".json") ? path : join(path, `${id}.json`);
  }
  const tenantDir = join(io.root, "tenants", tenant);
  if (!existsSync(tenantDir)) throw new CliError(`Kommune „${tenant}“ nicht gefunden (${tenantDir}) / town not found.`);
  return join(tenantDir, "forms", `${id}.json`);
}

/** Relative to the repository when inside it, for messages and the report. */
function display(root: string, path: string): string {
  const rel = relative(root, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === pathToFileURL(realpathSync(fileURLToPath(import.meta.url))).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = main(process.argv.slice(2));
}
