import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import { berlinDate } from "../../server/lib/berlin-time.js";
import type { FileField, FormData, FormDefinition } from "../../server/forms/definition.js";
import { validateForm } from "../../server/forms/rules/index.js";
import type { TestApp } from "../harness/types.js";
import { prng, uploadNeeds, validData } from "../support/form-data.js";
import { api, call, person, verifiedAccount } from "./flows.js";
import { idempotencyKey, pdfBytes, pngBytes, solvedProof, upload } from "./form-flows.js";

/**
 * Random and hostile answers against every demo form of both towns: `POST forms/{id}/submissions`,
 * `PUT forms/{id}/draft` and multipart uploads. Every answer must be a 4xx with the error
 * envelope, or a success that really stored what it says; a refusal must leave the town's
 * submissions, uploads and outbox untouched. Deterministic: one seed, the same cases each run.
 * Problems are collected per test and reported together, each with its request.
 */

const FUZZ_SEED = 20_261_125;
const towns = ["tangerhuette", "musterstadt"] as const;
type Town = (typeof towns)[number];
interface Sender {
  token: string;
  accountId: string;
}
interface TownCtx {
  slug: Town;
  tenantId: string;
  defs: FormDefinition[];
  /** The sender of most cases. */
  citizen: Sender;
}

let t: TestApp;
let today: string;
const ctx = new Map<Town, TownCtx>();
/** Upload ids the citizen of Tangerhütte must not be able to use. */
const foreign = { otherCitizen: "", otherTown: "", anonymous: "", ownOtherForm: "" };

async function account(slug: Town, overrides: Record<string, unknown> = {}): Promise<Sender> {
  const a = await verifiedAccount(t, slug, overrides);
  return { token: a.token, accountId: a.account.id };
}

async function uploadFor(slug: Town, formId: string, path: string, field: FileField, sender: { token?: string; proof?: string }): Promise<string> {
  const file = field.accept.includes("application/pdf")
    ? { bytes: pdfBytes(), name: "nachweis.pdf", type: "application/pdf" }
    : { bytes: pngBytes(), name: "foto.png", type: "image/png" };
  const up = await upload(t, slug, formId, path, file, sender);
  if (up.status !== 201) throw new Error(`setup upload ${slug}/${formId} ${path}: ${up.status} ${up.text}`);
  return up.json.id as string;
}

beforeAll(async () => {
  t = await createTestApp();
  today = berlinDate(t.clock.now());
  for (const slug of towns) {
    const tenant = await t.store.db.selectFrom("tenants").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
    const list = await call(t, "GET", `${api(slug)}/forms`);
    const defs: FormDefinition[] = [];
    for (const { id } of list.json.items as Array<{ id: string }>) defs.push((await call(t, "GET", `${api(slug)}/forms/${id}`)).json as FormDefinition);
    ctx.set(slug, { slug, tenantId: tenant.id, defs, citizen: await account(slug) });
  }
  const proofField: FileField = { id: "x", type: "file", label: { de: "x" }, accept: ["application/pdf"] };
  const photoField: FileField = { id: "x", type: "file", label: { de: "x" }, accept: ["image/png"] };
  const neighbour = await account("tangerhuette");
  foreign.otherCitizen = await uploadFor("tangerhuette", "hundesteuer", "hunde.0.nachweis", proofField, { token: neighbour.token });
  foreign.otherTown = await uploadFor("musterstadt", "hundesteuer", "hunde.0.nachweis", proofField, { token: town("musterstadt").citizen.token });
  foreign.anonymous = await uploadFor("tangerhuette", "maengelmelder", "fotos", photoField, { proof: await solvedProof(t, "tangerhuette", "upload") });
  foreign.ownOtherForm = await uploadFor("tangerhuette", "hundesteuer", "hunde.0.nachweis", proofField, { token: town("tangerhuette").citizen.token });
}, 120_000);
afterAll(() => t.close());

const town = (slug: Town) => ctx.get(slug)!;
const defOf = (slug: Town, id: string) => town(slug).defs.find((d) => d.id === id)!;

// ---------------------------------------------------------------------------------------------
// What is stored, and the checks every answer must pass

interface Counts {
  submissions: number;
  uploads: number;
  outbox: number;
}

async function counts(tenantId: string): Promise<Counts> {
  const db = t.store.db;
  const n = (r: { n: number | string | bigint }) => Number(r.n);
  const [s, u, o] = await Promise.all([
    db.selectFrom("submissions").select((eb) => eb.fn.countAll<number>().as("n")).where("tenant_id", "=", tenantId).executeTakeFirstOrThrow(),
    db.selectFrom("uploads").select((eb) => eb.fn.countAll<number>().as("n")).where("tenant_id", "=", tenantId).executeTakeFirstOrThrow(),
    db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("tenant_id", "=", tenantId).executeTakeFirstOrThrow(),
  ]);
  return { submissions: n(s), uploads: n(u), outbox: n(o) };
}

/** Key order does not matter; JSON.stringify's view of values (lone surrogates escaped, -0 as 0) does. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "undefined";
}

/**
 * The answers as the route hands them to the rules: zod's record parse drops an own
 * `__proto__` key at the top (and only there), so the oracle drops it too.
 */
function asRouted(data: unknown): unknown {
  if (!data || typeof data !== "object" || Array.isArray(data)) return data;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(data)) if (k !== "__proto__") out[k] = (data as Record<string, unknown>)[k];
  return out;
}

interface Request {
  name: string;
  slug: Town;
  method: "POST" | "PUT";
  path: string;
  body: string | Uint8Array;
  headers: Record<string, string>;
}

interface Answer {
  status: number;
  json: any;
  text: string;
}

const excerpt = (s: string | Uint8Array, n = 240) => {
  const text = typeof s === "string" ? s : new TextDecoder().decode(s.slice(0, n * 2));
  return JSON.stringify(text.length > n ? `${text.slice(0, n)}… (${text.length} chars)` : text);
};

class Problems {
  readonly list: string[] = [];
  add(req: Request, res: Answer | null, what: string) {
    this.list.push(`${req.name}: ${what}\n    ${req.method} ${req.path} body ${excerpt(req.body)}\n    → ${res ? `${res.status} ${excerpt(res.text, 300)}` : "no answer"}`);
  }
}

