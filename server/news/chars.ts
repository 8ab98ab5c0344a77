/**
 * Characters XML 1.0 forbids (§2.2 `Char`): C0 controls other than tab, LF and CR, U+FFFE,
 * U+FFFF and lone surrogates (with the `u` flag `\p{Cs}` only matches unpaired halves). One of
 * them in any item makes the whole Atom feed unreadable, so they are refused at input and
 * stripped again at output for rows stored before that check.
 */
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\p{Cs}]/u;
const forbiddenAll = new RegExp(forbidden.source, "gu");

export function hasXmlForbiddenChars(s: string): boolean {
  return forbidden.test(s);
}

export function stripXmlForbiddenChars(s: string): string {
  return s.replace(forbiddenAll, "");
}

/**
 * Word and Outlook put U+000B (vertical tab, their "manual line break") and U+000C (page
 * break) into what staff paste. Refusing those would fail nearly every pasted text for an
 * invisible reason, so they become the line break they stand for; everything else that XML
 * forbids is refused, since it is not what anybody meant to write.
 */
export function normaliseWordBreaks(s: string): string {
  return s.replace(/[\u000B\u000C]/g, "\n");
}
