import type { CompiledQuery } from "kysely";
import type { Db } from "../db/schema.js";
import type { Store } from "../db/store.js";
import type { Clock } from "../lib/clock.js";
import { randomId, sha256Hex } from "../lib/crypto.js";
import { definitionHash, formSyncQueries } from "../forms/sync.js";
import type { TenantDefinition } from "./definitions.js";

export interface SyncReport {
  created: string[];
  updated: string[];
  deactivated: string[];
  unchanged: string[];
}

/** Covers everything a town serves from its files, forms included, so public answers keyed by it follow every change. */
async function configHash(def: TenantDefinition): Promise<string> {
  const forms = await Promise.all(def.forms.map(async (f) => `${f.id}:${await definitionHash(f)}`));
  return sha256Hex(JSON.stringify(def.config) + "\n" + (def.logoSvg ?? "") + "\n" + (def.logoPng ?? "") + "\n" + forms.join(","));
}

/**
 * The writes that make the database hold exactly `defs`, without reading it first, so the
 * same statements can be sent to a remote D1 by the CLI. A town removed from tenants/ is
 * deactivated, never deleted: its citizens' data stays. Unchanged towns are not touched.
 */
export async function tenantSyncQueries(db: Db, defs: ReadonlyArray<TenantDefinition>, now: number): Promise<CompiledQuery[]> {
  const queries: CompiledQuery[] = [];
  for (const def of defs) {
    const hash = await configHash(def);
    const values = {
      config: JSON.stringify(def.config),
      config_hash: hash,
      logo_svg: def.logoSvg,
      logo_png: def.logoPng,
      active: 1,
      updated_at: now,
    };
    queries.push(
      db
        .insertInto("tenants")
        .values({ id: randomId("t"), slug: def.config.slug, created_at: now, ...values })
        .onConflict((oc) =>
          oc
            .column("slug")
            .doUpdateSet(values)
            .where((eb) => eb.or([eb("tenants.config_hash", "!=", hash), eb("tenants.active", "!=", 1)])),
        )
        .compile(),
    );
    queries.push(...(await formSyncQueries(db, def.config.slug, def.forms, now)));
  }
  const slugs = defs.map((d) => d.config.slug);
  let deactivate = db.updateTable("tenants").set({ active: 0, updated_at: now }).where("active", "=", 1);
  if (slugs.length > 0) deactivate = deactivate.where("slug", "not in", slugs);
  queries.push(deactivate.compile());
  return queries;
}

/** All towns or none: the writes run in one transaction (SQLite) or one batch (D1). */
export async function syncTenants(store: Store, clock: Clock, defs: ReadonlyArray<TenantDefinition>): Promise<SyncReport> {
  const existing = await store.db.selectFrom("tenants").select(["slug", "config_hash", "active"]).execute();
  const bySlug = new Map(existing.map((r) => [r.slug, r]));
  const report: SyncReport = { created: [], updated: [], deactivated: [], unchanged: [] };
  for (const def of defs) {
    const row = bySlug.get(def.config.slug);
    if (!row) report.created.push(def.config.slug);
    else if (row.config_hash !== (await configHash(def)) || row.active !== 1) report.updated.push(def.config.slug);
    else report.unchanged.push(def.config.slug);
  }
  const wanted = new Set(defs.map((d) => d.config.slug));
  report.deactivated = existing.filter((r) => r.active === 1 && !wanted.has(r.slug)).map((r) => r.slug);
  await store.atomic(await tenantSyncQueries(store.db, defs, clock.now()));
  return report;
}
