/**
 * One check per field type: takes a present answer (blank ones never get here; strings come
 * trimmed) and returns it cleaned, or reports the problem and returns undefined.
 */
import type {
  AddressField,
  AddressValue,
  Field,
  FieldType,
  FileField,
  MultiChoiceField,
  NumberField,
  TextField,
  Value,
} from "../definition.js";
import type { RuleErrorCode } from "./types.js";
import { isDate, resolveDateBound } from "./dates.js";
import { isValidIban } from "./iban.js";
import { blank, isRec, own } from "./paths.js";

/** Reports a problem with the answer or with one of its parts (`sub`); returns undefined so checks can `return bad(…)`. */
export type Bad = (code: RuleErrorCode, param?: unknown, sub?: string) => undefined;
type Check<F> = (f: F, v: unknown, bad: Bad, today: string) => Value | undefined;

const T = "invalid_type";
const str = (v: unknown): v is string => typeof v === "string";
export const isUploadId = (v: unknown): v is string => str(v) && /^u_[\w-]{10,64}$/.test(v);

const patterns = new Map<string, RegExp | null>();
/** The town's pattern as a full match; a pattern that does not compile checks nothing (the sync rejects those). */
function pattern(src: string): RegExp | null {
  if (!patterns.has(src)) {
    let re: RegExp | null = null;
    try {
      re = new RegExp("^(?:" + src + ")$", "u");
    } catch {
      // left null
    }
    patterns.set(src, re);
  }
  return patterns.get(src)!;
}

const text: Check<TextField> = (f, v, bad) => {
  if (!str(v)) return bad(T);
  const n = [...v].length; // code points: an emoji is one character to the citizen
  if (n < (f.minLength ?? 0)) return bad("too_short", f.minLength);
  if (n > (f.maxLength ?? Infinity)) return bad("too_long", f.maxLength);
  if (f.pattern && pattern(f.pattern.regex)?.test(v) === false) return bad("pattern", f.pattern.message);
  return v;
};

const number: Check<NumberField> = (f, v, bad) => {
  if (typeof v !== "number") return bad(T);
  if (!Number.isFinite(v)) return bad("not_a_number");
  if (f.type === "integer" && !Number.isInteger(v)) return bad("not_an_integer");
  if (f.type === "amount") {
    if (v < 0 && !((f.min ?? 0) < 0)) return bad("invalid_amount", true);
    // Exact for any double parsed from a decimal with at most two places.
    if (Math.round(v * 100) / 100 !== v) return bad("invalid_amount");
  }
  if (v < (f.min ?? -Infinity)) return bad("too_small", f.min);
  if (v > (f.max ?? Infinity)) return bad("too_large", f.max);
  return v;
};

const bool: Check<Field> = (f, v, bad) =>
  typeof v !== "boolean" ? bad(T) : f.type === "consent" && f.required && !v ? bad("must_accept") : v;

const multichoice: Check<MultiChoiceField> = (f, v, bad) => {
  if (!Array.isArray(v) || !v.every(str)) return bad(T);
  const known = (x: string) => f.options.some((o) => o.value === x);
  if (v.length > f.options.length || new Set(v).size < v.length || !v.every(known)) return bad("invalid_choice");
  if (v.length < (f.minItems ?? 0)) return bad("too_few", f.minItems);
  if (v.length > (f.maxItems ?? Infinity)) return bad("too_many", f.maxItems);
  return v;
};

const file: Check<FileField> = (f, v, bad) => {
  const max = f.maxFiles ?? 1;
  if (!Array.isArray(v)) return bad(T);
  if (v.length > max) return bad("too_many", max);
  return v.every(isUploadId) && new Set(v).size === v.length ? v : bad(T);
};

const PARTS = ["street", "postalCode", "city"] as const;

/** All three parts or none; a partial address cannot be used, required or not. */
const address: Check<AddressField> = (f, v, bad) => {
  if (!isRec(v)) return bad(T);
  let ok = true;
  const fail = (code: RuleErrorCode, part: string) => {
    ok = false;
    bad(code, part, part);
  };
  for (const key of Object.keys(v)) if (!(PARTS as readonly string[]).includes(key)) fail("unknown_field", key);
  const a = {} as AddressValue;
  for (const part of PARTS) {
    const x = own(v, part) ? blank(v[part]) : undefined;
    if (x !== undefined && !str(x)) fail(T, part);
    a[part] = str(x) ? x : "";
  }
  if (!ok || (!a.street && !a.postalCode && !a.city)) return undefined;
  for (const part of PARTS) if (!a[part]) fail("required", part);
  if (a.postalCode && !/^\d{5}$/.test(a.postalCode)) fail("invalid_postal_code", "postalCode");
  return ok ? a : undefined;
};

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const checks: { [K in FieldType]: Check<Field & { type: K }> } = {
  text,
  textarea: text,
  email: (f, v, bad) =>
    !str(v) ? bad(T) : v.length <= 254 && /^[^\s@]+@(?:[^\s@.]+\.)+[^\s@.]{2,}$/.test(v) ? v : bad("invalid_email"),
  phone: (f, v, bad) => {
    if (!str(v)) return bad(T);
    const digits = v.replace(/\D/g, "").length;
    return /^\+?[\d ()/-]+$/.test(v) && digits >= 6 && digits <= 20 ? v : bad("invalid_phone");
  },
  number,
  integer: number,
  amount: number,
  date: (f, v, bad, today) => {
    if (!str(v)) return bad(T);
    if (!isDate(v)) return bad("invalid_date");
    const min = f.min ? resolveDateBound(f.min, today) : "";
    const max = f.max ? resolveDateBound(f.max, today) : "";
    if (min && v < min) return bad("date_too_early", min);
    if (max && v > max) return bad("date_too_late", max);
    return v;
  },
  time: (f, v, bad) => {
    if (!str(v)) return bad(T);
    if (!TIME.test(v)) return bad("invalid_time");
    if (f.min && v < f.min) return bad("time_too_early", f.min);
    if (f.max && v > f.max) return bad("time_too_late", f.max);
    return v;
  },
  choice: (f, v, bad) => (!str(v) ? bad(T) : f.options.some((o) => o.value === v) ? v : bad("invalid_choice")),
  multichoice,
  yesno: bool,
  consent: bool,
  file,
  iban: (f, v, bad) => {
    if (!str(v)) return bad(T);
    const iban = v.replace(/\s+/g, "").toUpperCase();
    return isValidIban(iban) ? iban : bad("invalid_iban");
  },
  address,
};

export const fieldTypes = Object.keys(checks) as FieldType[];

/**
 * The cleaned answer of a shown field, or undefined when it is absent or wrong; problems go
 * to `report`. A required field without an answer is `required` (a consent: `must_accept`).
 */
export function checkField(f: Field, raw: unknown, today: string, report: Bad): Value | undefined {
  let failed = false;
  const bad: Bad = (code, param, sub) => {
    failed = true;
    return report(code, param, sub);
  };
  const v = blank(raw);
  const out = v === undefined ? undefined : (checks[f.type] as Check<Field>)(f, v, bad, today);
  if (out === undefined && !failed && f.required) bad(f.type === "consent" ? "must_accept" : "required");
  return out;
}
