/**
 * A number as citizens type it into a German form: `1.234,50`, `12,5`, `-3`, but also
 * `12.50`. With a comma, dots group thousands; without one, a dot followed by groups of
 * exactly three digits groups thousands too (`1.234` is 1234 in German), otherwise it is
 * the decimal point. Spaces and a euro sign are ignored. Null when it is not a number.
 */
export function parseDecimal(text: string): number | null {
  const s = String(text).replace(/[\s€]/g, "");
  let n = NaN;
  if (/^[+-]?(?:[1-9]\d{0,2}(?:\.\d{3})+|\d*)(?:,\d+)?$/.test(s)) n = +s.replace(/\./g, "").replace(",", ".");
  else if (/^[+-]?\d*\.\d+$/.test(s)) n = +s;
  return /\d/.test(s) && Number.isFinite(n) ? n : null;
}
