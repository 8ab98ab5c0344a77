import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { findActiveForm, findFormVersion, listActiveForms } from "../../server/forms/repo.js";
import { systemClock } from "../../server/lib/clock.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { findActiveTenantBySlug } from "../../server/tenants/repo.js";

/** What a consortium admin does to form files, and what the sync makes of it across restarts. */
const root = fileURLToPath(new URL("../../", import.meta.url));
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "dr-forms-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(data: string, tenants: string) {
  const { store } = await bootstrapStore({ databaseFile: join(data, "rathaus.sqlite"), migrationsDir: join(root, "migrations"), tenantsDir: tenants, clock: systemClock });
  const town = (await findActiveTenantBySlug(store.db, "tangerhuette"))!;
  return { store, town };
}

function edit(path: string, change: (form: Record<string, any>) => void) {
  const form = JSON.parse(readFileSync(path, "utf8"));
  change(form);
  writeFileSync(path, JSON.stringify(form, null, 2));
}

describe("form versions across syncs", () => {
  it("keeps the version while a file is unchanged, raises it on a change, and keeps the old one", async () => {
    const data = tempDir();
    const tenants = tempDir();
    cpSync(join(root, "tenants"), tenants, { recursive: true });
    const file = join(tenants, "tangerhuette", "forms", "maengelmelder.json");

    let { store, town } = await start(data, tenants);
    const v1 = (await findActiveForm(store.db, town.id, "maengelmelder"))!;
    await store.close();

    ({ store, town } = await start(data, tenants));
    expect((await findActiveForm(store.db, town.id, "maengelmelder"))!.version).toBe(v1.version);
    await store.close();

    edit(file, (f) => (f.title.de = "Schaden melden"));
    ({ store, town } = await start(data, tenants));
    const v2 = (await findActiveForm(store.db, town.id, "maengelmelder"))!;
    expect(v2.version).toBe(v1.version + 1);
    expect(v2.title.de).toBe("Schaden melden");
    // Submissions made with the first version are still read with it.
    expect((await findFormVersion(store.db, town.id, "maengelmelder", v1.version))!.title.de).toBe(v1.title.de);
    await store.close();
  });

  it("switches a form off when its file is removed, and a new file on at the next start", async () => {
    const data = tempDir();
    const tenants = tempDir();
    cpSync(join(root, "tenants"), tenants, { recursive: true });
    const forms = join(tenants, "tangerhuette", "forms");
    const neu = JSON.parse(readFileSync(join(forms, "maengelmelder.json"), "utf8"));
    rmSync(join(forms, "maengelmelder.json"));
    writeFileSync(join(forms, "laermbeschwerde.json"), JSON.stringify({ ...neu, title: { de: "Lärmbeschwerde", en: "Noise complaint" } }));

    const { store, town } = await start(data, tenants);
    const ids = (await listActiveForms(store.db, town.id)).map((f) => f.id);
    expect(ids).toContain("laermbeschwerde");
    expect(ids).not.toContain("maengelmelder");
    await store.close();
  });

  it("refuses a broken form file at start, naming file and field, and leaves the database as it was", async () => {
    const data = tempDir();
    const tenants = tempDir();
    cpSync(join(root, "tenants"), tenants, { recursive: true });
    let { store, town } = await start(data, tenants);
    const before = (await findActiveForm(store.db, town.id, "osterfeuer"))!.version;
    await store.close();

    edit(join(tenants, "tangerhuette", "forms", "osterfeuer.json"), (f) => (f.steps[0].items[0].type = "colour"));
    await expect(start(data, tenants)).rejects.toThrow(/tenants\/tangerhuette\/forms\/osterfeuer\.json|osterfeuer\.json.*steps\.0\.items\.0/);

    rmSync(join(tenants, "tangerhuette", "forms", "osterfeuer.json"));
    cpSync(join(root, "tenants", "tangerhuette", "forms", "osterfeuer.json"), join(tenants, "tangerhuette", "forms", "osterfeuer.json"));
    ({ store, town } = await start(data, tenants));
    expect((await findActiveForm(store.db, town.id, "osterfeuer"))!.version).toBe(before);
    await store.close();
  });
});
