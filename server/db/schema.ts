import type { Kysely } from "kysely";

/** Row types of every table, one interface per table; `Database` maps table names to them. */
export interface TenantsTable {
  id: string;
  slug: string;
  config: string;
  config_hash: string;
  logo_svg: string | null;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface MigrationsTable {
  id: number;
  name: string;
  applied_at: string;
}

export interface Database {
  tenants: TenantsTable;
  d1_migrations: MigrationsTable;
}

export type Db = Kysely<Database>;
