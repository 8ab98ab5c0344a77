import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * A mobile number in E.164, read the way people write it in Germany: "0171 2345678",
 * "+49 171 2345678" or "0049 171 …" all become "+491712345678". Landlines cannot receive SMS.
 */
export function normaliseMobile(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input, "DE");
  if (!parsed?.isValid()) return null;
  const type = parsed.getType();
  if (type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") return null;
  return parsed.number;
}
