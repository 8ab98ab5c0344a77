import type { Db } from "../db/schema.js";
import type { TenantConfig } from "./schema.js";
import type { Tenant } from "./tenant.js";

function toTenant(row: { id: string; slug: string; config: string; config_hash: string; content_version: number; has_logo: number; has_mail_logo: number }): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    config: JSON.parse(row.config) as TenantConfig,
    configHash: row.config_hash,
    contentVersion: row.content_version,
    hasLogo: row.has_logo === 1,
    hasMailLogo: row.has_mail_logo === 1,
  };
}

const tenantColumns = (db: Db) =>
  db
    .selectFrom("tenants")
    .select(["id", "slug", "config", "config_hash", "content_version"])
    .select((eb) => eb.case().when("logo_svg", "is not", null).then(1).else(0).end().as("has_logo"))
    .select((eb) => eb.case().when("logo_png", "is not", null).then(1).else(0).end().as("has_mail_logo"));

export async function findActiveTenantBySlug(db: Db, slug: string): Promise<Tenant | null> {
  const row = await tenantColumns(db).where("slug", "=", slug).where("active", "=", 1).executeTakeFirst();
  return row ? toTenant(row) : null;
}

export async function listActiveTenants(db: Db): Promise<Tenant[]> {
  const rows = await tenantColumns(db).where("active", "=", 1).orderBy("slug").execute();
  return rows.map(toTenant);
}

export async function findTenantLogo(db: Db, tenantId: string): Promise<string | null> {
  const row = await db.selectFrom("tenants").select("logo_svg").where("id", "=", tenantId).executeTakeFirst();
  return row?.logo_svg ?? null;
}

/** Any town by id, active or not: queued mail of a town that was just deactivated still names it. */
export async function findTenantById(db: Db, tenantId: string): Promise<Tenant | null> {
  const row = await tenantColumns(db).where("id", "=", tenantId).executeTakeFirst();
  return row ? toTenant(row) : null;
}

export async function findTenantMailLogo(db: Db, tenantId: string): Promise<string | null> {
  const row = await db.selectFrom("tenants").select("logo_png").where("id", "=", tenantId).executeTakeFirst();
  return row?.logo_png ?? null;
}

/**
 * Part of every write that changes what a town's public reads answer; see
 * migrations/0006_public_reads.sql. Never below the current time in ms, so a database restored
 * to an earlier state cannot hand out a version that cached answers already carry.
 */
export function raiseContentVersion(db: Db, now: number) {
  return db.updateTable("tenants").set((eb) => ({ content_version: eb.fn<number>("max", [eb("content_version", "+", 1), eb.val(now)]) }));
}

export function bumpContentVersion(db: Db, tenantId: string, now: number) {
  return raiseContentVersion(db, now).where("id", "=", tenantId);
}
