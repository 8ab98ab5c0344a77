import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTenantSources } from "../node/tenant-files.js";
import { type TenantSource, TenantDefinitionError, parseTenantSources } from "../tenants/definitions.js";
import { envSecrets } from "./secrets.js";
import { signatureHeader, verifySignature } from "./signature.js";

const shipped = readTenantSources(fileURLToPath(new URL("../../tenants", import.meta.url)));
const tangerhuette = shipped.find((s) => s.folder === "tangerhuette")!;
const hook = { id: "fachverfahren", forms: ["hundesteuer"], url: "https://fv.tangerhuette.example/rathaus", secretEnv: "WEBHOOK_TGH_FV" };

function withWebhooks(webhooks: unknown): TenantSource[] {
  const config = JSON.parse(tangerhuette.json);
  config.webhooks = webhooks;
  return [{ ...tangerhuette, json: JSON.stringify(config) }, ...shipped.filter((s) => s !== tangerhuette)];
}

function refusal(webhooks: unknown): TenantDefinitionError {
  try {
    parseTenantSources(withWebhooks(webhooks));
  } catch (e) {
    if (e instanceof TenantDefinitionError) return e;
    throw e;
  }
  throw new Error("expected the webhooks to be refused");
}

describe("webhooks in tenant.json", () => {
  it("default to none, and take forms of the town with an https URL and a WEBHOOK_ variable", () => {
    expect(parseTenantSources(shipped).every((d) => Array.isArray(d.config.webhooks) && d.config.webhooks.length === 0)).toBe(true);
    const [town] = parseTenantSources(withWebhooks([hook, { ...hook, id: "lokal", url: "http://127.0.0.1:8099/hook", forms: ["maengelmelder", "hundesteuer"] }])).filter((d) => d.config.slug === "tangerhuette");
    expect(town!.config.webhooks.map((w) => w.id)).toEqual(["fachverfahren", "lokal"]);
  });

  it("refuse a form the town does not have, naming the entry", () => {
    const e = refusal([{ ...hook, forms: ["hundesteuer", "hundesteuerr"] }]);
    expect(e.field).toBe("webhooks.0.forms.1");
    expect(e.message).toContain('"hundesteuerr" is not a form of this town');
  });

  it("refuse plain http to other hosts, credentials in the URL, odd variable names and repeated ids", () => {
    expect(refusal([{ ...hook, url: "http://fv.tangerhuette.example/rathaus" }]).field).toBe("webhooks.0.url");
    expect(refusal([{ ...hook, url: "https://user:pw@fv.example/" }]).field).toBe("webhooks.0.url");
    expect(refusal([{ ...hook, url: "ftp://fv.example/" }]).field).toBe("webhooks.0.url");
    for (const name of ["APP_SECRET", "webhook_x", "WEBHOOK_", "WEBHOOK_A-B", "WEBHOOK_$(X)"]) expect(refusal([{ ...hook, secretEnv: name }]).field).toBe("webhooks.0.secretEnv");
    expect(refusal([hook, hook]).field).toBe("webhooks");
    expect(refusal([{ ...hook, forms: [] }]).field).toBe("webhooks.0.forms");
  });
});

describe("the secrets port", () => {
  it("reads only webhook variables, and not empty ones", () => {
    const secrets = envSecrets({ WEBHOOK_A: "geheim-geheim-geheim", APP_SECRET: "nicht-diese", WEBHOOK_EMPTY: "", WEBHOOK_BINDING: { not: "a string" } });
    expect(secrets("WEBHOOK_A")).toBe("geheim-geheim-geheim");
    expect(secrets("APP_SECRET")).toBeUndefined();
    expect(secrets("WEBHOOK_EMPTY")).toBeUndefined();
    expect(secrets("WEBHOOK_BINDING")).toBeUndefined();
  });
});

describe("signatures", () => {
  const body = JSON.stringify({ event: "submission.created", id: "evt_1", text: "Grüße" });
  it("are HMAC-SHA256 over timestamp and body, as node:crypto computes it", async () => {
    const expected = createHmac("sha256", "s3cret-s3cret-s3cret").update(`1700000000.${body}`, "utf8").digest("hex");
    expect(await signatureHeader("s3cret-s3cret-s3cret", 1700000000, body)).toBe(`t=1700000000,v1=${expected}`);
  });

  it("verify only with the right secret, body and a recent timestamp", async () => {
    const header = await signatureHeader("s3cret-s3cret-s3cret", 1700000000, body);
    expect(await verifySignature("s3cret-s3cret-s3cret", header, body, 1700000100)).toBe(true);
    expect(await verifySignature("other-secret-other", header, body, 1700000100)).toBe(false);
    expect(await verifySignature("s3cret-s3cret-s3cret", header, body.replace("Grüße", "Grüsse"), 1700000100)).toBe(false);
    expect(await verifySignature("s3cret-s3cret-s3cret", header, body, 1700000000 + 301)).toBe(false);
    expect(await verifySignature("s3cret-s3cret-s3cret", header.replace("t=1700000000", "t=1700000050"), body, 1700000100)).toBe(false);
  });
});
