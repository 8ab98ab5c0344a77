/**
 * The contract of the rules module (./index.ts): one pure implementation, no dependencies, run
 * by the widget for immediate feedback and by the server as the authority.
 */
import type { Text } from "../definition.js";

/** Where answers stand relative to today; the server passes its clock's date in Europe/Berlin. */
export interface RuleContext {
  /** `YYYY-MM-DD`. */
  today: string;
}

/** One problem with one answer. `path` is a dot path of ids and entry indexes: `hunde.1.rasse`. */
export interface RuleError {
  path: string;
  /** Stable code, the same in the widget and in `400 validation_failed` fields. */
  code: RuleErrorCode;
  message: { de: string; en: string };
}

export type RuleErrorCode =
  | "required"
  | "invalid_type"
  | "too_short"
  | "too_long"
  | "pattern"
  | "invalid_email"
  | "invalid_phone"
  | "not_a_number"
  | "not_an_integer"
  | "invalid_amount"
  | "too_small"
  | "too_large"
  | "invalid_date"
  | "date_too_early"
  | "date_too_late"
  | "invalid_time"
  | "time_too_early"
  | "time_too_late"
  | "invalid_choice"
  | "too_few"
  | "too_many"
  | "must_accept"
  | "invalid_iban"
  | "invalid_postal_code"
  | "unknown_field";

/** What `validateForm` returns: the answers cleaned (hidden ones dropped), and every problem. */
export interface RuleResult<T> {
  data: T;
  errors: RuleError[];
}

export type { Text };
