import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoIdentities } from "../../server/node/demo-people.js";
import { api, call, verifiedAccount } from "../api/flows.js";
import { createTestApp, townsCopy } from "../harness/node.js";
import type { TestApp } from "../harness/types.js";
import { exchange as exchangeAt, posted, providerLogin } from "../support/oidc-login.js";

/*
 * A form that needs a trust level (`access.trustLevel`): only a session from a login at an
 * identity provider at that level may send it, and the refusal names the providers to log in
 * with. Node only: the towns here have the Osterfeuer notice changed to need "substantiell".
 */

const T = api("tangerhuette");
const issuer = inject("idpIssuer");
let t: TestApp;

beforeAll(async () => {
  // The Osterfeuer notice here needs a login at the trust level "substantiell".
  const tenantsDir = townsCopy((dir) => {
    const form = join(dir, "tangerhuette", "forms", "osterfeuer.json");
    writeFileSync(form, readFileSync(form, "utf8").replace('"access": { "anonymous": false }', '"access": { "anonymous": false, "trustLevel": "substantial" }'));
  });
  t = await createTestApp({ tenantsDir });
});

afterAll(async () => {
  await t?.close();
});

const login = (opts: { person: string; level: string }) => providerLogin(t, issuer, opts);
const exchange = (code: string, verifier: string) => exchangeAt(t, code, verifier);

describe("a form that needs a trust level", () => {
  it("lets only a login at the form's trust level send a form that needs one, and says which providers give it", async () => {
    const form = await call(t, "GET", `${T}/forms/osterfeuer`);
    expect(form.json.access).toEqual({ anonymous: false, trustLevel: "substantial" });
    const send = (token: string) => call(t, "POST", `${T}/forms/osterfeuer/submissions`, { token, body: { version: form.json.version, data: {} } });

    const withPassword = await verifiedAccount(t, "tangerhuette");
    const refused = await send(withPassword.token);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ code: "trust_level_required", requiredTrustLevel: "substantial", providers: [{ id: "test-buergerkonto", type: "oidc" }] });
    expect(refused.json.error.messages.de).toContain("Bürgerkonto");

    const basic = await login({ person: demoIdentities[0]!.id, level: "basic" });
    const basicSession = await exchange(posted(basic.html).code!, basic.verifier);
    expect(basicSession.json.trustLevel).toBe("basic");
    expect((await send(basicSession.json.token)).json.error.code).toBe("trust_level_required");

    const substantial = await login({ person: demoIdentities[0]!.id, level: "substantial" });
    const session = await exchange(posted(substantial.html).code!, substantial.verifier);
    // Past the trust check: now it is about the form's own fields.
    const checked = await send(session.json.token);
    expect(checked.status).toBe(400);
    expect(checked.json.error.code).toBe("validation_failed");
  });
});
