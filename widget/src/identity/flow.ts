import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { IdentityLogin } from "../../../server/identity/api-types.js";
import { ApiError, NetworkError } from "../core/api.js";
import type { Route, WidgetContext, WidgetState } from "../core/context.js";
import { coreTexts } from "../core/i18n.js";
import { type Pkce, canHash, createPkce } from "./pkce.js";
import { type PopupOutcome, openLoginWindow, waitForLogin } from "./popup.js";
import { savePending, startUrl } from "./start.js";
import { failureText } from "./texts.js";
import { rememberTrust } from "./trust.js";

export type LoginPhase = "idle" | "popup" | "redirecting" | "finishing";

export interface ProviderLoginHost extends ReactiveControllerHost {
  ctx: WidgetContext;
  state: WidgetState;
  readonly isConnected: boolean;
}

export interface StartOptions {
  /** Linking a provider to the signed-in account: asks the server for the intent first (none: a plain login). */
  intent?: (provider: string) => Promise<string | undefined>;
  /** Where the panel continues after a redirect (the popup keeps the panel as it is). */
  returnTo?: Route;
}

/** The API's origin: the only sender the popup's message is accepted from. */
export const apiOrigin = (ctx: WidgetContext) => new URL(ctx.api.tenantUrl).origin;

/** `POST auth/providers/exchange`: the one-time code and this page's verifier for a session. */
export async function exchange(ctx: WidgetContext, code: string, verifier: string): Promise<IdentityLogin> {
  const result = await ctx.api.send<IdentityLogin>("POST", "auth/providers/exchange", { code, verifier });
  rememberTrust(ctx.api.tenantUrl, result.account.id, result.trustLevel);
  return result;
}

/**
 * One login at a town's identity provider, from a button of a view: the popup (or, when the
 * browser blocks it, the whole page) to the provider, the code from the popup's message, and its
 * exchange for a session. What to do with the session is the view's (`done`); the phase and the
 * failure are for its status line (./buttons.ts).
 */
export class ProviderLogin implements ReactiveController {
  phase: LoginPhase = "idle";
  /** The provider of the login under way. */
  provider: string | undefined;
  /** Why the last attempt failed, in the visitor's language; "" when it did not. */
  error = "";
  private pkce: Pkce | undefined;
  private popup: Window | null = null;
  private stop: (() => void) | undefined;

  constructor(
    private readonly host: ProviderLoginHost,
    private readonly done: (result: IdentityLogin, provider: string) => void | Promise<void>,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.prepare();
  }

  /** Ready before the click, so that the popup can open with its final address straight away. */
  private prepare() {
    this.pkce = undefined;
    if (canHash()) createPkce().then((p) => (this.pkce = p), () => undefined);
  }

  get busy() {
    return this.phase !== "idle";
  }

  /**
   * Starts the login at `provider`. Call it from the click handler: browsers allow a popup only
   * while the click still counts as the visitor's.
   */
  start(provider: string, opts: StartOptions = {}) {
    if (this.phase === "popup") return this.focusPopup();
    if (this.busy) return;
    this.error = "";
    this.provider = provider;
    const prepared = this.pkce;
    this.pkce = undefined;
    // With an intent to fetch first, the address is not known yet: the window opens blank and follows.
    const url = prepared && !opts.intent ? this.url(prepared, "popup") : undefined;
    void this.run(openLoginWindow(url), prepared, url !== undefined, opts);
  }

  private url(pkce: Pkce, mode: "popup" | "redirect", intent?: string) {
    const { ctx, state } = this.host;
    return startUrl(ctx.api.tenantUrl, { provider: this.provider!, challenge: pkce.challenge, mode, lang: state.lang, intent });
  }

  private async run(popup: Window | null, prepared: Pkce | undefined, navigated: boolean, opts: StartOptions) {
    const { ctx } = this.host;
    const provider = this.provider!;
    this.popup = popup;
    this.set(popup ? "popup" : "redirecting");
    try {
      const intent = opts.intent ? await opts.intent(provider) : undefined;
      const pkce = prepared ?? (await createPkce());
      if (!popup) return this.redirect(this.url(pkce, "redirect", intent), pkce, opts.returnTo);
      if (!navigated && !popup.closed) popup.location.replace(this.url(pkce, "popup", intent));
      const wait = waitForLogin(popup, apiOrigin(ctx));
      this.stop = wait.stop;
      const outcome: PopupOutcome = await wait.outcome;
      this.popup = null;
      this.stop = undefined;
      if ("failure" in outcome) return this.fail(failureText(this.host.state.lang, outcome.failure, outcome.message?.[this.host.state.lang]));
      this.set("finishing");
      const result = await exchange(ctx, outcome.code, pkce.verifier);
      this.set("idle");
      await this.done(result, provider);
    } catch (e) {
      popup?.close();
      this.popup = null;
      this.stop = undefined;
      this.fail(this.explain(e));
    } finally {
      this.prepare();
    }
  }

  /** The visitor ends the wait (the popup stays behind another window, or they changed their mind). */
  cancel() {
    // Before the wait has begun (the intent is still on its way), closing the window is enough: the wait will find it closed.
    if (this.stop) this.stop();
    else this.popup?.close();
  }

  /** Shows the popup again when it has gone behind the town's page. */
  focusPopup() {
    if (this.popup && !this.popup.closed) this.popup.focus();
  }

  private redirect(url: string, pkce: Pkce, returnTo: Route | undefined) {
    if (!savePending(this.host.ctx.api.tenantUrl, { verifier: pkce.verifier, returnTo, at: Date.now() })) {
      return this.fail(failureText(this.host.state.lang, "popup_blocked"));
    }
    location.assign(url);
  }

  private explain(e: unknown): string {
    const lang = this.host.state.lang;
    if (e instanceof ApiError) return e.code === "login_expired" ? failureText(lang, "login_expired") : e.message;
    if (e instanceof NetworkError) return e.message;
    console.error(e);
    return coreTexts[lang].unavailable;
  }

  private fail(message: string) {
    this.error = message;
    this.set("idle");
  }

  private set(phase: LoginPhase) {
    this.phase = phase;
    this.host.requestUpdate();
  }
}
