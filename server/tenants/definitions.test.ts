import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTenantSources } from "../node/tenant-files.js";
import { type TenantSource, TenantDefinitionError, parseTenantSources } from "./definitions.js";

const shipped = readTenantSources(fileURLToPath(new URL("../../tenants", import.meta.url)));
const tangerhuette = shipped.find((s) => s.folder === "tangerhuette")!;

function edited(edit: (config: Record<string, any>) => void, base: TenantSource = tangerhuette): TenantSource {
  const config = JSON.parse(base.json);
  edit(config);
  return { ...base, json: JSON.stringify(config) };
}

function failure(sources: TenantSource[]): TenantDefinitionError {
  try {
    parseTenantSources(sources);
  } catch (e) {
    if (e instanceof TenantDefinitionError) return e;
    throw e;
  }
  throw new Error("expected the tenant definitions to be rejected");
}

describe("tenant definitions", () => {
  it("accepts the shipped demo towns", () => {
    const defs = parseTenantSources(shipped);
    expect(defs.map((d) => d.config.slug).sort()).toEqual(["musterstadt", "tangerhuette"]);
    expect(defs.every((d) => d.config.allowedOrigins.includes("http://localhost:8080"))).toBe(true);
    expect(defs.every((d) => d.logoSvg?.includes("<svg"))).toBe(true);
  });

  it("names the file when it is not JSON", () => {
    const e = failure([{ ...tangerhuette, json: '{"slug": "tangerhuette",' }]);
    expect(e.file).toBe("tenants/tangerhuette/tenant.json");
    expect(e.message).toMatch(/^tenants\/tangerhuette\/tenant\.json: is not valid JSON/);
  });

  it("names a missing field", () => {
    const e = failure([edited((c) => delete c.officialName)]);
    expect(e.field).toBe("officialName");
    expect(e.message).toContain('field "officialName": is missing');
  });

  it("names a field of the wrong type or shape, with its path", () => {
    expect(failure([edited((c) => (c.branding.primaryColor = "green"))]).field).toBe("branding.primaryColor");
    expect(failure([edited((c) => (c.topics = "gesundheit"))]).field).toBe("topics");
    expect(failure([edited((c) => (c.topics[1].id = "Bauen & Verkehr"))]).field).toBe("topics.1.id");
    expect(failure([edited((c) => (c.locale = "fr"))]).field).toBe("locale");
  });

  it("rejects fields it does not know, so typos do not go unnoticed", () => {
    const e = failure([edited((c) => (c.branding.primaryColour = "#000000"))]);
    expect(e.field).toBe("branding.primaryColour");
    expect(e.message).toContain("is not a known field");
  });

  it("lets an identity provider name only an OIDC_ or SAML_ variable for its secrets, never the deployment's others", () => {
    const e = failure([edited((c) => (c.identityProviders[0].clientSecretEnv = "APP_SECRET"))]);
    expect(e.message).toContain("identityProviders.0.clientSecretEnv");
    expect(e.message).toContain("starting with OIDC_");
    expect(parseTenantSources([edited((c) => (c.identityProviders[0].clientSecretEnv = "OIDC_TANGERHUETTE_SECRET"))])[0]!.config.identityProviders[0]).toMatchObject({ clientSecretEnv: "OIDC_TANGERHUETTE_SECRET" });
  });

  it("rejects an allowed origin that is not an origin", () => {
    for (const bad of ["localhost:8080", "https://www.tangerhuette.de/", "https://*.tangerhuette.de", "ftp://x.de", "https://a.de/path"]) {
      const e = failure([edited((c) => (c.allowedOrigins = ["http://localhost:8080", bad]))]);
      expect(e.field).toBe("allowedOrigins.1");
      expect(e.message).toMatch(/an origin like/);
    }
  });

  it("rejects two towns with one slug, naming both files", () => {
    const copy = { ...edited(() => {}), folder: "tangerhuette-kopie", file: "tenants/tangerhuette-kopie/tenant.json" };
    const e = failure([tangerhuette, copy]);
    expect(e.file).toBe("tenants/tangerhuette-kopie/tenant.json");
    expect(e.field).toBe("slug");
    expect(e.message).toContain("already used by tenants/tangerhuette/tenant.json");
  });

  it("requires the slug to match its folder", () => {
    const e = failure([edited((c) => (c.slug = "tangerhuette-neu"))]);
    expect(e.field).toBe("slug");
    expect(e.message).toContain('must equal the folder name "tangerhuette"');
  });

  it("requires the logo file to exist and be an SVG", () => {
    expect(failure([{ ...tangerhuette, assets: {} }]).message).toContain('"logo.svg" not found');
    expect(failure([{ ...tangerhuette, assets: { "logo.svg": "GIF89a" } }]).message).toContain("is not an SVG");
  });

  it("requires the mail logo to exist and be a PNG", () => {
    expect(failure([{ ...tangerhuette, pngAssets: {} }]).field).toBe("branding.mailLogo");
    expect(failure([{ ...tangerhuette, pngAssets: { "logo.png": "R0lGODlh" } }]).message).toContain("is not a PNG");
  });

  it("rejects repeated topic ids", () => {
    const e = failure([edited((c) => c.topics.push({ ...c.topics[0] }))]);
    expect(e.field).toBe("topics");
  });
});
