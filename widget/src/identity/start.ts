import type { PublicIdentityProvider } from "../../../server/identity/api-types.js";
import type { Route } from "../core/context.js";
import type { Lang, TenantConfig } from "../core/types.js";
import { canHash } from "./pkce.js";

export type { PublicIdentityProvider };

/**
 * The town's login buttons from its public configuration: none in towns without providers, and
 * none on a page without a secure context (plain http), where the widget cannot hash its verifier.
 */
export function providersOf(config: TenantConfig | undefined): PublicIdentityProvider[] {
  if (!canHash()) return [];
  return config?.identityProviders ?? [];
}

export const providerLabel = (p: Pick<PublicIdentityProvider, "label">, lang: Lang) => p.label[lang] ?? p.label.de;

export interface StartOptions {
  provider: string;
  challenge: string;
  mode: "popup" | "redirect";
  lang: Lang;
  /** From `POST me/identities/{id}/link`: the login links the provider to the signed-in account. */
  intent?: string | undefined;
}

/**
 * `GET auth/providers/{id}/start`: the page the popup (or the whole window) opens. `origin` is
 * where the popup posts its result; the redirect comes back to this page's address without its
 * fragment (the server puts the result there).
 */
export function startUrl(tenantUrl: string, o: StartOptions): string {
  const q = new URLSearchParams({ origin: location.origin, challenge: o.challenge, mode: o.mode, lang: o.lang });
  if (o.mode === "redirect") q.set("return_to", location.href.replace(/#.*$/, ""));
  if (o.intent) q.set("intent", o.intent);
  return `${tenantUrl}/auth/providers/${encodeURIComponent(o.provider)}/start?${q}`;
}

/** What survives the full-page redirect to the provider and back, in this tab's sessionStorage. */
export interface PendingLogin {
  verifier: string;
  /** Where the panel continues after the login (a form the visitor was filling in, …). */
  returnTo?: Route | undefined;
  /** Milliseconds; an entry older than the server's flow is not worth keeping. */
  at: number;
}

const MAX_AGE_MS = 30 * 60_000;

/** One per API and town, like the token's key, so that two widgets on a page keep theirs apart. */
export const pendingKey = (tenantUrl: string) => `digitales-rathaus:login:${tenantUrl}`;

/** False when storage is blocked: then there is no coming back by redirect. */
export function savePending(tenantUrl: string, pending: PendingLogin): boolean {
  try {
    sessionStorage.setItem(pendingKey(tenantUrl), JSON.stringify(pending));
    return sessionStorage.getItem(pendingKey(tenantUrl)) !== null;
  } catch {
    return false;
  }
}

/** Reads and deletes: a verifier is used once. */
export function takePending(tenantUrl: string): PendingLogin | undefined {
  try {
    const raw = sessionStorage.getItem(pendingKey(tenantUrl));
    if (raw === null) return undefined;
    sessionStorage.removeItem(pendingKey(tenantUrl));
    const p = JSON.parse(raw) as Partial<PendingLogin>;
    if (typeof p.verifier !== "string" || typeof p.at !== "number" || Date.now() - p.at > MAX_AGE_MS) return undefined;
    return { verifier: p.verifier, returnTo: p.returnTo, at: p.at };
  } catch {
    return undefined;
  }
}
