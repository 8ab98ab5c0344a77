/**
 * What the office's inbox search understands, and the words it finds submissions by.
 *
 * A substring search (`LIKE '%q%'`) reads every submission of a town: 100–130 ms at 100,000
 * (npm run bench -- office). Instead, a query is one of
 * - a reference or its beginning (`TGH-2026-0001`): a range on the unique reference index;
 * - a number, optionally with its year (`123`, `000123`, `2026-123`): the index on the number part;
 * - words (`müller anna`): every word must begin a word of the applicant's name (or of the e-mail
 *   address of an anonymous sender), looked up in `submission_terms`.
 * Words are folded so that a clerk finds "Müller" by typing "muller", "Mueller" or "MÜLLER".
 */

export type InboxSearch =
  | { kind: "reference"; prefix: string }
  | { kind: "number"; number: number; year: number | null }
  | { kind: "words"; words: string[] };

const referencePrefix = /^[A-Z]{2,6}-\d{1,4}(-\d*)?$/;
const numberQuery = /^(?:(\d{4})-)?(\d{1,9})$/;
/** A longer word only narrows what its first letters already found. */
const maxTermLength = 40;
const maxWords = 8;
/** Each term is one row written with its submission: enough for any real name, few enough for one statement. */
const maxTerms = 16;

export function parseSearch(q: string): InboxSearch {
  const upper = q.trim().toUpperCase();
  if (referencePrefix.test(upper)) return { kind: "reference", prefix: upper };
  const n = numberQuery.exec(upper);
  if (n) return { kind: "number", number: Number(n[2]), year: n[1] ? Number(n[1]) : null };
  return { kind: "words", words: [...new Set(words(q).map(fold))].slice(0, maxWords) };
}

/** Terms stored for a submission: each word of the applicant's name folded, and with umlauts spelt out (ü → ue). */
export function searchTerms(applicantName: string): string[] {
  const terms = new Set<string>();
  for (const word of words(applicantName)) {
    terms.add(fold(word));
    const spelt = fold(word.toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue"));
    terms.add(spelt);
  }
  return [...terms].filter((t) => t.length > 0).slice(0, maxTerms);
}

const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);

/** Lower case without accents: "Müller" → "muller", "Yılmaz" → "yilmaz", "Weiß" → "weiss". */
export function fold(word: string): string {
  return word
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/ß/g, "ss")
    .replace(/ı/g, "i")
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .replace(/œ/g, "oe")
    .replace(/ł/g, "l")
    .slice(0, maxTermLength);
}

/** The end of a prefix range: every term that begins with `prefix` sorts below it. */
export const prefixEnd = (prefix: string) => `${prefix}\u{10FFFF}`;
