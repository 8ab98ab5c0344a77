import type { AccountsTable } from "../db/schema.js";

export interface Address {
  street: string;
  postalCode: string;
  city: string;
}

/** The account as its owner sees it: everything but the password hash and internal flags. */
export function publicAccount(a: AccountsTable) {
  return {
    id: a.id,
    kind: a.kind,
    role: a.role,
    name: a.name,
    organisation: a.organisation,
    registerNumber: a.register_number,
    address: a.address ? (JSON.parse(a.address) as Address) : null,
    email: a.email,
    emailVerified: a.email_verified_at !== null,
    mobile: a.mobile,
    mobileVerified: a.mobile_verified_at !== null,
    lang: a.lang,
    createdAt: new Date(a.created_at).toISOString(),
  };
}

export type PublicAccount = ReturnType<typeof publicAccount>;

export const isVerified = (a: AccountsTable) => a.email_verified_at !== null && a.mobile_verified_at !== null;