async function send(req: Request, problems: Problems): Promise<Answer | null> {
  try {
    const res = await t.app.request(req.path, { method: req.method, headers: req.headers, body: req.body as BodyInit });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  } catch (e) {
    // The harness checks every answer against the OpenAPI document and throws on a mismatch.
    problems.add(req, null, `request failed: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

/** A refusal: 4xx, the error envelope with a machine-readable code and both languages. */
function checkRefusal(req: Request, res: Answer, problems: Problems): void {
  if (res.status >= 500) return problems.add(req, res, `server error ${res.status}`);
  if (res.status < 400) return problems.add(req, res, `expected a refusal, got ${res.status}`);
  const e = res.json?.error;
  if (typeof e?.code !== "string" || !/^[a-z][a-z_]*$/.test(e.code)) return problems.add(req, res, "no machine-readable error code");
  if (typeof e.messages?.de !== "string" || typeof e.messages?.en !== "string" || typeof e.message !== "string") problems.add(req, res, "error envelope without messages");
  if (e.fields !== undefined) {
    for (const [k, f] of Object.entries(e.fields as Record<string, { code?: unknown }>)) {
      if (typeof f?.code !== "string") problems.add(req, res, `field error ${k} without code`);
    }
  }
}

const same = (a: Counts, b: Counts) => a.submissions === b.submissions && a.uploads === b.uploads && a.outbox === b.outbox;
const show = (c: Counts) => `submissions ${c.submissions}, uploads ${c.uploads}, outbox ${c.outbox}`;

interface Expectation {
  /** Exact status wanted; otherwise any refusal or (where `mayAccept`) a success. */
  status?: number;
  code?: string;
  /** Field of `error.fields` and its code. */
  field?: [string, string];
  /** The rules' verdict on the data, when the rest of the request is known to be fine. */
  oracle?: { def: FormDefinition; data: unknown } | null;
  mayAccept?: boolean;
  /** The sender, to check a stored submission belongs to it (null: anonymous). */
  accountId?: string | null;
}

/** Sends a submission and checks the answer and what it left in the database. */
async function submitCase(req: Request, want: Expectation, problems: Problems): Promise<Answer | null> {
  const { tenantId } = town(req.slug);
  const before = await counts(tenantId);
  const res = await send(req, problems);
  const after = await counts(tenantId);
  if (!res) return null;
  let expected201: boolean | null = null;
  if (want.oracle) {
    expected201 = validateForm(want.oracle.def, asRouted(want.oracle.data), { today }).errors.length === 0;
  }
  if (res.status === 201) {
    if (want.status !== undefined && want.status !== 201) problems.add(req, res, `expected ${want.status}`);
    else if (!want.mayAccept && want.status !== 201) problems.add(req, res, "accepted a request that must be refused");
    if (expected201 === false) problems.add(req, res, `accepted answers the rules refuse: ${JSON.stringify(validateForm(want.oracle!.def, asRouted(want.oracle!.data), { today }).errors.slice(0, 3))}`);
    if (after.submissions !== before.submissions + 1 || after.outbox !== before.outbox + 2 || after.uploads !== before.uploads) {
      problems.add(req, res, `201 but the tables went from ${show(before)} to ${show(after)}`);
    }
    const row = await t.store.db
      .selectFrom("submissions")
      .select(["form_id", "account_id", "data"])
      .where("tenant_id", "=", tenantId)
      .where("id", "=", String(res.json?.id))
      .executeTakeFirst();
    if (!row) problems.add(req, res, "201 without a stored submission");
    else {
      if (want.accountId !== undefined && row.account_id !== want.accountId) problems.add(req, res, `stored for account ${row.account_id}`);
      if (want.oracle) {
        const cleaned = validateForm(want.oracle.def, asRouted(want.oracle.data), { today }).data;
        if (canonical(JSON.parse(row.data)) !== canonical(cleaned)) problems.add(req, res, `stored ${excerpt(row.data)} instead of the cleaned answers ${excerpt(JSON.stringify(cleaned))}`);
      }
    }
    return res;
  }
  checkRefusal(req, res, problems);
  if (!same(before, after)) problems.add(req, res, `refused, yet the tables went from ${show(before)} to ${show(after)}`);
  if (expected201 === true && res.status !== 201) problems.add(req, res, "refused answers the rules accept");
  if (want.status !== undefined && res.status !== want.status) problems.add(req, res, `expected status ${want.status}`);
  if (want.code !== undefined && res.json?.error?.code !== want.code) problems.add(req, res, `expected code ${want.code}`);
  if (want.field && res.json?.error?.fields?.[want.field[0]]?.code !== want.field[1]) problems.add(req, res, `expected field ${want.field[0]}: ${want.field[1]}`);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Building hostile data

type Rnd = () => number;
const pick = <T>(rnd: Rnd, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

/** JSON.stringify cannot write these; a placeholder string is swapped for the raw token afterwards. */
const RAW = (token: string) => `@@raw:${token}@@`;
const rawJson = (v: unknown) => JSON.stringify(v).replace(/"@@raw:([^@"]*)@@"/g, "$1");

const unicodeEdges = [
  "\ud800",
  "\udc00\ud800",
  "a\u0000b",
  "\u0000",
  "\u202eevil.exe\u202c",
  "\u200b\u200b",
  "e\u0301\u0301\u0301",
  "🐕‍🦺🐕‍🦺",
  "\ufeffBOM",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  " \t\n ",
  "٣٤٥٦٧",
  "\u2028\u2029",
  "<script>alert(1)</script>",
  "'; DROP TABLE submissions; --",
  "${7*7}{{7*7}}",
  "../../etc/passwd",
];

const nanish = [RAW("1e309"), RAW("-1e309"), RAW("1e-400"), RAW("-0"), RAW("9007199254740993"), RAW("0.30000000000000004"), RAW("12.345"), RAW("1e21"), RAW("5e-324"), "NaN", "Infinity", "-Infinity", "1e3", "0x10", ""];

const hostileValues: unknown[] = [null, true, false, 0, -1, 1.5, "", " ", "x", [], {}, [null], [[[]]], [{}], { "0": 1 }, ["a", "a"], "u_" + "a".repeat(12), 2 ** 53, -(2 ** 31)];

function nest(depth: number, leaf: unknown, array: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
}

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

/** Every place in the data a value sits (object keys and list entries), root keys included. */
function slots(data: unknown): Slot[] {
  const out: Slot[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v, key: i }), visit(x)));
    else if (v && typeof v === "object") for (const k of Object.keys(v)) out.push({ parent: v as Record<string, unknown>, key: k }), visit((v as Record<string, unknown>)[k]);
  };
  visit(data);
  return out;
}

function objects(data: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") out.push(v as Record<string, unknown>), Object.values(v).forEach(visit);
  };
  visit(data);
  return out;
}

const setOwn = (o: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });

const mutations: Record<string, (data: Record<string, unknown>, rnd: Rnd) => string> = {
  drop(data, rnd) {
    const s = pick(rnd, slots(data));
    if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
    else delete s.parent[s.key as string];
    return `drop ${s.key}`;
  },
  wrongType(data, rnd) {
    const s = pick(rnd, slots(data));
    const v = pick(rnd, hostileValues);
    (s.parent as Record<string, unknown>)[s.key as string] = structuredClone(v);
    return `${s.key} = ${JSON.stringify(v)}`;
  },
  hugeString(data, rnd) {
    const s = pick(rnd, slots(data));
    const n = pick(rnd, [201, 2001, 5000, 20_000]);
    (s.parent as Record<string, unknown>)[s.key as string] = pick(rnd, ["x", "ä", "🐕"]).repeat(n);
    return `${s.key} = ${n} characters`;
  },
  unicode(data, rnd) {
    const s = pick(rnd, slots(data));
    const u = pick(rnd, unicodeEdges);
    const old = (s.parent as Record<string, unknown>)[s.key as string];
    (s.parent as Record<string, unknown>)[s.key as string] = typeof old === "string" && rnd() < 0.5 ? old + u : u;
    return `${s.key} with ${JSON.stringify(u)}`;
  },
  asString(data, rnd) {
    const s = pick(rnd, slots(data));
    const old = (s.parent as Record<string, unknown>)[s.key as string];
    (s.parent as Record<string, unknown>)[s.key as string] = typeof old === "object" ? JSON.stringify(old) : String(old);
    return `${s.key} as a string`;
  },
  nanish(data, rnd) {
    const s = pick(rnd, slots(data));
    const v = pick(rnd, nanish);
    (s.parent as Record<string, unknown>)[s.key as string] = v;
    return `${s.key} = ${v}`;
  },
  nestedArrays(data, rnd) {
    const s = pick(rnd, slots(data));
    const old = (s.parent as Record<string, unknown>)[s.key as string];
    (s.parent as Record<string, unknown>)[s.key as string] = [[old], [[old]]];
    return `${s.key} wrapped in nested lists`;
  },
  deepNesting(data, rnd) {
    const s = pick(rnd, slots(data));
    const array = rnd() < 0.5;
    (s.parent as Record<string, unknown>)[s.key as string] = nest(50, "tief", array);
    return `${s.key} nested 50 levels (${array ? "lists" : "objects"})`;
  },
  protoKey(data, rnd) {
    const o = pick(rnd, objects(data));
    const key = pick(rnd, ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf", "__defineGetter__"]);
    setOwn(o, key, pick<unknown>(rnd, [{ polluted: true }, { toString: 1 }, 1, "x", null, []]));
    return `own key ${key}`;
  },
  unknownKey(data, rnd) {
    const o = pick(rnd, objects(data));
    o[pick(rnd, ["extra", "Name", "hunde ", "ä", "0", "", "a.b", "x".repeat(100)])] = "x";
    return "unknown key";
  },
  blank(data, rnd) {
    const s = pick(rnd, slots(data));
    (s.parent as Record<string, unknown>)[s.key as string] = pick(rnd, [null, "", "   ", [], {}]);
    return `${s.key} blank`;
  },
  reshape(data, rnd) {
    const s = pick(rnd, slots(data));
    const old = (s.parent as Record<string, unknown>)[s.key as string];
    (s.parent as Record<string, unknown>)[s.key as string] = Array.isArray(old) ? Object.assign({}, old) : old && typeof old === "object" ? [old] : { value: old };
    return `${s.key} reshaped`;
  },
  foreignUpload(data, rnd) {
    const s = pick(rnd, slots(data));
    const id = pick(rnd, [foreign.otherCitizen, foreign.otherTown, foreign.anonymous, foreign.ownOtherForm]);
    (s.parent as Record<string, unknown>)[s.key as string] = rnd() < 0.7 ? [id] : id;
    return `${s.key} = a foreign upload id`;
  },
};
const mutationNames = Object.keys(mutations);

// ---------------------------------------------------------------------------------------------
// Valid starting points

/** Fresh own uploads for every file field the unseeded answers need; replaced after a submission took them. */
const baseUploads = new Map<string, Map<string, string[]>>();

async function baseData(slug: Town, def: FormDefinition, seed: number | undefined): Promise<{ data: FormData; uploads: boolean }> {
  // Seeded answers only where they need no upload: they vary the start without costing files.
  if (seed !== undefined && uploadNeeds(def, { today, seed }).length === 0) return { data: validData(def, { today, seed }), uploads: false };
  const key = `${slug}/${def.id}`;
  let ids = baseUploads.get(key);
  if (!ids) {
    ids = new Map();
    for (const { path, field } of uploadNeeds(def, { today })) ids.set(path, [await uploadFor(slug, def.id, path, field, { token: town(slug).citizen.token })]);
    baseUploads.set(key, ids);
  }
  const found = ids;
  return { data: validData(def, { today, uploads: (path) => found.get(path) ?? [] }), uploads: found.size > 0 };
}

const submissionPath = (slug: Town, formId: string) => `${api(slug)}/forms/${formId}/submissions`;
const jsonHeaders = (token?: string, extra: Record<string, string> = {}) => ({
  "Content-Type": "application/json",
  "Idempotency-Key": idempotencyKey(),
  ...(token ? { Authorization: `Bearer ${token}` } : {}),
  ...extra,
});

// ---------------------------------------------------------------------------------------------

describe("fuzzing POST forms/{id}/submissions", () => {
  it.each(towns)("mutated valid answers for every form of %s: a 4xx, or 201 with exactly one stored submission", async (slug) => {
    const problems = new Problems();
    const rnd = prng(FUZZ_SEED + slug.length);
    const { citizen, defs } = town(slug);
    let cases = 0;
    let accepted = 0;
    for (const def of defs) {
      const anonymousToo = def.access.anonymous;
      for (let i = 0; i < 22; i++) {
        const seed = i % 3 === 0 ? undefined : Math.floor(rnd() * 1e6);
        const base = await baseData(slug, def, seed);
        const data = structuredClone(base.data) as Record<string, unknown>;
        const applied: string[] = [];
        const n = 1 + Math.floor(rnd() * 3);
        for (let k = 0; k < n && slots(data).length > 0; k++) applied.push(mutations[pick(rnd, mutationNames)]!(data, rnd));
        const anonymous = anonymousToo && i % 4 === 1;
        const extra = anonymous ? { email: "melder@example.org", proof: await solvedProof(t, slug, "submission") } : {};
        const body = `{"version":${def.version},"data":${rawJson(data)}${anonymous ? `,"email":"melder@example.org","proof":${JSON.stringify(extra.proof)}` : ""}}`;
        const sent = JSON.parse(body) as { data: unknown };
        const carriesUploads = base.uploads || /"u_[\w-]{10,}"/.test(body);
        // Keys over 100 characters at the top are zod's to refuse, before the rules see the answers.
        const longTopKey = Object.keys(sent.data as object).some((k) => k.length > 100);
        const res = await submitCase(
          { name: `${slug}/${def.id} #${i} [${applied.join("; ")}]${anonymous ? " anonymous" : ""}`, slug, method: "POST", path: submissionPath(slug, def.id), body, headers: jsonHeaders(anonymous ? undefined : citizen.token) },
          { mayAccept: true, oracle: carriesUploads || longTopKey ? null : { def, data: sent.data }, accountId: anonymous ? null : citizen.accountId },
          problems,
        );
        cases++;
        if (res?.status === 201) {
          accepted++;
          // The submission took the base's uploads; the next cases start from fresh ones.
          if (base.uploads) baseUploads.delete(`${slug}/${def.id}`);
        }
      }
    }
    expect(problems.list, problems.list.join("\n\n")).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(defs.length * 22);
    // Some mutations keep the answers valid (a dropped optional field, an emoji in a name).
    expect(accepted).toBeGreaterThan(0);
  }, 120_000);

  it("refuses broken envelopes, versions, keys and headers with the right 4xx and stores nothing", async () => {
    const problems = new Problems();
    const slug: Town = "tangerhuette";
    const { citizen } = town(slug);
    const def = defOf(slug, "hundesteuer");
    const data = validData(def, { today });
    const valid = JSON.stringify(data);
    const path = submissionPath(slug, def.id);
    const cases: Array<[string, string, Expectation, Record<string, string>?]> = [
      ["next version", `{"version":${def.version + 1},"data":${valid}}`, { status: 409, code: "form_changed" }],
      ["version 0", `{"version":0,"data":${valid}}`, { status: 400, code: "validation_failed" }],
      ["version as string", `{"version":"${def.version}","data":${valid}}`, { status: 400, code: "validation_failed" }],
      ["version 1.5", `{"version":1.5,"data":${valid}}`, { status: 400, code: "validation_failed" }],
      ["version 1e309", `{"version":1e309,"data":${valid}}`, { status: 400, code: "validation_failed" }],
      ["version missing", `{"data":${valid}}`, { status: 400, code: "validation_failed" }],
      ["data missing", `{"version":${def.version}}`, { status: 400, code: "validation_failed" }],
      ["data a list", `{"version":${def.version},"data":[${valid}]}`, { status: 400, code: "validation_failed" }],
      ["data null", `{"version":${def.version},"data":null}`, { status: 400, code: "validation_failed" }],
      ["data a string", `{"version":${def.version},"data":${JSON.stringify(valid)}}`, { status: 400, code: "validation_failed" }],
      ["data empty", `{"version":${def.version},"data":{}}`, { status: 400, code: "validation_failed", field: ["hunde", "too_few"] }],
      ["unknown body key", `{"version":${def.version},"data":${valid},"admin":true}`, { status: 400, code: "validation_failed" }],
      ["body a list", `[${valid}]`, { status: 400, code: "invalid_json" }],
      ["body null", "null", { status: 400, code: "invalid_json" }],
      ["body a number", "42", { status: 400, code: "invalid_json" }],
      ["body empty", "", { status: 400, code: "invalid_json" }],
      ["body cut off", `{"version":${def.version},"data":${valid.slice(0, 40)}`, { status: 400, code: "invalid_json" }],
      ["body not UTF-8 JSON", "\u00ff\u00fe\u0000{", { status: 400, code: "invalid_json" }],
      ["lang fr", `{"version":${def.version},"data":${valid},"lang":"fr"}`, { status: 400, code: "validation_failed" }],
      ["email not an address", `{"version":${def.version},"data":${valid},"email":"kein-at"}`, { status: 400, code: "validation_failed" }],
      ["proof of 4001 characters", `{"version":${def.version},"data":${valid},"proof":"${"A".repeat(4001)}"}`, { status: 400, code: "validation_failed" }],
      ["key of 101 characters", `{"version":${def.version},"data":{${JSON.stringify("k".repeat(101))}:1,${valid.slice(1)}}`, { status: 400, code: "validation_failed" }],
      ["constructor at the top", `{"version":${def.version},"data":{"constructor":{"prototype":{"x":1}},${valid.slice(1)}}`, { status: 400, code: "validation_failed", field: ["constructor", "unknown_field"] }],
      ["toString at the top", `{"version":${def.version},"data":{"toString":"x",${valid.slice(1)}}`, { status: 400, code: "validation_failed", field: ["toString", "unknown_field"] }],
      ["__proto__ inside a group", `{"version":${def.version},"data":${valid.replace('"halter":{', '"halter":{"__proto__":{"admin":true},')}}`, { status: 400, code: "validation_failed", field: ["halter.__proto__", "unknown_field"] }],
      ["__proto__ in an address", `{"version":${def.version},"data":${valid.replace('"anschrift":{', '"anschrift":{"__proto__":{"x":1},')}}`, { status: 400, code: "validation_failed" }],
      ["hasOwnProperty as an answer", `{"version":${def.version},"data":{"hasOwnProperty":1,${valid.slice(1)}}`, { status: 400, code: "validation_failed", field: ["hasOwnProperty", "unknown_field"] }],
      ["duplicate key, the bad one last", `{"version":${def.version},"data":{"zahlungsart":"lastschrift",${valid.slice(1, -1)},"zahlungsart":"bar"}}`, { status: 400, code: "validation_failed", field: ["zahlungsart", "invalid_choice"] }],
      ["Idempotency-Key too short", `{"version":${def.version},"data":${valid}}`, { status: 400, code: "validation_failed" }, { "Idempotency-Key": "kurz" }],
      ["Idempotency-Key too long", `{"version":${def.version},"data":${valid}}`, { status: 400, code: "validation_failed" }, { "Idempotency-Key": "k".repeat(101) }],
      ["Idempotency-Key with other characters", `{"version":${def.version},"data":${valid}}`, { status: 400, code: "validation_failed" }, { "Idempotency-Key": "key.with.dots!+%" }],
      ["Idempotency-Key with spaces", `{"version":${def.version},"data":${valid}}`, { status: 400, code: "validation_failed" }, { "Idempotency-Key": "a key with spaces" }],
      ["form-urlencoded", `version=${def.version}&data=x`, { status: 400 }, { "Content-Type": "application/x-www-form-urlencoded" }],
    ];
    for (const [name, body, want, headers] of cases) {
      await submitCase({ name, slug, method: "POST", path, body, headers: jsonHeaders(citizen.token, headers) }, { ...want, accountId: citizen.accountId }, problems);
    }

    // Unknown and malformed form ids are not found, whatever the body.
    for (const id of ["gibt-es-nicht", "HUNDESTEUER", "a".repeat(61), "..%2F..%2Fetc"]) {
      await submitCase({ name: `form id ${id}`, slug, method: "POST", path: submissionPath(slug, id), body: `{"version":1,"data":${valid}}`, headers: jsonHeaders(citizen.token) }, { status: 404, code: "not_found" }, problems);
    }

    // Too big for the body limit: 10,000 answers, a 70,000-character text.
    const manyKeys = `{"version":${def.version},"data":{${Array.from({ length: 10_000 }, (_, i) => `"k${i.toString(36)}":0`).join(",")}}}`;
    expect(manyKeys.length).toBeGreaterThan(64 * 1024);
    await submitCase({ name: "10,000 answers", slug, method: "POST", path, body: manyKeys, headers: jsonHeaders(citizen.token) }, { status: 413, code: "payload_too_large" }, problems);
    const huge = JSON.stringify({ version: def.version, data: { ...data, halter: { ...(data.halter as object), name: "x".repeat(70_000) } } });
    await submitCase({ name: "70,000-character name", slug, method: "POST", path, body: huge, headers: jsonHeaders(citizen.token) }, { status: 413, code: "payload_too_large" }, problems);

    // Under the limit: 6,000 unknown answers are refused, with the problems capped.
    const sixThousand = `{"version":${def.version},"data":{${Array.from({ length: 6000 }, (_, i) => `"k${i.toString(36)}":0`).join(",")},${valid.slice(1)}}`;
    expect(sixThousand.length).toBeLessThan(64 * 1024);
    const wide = await submitCase({ name: "6,000 unknown answers", slug, method: "POST", path, body: sixThousand, headers: jsonHeaders(citizen.token) }, { status: 400, code: "validation_failed" }, problems);
    expect(Object.keys(wide?.json?.error?.fields ?? {}).length).toBeLessThanOrEqual(101);

    // Nesting far deeper than any form: refused as answers, not a crash of the parser or the hash.
    for (const depth of [50, 2000]) {
      for (const array of [false, true]) {
        const body = `{"version":${def.version},"data":{"halter":${rawJson(nest(depth, "x", array))},${valid.slice(1).replace(/"halter":\{[^}]*\{[^}]*\}[^}]*\},/, "")}}`;
        await submitCase({ name: `halter nested ${depth} levels of ${array ? "lists" : "objects"}`, slug, method: "POST", path, body, headers: jsonHeaders(citizen.token) }, { status: 400, code: "validation_failed" }, problems);
      }
    }

    // An account of the wrong kind, and one not verified.
    const verein = await account(slug, { kind: "association", organisation: "Hundesportverein e. V." });
    await submitCase({ name: "association account", slug, method: "POST", path, body: `{"version":${def.version},"data":${valid}}`, headers: jsonHeaders(verein.token) }, { status: 403, code: "account_kind_not_allowed" }, problems);
    const reg = await call(t, "POST", `${api(slug)}/auth/register`, { body: person() });
    await submitCase({ name: "unverified account", slug, method: "POST", path, body: `{"version":${def.version},"data":${valid}}`, headers: jsonHeaders(reg.json.token) }, { status: 403, code: "verification_required" }, problems);
    await submitCase({ name: "made-up session", slug, method: "POST", path, body: `{"version":${def.version},"data":${valid}}`, headers: jsonHeaders("A".repeat(43)) }, { status: 401 }, problems);

    expect(problems.list, problems.list.join("\n\n")).toEqual([]);
  }, 120_000);

  it("refuses upload ids that are not the sender's to use, and stores nothing", async () => {
    const problems = new Problems();
    const slug: Town = "tangerhuette";
    const { citizen } = town(slug);
    const hunde = defOf(slug, "hundesteuer");
    const withProof = (ids: string[], field = "nachweis") => {
      const data = validData(hunde, { today }) as { hunde: Array<Record<string, unknown>> };
      data.hunde[0]!.listenhund = true;
      if (field === "nachweis_befreiung") data.hunde[0]!.steuerbefreiung = "tierheimhund";
      data.hunde[0]![field] = ids;
      return JSON.stringify({ version: hunde.version, data });
    };
    const path = submissionPath(slug, "hundesteuer");
    // An upload of this test's own, so that no other case can have used it up.
    const own = await uploadFor(slug, "hundesteuer", "hunde.0.nachweis", { id: "x", type: "file", label: { de: "x" }, accept: ["application/pdf"] }, { token: citizen.token });
    const refusals: Array<[string, string, Expectation]> = [
      ["another citizen's upload", withProof([foreign.otherCitizen]), { status: 400, field: ["hunde.0.nachweis", "upload_not_found"] }],
      ["another town's upload", withProof([foreign.otherTown]), { status: 400, field: ["hunde.0.nachweis", "upload_not_found"] }],
      ["an anonymous upload", withProof([foreign.anonymous]), { status: 400, field: ["hunde.0.nachweis", "upload_not_found"] }],
      ["an own upload made for another field", withProof([own], "nachweis_befreiung"), { status: 400, code: "validation_failed" }],
      ["an upload id that never existed", withProof(["u_gibtesnicht0000"]), { status: 400, field: ["hunde.0.nachweis", "upload_not_found"] }],
      ["the same own upload twice", withProof([own, own]), { status: 400, field: ["hunde.0.nachweis", "invalid_type"] }],
      ["an own upload next to a foreign one", withProof([own, foreign.otherTown]), { status: 400, field: ["hunde.0.nachweis", "upload_not_found"] }],
    ];
    for (const [name, body, want] of refusals) {
      await submitCase({ name, slug, method: "POST", path, body, headers: jsonHeaders(citizen.token) }, { ...want, accountId: citizen.accountId }, problems);
    }
    // An own upload of the Hundesteuer, offered to the Mängelmelder.
    const maengel = defOf(slug, "maengelmelder");
    const report = { ...validData(maengel, { today }), fotos: [own] };
    await submitCase(
      { name: "an own upload of another form", slug, method: "POST", path: submissionPath(slug, "maengelmelder"), body: JSON.stringify({ version: maengel.version, data: report }), headers: jsonHeaders(citizen.token) },
      { status: 400, field: ["fotos", "upload_not_found"] },
      problems,
    );
    // And the other town's citizen cannot use a Tangerhütte upload either.
    const m = town("musterstadt");
    await submitCase(
      { name: "a Tangerhütte upload in Musterstadt", slug: "musterstadt", method: "POST", path: submissionPath("musterstadt", "hundesteuer"), body: withProof([own]).replace(`"version":${hunde.version}`, `"version":${defOf("musterstadt", "hundesteuer").version}`), headers: jsonHeaders(m.citizen.token) },
      { status: 400, field: ["hunde.0.nachweis", "upload_not_found"] },
      problems,
    );
    // The owner can still use it where it belongs: the refusals above did not consume it.
    await submitCase({ name: "the owner's own upload, rightly used", slug, method: "POST", path, body: withProof([own]), headers: jsonHeaders(citizen.token) }, { status: 201, accountId: citizen.accountId }, problems);
    expect(problems.list, problems.list.join("\n\n")).toEqual([]);
  }, 60_000);

  it("refuses anonymous senders on account forms and without proof or address", async () => {
    const problems = new Problems();
    const slug: Town = "tangerhuette";
    const maengel = defOf(slug, "maengelmelder");
    const data = JSON.stringify(validData(maengel, { today }));
    const path = submissionPath(slug, "maengelmelder");
    const proof = () => solvedProof(t, slug, "submission");
    const garbageProof = btoa(JSON.stringify({ algorithm: "SHA-256", challenge: "0".repeat(64), number: 1, salt: "x?expires=9999999999", signature: "f".repeat(64) }));
    const cases: Array<[string, string, Expectation]> = [
      ["no proof", `{"version":${maengel.version},"data":${data},"email":"a@example.org"}`, { status: 400, field: ["proof", "proof_required"] }],
      ["a forged proof", `{"version":${maengel.version},"data":${data},"email":"a@example.org","proof":${JSON.stringify(garbageProof)}}`, { status: 400, field: ["proof", "proof_required"] }],
      ["a proof that is no base64", `{"version":${maengel.version},"data":${data},"email":"a@example.org","proof":"\\u0000\\ud800%%%"}`, { status: 400, field: ["proof", "proof_required"] }],
      ["an upload proof for a submission", `{"version":${maengel.version},"data":${data},"email":"a@example.org","proof":${JSON.stringify(await solvedProof(t, slug, "upload"))}}`, { status: 400, field: ["proof", "proof_required"] }],
      ["no address for the receipt", `{"version":${maengel.version},"data":${data},"proof":${JSON.stringify(await proof())}}`, { status: 400, field: ["email", "required"] }],
      ["an account's upload, sent anonymously", `{"version":${maengel.version},"data":${data.replace(/^\{/, `{"fotos":["${foreign.ownOtherForm}"],`)},"email":"a@example.org","proof":${JSON.stringify(await proof())}}`, { status: 400, field: ["fotos", "upload_not_found"] }],
    ];
    for (const [name, body, want] of cases) await submitCase({ name, slug, method: "POST", path, body, headers: jsonHeaders() }, { ...want, accountId: null }, problems);
    for (const id of ["hundesteuer", "kita-anmeldung", "osterfeuer"]) {
      const def = defOf(slug, id);
      const body = JSON.stringify({ version: def.version, data: validData(def, { today }), email: "a@example.org", proof: await proof() });
      await submitCase({ name: `anonymous ${id}`, slug, method: "POST", path: submissionPath(slug, id), body, headers: jsonHeaders() }, { status: 401, code: "unauthorized" }, problems);
    }
    expect(problems.list, problems.list.join("\n\n")).toEqual([]);
  }, 60_000);
});

