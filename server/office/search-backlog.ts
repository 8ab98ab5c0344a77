import type { Store } from "../db/store.js";
import { searchTerms } from "./search.js";

/**
 * Writes the search terms of submissions received before migrations/0011_office_search.sql
 * (folding a name needs Unicode rules SQLite lacks, so the migration only lists them). Runs at
 * start on Node and a batch per Cron run on Workers; once the backlog is empty each call is one
 * read of an empty table. Returns how many submissions it indexed.
 */
export async function indexSearchBacklog(store: Store, batch = 100): Promise<number> {
  const rows = await store.db
    .selectFrom("search_backlog as b")
    .leftJoin("submissions as s", (j) => j.onRef("s.tenant_id", "=", "b.tenant_id").onRef("s.id", "=", "b.submission_id"))
    .select(["b.tenant_id", "b.submission_id", "s.submitted_at", "s.applicant_name"])
    .limit(batch)
    .execute();
  if (rows.length === 0) return 0;
  await store.atomic(
    rows.flatMap((r) => {
      const done = store.db.deleteFrom("search_backlog").where("tenant_id", "=", r.tenant_id).where("submission_id", "=", r.submission_id);
      if (r.submitted_at === null || r.applicant_name === null) return [done];
      const terms = searchTerms(r.applicant_name).map((term) => ({ tenant_id: r.tenant_id, term, submitted_at: r.submitted_at!, submission_id: r.submission_id }));
      return terms.length ? [store.db.insertInto("submission_terms").values(terms).onConflict((oc) => oc.doNothing()), done] : [done];
    }),
  );
  return rows.length;
}

/** The whole backlog, a batch at a time. */
export async function indexWholeSearchBacklog(store: Store): Promise<number> {
  let total = 0;
  for (let n = -1; n !== 0; total += n) n = await indexSearchBacklog(store, 500);
  return total;
}
