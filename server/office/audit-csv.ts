import type { AuditEntry } from "./api-types.js";

/** The audit log as CSV for a spreadsheet: RFC 4180 quoting, and no cell a spreadsheet would run as a formula. */
export function auditCsv(items: ReadonlyArray<AuditEntry>): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  const rows = [["time", "actor", "actor_id", "action", "subject", "before", "after"].map(cell).join(",")];
  for (const e of items) rows.push([e.at, e.actor?.name ?? "", e.actor?.id ?? "", e.action, e.subject, e.before, e.after].map(cell).join(","));
  // A BOM so that spreadsheet programs read the umlauts as UTF-8.
  return `\uFEFF${rows.join("\r\n")}\r\n`;
}