describe("hostile text the rules accept", () => {
  it("is stored as sent, and its receipt mail and PDF still go out", async () => {
    const problems = new Problems();
    const slug: Town = "tangerhuette";
    const { citizen, tenantId } = town(slug);
    const def = defOf(slug, "maengelmelder");
    const data = {
      ...validData(def, { today }),
      ort: "'; DROP TABLE submissions; -- \u202eevil\u202c",
      beschreibung: `Schlagloch \ud800 a\u0000b 🐕‍🦺 <script>alert(1)</script> e\u0301 \u2028 \${7*7} ${"ä".repeat(1500)}`,
      name: "\u202eRTL \udc00 Zoë",
    };
    const body = JSON.stringify({ version: def.version, data });
    const res = await submitCase(
      { name: "hostile but valid text", slug, method: "POST", path: submissionPath(slug, def.id), body, headers: jsonHeaders(citizen.token) },
      { status: 201, oracle: { def, data: JSON.parse(body).data }, accountId: citizen.accountId },
      problems,
    );
    expect(problems.list, problems.list.join("\n\n")).toEqual([]);
    const id = res!.json.id as string;
    await t.deliver();
    const mails = await t.store.db.selectFrom("outbox").select(["dedupe_key", "status", "last_error"]).where("tenant_id", "=", tenantId).where("dedupe_key", "in", [`receipt:${id}`, `notify:${id}`]).execute();
    expect(mails.map((m) => [m.dedupe_key, m.status, m.last_error]).sort()).toEqual([
      [`notify:${id}`, "sent", null],
      [`receipt:${id}`, "sent", null],
    ]);
    const pdf = await t.app.request(`${api(slug)}/me/submissions/${id}/receipt.pdf`, { headers: { Authorization: `Bearer ${citizen.token}` } });
    expect(pdf.status).toBe(200);
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
  }, 60_000);
});

