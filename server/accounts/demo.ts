import type { Role } from "../db/schema.js";
import type { Store } from "../db/store.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import type { Tenant } from "../tenants/tenant.js";
import type { PasswordHasher } from "./hasher.js";

export const DEFAULT_DEMO_PASSWORD = "Rathaus-Demo-2026";

const demoUsers: ReadonlyArray<{ local: string; role: Role; name: string; mobile: string }> = [
  { local: "redaktion", role: "staff", name: "Redaktion (Demo)", mobile: "+4915100000001" },
  { local: "admin", role: "admin", name: "Administration (Demo)", mobile: "+4915100000002" },
];

/**
 * Demo mode only: a staff and an admin account per town, verified, with one known password; the
 * staff account works for all the town's departments.
 * Marked `demo = 1` so that production start-up can remove them.
 */
export async function seedDemoAccounts(store: Store, clock: Clock, hasher: PasswordHasher, tenants: ReadonlyArray<Tenant>, password: string) {
  const now = clock.now();
  const hash = await hasher.hash(password);
  const queries = tenants.flatMap((t) =>
    demoUsers.map((u) =>
      store.db
        .insertInto("accounts")
        .values({
          tenant_id: t.id,
          id: randomId("a"),
          kind: "person",
          role: u.role,
          email: `${u.local}@${t.slug}.example`,
          email_verified_at: now,
          mobile: u.mobile,
          mobile_verified_at: now,
          password_hash: hash,
          name: u.name,
          organisation: null,
          register_number: null,
          address: null,
          lang: "de",
          privacy_version: t.config.privacyPolicyVersion,
          privacy_accepted_at: now,
          demo: 1,
          sms_alerts: 0,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(["tenant_id", "email"]).where("email_verified_at", "is not", null).doUpdateSet({ password_hash: hash, role: u.role, demo: 1, updated_at: now })),
    ),
  );
  await store.atomic(queries);
  // The demo clerk works for every department of the town, so every demo form reaches her inbox.
  const clerks = await store.db.selectFrom("accounts").select(["tenant_id", "id"]).where("demo", "=", 1).where("role", "=", "staff").execute();
  await store.atomic(
    clerks.flatMap((c) =>
      (tenants.find((t) => t.id === c.tenant_id)?.config.departments ?? []).map((d) =>
        store.db.insertInto("staff_departments").values({ tenant_id: c.tenant_id, account_id: c.id, department: d.id }).onConflict((oc) => oc.doNothing()),
      ),
    ),
  );
}

/** Production start-up: demo accounts must never exist outside demo mode. */
export async function removeDemoAccounts(store: Store) {
  const demo = await store.db.selectFrom("accounts").select(["tenant_id", "id"]).where("demo", "=", 1).execute();
  await store.atomic(
    demo.flatMap((a) => [
      store.db.deleteFrom("outbox").where("tenant_id", "=", a.tenant_id).where("account_id", "=", a.id),
      store.db.deleteFrom("accounts").where("tenant_id", "=", a.tenant_id).where("id", "=", a.id),
    ]),
  );
  return demo.length;
}
