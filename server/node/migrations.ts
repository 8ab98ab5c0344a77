import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";

export interface Migration {
  name: string;
  sql: string;
}

/** `NNNN_name.sql` files in order: the same folder `wrangler d1 migrations apply` reads. */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), "utf8") }));
}

/**
 * Applies pending migrations, each in its own transaction together with its record, in
 * wrangler's own `d1_migrations` table, so a database moved between Node and D1 tooling
 * agrees on what ran. Returns the names applied now.
 */
export function applyMigrations(sqlite: BetterSqlite3.Database, migrations: ReadonlyArray<Migration>): string[] {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS d1_migrations(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
  )`);
  const done = new Set(
    (sqlite.prepare("SELECT name FROM d1_migrations").all() as Array<{ name: string }>).map((r) => r.name),
  );
  const record = sqlite.prepare("INSERT INTO d1_migrations (name) VALUES (?)");
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.name)) continue;
    sqlite.transaction(() => {
      sqlite.exec(m.sql);
      record.run(m.name);
    })();
    applied.push(m.name);
  }
  return applied;
}