describe("fuzzing PUT forms/{id}/draft", () => {
  it("stores any object of answers as sent (drafts may be incomplete) and refuses the rest, never touching submissions", async () => {
    const problems = new Problems();
    const rnd = prng(FUZZ_SEED + 1);
    for (const slug of towns) {
      const { citizen, defs, tenantId } = town(slug);
      for (const def of defs) {
        if (def.access.accountKinds && !def.access.accountKinds.includes("person")) continue;
        const path = `${api(slug)}/forms/${def.id}/draft`;
        for (let i = 0; i < 6; i++) {
          const data = structuredClone(validData(def, { today, uploads: () => ["u_entwurf000000"] })) as Record<string, unknown>;
          const applied = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => (slots(data).length ? mutations[pick(rnd, mutationNames)]!(data, rnd) : "none"));
          const body = `{"version":${def.version},"data":${rawJson(data)}}`;
          const req: Request = { name: `draft ${slug}/${def.id} #${i} [${applied.join("; ")}]`, slug, method: "PUT", path, body, headers: jsonHeaders(citizen.token) };
          const before = await counts(tenantId);
          const res = await send(req, problems);
          const after = await counts(tenantId);
          if (!res) continue;
          if (!same(before, after)) problems.add(req, res, `a draft changed ${show(before)} to ${show(after)}`);
          const sent = asRouted((JSON.parse(body) as { data: unknown }).data);
          const longTopKey = Object.keys(sent as object).some((k) => k.length > 100);
          if (res.status === 200) {
            if (longTopKey) problems.add(req, res, "took a key over 100 characters");
            if (canonical(res.json.data) !== canonical(sent)) problems.add(req, res, "answered other data than sent");
            const back = await call(t, "GET", path, { token: citizen.token });
            if (back.status !== 200 || canonical(back.json.data) !== canonical(sent)) problems.add(req, { status: back.status, json: back.json, text: back.text }, "read back other data than saved");
          } else {
            checkRefusal(req, res, problems);
            if (!longTopKey && res.status !== 413) problems.add(req, res, "refused a draft that is an object of answers");
          }
        }
      }
    }

    const slug: Town = "tangerhuette";
    const { citizen } = town(slug);
    const def = defOf(slug, "osterfeuer");
    const path = `${api(slug)}/forms/${def.id}/draft`;
    const refusals: Array<[string, string, number, Record<string, string>?]> = [
      ["data a list", `{"version":${def.version},"data":[1,2]}`, 400],
      ["data null", `{"version":${def.version},"data":null}`, 400],
      ["version 0", `{"version":0,"data":{}}`, 400],
      ["version a string", `{"version":"1","data":{}}`, 400],
      ["unknown body key", `{"version":${def.version},"data":{},"submit":true}`, 400],
      ["not JSON", "{", 400],
      ["10,000 answers", `{"version":${def.version},"data":{${Array.from({ length: 10_000 }, (_, i) => `"k${i.toString(36)}":0`).join(",")}}}`, 413],
      ["no session", `{"version":${def.version},"data":{}}`, 401, { Authorization: "" }],
      ["another town's session", `{"version":${def.version},"data":{}}`, 401, { Authorization: `Bearer ${town("musterstadt").citizen.token}` }],
      ["unknown form", `{"version":1,"data":{}}`, 404],
    ];
    for (const [name, body, status, headers] of refusals) {
      const target = name === "unknown form" ? `${api(slug)}/forms/gibt-es-nicht/draft` : path;
      const h = jsonHeaders(citizen.token, headers);
      if (h.Authorization === "") delete (h as Record<string, string>).Authorization;
      const req: Request = { name: `draft: ${name}`, slug, method: "PUT", path: target, body, headers: h };
      const res = await send(req, problems);
      if (!res) continue;
      checkRefusal(req, res, problems);
      if (res.status !== status) problems.add(req, res, `expected ${status}`);
    }
    // Deep nesting is stored and read back as it was: the draft is the citizen's, unchecked.
    const deep = `{"version":${def.version},"data":{"veranstalter":${rawJson(nest(50, "tief", false))}}}`;
    const saved = await send({ name: "draft nested 50 levels", slug, method: "PUT", path, body: deep, headers: jsonHeaders(citizen.token) }, problems);
    expect(saved?.status).toBe(200);
    expect(canonical((await call(t, "GET", path, { token: citizen.token })).json.data)).toBe(canonical(JSON.parse(deep).data));
    expect(problems.list, problems.list.join("\n\n")).toEqual([]);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------

const enc = new TextEncoder();

function multipart(parts: Array<{ name: string; value?: string; filename?: string; type?: string; bytes?: Uint8Array; rawDisposition?: string }>, boundary: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    const disposition = p.rawDisposition ?? `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}`;
    chunks.push(enc.encode(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ""}\r\n`));
    chunks.push(p.bytes ?? enc.encode(p.value ?? ""));
    chunks.push(enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) out.set(c, at), (at += c.length);
  return out;
}

describe("fuzzing POST forms/{id}/uploads", () => {
  it("answers hostile multipart bodies with a 4xx and keeps nothing, or stores exactly one upload", async () => {
    const problems = new Problems();
    const slug: Town = "tangerhuette";
    const { citizen, tenantId } = town(slug);
    const path = `${api(slug)}/forms/hundesteuer/uploads`;
    const b = "fuzzBoundary7MA4YWxkTrZu0gW";
    const ct = `multipart/form-data; boundary=${b}`;
    const pdf = pdfBytes();
    const field = (value: string) => ({ name: "field", value });
    const file = (bytes: Uint8Array, filename = "nachweis.pdf", type = "application/pdf") => ({ name: "file", filename, type, bytes });
    const cases: Array<[string, Uint8Array | string, string, "either" | number]> = [
      ["file before field", multipart([file(pdf), field("hunde.0.nachweis")], b), ct, 400],
      ["no file", multipart([field("hunde.0.nachweis")], b), ct, 400],
      ["field __proto__", multipart([field("__proto__"), file(pdf)], b), ct, 400],
      ["field constructor", multipart([field("constructor"), file(pdf)], b), ct, 400],
      ["field of a text", multipart([field("hunde.0.rasse"), file(pdf)], b), ct, 400],
      ["field of a group", multipart([field("hunde"), file(pdf)], b), ct, 400],
      ["field without entry index", multipart([field("hunde.nachweis"), file(pdf)], b), ct, 400],
      ["field path of 400 characters", multipart([field(`hunde.0.${"x".repeat(390)}`), file(pdf)], b), ct, 400],
      ["field value over 1 KiB", multipart([field("h".repeat(2000)), file(pdf)], b), ct, "either"],
      ["HTML named .pdf", multipart([field("hunde.0.nachweis"), file(enc.encode("<html><script>alert(1)</script></html>"))], b), ct, 415],
      ["empty file", multipart([field("hunde.0.nachweis"), file(new Uint8Array(0))], b), ct, "either"],
      ["two files", multipart([field("hunde.0.nachweis"), file(pdf), file(pdf, "zwei.pdf")], b), ct, "either"],
      ["five parts", multipart([field("a"), field("b"), field("c"), field("hunde.0.nachweis"), file(pdf)], b), ct, "either"],
      ["no boundary", multipart([field("hunde.0.nachweis"), file(pdf)], b), "multipart/form-data", 415],
      ["boundary not in body", multipart([field("hunde.0.nachweis"), file(pdf)], b), "multipart/form-data; boundary=andere", 400],
      ["JSON instead", JSON.stringify({ field: "hunde.0.nachweis" }), "application/json", 415],
      ["garbage", "\u0000\u00ff garbage \r\n--", ct, 400],
      ["cut off", new TextDecoder().decode(multipart([field("hunde.0.nachweis"), file(pdf)], b)).slice(0, 150), ct, 400],
      ["a broken part after the file", new TextDecoder().decode(multipart([field("hunde.0.nachweis"), file(pdf)], b)).replace(`--${b}--`, `--${b}\r\nContent-Disposition: kaputt`), ct, 400],
      ["PDF with JavaScript", multipart([field("hunde.0.nachweis"), file(pdfBytes("/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "))], b), ct, 422],
      // Hostile names are the file name cleaner's job: stored, under a safe name.
      ["file name with RTL override and NUL", multipart([field("hunde.0.nachweis"), { ...file(pdf), rawDisposition: `form-data; name="file"; filename="fdp.\u202Eexe\u0000.pdf"` }], b), ct, "either"],
      ["file name of 2,000 characters", multipart([field("hunde.0.nachweis"), file(pdf, `${"ä".repeat(2000)}.pdf`)], b), ct, "either"],
      ["entry index beyond any form", multipart([field("hunde.999999999999999999999.nachweis"), file(pdf)], b), ct, "either"],
      ["claims PNG, is a PDF", multipart([field("hunde.0.nachweis"), file(pdf, "bild.png", "image/png")], b), ct, "either"],
    ];
    for (const [name, body, contentType, want] of cases) {
      const req: Request = { name: `upload: ${name}`, slug, method: "POST", path, body, headers: { "Content-Type": contentType, Authorization: `Bearer ${citizen.token}` } };
      const before = await counts(tenantId);
      const res = await send(req, problems);
      const after = await counts(tenantId);
      if (!res) continue;
      if (res.status === 201) {
        if (want !== "either") problems.add(req, res, `expected ${want}`);
        if (after.uploads !== before.uploads + 1 || after.submissions !== before.submissions) problems.add(req, res, `201 but the tables went from ${show(before)} to ${show(after)}`);
        const row = await t.store.db.selectFrom("uploads").select(["name", "media_type", "account_id"]).where("tenant_id", "=", tenantId).where("id", "=", String(res.json?.id)).executeTakeFirst();
        if (!row || row.account_id !== citizen.accountId || row.media_type !== "application/pdf") problems.add(req, res, `stored ${JSON.stringify(row)}`);
        if (row && /[\u0000-\u001f\u202e/\\]/.test(row.name)) problems.add(req, res, `stored the unsafe name ${JSON.stringify(row.name)}`);
        continue;
      }
      checkRefusal(req, res, problems);
      if (!same(before, after)) problems.add(req, res, `refused, yet the tables went from ${show(before)} to ${show(after)}`);
      if (typeof want === "number" && res.status !== want) problems.add(req, res, `expected ${want}`);
    }
    expect(problems.list, problems.list.join("\n\n")).toEqual([]);
  }, 60_000);
});
