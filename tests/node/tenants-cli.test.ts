import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root } from "./process.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** `npm run tenants -- …` as a consortium admin runs it. */
function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "server/node/tenants-cli.ts", ...args], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}

// Each test spawns the CLI several times (tsx compiles on start): seconds each on a busy machine.
describe("tenants CLI", { timeout: 60_000 }, () => {
  it("validates, lists and syncs the towns", () => {
    const data = temp("dr-cli-data-");
    expect(cli(["validate"], {}).out).toContain("OK: 2 town(s) valid: musterstadt, tangerhuette");
    expect(cli(["list"], {}).out).toMatch(/tangerhuette\s+Einheitsgemeinde Stadt Tangerhütte/);
    const first = cli(["sync"], { DATA_DIR: data });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out.slice(first.out.indexOf("{"))).created).toEqual(["musterstadt", "tangerhuette"]);
    const again = cli(["sync"], { DATA_DIR: data });
    expect(JSON.parse(again.out.slice(again.out.indexOf("{"))).unchanged).toEqual(["musterstadt", "tangerhuette"]);
  });

  it("rejects a bad folder with the file and the field, and writes nothing", () => {
    const tenants = temp("dr-cli-tenants-");
    const data = temp("dr-cli-data-");
    cpSync(join(root, "tenants"), tenants, { recursive: true });
    const file = join(tenants, "tangerhuette", "tenant.json");
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), locale: "fr" }));
    const validate = cli(["validate"], { TENANTS_DIR: tenants });
    expect(validate.code).toBe(1);
    expect(validate.out).toMatch(/tangerhuette\/tenant\.json: field "locale"/);
    const sync = cli(["sync"], { TENANTS_DIR: tenants, DATA_DIR: data });
    expect(sync.code).toBe(1);
    expect(existsSync(join(data, "rathaus.sqlite"))).toBe(false);
    expect(cli(["bogus"], {}).out).toContain("Usage: npm run tenants");
  });
});
