import { Hono } from "hono";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { jsonBody } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { requireService } from "../tenants/middleware.js";
import { publicAccount } from "./account.js";
import { requireAuth } from "./auth.js";
import * as inputs from "./inputs.js";
import type { AccountService } from "./service.js";

/** `auth/*` and `me` under /api/v1/tenants/{slug}/. */
export function accountRoutes(store: Store, clock: Clock, accounts: AccountService) {
  const app = new Hono<AppEnv>();
  const auth = requireAuth(store, clock);

  // This router is mounted at "/" beside others, so its switch is scoped to its own paths (a "*"
  // would switch off every feature). "/me/*" includes me/subscriptions on purpose: subscriptions
  // belong to an account, and a town without accounts has none.
  for (const path of ["/auth/*", "/me", "/me/*"]) app.use(path, requireService("accounts"));

  app.post("/auth/register", async (c) => {
    const input = await jsonBody(c, inputs.registerInput);
    return c.json(await accounts.register(c.get("tenant"), input, c.get("clientIp")()), 201);
  });
  app.post("/auth/login", async (c) => {
    const input = await jsonBody(c, inputs.loginInput);
    return c.json(await accounts.login(c.get("tenant"), input, c.get("clientIp")()));
  });
  app.post("/auth/logout", auth, async (c) => {
    await accounts.logout(c.get("tenant"), c.get("auth").sessionId);
    return c.body(null, 204);
  });
  app.post("/auth/logout-all", auth, async (c) => {
    await accounts.logoutEverywhere(c.get("tenant"), c.get("auth").account);
    return c.body(null, 204);
  });
  for (const channel of ["email", "mobile"] as const) {
    app.post(`/auth/verify-${channel}`, auth, async (c) => {
      const { code } = await jsonBody(c, inputs.codeInput);
      const account = await accounts.verify(c.get("tenant"), c.get("auth").account, channel, code, c.get("clientIp")());
      return c.json({ account });
    });
  }
  app.post("/auth/resend", auth, async (c) => {
    const { channel } = await jsonBody(c, inputs.resendInput);
    await accounts.resend(c.get("tenant"), c.get("auth").account, channel);
    return c.json({ status: "sent" }, 202);
  });
  app.post("/auth/password-reset", async (c) => {
    const { email } = await jsonBody(c, inputs.resetRequestInput);
    await accounts.requestPasswordReset(c.get("tenant"), email, c.get("clientIp")());
    return c.json({ status: "sent" }, 202);
  });
  app.post("/auth/password-reset/confirm", async (c) => {
    const input = await jsonBody(c, inputs.resetConfirmInput);
    return c.json(await accounts.confirmPasswordReset(c.get("tenant"), input, c.get("clientIp")()));
  });

  // With the trust level of the session's login at an identity provider (null after a password login).
  app.get("/me", auth, (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ account: publicAccount(c.get("auth").account), trustLevel: c.get("auth").trustLevel });
  });
  app.patch("/me", auth, async (c) => {
    const input = await jsonBody(c, inputs.updateMeInput);
    return c.json({ account: await accounts.update(c.get("tenant"), c.get("auth").account, input, c.get("clientIp")()) });
  });
  app.post("/me/password", auth, async (c) => {
    const input = await jsonBody(c, inputs.changePasswordInput);
    await accounts.changePassword(c.get("tenant"), c.get("auth").account, c.get("auth").sessionId, input, c.get("clientIp")());
    return c.body(null, 204);
  });
  app.get("/me/export", auth, async (c) => {
    const tenant = c.get("tenant");
    const data = await accounts.exportData(tenant, c.get("auth").account, c.get("auth").sessionId);
    c.header("Cache-Control", "no-store");
    c.header("Content-Disposition", `attachment; filename="digitales-rathaus-${tenant.slug}-daten.json"`);
    return c.json(data);
  });
  app.delete("/me", auth, async (c) => {
    const { password } = await jsonBody(c, inputs.passwordInput);
    await accounts.deleteAccount(c.get("tenant"), c.get("auth").account, password, c.get("clientIp")());
    return c.body(null, 204);
  });
  return app;
}
