import { z } from "zod";
import { emailAddress, httpUrl, optionalString, parseEnv, trustProxy } from "../config/env-schema.js";

const port = (fallback: number) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? String(fallback) : v),
    z.string().regex(/^\d{1,5}$/, "a port number").transform(Number).refine((p) => p > 0 && p < 65536, "a port number between 1 and 65535"),
  );

/** Everything `npm start` reads from the environment; SMS_GATEWAY_* is validated by server/sms/config.ts. */
export const nodeEnvSchema = z.object({
  NODE_ENV: optionalString,
  PORT: port(8787),
  DEMO_PORT: port(8080),
  SMTP_CATCHER_PORT: port(1025),
  /** Demo mode: the local OIDC provider "Test-Bürgerkonto" (server/node/demo-idp.ts) the demo towns log in with. */
  DEMO_IDP_PORT: port(8790),
  DATA_DIR: optionalString,
  TENANTS_DIR: optionalString,
  PUBLIC_URL: httpUrl,
  TRUST_PROXY: trustProxy,
  SMTP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^smtps?:\/\//, "an smtp:// or smtps:// URL").optional()),
  MAIL_FROM: emailAddress,
  APP_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16, "at least 16 characters").optional()),
  DEMO_PASSWORD: optionalString,
});

export type NodeEnv = z.output<typeof nodeEnvSchema>;

export const readNodeEnv = (env: Record<string, string | undefined>): NodeEnv => parseEnv(nodeEnvSchema, env);
