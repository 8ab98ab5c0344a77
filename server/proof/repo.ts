import type { Db } from "../db/schema.js";

/**
 * Records a verified proof as used; true if it was not used before. One statement, so two
 * requests racing with the same proof (on Node or on two Worker isolates) cannot both see it
 * fresh: the primary key lets exactly one insert through. `expiresAt` (ms) is the challenge's
 * own expiry; after it the row may be pruned, since verifyProof refuses the proof by then anyway.
 */
export async function markProofUsed(db: Db, tenantId: string, challengeId: string, expiresAt: number): Promise<boolean> {
  // RETURNING yields a row exactly when the insert happened; no reliance on each driver's row count (kysely-d1 reports 0 as undefined).
  const row = await db
    .insertInto("proof_uses")
    .values({ tenant_id: tenantId, id: challengeId, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(["tenant_id", "id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}
