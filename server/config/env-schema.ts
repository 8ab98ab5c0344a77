import { z } from "zod";

/**
 * Pieces shared by the two runtimes' environment schemas (server/node/env.ts,
 * server/workers/env.ts). Parsed once at start, so a typo stops start-up with the
 * variable's name instead of silently meaning a default on every request.
 */
const blankIsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const optionalString = z.preprocess(blankIsUnset, z.string().optional());

/** `TRUST_PROXY`: how many reverse proxies stand in front (0 when the server faces clients directly). */
export const trustProxy = z.preprocess(
  blankIsUnset,
  z
    .string()
    .regex(/^\d{1,2}$/, "a whole number of proxies, e.g. 1 (or 0 when clients connect directly)")
    .transform(Number)
    .default(0),
);

export const httpUrl = z.preprocess(
  blankIsUnset,
  z
    .string()
    .url("an absolute URL such as https://rathaus.example.de")
    .refine((u) => /^https?:\/\//.test(u), "an http(s) URL")
    .transform((u) => u.replace(/\/+$/, ""))
    .optional(),
);

export const emailAddress = z.preprocess(blankIsUnset, z.string().email("an e-mail address").optional());

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses an environment with a schema; the error names every bad variable and says what it expects. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`);
  throw new EnvError(problems.join("; "));
}
