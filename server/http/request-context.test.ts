import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "./env.js";
import { silentLogger } from "./logger.js";
import { requestContext } from "./request-context.js";

describe("the request context", () => {
  it("takes the client's address when the request arrives: a socket closed before the route asks no longer knows it", async () => {
    // Node's socket.remoteAddress is undefined once the client has reset the connection; then the
    // client would land in the shared "unknown" bucket and get a fresh per-address budget.
    let connected = true;
    const app = new Hono<AppEnv>();
    app.use(requestContext({ logger: silentLogger, now: () => 0, clientAddress: { peer: () => (connected ? "192.0.2.7" : undefined), trustProxy: 0 } }));
    app.post("/reset", async (c) => {
      await c.req.text();
      connected = false;
      return c.text(c.get("clientIp")());
    });
    expect(await (await app.request("/reset", { method: "POST", body: "x" })).text()).toBe("192.0.2.7");
  });

  it("reads the peer once per request and works the subject out from it", async () => {
    let asked = 0;
    const app = new Hono<AppEnv>();
    app.use(requestContext({ logger: silentLogger, now: () => 0, clientAddress: { peer: () => (asked++, "2001:db8:1:2::9"), trustProxy: 0 } }));
    app.get("/", (c) => c.text([c.get("clientIp")(), c.get("clientIp")()].join(" ")));
    expect(await (await app.request("/")).text()).toBe("2001:db8:1:2::/64 2001:db8:1:2::/64");
    expect(asked).toBe(1);
  });
});
