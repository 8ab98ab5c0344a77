import type { AuthContext } from "../accounts/auth.js";
import type { Tenant } from "../tenants/tenant.js";

/** Hono context variables set by the middleware chain. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** Headers for every answer of this request; see http/base-headers.ts. */
    headers: Record<string, string>;
    /** Set once an answer was built with `headers` already in it. */
    headersApplied: boolean;
    tenant: Tenant;
    auth: AuthContext;
    /** The rate-limit subject of the client (server/http/client-ip.ts), worked out when first asked for. */
    clientIp: () => string;
  };
}
