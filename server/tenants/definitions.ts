import { issuesToFields } from "../http/validate.js";
import { type TenantConfig, tenantConfigSchema } from "./schema.js";

/** What a `tenants/<slug>/` folder holds, read by whoever has file access (Node CLI, tests). */
export interface TenantSource {
  /** Folder name, which must equal the slug. */
  folder: string;
  /** Path shown in error messages, e.g. `tenants/tangerhuette/tenant.json`. */
  file: string;
  json: string;
  /** Files next to tenant.json that the config may reference (the logo). */
  assets: Record<string, string>;
  /** PNG files next to tenant.json, base64-encoded. */
  pngAssets?: Record<string, string>;
}

export interface TenantDefinition {
  config: TenantConfig;
  logoSvg: string | null;
  /** Base64 PNG. */
  logoPng: string | null;
}

/** A bad tenant folder: one message naming the file and the field, made for a consortium admin. */
export class TenantDefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field ? `field "${field}": ` : ""}${problem}`);
    this.name = "TenantDefinitionError";
  }
}

function describeIssue(issue: { code: string; message: string }, code: string): string {
  if (code === "required") return "is missing";
  if (code === "unknown_field") return "is not a known field";
  return issue.message;
}

export function parseTenantSource(src: TenantSource): TenantDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(src.json);
  } catch (e) {
    throw new TenantDefinitionError(src.file, "", `is not valid JSON (${(e as Error).message})`);
  }
  const result = tenantConfigSchema.safeParse(raw);
  if (!result.success) {
    const fields = issuesToFields(result.error.issues, raw);
    const [field, err] = Object.entries(fields)[0]!;
    const issue =
      result.error.issues.find((i) => i.path.map(String).join(".") === field) ?? result.error.issues[0]!;
    throw new TenantDefinitionError(src.file, field === "_" ? "" : field, describeIssue(issue, err.code));
  }
  const config = result.data;
  let logoSvg: string | null = null;
  if (config.branding.logo) {
    logoSvg = src.assets[config.branding.logo] ?? null;
    if (logoSvg === null) {
      throw new TenantDefinitionError(src.file, "branding.logo", `file "${config.branding.logo}" not found next to tenant.json`);
    }
    if (!/<svg[\s>]/.test(logoSvg)) {
      throw new TenantDefinitionError(src.file, "branding.logo", `"${config.branding.logo}" is not an SVG image`);
    }
  }
  let logoPng: string | null = null;
  if (config.branding.mailLogo) {
    logoPng = src.pngAssets?.[config.branding.mailLogo] ?? null;
    if (logoPng === null) {
      throw new TenantDefinitionError(src.file, "branding.mailLogo", `file "${config.branding.mailLogo}" not found next to tenant.json`);
    }
    // Every PNG starts with the bytes 89 50 4E 47 0D 0A 1A 0A, "iVBORw0KGgo" in base64.
    if (!logoPng.startsWith("iVBORw0KGgo")) {
      throw new TenantDefinitionError(src.file, "branding.mailLogo", `"${config.branding.mailLogo}" is not a PNG image`);
    }
  }
  return { config, logoSvg, logoPng };
}

/** Validates all folders together: one bad file or a repeated slug rejects the whole set. */
export function parseTenantSources(sources: ReadonlyArray<TenantSource>): TenantDefinition[] {
  const defs = sources.map(parseTenantSource);
  const seen = new Map<string, string>();
  defs.forEach((d, i) => {
    const other = seen.get(d.config.slug);
    if (other) {
      throw new TenantDefinitionError(sources[i]!.file, "slug", `"${d.config.slug}" is already used by ${other}`);
    }
    seen.set(d.config.slug, sources[i]!.file);
  });
  // Checked after duplicates, so a copied folder is reported as the duplicate it is.
  defs.forEach((d, i) => {
    const src = sources[i]!;
    if (d.config.slug !== src.folder) {
      throw new TenantDefinitionError(src.file, "slug", `"${d.config.slug}" must equal the folder name "${src.folder}"`);
    }
  });
  return defs;
}
