import type { RequestIdVariables } from "hono/request-id";
import type { AuthContext } from "../accounts/auth.js";
import type { Tenant } from "../tenants/tenant.js";
import type { Lang } from "./errors.js";

/** Hono context variables set by the middleware chain. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    lang: Lang;
    tenant: Tenant;
    auth: AuthContext;
    clientIp: string;
  };
}
