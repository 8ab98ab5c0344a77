import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { type TenantDefinition, type TenantSource, parseTenantSources } from "../../server/tenants/definitions.js";

/** The shipped towns as the Workers suite syncs them: logging in at the Test-Bürgerkonto this run started (tests/support/test-idp.ts). */
export function shippedTowns(): TenantDefinition[] {
  const sources = env.TEST_TENANT_SOURCES.replaceAll("http://localhost:8790", inject("idpIssuer"));
  return parseTenantSources(JSON.parse(sources) as TenantSource[]);
}
