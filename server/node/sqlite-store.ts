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
  return {
    db,
    sqlite,
    async atomic(queries) {
      const statements = queries.map(compile);
      // better-sqlite3 is synchronous: the whole list runs inside one transaction, no await in between.
      sqlite.transaction(() => {
        for (const q of statements) sqlite.prepare(q.sql).run(...(q.parameters as unknown[]));
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
