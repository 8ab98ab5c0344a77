import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "../db/schema.js";
import { type Store, compile } from "../db/store.js";

export interface SqliteStore extends Store {
  sqlite: BetterSqlite3.Database;
  close(): Promise<void>;
}

/** better-sqlite3 behind the Store port; `:memory:` for tests, a file under DATA_DIR otherwise. */
export function openSqliteStore(filename: string): SqliteStore {
  const sqlite = new BetterSqlite3(filename);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  // A fan-out writes thousands of rows of the same few shapes; preparing each SQL text once pays off.
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string) => {
    let st = statements.get(sql);
    if (!st) {
      st = sqlite.prepare(sql);
      if (statements.size < 500) statements.set(sql, st);
    }
    return st;
  };
  return {
    db,
    sqlite,
    async atomic(queries) {
      const compiled = queries.map(compile);
      // better-sqlite3 is synchronous: the whole list runs inside one transaction, no await in between.
      sqlite.transaction(() => {
        for (const q of compiled) prepared(q.sql).run(...(q.parameters as unknown[]));
      })();
    },
    async ping() {
      sqlite.prepare("SELECT 1").get();
    },
    async close() {
      await db.destroy();
    },
  };
}
