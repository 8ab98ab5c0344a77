/**
 * Complete, valid answers for any form definition, for suites that need a submission the
 * server takes (schema checks, fuzzing from a valid start). The answers are made to pass the
 * rules module (server/forms/rules), which stays the judge: callers assert
 * `validateForm(def, data, { today }).errors` is empty rather than trusting this file.
 */
import type {
  AddressValue,
  DateField,
  Field,
  FileField,
  FormData,
  FormDefinition,
  GroupItem,
  Item,
  MultiChoiceField,
  NumberField,
  TextField,
  TimeField,
  Value,
} from "../../server/forms/definition.js";
import { isVisible, resolveDateBound } from "../../server/forms/rules/index.js";

export interface ValidDataOptions {
  /** `YYYY-MM-DD` the date bounds are resolved against; the server's Berlin date. Default: today in UTC. */
  today?: string;
  /** Upload ids for a shown file field (`hunde.0.nachweis`); without it a required file field throws. */
  uploads?: (path: string, field: FileField) => string[];
  /** With a seed: options, counts and values vary, and some optional fields are filled. Same seed, same answers. */
  seed?: number;
}

/** A field whose constraints this generator cannot meet (e.g. a pattern none of its candidates match). */
export class NoValidValueError extends Error {
  override name = "NoValidValueError";
}

/** mulberry32: small, fast, and the same sequence on every runtime for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Values tried for a text field with a pattern, in order; the first that matches (and fits the
 * lengths) is taken. Covers the patterns of the demo forms and the FIM import (postcodes,
 * parcel numbers, e-mail-like and code-like formats); add one here when a new form needs it.
 */
const patternCandidates = [
  "123",
  "123/4",
  "39517",
  "01234",
  "AB-123",
  "info@example.org",
  "https://example.org",
  "DE89370400440532013000",
  "0171 2345678",
  "+49 171 2345678",
  "2026-01-01",
  "12:00",
  "Beispiel",
  "beispiel",
  "BEISPIEL",
  "A",
  "AB",
  "ABC",
  "a",
  "ab",
  "abc",
  "A1",
  "AB12",
  "1",
  "12",
  "1234",
  "123456",
  "12345678",
  "1234567890",
  "X-1",
];

const words = ["Beispiel", "Müller-Lüdenscheidt", "Zoë Ñandú", "Straße 5", "Lindenallee 17a"];
const multiline = "Erste Zeile.\nZweite Zeile mit Umlauten: äöü ß.";
const emails = ["erika.mustermann@example.org", "info@musterverein.example"];
const phones = ["0171 2345678", "+49 3935 9300-0", "(03935) 93 00"];
const ibans = ["DE89370400440532013000", "DE89 3704 0044 0532 0130 00"];
const addresses: AddressValue[] = [
  { street: "Lindenallee 17", postalCode: "39517", city: "Tangerhütte" },
  { street: "Marktplatz 1a", postalCode: "01067", city: "Dresden" },
];

const join = (base: string, key: string | number): string => (base ? `${base}.${key}` : `${key}`);
const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const isRec = (v: unknown): v is FormData => typeof v === "object" && v !== null && !Array.isArray(v);
const codePoints = (s: string): number => [...s].length;
const DAY = 86_400_000;
const dayNumber = (d: string): number => Date.parse(`${d}T00:00:00Z`) / DAY;

/**
 * A complete answer set for `def`: every shown required field, and with a seed some optional
 * ones, filled with a value its type and constraints allow; repeated groups get
 * `max(min, 1)` entries (with a seed up to two more). Shown-ness is asked of the rules
 * module as the answers grow, and the walk repeats until nothing changes, so conditions on
 * answers given anywhere in the form are honoured.
 */
