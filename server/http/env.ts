import type { RequestIdVariables } from "hono/request-id";
import type { Lang } from "./errors.js";
import type { Tenant } from "../tenants/tenant.js";

/** Hono context variables set by the middleware chain. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    lang: Lang;
    tenant: Tenant;
  };
}
