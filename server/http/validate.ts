import type { Context } from "hono";
import type { z } from "zod";
import { AppError, type FieldError } from "./errors.js";
import { type Bilingual, fieldMessages } from "./messages.js";

/**
 * Custom zod checks attach their own stable code and texts through `params`, e.g.
 * `.refine(ok, { params: fieldError("weak_password", { de, en }) })`.
 */
export function fieldError(code: string, messages: Bilingual) {
  return { code, de: messages.de, en: messages.en };
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function toFieldError(issue: z.core.$ZodIssue, input: unknown): FieldError {
  const params = (issue as { params?: { code?: string; de?: string; en?: string } }).params;
  if (params?.code && params.de && params.en) return { code: params.code, messages: { de: params.de, en: params.en } };
  switch (issue.code) {
    case "invalid_type":
      return valueAt(input, issue.path) === undefined
        ? { code: "required", messages: fieldMessages.required }
        : { code: "invalid_type", messages: fieldMessages.invalid_type };
    case "too_small":
      return issue.origin === "string" && valueAt(input, issue.path) === ""
        ? { code: "required", messages: fieldMessages.required }
        : { code: "too_short", messages: fieldMessages.too_short };
    case "too_big":
      return { code: "too_long", messages: fieldMessages.too_long };
    case "invalid_format":
      return issue.format === "email"
        ? { code: "invalid_email", messages: fieldMessages.invalid_email }
        : { code: "invalid", messages: fieldMessages.invalid };
    default:
      return { code: "invalid", messages: fieldMessages.invalid };
  }
}

/** Maps zod issues to `{ "a.b": FieldError }`, first issue per field wins. */
export function issuesToFields(issues: ReadonlyArray<z.core.$ZodIssue>, input: unknown): Record<string, FieldError> {
  // Without a prototype: a key named `constructor` or `toString` must find no field there already.
  const fields: Record<string, FieldError> = Object.create(null);
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const name = [...issue.path, key].map(String).join(".");
        fields[name] ??= { code: "unknown_field", messages: fieldMessages.unknown_field };
      }
      continue;
    }
    const name = issue.path.map(String).join(".") || "_";
    fields[name] ??= toFieldError(issue, input);
  }
  return fields;
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw AppError.of(400, "validation_failed", issuesToFields(result.error.issues, input));
  return result.data;
}

/** Reads a JSON body: malformed JSON and non-objects are a 400, never a 500. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let input: unknown;
  try {
    input = await c.req.json();
  } catch {
    throw AppError.of(400, "invalid_json");
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw AppError.of(400, "invalid_json");
  return parseWith(schema, input);
}
