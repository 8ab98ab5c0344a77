import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { TenantDefinitionError, type TenantSource } from "../tenants/definitions.js";

/** Reads every `tenants/<folder>/tenant.json` with the SVGs beside it; validation happens elsewhere. */
export function readTenantSources(dir: string, cwd = process.cwd()): TenantSource[] {
  return readdirSync(dir)
    .filter((folder) => !folder.startsWith(".") && statSync(join(dir, folder)).isDirectory())
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
      return { folder, file, json, assets, pngAssets };
    });
}
