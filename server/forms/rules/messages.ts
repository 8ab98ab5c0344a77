/**
 * What citizens read for each problem, German and English: what is wrong and what to do,
 * with the bound where there is one. The widget shows these as they are.
 */
import type { Text } from "../definition.js";
import type { RuleErrorCode } from "./types.js";

export interface Message {
  de: string;
  en: string;
}

const msg = (de: string, en: string): Message => ({ de, en });

const germanDate = (d: string): string => d.slice(8) + "." + d.slice(5, 7) + "." + d.slice(0, 4);

const amount = (type: string): Intl.NumberFormatOptions =>
  type === "amount" ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : { maximumFractionDigits: 6 };

/** `1.234,5` / `1,234.5`; amounts with cents and the euro sign where each language puts it. */
const num = (n: number, type: string, de: boolean): string => {
  const s = n.toLocaleString(de ? "de-DE" : "en-GB", amount(type));
  return type !== "amount" ? s : de ? s + " €" : "€" + s;
};

/** "eine Antwort" / "3 Antworten". */
const count = (n: number, one: string, many: string): string => (n === 1 ? one : n + " " + many);

const REQUIRED_PART: Record<string, Message> = {
  street: msg("Bitte geben Sie Straße und Hausnummer an.", "Please enter the street and house number."),
  postalCode: msg("Bitte geben Sie die Postleitzahl an.", "Please enter the postcode."),
  city: msg("Bitte geben Sie den Ort an.", "Please enter the town or city."),
};

const CHOOSE = msg("Bitte wählen Sie eine Antwort aus.", "Please choose an answer.");
const NUMBER = msg("Bitte geben Sie eine Zahl ein.", "Please enter a number.");

/** `type` is the field type (or "group"); `p` the bound, the address part or the pattern's message. */
export function message(code: RuleErrorCode, type: string, p?: unknown): Message {
  const n = p as number;
  const s = p as string;
  const choose = type === "multichoice";
  switch (code) {
    case "required":
      if (type === "address") return REQUIRED_PART[s] ?? msg("Bitte geben Sie die Anschrift an.", "Please enter the address.");
      if (type === "file") return msg("Bitte laden Sie eine Datei hoch.", "Please upload a file.");
      return /choice|yesno/.test(type) ? CHOOSE : msg("Bitte füllen Sie dieses Feld aus.", "Please fill in this field.");
    case "invalid_type":
      if (/number|integer|amount/.test(type)) return NUMBER;
      if (type === "file") return msg("Die Datei ließ sich nicht zuordnen. Bitte laden Sie sie erneut hoch.", "The file could not be matched. Please upload it again.");
      return msg("Diese Angabe hat ein ungültiges Format. Bitte prüfen Sie Ihre Eingabe.", "This answer has an invalid format. Please check your entry.");
    case "too_short":
      return msg(`Bitte geben Sie mindestens ${n} Zeichen ein.`, `Please enter at least ${count(n, "one character", "characters")}.`);
    case "too_long":
      return msg(`Höchstens ${n} Zeichen. Bitte kürzen Sie Ihre Eingabe.`, `At most ${count(n, "one character", "characters")}. Please shorten your entry.`);
    case "pattern": {
      const t = p as Text;
      return msg(t.de, t.en ?? t.de);
    }
    case "invalid_email":
      return msg("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.", "Please enter a valid e-mail address, e.g. name@example.com.");
    case "invalid_phone":
      return msg(
        "Bitte geben Sie eine gültige Telefonnummer mit 6 bis 20 Ziffern ein, z. B. 03935 123456 oder +49 3935 123456.",
        "Please enter a valid phone number with 6 to 20 digits, e.g. +49 3935 123456.",
      );
    case "not_a_number":
      return NUMBER;
    case "not_an_integer":
      return msg("Bitte geben Sie eine ganze Zahl ohne Nachkommastellen ein.", "Please enter a whole number without decimals.");
    case "invalid_amount":
      return p
        ? msg("Bitte geben Sie einen Betrag von 0 Euro oder mehr ein.", "Please enter an amount of 0 euros or more.")
        : msg("Bitte geben Sie den Betrag in Euro mit höchstens zwei Nachkommastellen ein, z. B. 12,50.", "Please enter the amount in euros with at most two decimal places, e.g. 12.50.");
    case "too_small":
      return msg(`Der Wert muss mindestens ${num(n, type, true)} betragen.`, `The value must be at least ${num(n, type, false)}.`);
    case "too_large":
      return msg(`Der Wert darf höchstens ${num(n, type, true)} betragen.`, `The value must be at most ${num(n, type, false)}.`);
    case "invalid_date":
      return msg("Bitte geben Sie ein gültiges Datum ein.", "Please enter a valid date.");
    case "date_too_early":
      return msg(`Frühestens am ${germanDate(s)}. Bitte wählen Sie ein späteres Datum.`, `Not before ${s}. Please choose a later date.`);
    case "date_too_late":
      return msg(`Spätestens am ${germanDate(s)}. Bitte wählen Sie ein früheres Datum.`, `Not after ${s}. Please choose an earlier date.`);
    case "invalid_time":
      return msg("Bitte geben Sie eine gültige Uhrzeit ein, z. B. 14:30.", "Please enter a valid time, e.g. 14:30.");
    case "time_too_early":
      return msg(`Frühestens um ${s} Uhr. Bitte wählen Sie eine spätere Uhrzeit.`, `Not before ${s}. Please choose a later time.`);
    case "time_too_late":
      return msg(`Spätestens um ${s} Uhr. Bitte wählen Sie eine frühere Uhrzeit.`, `Not after ${s}. Please choose an earlier time.`);
    case "invalid_choice":
      return msg("Bitte wählen Sie eine der angebotenen Antworten.", "Please choose one of the options offered.");
    case "too_few":
      return choose
        ? msg(`Bitte wählen Sie mindestens ${count(n, "eine Antwort", "Antworten")} aus.`, `Please choose at least ${count(n, "one answer", "answers")}.`)
        : msg(`Bitte fügen Sie mindestens ${count(n, "einen Eintrag", "Einträge")} hinzu.`, `Please add at least ${count(n, "one entry", "entries")}.`);
    case "too_many":
      if (choose) return msg(`Bitte wählen Sie höchstens ${count(n, "eine Antwort", "Antworten")} aus.`, `Please choose at most ${count(n, "one answer", "answers")}.`);
      if (type === "file") return msg(`Bitte laden Sie höchstens ${count(n, "eine Datei", "Dateien")} hoch.`, `Please upload at most ${count(n, "one file", "files")}.`);
      return msg(`Höchstens ${count(n, "ein Eintrag ist", "Einträge sind")} möglich. Bitte entfernen Sie die übrigen.`, `At most ${count(n, "one entry is", "entries are")} possible. Please remove the others.`);
    case "must_accept":
      return msg("Bitte bestätigen Sie diese Erklärung, um fortzufahren.", "Please confirm this declaration to continue.");
    case "invalid_iban":
      return msg("Bitte geben Sie eine gültige IBAN ein, z. B. DE89 3704 0044 0532 0130 00.", "Please enter a valid IBAN, e.g. DE89 3704 0044 0532 0130 00.");
    case "invalid_postal_code":
      return msg("Bitte geben Sie eine fünfstellige Postleitzahl ein, z. B. 39517.", "Please enter a five-digit German postcode, e.g. 39517.");
    case "unknown_field":
      return msg("Diese Angabe gehört nicht zum Formular.", "This answer is not part of the form.");
  }
}
