import type { IdentityLogin } from "../../../server/identity/api-types.js";
import { ApiError } from "../core/api.js";
import type { Route, ViewName, WidgetContext } from "../core/context.js";
import { coreTexts } from "../core/i18n.js";
import type { Lang } from "../core/types.js";
import { exchange } from "./flow.js";
import { takePending } from "./start.js";
import { failureText } from "./texts.js";

/** The result of a login by redirect, in the address's fragment: `#dr-login=<code>` or `#dr-login-error=<failure>`. */
const fragment = /(^#|&)dr-login(-error)?=([^&]*)/;

export interface LoginReturn {
  /** The session, when the login succeeded. */
  result?: IdentityLogin;
  /** Where the panel opens: the account (or the verification), or the login with the reason. */
  view: ViewName;
  notice?: string;
  returnTo?: Route | undefined;
}

/**
 * Back on the town's page after a login by redirect (the popup was blocked): takes the result out
 * of the address (so that a reload or a shared link does not carry it) and exchanges the code with
 * the verifier this tab kept. Undefined when the result is not this widget's: no verifier of its
 * town in this tab (another town's widget on the page, or one already used).
 */
export async function loginReturn(ctx: WidgetContext, lang: Lang): Promise<LoginReturn | undefined> {
  const m = fragment.exec(location.hash);
  if (!m) return undefined;
  const pending = takePending(ctx.api.tenantUrl);
  if (!pending) return undefined;
  const rest = location.hash.replace(fragment, (_, lead: string) => (lead === "#" ? "#" : "")).replace(/^#&/, "#").replace(/^#$/, "");
  history.replaceState(history.state, "", location.pathname + location.search + rest);
  const value = decodeValue(m[3] ?? "");
  const returnTo = pending.returnTo;
  if (m[2]) return { view: "login", notice: failureText(lang, value), returnTo };
  try {
    const result = await exchange(ctx, value, pending.verifier);
    const a = result.account;
    return { result, view: a.emailVerified && (a.mobileVerified || a.identityVerified) ? "account" : "verify", returnTo };
  } catch (e) {
    const notice = e instanceof ApiError ? (e.code === "login_expired" ? failureText(lang, "login_expired") : e.message) : e instanceof Error ? e.message : coreTexts[lang].unavailable;
    return { view: "login", notice, returnTo };
  }
}

function decodeValue(v: string) {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
