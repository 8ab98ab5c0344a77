import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { type FormSource, TenantDefinitionError, type TenantSource } from "../tenants/definitions.js";

/** The consortium catalogue of generic forms; a folder, not a town. */
export const catalogFolder = "_catalog";

function readForms(dir: string, cwd: string): FormSource[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.startsWith("."))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      return { id: f.slice(0, -".json".length), file: relative(cwd, path) || path, json: readFileSync(path, "utf8") };
    });
}

/**
 * Reads every `tenants/<folder>/tenant.json` with the images and forms beside it, and the
 * catalogue in `tenants/_catalog/forms`; validation happens elsewhere.
 */
export function readTenantSources(dir: string, cwd = process.cwd()): TenantSource[] {
  const catalog = readForms(join(dir, catalogFolder, "forms"), cwd);
  return readdirSync(dir)
    .filter((folder) => !folder.startsWith(".") && folder !== catalogFolder && statSync(join(dir, folder)).isDirectory())
    .sort()
    .map((folder) => {
      const path = join(dir, folder, "tenant.json");
      const file = relative(cwd, path) || path;
      if (!existsSync(path)) throw new TenantDefinitionError(file, "", "is missing");
      const json = readFileSync(path, "utf8");
      const assets: Record<string, string> = {};
      const pngAssets: Record<string, string> = {};
      for (const f of readdirSync(join(dir, folder))) {
        if (f.endsWith(".svg")) assets[f] = readFileSync(join(dir, folder, f), "utf8");
        if (f.endsWith(".png")) pngAssets[f] = readFileSync(join(dir, folder, f)).toString("base64");
      }
      const appointmentsPath = join(dir, folder, "appointments.json");
      const appointments = existsSync(appointmentsPath) ? { file: relative(cwd, appointmentsPath) || appointmentsPath, json: readFileSync(appointmentsPath, "utf8") } : undefined;
      return { folder, file, json, assets, pngAssets, forms: readForms(join(dir, folder, "forms"), cwd), catalog, ...(appointments ? { appointments } : {}) };
    });
}
