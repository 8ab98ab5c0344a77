import { describe, expect, it } from "vitest";
import { smsGatewayFromEnv } from "./config.js";
import { httpSmsGateway } from "./http-gateway.js";

const URL_ = "https://api.provider.example/sms/send";
const SECRET = "s3cr3t-Value_42";

describe("smsGatewayFromEnv", () => {
  it("is null without SMS_GATEWAY_URL (dev outbox), also when it is empty", () => {
    expect(smsGatewayFromEnv({ PATH: "/usr/bin" })).toBeNull();
    expect(smsGatewayFromEnv({ SMS_GATEWAY_URL: "" })).toBeNull();
    expect(smsGatewayFromEnv({ SMS_GATEWAY_URL: "  ", SMS_GATEWAY_TOKEN: "" })).toBeNull();
  });

  it("defaults to JSON, the default body, no auth", () => {
    expect(smsGatewayFromEnv({ SMS_GATEWAY_URL: URL_ })).toEqual({ url: URL_, format: "json" });
  });

  it("reads a JSON provider with bearer token", () => {
    const opts = smsGatewayFromEnv({
      SMS_GATEWAY_URL: "https://api.sipgate.com/v2/sessions/sms",
      SMS_GATEWAY_FORMAT: "json",
      SMS_GATEWAY_BODY: '{"smsId":"s0","recipient":"{to}","message":"{text}"}',
      SMS_GATEWAY_TOKEN: ` ${SECRET} `,
      SMS_GATEWAY_TIMEOUT_MS: "5000",
    });
    expect(opts).toEqual({
      url: "https://api.sipgate.com/v2/sessions/sms",
      format: "json",
      body: { smsId: "s0", recipient: "{to}", message: "{text}" },
      auth: { type: "bearer", token: SECRET },
      timeoutMs: 5000,
    });
    expect(() => httpSmsGateway(opts!)).not.toThrow();
  });

  it("reads a form provider with basic auth and sender", () => {
    const opts = smsGatewayFromEnv({
      SMS_GATEWAY_URL: "https://gateway.example.de/send.php",
      SMS_GATEWAY_FORMAT: "form",
      SMS_GATEWAY_BODY: '{"number":"{to}","message":"{text}","sender":"{from}","route":2}',
      SMS_GATEWAY_FROM: "Rathaus",
      SMS_GATEWAY_USER: "rathaus",
      SMS_GATEWAY_PASSWORD: "pass word:with colon",
    });
    expect(opts).toEqual({
      url: "https://gateway.example.de/send.php",
      format: "form",
      body: { number: "{to}", message: "{text}", sender: "{from}", route: 2 },
      from: "Rathaus",
      auth: { type: "basic", username: "rathaus", password: "pass word:with colon" },
    });
  });

  it("reads a custom header and allows http on localhost", () => {
    const opts = smsGatewayFromEnv({
      SMS_GATEWAY_URL: "http://127.0.0.1:9000/sms",
      SMS_GATEWAY_HEADER: `X-CM-PRODUCTTOKEN: ${SECRET}`,
      SMS_GATEWAY_FROM: "+4939352000",
    });
    expect(opts).toMatchObject({ url: "http://127.0.0.1:9000/sms", from: "+4939352000", auth: { type: "header", name: "X-CM-PRODUCTTOKEN", value: SECRET } });
    expect(smsGatewayFromEnv({ SMS_GATEWAY_URL: "http://localhost:9000/sms" })?.url).toBe("http://localhost:9000/sms");
  });

  const base = { SMS_GATEWAY_URL: URL_ };
  it.each<[string, Record<string, string>, string]>([
    ["URL not absolute", { SMS_GATEWAY_URL: "api.provider.example/sms" }, "SMS_GATEWAY_URL"],
    ["URL plain http", { SMS_GATEWAY_URL: "http://api.provider.example/sms" }, "SMS_GATEWAY_URL"],
    ["URL other scheme", { SMS_GATEWAY_URL: "ftp://api.provider.example/sms" }, "SMS_GATEWAY_URL"],
    ["URL with credentials", { SMS_GATEWAY_URL: `https://user:${SECRET}@api.provider.example/sms` }, "SMS_GATEWAY_URL"],
    ["URL missing but token set", { SMS_GATEWAY_TOKEN: SECRET }, "SMS_GATEWAY_URL"],
    ["unknown variable", { ...base, SMS_GATEWAY_TOKN: SECRET }, "SMS_GATEWAY_TOKN"],
    ["FORMAT", { ...base, SMS_GATEWAY_FORMAT: "xml" }, "SMS_GATEWAY_FORMAT"],
    ["BODY not JSON", { ...base, SMS_GATEWAY_BODY: `{"key":"${SECRET}",` }, "SMS_GATEWAY_BODY"],
    ["BODY an array", { ...base, SMS_GATEWAY_BODY: '["{to}","{text}"]' }, "SMS_GATEWAY_BODY"],
    ["BODY without {text}", { ...base, SMS_GATEWAY_BODY: `{"to":"{to}","key":"${SECRET}"}` }, "SMS_GATEWAY_BODY"],
    ["BODY nested for form", { ...base, SMS_GATEWAY_FORMAT: "form", SMS_GATEWAY_BODY: '{"to":["{to}"],"text":"{text}"}' }, "SMS_GATEWAY_BODY"],
    ["FROM too long", { ...base, SMS_GATEWAY_FROM: "Stadtverwaltung" }, "SMS_GATEWAY_FROM"],
    ["FROM with umlaut", { ...base, SMS_GATEWAY_FROM: "Tangerhütte" }, "SMS_GATEWAY_FROM"],
    ["FROM without {from} in BODY", { ...base, SMS_GATEWAY_FROM: "Rathaus", SMS_GATEWAY_BODY: '{"to":"{to}","text":"{text}"}' }, "SMS_GATEWAY_FROM"],
    ["TOKEN with a space", { ...base, SMS_GATEWAY_TOKEN: `${SECRET} x` }, "SMS_GATEWAY_TOKEN"],
    ["USER without PASSWORD", { ...base, SMS_GATEWAY_USER: "rathaus" }, "SMS_GATEWAY_PASSWORD"],
    ["PASSWORD without USER", { ...base, SMS_GATEWAY_PASSWORD: SECRET }, "SMS_GATEWAY_USER"],
    ["USER with a colon", { ...base, SMS_GATEWAY_USER: "a:b", SMS_GATEWAY_PASSWORD: SECRET }, "SMS_GATEWAY_USER"],
    ["TOKEN and HEADER", { ...base, SMS_GATEWAY_TOKEN: SECRET, SMS_GATEWAY_HEADER: `X-Key: ${SECRET}` }, "SMS_GATEWAY_HEADER"],
    ["TOKEN and USER/PASSWORD", { ...base, SMS_GATEWAY_TOKEN: SECRET, SMS_GATEWAY_USER: "u", SMS_GATEWAY_PASSWORD: SECRET }, "SMS_GATEWAY_TOKEN"],
    ["HEADER without colon", { ...base, SMS_GATEWAY_HEADER: `X-Key ${SECRET}` }, "SMS_GATEWAY_HEADER"],
    ["HEADER bad name", { ...base, SMS_GATEWAY_HEADER: `X Key: ${SECRET}` }, "SMS_GATEWAY_HEADER"],
    ["HEADER without value", { ...base, SMS_GATEWAY_HEADER: "X-Key:" }, "SMS_GATEWAY_HEADER"],
    ["HEADER Content-Type", { ...base, SMS_GATEWAY_HEADER: "Content-Type: text/plain" }, "SMS_GATEWAY_HEADER"],
    ["TIMEOUT_MS not a number", { ...base, SMS_GATEWAY_TIMEOUT_MS: "10s" }, "SMS_GATEWAY_TIMEOUT_MS"],
    ["TIMEOUT_MS zero", { ...base, SMS_GATEWAY_TIMEOUT_MS: "0" }, "SMS_GATEWAY_TIMEOUT_MS"],
    ["TIMEOUT_MS fractional", { ...base, SMS_GATEWAY_TIMEOUT_MS: "1.5" }, "SMS_GATEWAY_TIMEOUT_MS"],
    ["TIMEOUT_MS too large", { ...base, SMS_GATEWAY_TIMEOUT_MS: "600000" }, "SMS_GATEWAY_TIMEOUT_MS"],
  ])("rejects %s, naming the variable and no secret", (_what, env, variable) => {
    let message = "";
    try {
      smsGatewayFromEnv(env);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toContain(variable);
    expect(message).not.toContain(SECRET);
  });
});
