import { type CompiledQuery, sql } from "kysely";
import type { Db } from "../db/schema.js";
import { sha256Hex } from "../lib/crypto.js";
import type { TownForm } from "../tenants/definitions.js";
import type { FormDefinition } from "./definition.js";

/** What is stored per version: the served definition without its version number. */
export type StoredDefinition = Omit<FormDefinition, "version">;

export function storedDefinition(f: TownForm): StoredDefinition {
  return { id: f.id, source: f.source, ...f.form };
}

export async function definitionHash(f: TownForm): Promise<string> {
  return sha256Hex(JSON.stringify(storedDefinition(f)));
}

/**
 * The writes that make a town serve exactly `forms`, written without reading first (like the
 * tenant sync, so the CLI can send them to a remote D1). A form whose definition changed gets
 * the next version number; its old versions stay for the submissions and drafts made with them.
 * A form removed from the files is switched off, never deleted.
 */
export async function formSyncQueries(db: Db, slug: string, forms: ReadonlyArray<TownForm>, now: number): Promise<CompiledQuery[]> {
  const queries: CompiledQuery[] = [];
  const town = sql`(SELECT id FROM tenants WHERE slug = ${slug})`;
  for (const f of forms) {
    const hash = await definitionHash(f);
    const definition = JSON.stringify(storedDefinition(f));
    queries.push(
      sql`INSERT INTO form_versions (tenant_id, form_id, version, hash, definition, created_at)
          SELECT t.id, ${f.id},
                 COALESCE((SELECT MAX(v.version) FROM form_versions v WHERE v.tenant_id = t.id AND v.form_id = ${f.id}), 0) + 1,
                 ${hash}, ${definition}, ${now}
          FROM tenants t
          WHERE t.slug = ${slug}
            AND NOT EXISTS (SELECT 1 FROM forms c WHERE c.tenant_id = t.id AND c.id = ${f.id} AND c.hash = ${hash})`.compile(db),
      sql`INSERT INTO forms (tenant_id, id, version, hash, active, updated_at)
          SELECT t.id, ${f.id}, (SELECT MAX(v.version) FROM form_versions v WHERE v.tenant_id = t.id AND v.form_id = ${f.id}), ${hash}, 1, ${now}
          FROM tenants t WHERE t.slug = ${slug}
          ON CONFLICT (tenant_id, id) DO UPDATE SET version = excluded.version, hash = excluded.hash, active = 1, updated_at = excluded.updated_at
          WHERE forms.hash != excluded.hash OR forms.active != 1`.compile(db),
    );
  }
  const ids = forms.map((f) => f.id);
  queries.push(
    sql`UPDATE forms SET active = 0, updated_at = ${now}
        WHERE tenant_id = ${town} AND active = 1 ${ids.length ? sql`AND id NOT IN (${sql.join(ids)})` : sql``}`.compile(db),
  );
  return queries;
}
