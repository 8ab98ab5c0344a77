import type { Compilable, CompiledQuery } from "kysely";
import type { Db } from "./schema.js";

/**
 * The database port every feature receives. `atomic` runs a list of writes all-or-nothing:
 * a real transaction on better-sqlite3 and one `batch()` on D1, which has no interactive
 * transactions. Features build their writes first, then hand them over in one call.
 */
export interface Store {
  db: Db;
  atomic(queries: ReadonlyArray<Compilable | CompiledQuery>): Promise<void>;
  /** Cheap round trip used by the health check. */
  ping(): Promise<void>;
}

export function compile(q: Compilable | CompiledQuery): CompiledQuery {
  return "compile" in q ? q.compile() : q;
}
