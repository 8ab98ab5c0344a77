import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseFormFile } from "../../server/forms/definition-schema.js";
import { main } from "./cli.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const repo = fileURLToPath(new URL("../../", import.meta.url));
const S246 = join(fixtures, "S00000246v1.1_xdf2.xml");
const S246_ID = "antrag-aufenthaltserlaubnis-zum-zweck-der-erwerbstaetigkeit";

let dir: string;
let out: string[];
let err: string[];

function run(...argv: string[]): number {
  return main(argv, { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), root: dir, cwd: dir });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fim-cli-"));
  mkdirSync(join(dir, "tenants", "musterstadt"), { recursive: true });
  out = [];
  err = [];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("forms import-fim", () => {
  it("writes tenants/<slug>/forms/<id>.json and the report next to it, and prints the warnings", () => {
    expect(run("import-fim", S246, "--tenant", "musterstadt")).toBe(0);
    const formPath = join(dir, "tenants", "musterstadt", "forms", `${S246_ID}.json`);
    const json = readFileSync(formPath, "utf8");
    const form = parseFormFile(json, "x.json");
    expect(form.title.de).toBe("Antrag auf Verlängerung einer Aufenthaltserlaubnis zum Zweck der Erwerbstätigkeit");
    expect(json.endsWith("}\n")).toBe(true);

    const report = readFileSync(join(dir, "tenants", "musterstadt", "forms", `${S246_ID}.import-report.md`), "utf8");
    expect(report).toContain(`- Formular / Form: \`tenants/musterstadt/forms/${S246_ID}.json\``);
    expect(report).toContain("## Regeln / Rules (34)");
    expect(report).toContain("### R60000056 v1.1: Gesetzlicher Vertreter - Juristische Person");

    const printed = out.join("");
    expect(printed).toContain(`tenants/musterstadt/forms/${S246_ID}.json: 4 Schritte/steps`);
    expect(printed).toContain("! `antragsteller_aufenthaltserlaubnis: geschlecht` – F60000332 v1.3 „Geschlecht“: Auswahlliste nicht aufgelöst");
    expect(err).toEqual([]);
  });

  it("refuses to overwrite without --force, and overwrites with it", () => {
    const target = join(dir, "out", "hund.json");
    expect(run("import-fim", join(fixtures, "xdf3-types.xml"), "--tenant", "musterstadt", "--out", target)).toBe(0);
    writeFileSync(target, "edited by hand\n");

    expect(run("import-fim", join(fixtures, "xdf3-types.xml"), "--tenant", "musterstadt", "--out", target)).toBe(1);
    expect(err.join("")).toContain("--force");
    expect(readFileSync(target, "utf8")).toBe("edited by hand\n");

    expect(run("import-fim", join(fixtures, "xdf3-types.xml"), "--tenant", "musterstadt", "--out", target, "--force")).toBe(0);
    expect(JSON.parse(readFileSync(target, "utf8")).title).toEqual({ de: "Hund anmelden" });
    expect(existsSync(join(dir, "out", "hund.import-report.md"))).toBe(true);
  });

  it("takes --id, --category and a folder as --out, relative to the caller's folder", () => {
    const folder = join(dir, "elsewhere");
    copyFileSync(join(fixtures, "xdf3-types.xml"), join(dir, "types.xml"));
    expect(run("import-fim", "types.xml", "--tenant", "musterstadt", "--id", "hundeanmeldung", "--category", "Tiere", "--out", "elsewhere")).toBe(0);
    const form = JSON.parse(readFileSync(join(folder, "hundeanmeldung.json"), "utf8"));
    expect(form.category).toEqual({ de: "Tiere" });
    expect(existsSync(join(folder, "hundeanmeldung.import-report.md"))).toBe(true);
  });

  it("resolves code lists from --codelists and reports a file there that is no code list", () => {
    const lists = join(dir, "codelists");
    mkdirSync(lists);
    copyFileSync(join(fixtures, "codelists", "example_1.xml"), join(lists, "example_1.xml"));
    writeFileSync(join(lists, "broken.xml"), "<notalist/>");
    writeFileSync(join(lists, "readme.txt"), "ignored");
    const target = join(dir, "select.json");
    expect(run("import-fim", join(fixtures, "xdf2-select.xml"), "--tenant", "musterstadt", "--codelists", lists, "--out", target)).toBe(0);
    const form = JSON.parse(readFileSync(target, "utf8"));
    expect(form.steps[0].items[0]).toMatchObject({ type: "choice", options: [{ value: "A" }, { value: "B" }] });
    const report = readFileSync(join(dir, "select.import-report.md"), "utf8");
    expect(report).toContain("„broken.xml“: Codeliste nicht lesbar, übersprungen");
    expect(report).not.toContain("readme.txt");
  });

  it("fails with a message and writes nothing for hostile, unfit or missing input", () => {
    const evil = join(dir, "evil.xml");
    writeFileSync(evil, `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "bbbbbbbb">]><a>&b;&b;</a>`);
    expect(run("import-fim", evil, "--tenant", "musterstadt", "--out", join(dir, "evil.json"))).toBe(1);
    expect(err.join("")).toContain("DOCTYPE");

    expect(run("import-fim", join(fixtures, "xdf2-rule.xml"), "--tenant", "musterstadt", "--out", join(dir, "rule.json"))).toBe(1);
    expect(err.join("")).toContain("keine Datenfelder");

    expect(run("import-fim", join(dir, "missing.xml"), "--tenant", "musterstadt")).toBe(1);
    expect(run("import-fim", S246, "--tenant", "nowhere")).toBe(1);
    expect(err.join("")).toContain("Kommune „nowhere“ nicht gefunden");
    expect(existsSync(join(dir, "evil.json"))).toBe(false);
    expect(existsSync(join(dir, "rule.json"))).toBe(false);
    expect(existsSync(join(dir, "tenants", "nowhere"))).toBe(false);
  });

  it("rejects wrong usage with exit code 2", () => {
    expect(run()).toBe(2);
    expect(run("import-fim", S246)).toBe(2); // no --tenant
    expect(run("import-fim", S246, "--tenant", "Muster Stadt")).toBe(2);
    expect(run("import-fim", S246, "--tenant", "musterstadt", "--id", "Bad_Id")).toBe(2);
    expect(run("import-fim", "--tenant", "musterstadt")).toBe(2);
    expect(run("import-fim", S246, "--tenant", "musterstadt", "--bogus")).toBe(2);
    expect(run("export-fim")).toBe(2);
    expect(run("help")).toBe(0);
    expect(out.join("")).toContain("import-fim <datei.xml> --tenant <slug>");
  });
});

describe("as a script", () => {
  it("npx tsx tools/forms/cli.ts import-fim … writes the form", () => {
    const target = join(dir, "spawned.json");
    const result = spawnSync("npx", ["tsx", "tools/forms/cli.ts", "import-fim", join(fixtures, "xdf3-simple.xml"), "--tenant", "musterstadt", "--out", target], {
      cwd: repo,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Bericht / report:");
    expect(JSON.parse(readFileSync(target, "utf8")).title).toEqual({ de: "Anschrift in Deutschland" });
  }, 60_000);
});
