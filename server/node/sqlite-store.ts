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
  // Every query of the app has one of a few hundred SQL texts (values are bound parameters), so
  // each is prepared once per connection instead of on every call, for Kysely and `atomic` alike.
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string) => {
    let st = statements.get(sql);
    if (!st) {
      st = sqlite.prepare(sql);
      // A bound against unforeseen dynamic SQL (an IN list of varying length): the oldest goes.
      if (statements.size >= 1000) statements.delete(statements.keys().next().value!);
      statements.set(sql, st);
    }
    return st;
  };
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: { prepare: prepared, close: () => sqlite.close() } }),
  });
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
      prepared("SELECT 1").get();
    },
    async close() {
      await db.destroy();
    },
  };
}
