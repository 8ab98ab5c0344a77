import { z } from "zod";
import { type Operation, documentInfo, errorStatuses, operations } from "./contract.js";
import { errorEnvelope } from "./schemas.js";

type JsonSchema = Record<string, unknown>;

const errorText: Record<number, string> = {
  400: "Bad input: `validation_failed` with the offending `fields`, or `invalid_json`.",
  401: "No valid session (`unauthorized`).",
  403: "Not allowed for this account (`forbidden`, `verification_required`).",
  404: "Unknown town (`tenant_not_found`), or the thing does not exist in this town (`not_found`) — another town's ids included.",
  409: "Conflicts with the current state.",
  413: "Body larger than allowed (`payload_too_large`, `file_too_large`, `submission_too_large`).",
  415: "A file of a type that is not accepted (`unsupported_type`), decided by its content.",
  422: "A file that is refused for what it contains (`unsafe_pdf`, `image_too_large`), or an `Idempotency-Key` reused with other content.",
  429: "Too many attempts (`rate_limited`); see `Retry-After`.",
  500: "Unexpected error (`internal_error`); the `X-Request-Id` finds it in the log.",
};

/**
 * Schemas with a `meta({ id })` become components and are referenced, the rest inline. Request
 * bodies are described as clients write them (`io: "input"`), answers as the server sends them.
 */
function schemaOf(schema: z.ZodType, io: "input" | "output", components: Record<string, JsonSchema>): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    reused: "inline",
  }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const defs = json.$defs ?? {};
  delete json.$defs;
  for (const [name, def] of Object.entries(defs)) components[name] ??= rewriteRefs(def) as JsonSchema;
  return rewriteRefs(json) as JsonSchema;
}

/** zod writes `#/$defs/Name`; in OpenAPI the shared schemas live under components. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace("#/$defs/", "#/components/schemas/") : rewriteRefs(v)]),
    );
  }
  return value;
}

function parameters(op: Operation, components: Record<string, JsonSchema>) {
  const path = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
    ...(name === "slug" ? { description: "the town, e.g. tangerhuette" } : {}),
  }));
  const query = op.query
    ? Object.entries(op.query.shape).map(([name, s]) => ({ name, in: "query", required: !(s as z.ZodType).safeParse(undefined).success, schema: schemaOf(s as z.ZodType, "input", components) }))
    : [];
  const headers = [
    ...(op.cacheable ? [{ name: "If-None-Match", in: "header", required: false, schema: { type: "string" }, description: "an ETag from an earlier answer; a match answers 304" }] : []),
    ...(op.headers ?? []).map((h) => ({ name: h.name, in: "header", required: false, schema: { type: "string" }, description: h.description })),
  ];
  return [...path, ...query, ...headers];
}

function operationObject(op: Operation, components: Record<string, JsonSchema>) {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const content = {
      ...(r.json ? { "application/json": { schema: schemaOf(r.json, "output", components) } } : {}),
      ...(r.media ? Object.fromEntries([r.media].flat().map((m) => [m, {}])) : {}),
    };
    responses[status] = { description: r.description, ...(r.json || r.media ? { content } : {}) };
  }
  if (op.cacheable) responses["304"] = { description: "Not modified: the If-None-Match ETag still matches." };
  for (const status of errorStatuses(op)) {
    responses[String(status)] ??= {
      description: errorText[status] ?? "Error.",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } }, ...(op.pages ? { "text/html": {} } : {}) },
    };
  }
  return {
    operationId: `${op.method}${op.path.replace(/\/api\/v1\/tenants\/\{slug\}/, "").replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase()) || "Tenant"}`,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.auth ? { security: [op.auth.cookie ? { officeCookie: [] } : { bearer: [] }] } : {}),
    parameters: parameters(op, components),
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(op.body, "input", components) } } } } : {}),
    ...(op.multipart
      ? {
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: Object.keys(op.multipart),
                  properties: Object.fromEntries(Object.entries(op.multipart).map(([k, p]) => [k, { type: "string", description: p.description, ...(p.binary ? { contentMediaType: "application/octet-stream" } : {}) }])),
                },
              },
            },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the whole API. */
export function buildOpenApiDocument(serverUrl?: string) {
  const components: Record<string, JsonSchema> = {};
  // Registers the envelope under components.schemas.Error, which every error answer refers to.
  schemaOf(errorEnvelope, "output", components);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operationObject(op, components);
  return {
    openapi: "3.1.0",
    info: { ...documentInfo, version: "1" },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: ["System", "Towns", "Accounts", "News", "Subscriptions", "Forms", "Postfach", "Appointments", "Office"].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "The session token from register or login." },
        officeCookie: { type: "apiKey", in: "cookie", name: "__Host-dr-office-{slug}", description: "The office session from office/login; writes also need X-CSRF-Token." },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
