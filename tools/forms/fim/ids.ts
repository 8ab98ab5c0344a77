/**
 * Ids for what the import creates: item and step ids from FIM's German names (keys in the
 * answers, so ASCII and stable), the form id from the schema's name, and FIM ids as the form
 * format accepts them.
 */

export const ITEM_ID = /^[a-z][a-z0-9_]{0,39}$/;
const ITEM_ID_MAX = 40;
export const FORM_ID = /^[a-z0-9][a-z0-9-]{0,59}$/;
const FORM_ID_MAX = 60;
export const FIM_ID = /^[FG]\d{8}(V\d+\.\d+)?$/;

const UMLAUTS: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", Ä: "ae", Ö: "oe", Ü: "ue", ẞ: "ss" };

/** Lowercase ASCII words: umlauts spelled out, other accents dropped, everything else a separator. */
function asciiWords(name: string): string[] {
  const spelled = name
    .replace(/[äöüßÄÖÜẞ]/g, (c) => UMLAUTS[c] ?? c)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  return spelled.split(/[^a-z0-9]+/).filter((w) => w !== "");
}

/** Joins words with `sep`, cut at a word end so it fits `max` (hard cut if one word is longer). */
function fit(words: string[], sep: string, max: number): string {
  let out = "";
  for (const word of words) {
    const next = out ? out + sep + word : word;
    if (next.length > max) return out || word.slice(0, max);
    out = next;
  }
  return out;
}

/**
 * An item id from a German name: `Straße` → `strasse`, `Geburtsdatum (teilbekannt)` →
 * `geburtsdatum_teilbekannt`. Names starting with a digit get `f_`; empty ones `fallback`.
 */
export function itemIdFrom(name: string, fallback = "feld"): string {
  let id = fit(asciiWords(name), "_", ITEM_ID_MAX);
  if (!id) id = fallback;
  if (!/^[a-z]/.test(id)) id = fit(["f", ...id.split("_")], "_", ITEM_ID_MAX);
  return id;
}

/** A form id (file name) from the schema's name: lowercase words joined by dashes. */
export function formIdFrom(name: string, fallback = "fim-formular"): string {
  const id = fit(asciiWords(name), "-", FORM_ID_MAX);
  return FORM_ID.test(id) ? id : fallback;
}

/**
 * Hands out ids unique within one scope (siblings; or all steps' root items, which share one
 * set of answers): the second `strasse` becomes `strasse_2`, still at most 40 characters.
 */
export class IdScope {
  private readonly taken = new Set<string>();

  take(base: string): string {
    if (!this.taken.has(base)) {
      this.taken.add(base);
      return base;
    }
    for (let n = 2; ; n++) {
      const suffix = `_${n}`;
      const candidate = base.slice(0, ITEM_ID_MAX - suffix.length).replace(/_+$/, "") + suffix;
      if (!this.taken.has(candidate)) {
        this.taken.add(candidate);
        return candidate;
      }
    }
  }
}

export interface FimIdResult {
  fim?: string;
  /** What did not fit: the id (dropped) or the version (left off). */
  problem?: "id" | "version";
}

/**
 * `fim` for an item: id and version (`F60000227` + `1.2` → `F60000227V1.2`). An id that does
 * not fit the format (XDF3's 11-digit ids, test ids) is dropped; a version that does not fit
 * (`1.2.0`) is left off and the id kept.
 */
export function fimIdFrom(id: string, version: string | undefined, kind: "F" | "G"): FimIdResult {
  if (!new RegExp(`^${kind}\\d{8}$`).test(id)) return { problem: "id" };
  if (version === undefined) return { fim: id };
  const withVersion = `${id}V${version}`;
  return FIM_ID.test(withVersion) ? { fim: withVersion } : { fim: id, problem: "version" };
}
