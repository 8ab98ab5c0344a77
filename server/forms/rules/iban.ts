/**
 * ISO 13616 IBAN check: country code, two check digits, 11–30 letters or digits, remainder
 * 1 modulo 97 with the first four characters moved to the end and letters counted as 10–35.
 * German IBANs are 22 characters, all digits after `DE`. Spaces and case are ignored.
 */
export function isValidIban(iban: string): boolean {
  const s = String(iban).replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d\d[A-Z\d]{11,30}$/.test(s) || (s.startsWith("DE") && !/^DE\d{20}$/.test(s))) return false;
  let rest = 0;
  for (const ch of s.slice(4) + s.slice(0, 4)) {
    const v = parseInt(ch, 36);
    rest = ((v > 9 ? rest * 100 : rest * 10) + v) % 97;
  }
  return rest === 1;
}
