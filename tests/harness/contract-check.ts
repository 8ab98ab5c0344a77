import { Validator } from "@cfworker/json-schema";
import { buildOpenApiDocument } from "../../server/openapi/document.js";

/**
 * Every answer the API suite receives is checked against the OpenAPI document: the route and
 * status must be documented and a JSON body must match its schema. A mismatch fails the test
 * that made the request, so the published contract cannot drift from the code.
 */
type Json = Record<string, unknown>;
const document = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

/** References point into `$defs` of the schema itself, so recursive shapes (form items) stay references. */
function localRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(localRefs);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace("#/components/schemas/", "#/$defs/") : localRefs(v)]));
  }
  return value;
}
const defs = localRefs(document.components.schemas) as Json;
const inlineRefs = (schema: unknown) => ({ ...(localRefs(schema) as Json), $defs: defs });

const routes = Object.entries(document.paths)
  .flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op, pattern: new RegExp(`^${path.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`) })),
  )
  // A literal segment wins over a parameter: news/feed.atom is not news/{id}.
  .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));

const errorValidator = new Validator(inlineRefs({ $ref: "#/components/schemas/Error" }) as Json, "2020-12", false);
const validators = new Map<string, Validator>();

function validatorFor(key: string, schema: Json) {
  let v = validators.get(key);
  if (!v) validators.set(key, (v = new Validator(inlineRefs(schema) as Json, "2020-12", false)));
  return v;
}

export async function checkAgainstContract(request: Request, response: Response): Promise<void> {
  const url = new URL(request.url);
  if (request.method === "OPTIONS" || request.method === "HEAD" || url.pathname.startsWith("/dev/")) return;
  const route = routes.find((r) => r.method === request.method && r.pattern.test(url.pathname));
  const where = `${request.method} ${url.pathname} → ${response.status}`;
  const body = response.status === 204 || response.status === 304 ? "" : await response.clone().text();
  if (!route) {
    // Unknown routes answer 404 with the error envelope.
    if (response.status !== 404 || !errorValidator.validate(JSON.parse(body)).valid) throw new Error(`${where}: not in the OpenAPI document`);
    return;
  }
  const documented = (route.op.responses as Record<string, Json>)[String(response.status)];
  if (!documented) throw new Error(`${where}: status not documented for ${route.method} ${route.path}`);
  const content = documented.content as Record<string, { schema?: Json }> | undefined;
  if (!content) {
    if (body !== "") throw new Error(`${where}: documented without a body, but answered ${body.slice(0, 200)}`);
    return;
  }
  const type = response.headers.get("content-type") ?? "";
  const [media, spec] = Object.entries(content).find(([m]) => type.startsWith(m)) ?? [];
  if (!media) throw new Error(`${where}: answered ${type}, documented ${Object.keys(content).join(", ")}`);
  if (!spec?.schema) return;
  const result = validatorFor(`${route.method} ${route.path} ${response.status}`, spec.schema).validate(JSON.parse(body));
  if (!result.valid) {
    const problems = result.errors.slice(-3).map((e) => `${e.instanceLocation}: ${e.error}`).join("; ");
    throw new Error(`${where}: body does not match the OpenAPI document: ${problems}; body: ${body.slice(0, 300)}`);
  }
}
