import { readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { root } from "./process.js";

/**
 * One app, two runtimes: only the entry files and the adapters they pick may reach into a
 * runtime. The type checks cannot see a slip (test files bring Node's types into scope), so
 * this reads the syntax tree of every runtime file instead.
 */
const serverDir = join(root, "server");

type Rule = { where: (file: string) => boolean; allowed: RegExp | null };
const nodeSide = (f: string) => f === "server/node.ts" || f.startsWith("server/node/");
const workersSide = (f: string) => f === "server/worker.ts" || f.startsWith("server/workers/");
const rules: Rule[] = [
  { where: nodeSide, allowed: /^(node:|better-sqlite3$|nodemailer$|smtp-server$|mailparser$|@hono\/node-server|@node-rs\/|@node-saml\/|xml-crypto$|xml-encryption$|oidc-provider$)/ },
  { where: workersSide, allowed: /^(cloudflare:|kysely-d1$|@cloudflare\/)/ },
  { where: () => true, allowed: null },
];
const runtimeOnly = /^(node:|better-sqlite3$|nodemailer$|smtp-server$|mailparser$|mjml$|@hono\/node-server|@node-rs\/|@node-saml\/|xml-crypto$|xml-encryption$|oidc-provider$|cloudflare:|kysely-d1$|@cloudflare\/)/;
const runtimeGlobals = new Set(["Buffer", "process", "require", "__dirname", "__filename", "setImmediate"]);

function runtimeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return runtimeFiles(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Imports that the file's side may not make, and runtime globals it uses. */
export function boundaryViolations(file: string, source: string): string[] {
  const rule = rules.find((r) => r.where(file))!;
  const sideOf = nodeSide(file) || workersSide(file);
  const found: string[] = [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node) => {
    let specifier: string | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
      if (!typeOnly) specifier = node.moduleSpecifier.text;
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!)) {
      specifier = (node.arguments[0] as ts.StringLiteral).text;
    }
    if (specifier && runtimeOnly.test(specifier) && !(rule.allowed?.test(specifier) ?? false)) found.push(`imports ${specifier}`);
    if (!sideOf && ts.isIdentifier(node) && runtimeGlobals.has(node.text)) {
      const parent = node.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!isPropertyName) found.push(`uses ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return [...new Set(found)];
}

describe("runtime boundary", () => {
  it("keeps node:*, better-sqlite3, cloudflare:*, Buffer and process out of the shared app", () => {
    const violations = runtimeFiles(serverDir).flatMap((full) => {
      const file = relative(root, full).split(sep).join("/");
      return boundaryViolations(file, readFileSync(full, "utf8")).map((v) => `${file} ${v}`);
    });
    expect(violations).toEqual([]);
  });

  it("notices the slips it exists for", () => {
    expect(boundaryViolations("server/news/service.ts", 'import { readFileSync } from "node:fs";')).toEqual(["imports node:fs"]);
    expect(boundaryViolations("server/news/service.ts", "const b = Buffer.from('x'); const e = process.env.X;")).toEqual(["uses Buffer", "uses process"]);
    expect(boundaryViolations("server/accounts/repo.ts", 'const m = await import("better-sqlite3");')).toEqual(["imports better-sqlite3"]);
    expect(boundaryViolations("server/outbox/x.ts", 'import { env } from "cloudflare:workers";')).toEqual(["imports cloudflare:workers"]);
    expect(boundaryViolations("server/workers/jobs.ts", 'import { readFile } from "node:fs";')).toEqual(["imports node:fs"]);
    expect(boundaryViolations("server/node/x.ts", 'import { readFile } from "node:fs"; Buffer.from("");')).toEqual([]);
    // Type-only imports are erased at build and harmless.
    expect(boundaryViolations("server/app.ts", 'import type { D1Database } from "@cloudflare/workers-types";')).toEqual([]);
    expect(boundaryViolations("server/app.ts", "const o = { process: 1 }; o.process;")).toEqual([]);
  });
});
