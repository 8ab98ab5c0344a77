import { expect } from "vitest";
import type { TestApp } from "../harness/types.js";
import { api, call, verifiedAccount } from "./flows.js";

/** Office sessions in the API suites: the cookie the server sets, and the CSRF token it hands out. */
export interface OfficeLogin {
  cookie: string;
  csrf: string;
  accountId: string;
}

export async function officeLogin(t: TestApp, slug: string, email: string, password: string): Promise<OfficeLogin> {
  const res = await t.app.request(`${api(slug)}/office/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password }) });
  expect(res.status, await res.clone().text()).toBe(200);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const body = (await res.json()) as { csrfToken: string; account: { id: string } };
  return { cookie: setCookie.split(";")[0]!, csrf: body.csrfToken, accountId: body.account.id };
}

/** A verified account made staff (or admin) of `departments` directly in the database, logged in to the office. */
export async function staffMember(t: TestApp, slug: string, role: "staff" | "admin", departments: string[] = []) {
  const a = await verifiedAccount(t, slug);
  await t.store.db.updateTable("accounts").set({ role }).where("id", "=", a.account.id).execute();
  const tenantId = (await t.store.db.selectFrom("tenants").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
  for (const d of departments) await t.store.db.insertInto("staff_departments").values({ tenant_id: tenantId, account_id: a.account.id, department: d }).execute();
  return { ...a, office: await officeLogin(t, slug, a.email, a.password) };
}

export async function officeCall(t: TestApp, who: OfficeLogin | null, method: string, path: string, body?: unknown, opts: { csrf?: boolean } = {}) {
  const headers: Record<string, string> = {};
  if (who) headers.Cookie = who.cookie;
  if (who && opts.csrf !== false && method !== "GET") headers["X-CSRF-Token"] = who.csrf;
  return call(t, method, path, { headers, ...(body !== undefined ? { body } : {}) });
}
