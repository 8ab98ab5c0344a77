import type { CompiledQuery } from "kysely";

function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "1" : "0";
  return `'${String(v).replaceAll("'", "''")}'`;
}

/**
 * Turns compiled queries into a plain SQL script for `wrangler d1 execute --file`, which
 * cannot bind parameters. Kysely keeps every value in parameters, so each `?` in the SQL
 * text is a placeholder.
 */
export function toSqlScript(queries: ReadonlyArray<CompiledQuery>): string {
  return queries
    .map((q) => {
      let i = 0;
      return q.sql.replace(/\?/g, () => literal(q.parameters[i++])) + ";";
    })
    .join("\n");
}
