import type { LinkIntent, LinkedIdentities, TrustLevel } from "../../../server/identity/api-types.js";
import type { WidgetContext } from "../core/context.js";
import type { FormDefinition } from "../core/types.js";

export type { TrustLevel };

const order: readonly TrustLevel[] = ["basic", "substantial", "high"];

export const atLeast = (have: TrustLevel | undefined, need: TrustLevel) => have !== undefined && order.indexOf(have) >= order.indexOf(need);

/**
 * The trust level of the latest login at a provider in this page, per town and account: a form
 * that needs one does not ask again right after it. Only a hint; the server decides
 * (`403 trust_level_required`), and a password login of the same account later is not seen here.
 */
const known = new Map<string, TrustLevel>();

export function rememberTrust(tenantUrl: string, accountId: string, level: TrustLevel) {
  known.set(`${tenantUrl}|${accountId}`, level);
}

export function knownTrust(tenantUrl: string, accountId: string | undefined): TrustLevel | undefined {
  return accountId === undefined ? undefined : known.get(`${tenantUrl}|${accountId}`);
}

export function forgetTrust(tenantUrl: string, accountId: string | undefined) {
  if (accountId !== undefined) known.delete(`${tenantUrl}|${accountId}`);
}

/** The level a form definition asks for (`access.trustLevel`), if any. */
export const requiredTrustOf = (def: FormDefinition | undefined): TrustLevel | undefined => def?.access.trustLevel;

/**
 * A signed-in citizen proving their identity for a form: with a provider already linked, a plain
 * login there (the server finds the same account); otherwise the login links it, so that it does
 * not make a second account (or fail on the e-mail address this one has).
 */
export async function elevationIntent(ctx: WidgetContext, provider: string): Promise<string | undefined> {
  const { items } = await ctx.api.get<LinkedIdentities>("me/identities", { auth: true, fresh: true });
  if (items.some((i) => i.providerId === provider)) return undefined;
  return (await ctx.api.send<LinkIntent>("POST", `me/identities/${encodeURIComponent(provider)}/link`, undefined, true)).intent;
}
