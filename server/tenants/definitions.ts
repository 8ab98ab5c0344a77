import { adaptCatalogForm } from "../forms/catalog.js";
import { parseFormFile } from "../forms/definition-schema.js";
import type { FormFile } from "../forms/definition.js";
import { issuesToFields } from "../http/validate.js";
import { TenantDefinitionError } from "./errors.js";
import { type TenantConfig, tenantConfigSchema } from "./schema.js";
import { type AppointmentsConfig, appointmentsConfigSchema } from "../appointments/config.js";

export { TenantDefinitionError };

/** A form file as read from disk: the id is the file name. */
export interface FormSource {
  id: string;
  /** Path shown in error messages, e.g. `tenants/tangerhuette/forms/osterfeuer.json`. */
  file: string;
  json: string;
}

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
  /** The town's own forms, `tenants/<slug>/forms/*.json`. */
  forms?: FormSource[];
  /** The consortium catalogue, `tenants/_catalog/forms/*.json`, which the town may switch forms on from. */
  catalog?: FormSource[];
  /** `tenants/<slug>/appointments.json`, if the town gives appointments. */
  appointments?: { file: string; json: string };
}

/** A form as a town serves it, before the sync gives it a version. */
export interface TownForm {
  id: string;
  source: "town" | "catalog";
  form: FormFile;
}

export interface TenantDefinition {
  config: TenantConfig;
  forms: TownForm[];
  logoSvg: string | null;
  /** Base64 PNG. */
  logoPng: string | null;
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
  if (typeof raw === "object" && raw !== null && "appointments" in raw) {
    throw new TenantDefinitionError(src.file, "appointments", "belongs in appointments.json next to tenant.json");
  }
  const config = result.data;
  config.appointments = appointmentsOf(src, config);
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
  const forms = townForms(src, config);
  // A webhook for a form the town does not have would never fire: a typo, refused at sync.
  config.webhooks.forEach((w, i) => {
    const j = w.forms.findIndex((id) => !forms.some((f) => f.id === id));
    if (j >= 0) throw new TenantDefinitionError(src.file, `webhooks.${i}.forms.${j}`, `"${w.forms[j]}" is not a form of this town`);
  });
  return { config, logoSvg, logoPng, forms };
}

function appointmentsOf(src: TenantSource, config: TenantConfig): AppointmentsConfig | undefined {
  const offered = config.services.includes("appointments");
  if (!src.appointments) {
    if (offered) throw new TenantDefinitionError(src.file, "services", `"appointments" needs an appointments.json next to tenant.json`);
    return undefined;
  }
  const file = src.appointments.file;
  // Switched off for now: the file stays for when it is switched on again.
  if (!offered) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(src.appointments.json);
  } catch (e) {
    throw new TenantDefinitionError(file, "", `is not valid JSON (${(e as Error).message})`);
  }
  const result = appointmentsConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.map(String).join(".");
    throw new TenantDefinitionError(file, field, issue.code === "invalid_type" && issue.input === undefined ? "is missing" : issue.message);
  }
  const departments = config.departments.map((d) => d.id);
  result.data.services.forEach((s, i) => {
    if (s.department && !departments.includes(s.department)) throw new TenantDefinitionError(file, `services.${i}.department`, `"${s.department}" is not one of the town's departments`);
  });
  return result.data;
}

const formFileName = /^[a-z0-9][a-z0-9-]{0,59}$/;

function townForms(src: TenantSource, config: TenantConfig): TownForm[] {
  const departments = config.departments.map((d) => d.id);
  const forms: TownForm[] = [];
  for (const f of src.forms ?? []) {
    if (!formFileName.test(f.id)) throw new TenantDefinitionError(f.file, "", "the file name must be lowercase letters, digits and dashes (it is the form id)");
    forms.push({ id: f.id, source: "town", form: parseFormFile(f.json, f.file, { departments }) });
  }
  const catalog = new Map((src.catalog ?? []).map((f) => [f.id, f]));
  config.forms.catalog.forEach((adaptation, i) => {
    const field = `forms.catalog.${i}`;
    const entry = catalog.get(adaptation.id);
    if (!entry) throw new TenantDefinitionError(src.file, `${field}.id`, `"${adaptation.id}" is not in tenants/_catalog/forms`);
    if (forms.some((f) => f.id === adaptation.id)) {
      throw new TenantDefinitionError(src.file, `${field}.id`, `"${adaptation.id}" is also a form of this town (forms/${adaptation.id}.json); remove one of them`);
    }
    if (adaptation.department && !departments.includes(adaptation.department)) {
      throw new TenantDefinitionError(src.file, `${field}.department`, `"${adaptation.department}" is not one of the town's departments`);
    }
    const form = adaptCatalogForm(parseFormFile(entry.json, entry.file), adaptation, src.file, i);
    forms.push({ id: adaptation.id, source: "catalog", form });
  });
  return forms.sort((a, b) => (a.id < b.id ? -1 : 1));
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
