import type { Api } from "./api.js";
import type { TenantConfig } from "./types.js";

/**
 * One request per town and API per page: an SPA that swaps the element out and in, or a page
 * with several elements, reuses the answer. A failure is forgotten so that "try again" refetches.
 */
const cache = new Map<string, Promise<TenantConfig>>();

export function loadConfig(api: Api): Promise<TenantConfig> {
  const key = api.tenantUrl;
  let pending = cache.get(key);
  if (!pending) {
    pending = api.get<TenantConfig>("");
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