export function validData(def: Pick<FormDefinition, "steps">, opts: ValidDataOptions = {}): FormData {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const random = opts.seed === undefined ? null : prng(opts.seed);
  // Decisions are made once per place, so that later rounds of the walk do not change them.
  const decisions = new Map<string, number>();
  const decide = (path: string, make: () => number): number => {
    let d = decisions.get(path);
    if (d === undefined) decisions.set(path, (d = make()));
    return d;
  };
  const pick = <T>(path: string, list: readonly T[]): T => list[decide(`${path}#pick`, () => (random ? Math.floor(random() * list.length) : 0))]!;
  const between = (path: string, lo: number, hi: number, fallback: number): number =>
    decide(`${path}#between`, () => (random ? lo + Math.floor(random() * (hi - lo + 1)) : Math.min(Math.max(fallback, lo), hi)));

  const root: FormData = {};
  const items = def.steps.flatMap((s) => s.items);

  function fillItems(list: Item[], into: FormData, base: string): void {
    for (const item of list) {
      if (item.type === "hint") continue;
      const path = join(base, item.id);
      if (!isVisible(def, path, root)) {
        delete into[item.id];
        continue;
      }
      if (item.type === "group") fillGroup(item, into, path);
      else if (!own(into, item.id)) {
        const v = answer(item, path);
        if (v !== undefined) into[item.id] = v;
      }
    }
  }

  function fillGroup(g: GroupItem, into: FormData, path: string): void {
    if (!g.repeat) {
      const current = into[g.id];
      const entry = isRec(current) ? current : {};
      into[g.id] = entry;
      fillItems(g.items, entry, path);
      if (Object.keys(entry).length === 0) delete into[g.id];
      return;
    }
    const { min, max } = g.repeat;
    const lo = Math.min(Math.max(min, 1), max);
    const count = between(path, lo, Math.min(lo + 2, max), lo);
    const current = into[g.id];
    const entries: FormData[] = Array.isArray(current) ? (current as FormData[]) : Array.from({ length: count }, () => ({}));
    into[g.id] = entries;
    entries.forEach((e, i) => fillItems(g.items, e, join(path, i)));
    // An optional list of entries with nothing in them says nothing; leave it out.
    if (min === 0 && entries.every((e) => Object.keys(e).length === 0)) delete into[g.id];
  }

  function answer(f: Field, path: string): Value | undefined {
    const wanted = f.required || (random !== null && decide(`${path}#fill`, () => (random() < 0.5 ? 1 : 0)) === 1);
    if (!wanted) return undefined;
    switch (f.type) {
      case "text":
      case "textarea":
        return text(f, path);
      case "email":
        return pick(path, emails);
      case "phone":
        return pick(path, phones);
      case "number":
      case "integer":
      case "amount":
        return number(f, path);
      case "date":
        return date(f, path);
      case "time":
        return time(f, path);
      case "choice":
        return pick(path, f.options).value;
      case "multichoice":
        return multichoice(f, path);
      case "yesno":
        return pick(path, [false, true]);
      case "consent":
        return true;
      case "file":
        return files(f, path);
      case "iban":
        return pick(path, ibans);
      case "address":
        return { ...pick(path, addresses) };
    }
  }

  function text(f: TextField, path: string): string | undefined {
    const min = Math.max(f.minLength ?? 0, 1);
    const max = f.maxLength ?? Infinity;
    let re: RegExp | null = null;
    if (f.pattern) {
      try {
        // As the rules module matches it: the whole answer, Unicode mode.
        re = new RegExp(`^(?:${f.pattern.regex})$`, "u");
      } catch {
        re = null;
      }
    }
    const fits = (s: string) => s.trim() === s && codePoints(s) >= min && codePoints(s) <= max && (!re || re.test(s));
    if (f.pattern) {
      const found = patternCandidates.filter(fits);
      if (found.length) return pick(path, found);
      if (!f.required) return undefined;
      throw new NoValidValueError(`validData: no value for ${path} matches /${f.pattern.regex}/ with length ${min}–${max}; add a candidate to tests/support/form-data.ts`);
    }
    const choice = f.type === "textarea" ? pick(path, [words[0]!, multiline, ...words.slice(1)]) : pick(path, words);
    if (fits(choice)) return choice;
    // Letters only, so that cutting never leaves blanks at the ends that the rules would trim.
    const filler = "Beispieltext".repeat(Math.ceil(Math.min(Math.max(min, 12), max) / 12) + 1);
    return filler.slice(0, Math.min(Math.max(min, 12), max));
  }

  function number(f: NumberField, path: string): number {
    // Ticks of the field's resolution: whole numbers, cents, thousandths.
    const scale = f.type === "integer" ? 1 : f.type === "amount" ? 100 : 1000;
    let lo = f.min ?? (f.max !== undefined ? Math.min(0, f.max - 100) : 0);
    if (f.type === "amount" && lo < 0 && !((f.min ?? 0) < 0)) lo = 0;
    const hi = f.max ?? lo + 1000;
    const a = Math.ceil(lo * scale);
    const b = Math.floor(hi * scale);
    if (a > b) throw new NoValidValueError(`validData: no ${f.type} fits between ${f.min} and ${f.max} at ${path}`);
    const fallback = f.type === "integer" ? 3 : f.type === "amount" ? 1234 : 2500;
    // Dividing (not multiplying by 0.01) gives the double a decimal literal would parse to.
    return between(path, a, b, fallback) / scale;
  }

  function date(f: DateField, path: string): string {
    const min = f.min ? resolveDateBound(f.min, today) : "";
    const max = f.max ? resolveDateBound(f.max, today) : "";
    if (min && max && min > max) throw new NoValidValueError(`validData: ${path} has no date between ${min} and ${max}`);
    const shift = (from: string, days: number) => (days === 0 ? from : resolveDateBound(`${days < 0 ? "-" : "+"}P${Math.abs(days)}D`, from));
    // Inside the bounds rather than on them: "today" at the edge is where clocks disagree.
    if (min && max) {
      const span = Math.round(dayNumber(max) - dayNumber(min));
      return shift(min, between(path, 0, span, Math.min(1, span)));
    }
    if (max) return shift(max, -between(path, 0, 3650, 400));
    if (min) return shift(min, between(path, 0, 365, 14));
    return shift(today, -between(path, 0, 3650, 0));
  }

  function time(f: TimeField, path: string): string {
    const minutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
    const lo = f.min ? minutes(f.min) : 0;
    const hi = f.max ? minutes(f.max) : 23 * 60 + 59;
    if (lo > hi) throw new NoValidValueError(`validData: ${path} has no time between ${f.min} and ${f.max}`);
    const m = between(path, lo, hi, 12 * 60);
    return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  }

  function multichoice(f: MultiChoiceField, path: string): string[] {
    const n = f.options.length;
    const lo = Math.max(f.minItems ?? 1, 1);
    const hi = Math.min(f.maxItems ?? n, n);
    if (lo > hi) throw new NoValidValueError(`validData: ${path} cannot take ${lo}–${hi} of ${n} options`);
    const k = between(path, lo, hi, lo);
    const start = between(`${path}#start`, 0, n - 1, 0);
    // A run of k options from a (seeded) start, wrapping around: distinct values, in option order.
    return Array.from({ length: k }, (_, i) => f.options[(start + i) % n]!.value);
  }

  function files(f: FileField, path: string): string[] | undefined {
    if (!opts.uploads) {
      if (!f.required) return undefined;
      throw new NoValidValueError(`validData: ${path} is a required file field; pass opts.uploads to supply upload ids`);
    }
    const ids = opts.uploads(path, f);
    if (ids.length === 0 && f.required) throw new NoValidValueError(`validData: opts.uploads gave no upload id for the required field ${path}`);
    return ids.length ? ids : undefined;
  }

  for (let round = 0; round < 25; round++) {
    const before = JSON.stringify(root);
    fillItems(items, root, "");
    if (JSON.stringify(root) === before) return root;
  }
  throw new Error("validData: the answers did not settle after 25 rounds (conditions that flip each other?)");
}

/** Every shown file field `validData` asked uploads for, with its path, in the order asked. */
export function uploadNeeds(def: Pick<FormDefinition, "steps">, opts: Omit<ValidDataOptions, "uploads">): Array<{ path: string; field: FileField }> {
  const seen = new Map<string, FileField>();
  let n = 0;
  validData(def, {
    ...opts,
    uploads: (path, field) => {
      seen.set(path, field);
      // Placeholders that look like upload ids; shown-ness never depends on which id it is.
      return [`u_placeholder${String(n++).padStart(6, "0")}`];
    },
  });
  return [...seen].map(([path, field]) => ({ path, field }));
}
