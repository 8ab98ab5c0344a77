import type { TestProject } from "vitest/node";
import { startDemoIdp } from "../../server/node/demo-idp.js";
import { testIdpSecret, testPublicUrl } from "../harness/types.js";

/**
 * The OIDC provider the Workers suite logs in at: the demo's Test-Bürgerkonto (a real
 * oidc-provider), started on Node beside workerd. Its issuer is handed to the suite, which writes
 * it into the towns' configuration before they are synced into D1 (tests/workers/setup.ts).
 */
export default async function setup(project: TestProject) {
  const idp = await startDemoIdp({
    port: 0,
    clients: ["tangerhuette", "musterstadt"].map((slug) => ({ clientId: slug, clientSecret: testIdpSecret, redirectUris: [`${testPublicUrl}/api/v1/tenants/${slug}/auth/providers/test-buergerkonto/callback`] })),
  });
  project.provide("idpIssuer", idp.issuer);
  return () => idp.close();
}
