import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PermanentDeliveryError } from "../delivery/ports.js";
import { httpSmsGateway, type HttpSmsGatewayOptions } from "./http-gateway.js";

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Responder = (req: Recorded, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A real HTTP server on a random local port that records every request. */
async function gatewayServer(respond: Responder = (_req, res) => res.writeHead(200).end('{"ok":true}')) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(recorded);
      respond(recorded, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/sms?route=de`, requests, server };
}

const CODE = "738291";
const sms = { to: "+491712345678", text: `Ihr Bestätigungscode für Tangerhütte: ${CODE}\nGültig 10 Minuten.` };
const TOKEN = "tok_SuperSecret_9f8e7d";

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error("expected a rejection");
}

function expectNoSecrets(message: string, secrets: string[]) {
  for (const s of secrets) expect(message).not.toContain(s);
}

describe("httpSmsGateway: request", () => {
  it("posts the default JSON body with the sender", async () => {
    const gw = await gatewayServer();
    await httpSmsGateway({ url: gw.url, format: "json", from: "Rathaus" }).send(sms);

    expect(gw.requests).toHaveLength(1);
    const [req] = gw.requests;
    expect(req!.method).toBe("POST");
    expect(req!.path).toBe("/v1/sms?route=de");
    expect(req!.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(req!.body)).toEqual({ to: sms.to, text: sms.text, from: "Rathaus" });
    expect(req!.headers.authorization).toBeUndefined();
  });

  it("drops {from} when no sender is configured", async () => {
    const gw = await gatewayServer();
    await httpSmsGateway({ url: gw.url, format: "json" }).send(sms);
    expect(JSON.parse(gw.requests[0]!.body)).toEqual({ to: sms.to, text: sms.text });
  });

  it("posts a form-encoded body in UTF-8", async () => {
    const gw = await gatewayServer();
    await httpSmsGateway({ url: gw.url, format: "form", from: "+4939352000" }).send(sms);

    const [req] = gw.requests;
    expect(req!.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    const params = new URLSearchParams(req!.body);
    expect(Object.fromEntries(params)).toEqual({ to: sms.to, text: sms.text, from: "+4939352000" });
  });

  it("fills a custom template and passes other values as they are", async () => {
    const gw = await gatewayServer();
    await httpSmsGateway({
      url: gw.url,
      format: "json",
      from: "Rathaus",
      body: { recipient: "{to}", message: "{text}", sender: "{from}", smsId: "s0", priority: 2, flash: false },
    }).send({ to: "+491700000001", text: "Text mit {from} und {to} darin" });

    expect(JSON.parse(gw.requests[0]!.body)).toEqual({
      recipient: "+491700000001",
      message: "Text mit {from} und {to} darin",
      sender: "Rathaus",
      smsId: "s0",
      priority: 2,
      flash: false,
    });
  });

  it("fills nested JSON templates (CM.com / MessageBird style)", async () => {
    const gw = await gatewayServer();
    await httpSmsGateway({
      url: gw.url,
      format: "json",
      from: "Rathaus",
      body: { messages: { msg: [{ from: "{from}", to: [{ number: "{to}" }], body: { content: "{text}" } }] }, recipients: ["{to}"] },
    }).send(sms);

    expect(JSON.parse(gw.requests[0]!.body)).toEqual({
      messages: { msg: [{ from: "Rathaus", to: [{ number: sms.to }], body: { content: sms.text } }] },
      recipients: [sms.to],
    });
  });

  it("form template with numbers", async () => {
    const gw = await gatewayServer();
    await httpSmsGateway({ url: gw.url, format: "form", body: { number: "{to}", message: "{text}", route: 2 } }).send(sms);
    expect(Object.fromEntries(new URLSearchParams(gw.requests[0]!.body))).toEqual({ number: sms.to, message: sms.text, route: "2" });
  });

  it.each<[string, NonNullable<HttpSmsGatewayOptions["auth"]>, string, string]>([
    ["bearer", { type: "bearer", token: TOKEN }, "authorization", `Bearer ${TOKEN}`],
    ["basic", { type: "basic", username: "token-id", password: "pä55:word" }, "authorization", `Basic ${Buffer.from("token-id:pä55:word", "utf8").toString("base64")}`],
    ["header", { type: "header", name: "X-Api-Key", value: TOKEN }, "x-api-key", TOKEN],
  ])("sends %s auth", async (_kind, auth, header, expected) => {
    const gw = await gatewayServer();
    await httpSmsGateway({ url: gw.url, format: "json", auth }).send(sms);
    expect(gw.requests[0]!.headers[header]).toBe(expected);
  });

  it("calls an injected fetch (Workers service binding)", async () => {
    const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      calls.push({ url: String(input), init });
      return new Response(null, { status: 204 });
    };
    await httpSmsGateway({ url: "https://sms.internal/send", format: "json", fetch: fakeFetch }).send(sms);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("https://sms.internal/send");
    expect(calls[0]!.init?.method).toBe("POST");
    expect(calls[0]!.init?.signal).toBeInstanceOf(AbortSignal);
  });
});

describe("httpSmsGateway: outcomes", () => {
  const echoEverything: (status: number) => Responder = (status) => (req, res) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: "bad request", youSent: req }));

  it("resolves on any 2xx", async () => {
    const gw = await gatewayServer((_req, res) => res.writeHead(202).end("queued"));
    await expect(httpSmsGateway({ url: gw.url, format: "json" }).send(sms)).resolves.toBeUndefined();
  });

  it("400 is permanent, with status and the gateway's words but no secrets", async () => {
    const gw = await gatewayServer((_req, res) => res.writeHead(400).end('{"error":"invalid recipient"}'));
    const error = await rejection(httpSmsGateway({ url: gw.url, format: "json", auth: { type: "bearer", token: TOKEN } }).send(sms));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain("400");
    expect(error.message).toContain("invalid recipient");
    expect(error.message).toContain("127.0.0.1");
    expectNoSecrets(error.message, [TOKEN, CODE, sms.to, "route=de"]);
  });

  it("a redirect is permanent and not followed", async () => {
    const gw = await gatewayServer((_req, res) => res.writeHead(301, { location: "/elsewhere" }).end());
    const error = await rejection(httpSmsGateway({ url: gw.url, format: "json" }).send(sms));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain("301");
    expect(gw.requests).toHaveLength(1);
  });

  it.each([503, 500, 429, 408])("%i is retryable", async (status) => {
    const gw = await gatewayServer((_req, res) => res.writeHead(status).end("try later"));
    const error = await rejection(httpSmsGateway({ url: gw.url, format: "json" }).send(sms));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toContain(String(status));
    expect(error.message).toContain("try later");
  });

  it.each([400, 503])("an echo of the request (%i) leaks neither credentials nor the text nor the number", async (status) => {
    const auths: NonNullable<HttpSmsGatewayOptions["auth"]>[] = [
      { type: "bearer", token: TOKEN },
      { type: "basic", username: "user-4711", password: TOKEN },
      { type: "header", name: "X-Api-Key", value: TOKEN },
    ];
    for (const auth of auths) {
      for (const format of ["json", "form"] as const) {
        const gw = await gatewayServer(echoEverything(status));
        const error = await rejection(httpSmsGateway({ url: gw.url, format, auth }).send(sms));
        const basic = Buffer.from(`user-4711:${TOKEN}`).toString("base64");
        expectNoSecrets(error.message, [TOKEN, basic, "user-4711", CODE, sms.to, "491712345678", "Bestätigungscode", "Tangerh"]);
        expect(error.message).toContain(String(status));
      }
    }
  });

  it.each<[string, Responder]>([
    ["the raw body", (req, res) => res.writeHead(400).end(req.body)],
    ["the body re-encoded as JSON", (req, res) => res.writeHead(400).end(JSON.stringify({ got: req.body }))],
    ["a text fragment", (_req, res) => res.writeHead(400).end(`invalid code ${CODE} for 0049${sms.to.slice(3)}`)],
  ])("an echo of %s shows neither the text nor the number", async (_what, respond) => {
    for (const format of ["json", "form"] as const) {
      const gw = await gatewayServer(respond);
      const error = await rejection(httpSmsGateway({ url: gw.url, format }).send(sms));
      expect(error.message).toContain("[redacted]");
      expectNoSecrets(error.message, [CODE, sms.to, "491712345678", "Bestätigungscode", "Tangerh", "Minuten"]);
    }
  });

  it("quotes at most 200 characters of the response body", async () => {
    const gw = await gatewayServer((_req, res) => res.writeHead(422).end(`${"x".repeat(1000)}END`));
    const error = await rejection(httpSmsGateway({ url: gw.url, format: "json" }).send(sms));
    const quoted = error.message.match(/x+/)?.[0] ?? "";
    expect(quoted.length).toBeGreaterThan(0);
    expect(quoted.length).toBeLessThanOrEqual(200);
    expect(error.message).not.toContain("END");
  });

  it("a gateway that never answers times out, retryably", async () => {
    const gw = await gatewayServer(() => {
      /* never answers */
    });
    const error = await rejection(httpSmsGateway({ url: gw.url, format: "json", timeoutMs: 200, auth: { type: "bearer", token: TOKEN } }).send(sms));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/did not answer within 200 ms/);
    expectNoSecrets(error.message, [TOKEN, CODE, sms.to]);
  });

  it("a refused connection is retryable", async () => {
    const gw = await gatewayServer();
    const url = gw.url;
    gw.server.closeAllConnections();
    await new Promise((r) => gw.server.close(r));
    servers.splice(servers.indexOf(gw.server), 1);

    const error = await rejection(httpSmsGateway({ url, format: "json", auth: { type: "bearer", token: TOKEN } }).send(sms));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error.message).toMatch(/unreachable/);
    expectNoSecrets(error.message, [TOKEN, CODE, sms.to]);
  });
});

describe("httpSmsGateway: options", () => {
  const url = "https://api.example.com/sms";
  it.each<[string, HttpSmsGatewayOptions, RegExp]>([
    ["a relative url", { url: "/sms", format: "json" }, /url/],
    ["a non-http url", { url: "ftp://example.com/", format: "json" }, /http/],
    ["credentials in the url", { url: "https://u:p@example.com/", format: "json" }, /credentials/],
    ["a template without {text}", { url, format: "json", body: { to: "{to}" } }, /\{text\}/],
    ["a template without {to}", { url, format: "json", body: { text: "{text}" } }, /\{to\}/],
    ["a nested form template", { url, format: "form", body: { to: "{to}", msg: { text: "{text}" } } }, /flat/],
    ["a long sender", { url, format: "json", from: "Stadtverwaltung" }, /from/],
    ["a sender with umlauts", { url, format: "json", from: "Tangerhütte" }, /from/],
    ["a zero timeout", { url, format: "json", timeoutMs: 0 }, /timeoutMs/],
    ["a bad header name", { url, format: "json", auth: { type: "header", name: "X Key", value: "v" } }, /header name/],
    ["a basic user with a colon", { url, format: "json", auth: { type: "basic", username: "a:b", password: "p" } }, /username/],
  ])("rejects %s at construction", (_what, opts, message) => {
    expect(() => httpSmsGateway(opts)).toThrow(message);
  });
});
