/**
 * Every text a citizen can see in an API error, German first. Codes are stable and
 * machine-readable; the widget shows `message` in the visitor's language.
 */
export interface Bilingual {
  de: string;
  en: string;
}

export const errorMessages = {
  not_found: { de: "Diese Adresse gibt es nicht.", en: "This address does not exist." },
  tenant_not_found: {
    de: "Diese Gemeinde ist im Digitalen Rathaus nicht bekannt. Bitte prüfen Sie die Adresse.",
    en: "This municipality is not known to the Digital Town Hall. Please check the address.",
  },
  validation_failed: {
    de: "Bitte prüfen Sie die markierten Angaben.",
    en: "Please check the highlighted fields.",
  },
  invalid_json: {
    de: "Die Anfrage konnte nicht gelesen werden. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
    en: "The request could not be read. Please reload the page and try again.",
  },
  payload_too_large: {
    de: "Die Anfrage ist zu groß.",
    en: "The request is too large.",
  },
  method_not_allowed: { de: "Diese Aktion ist hier nicht möglich.", en: "This action is not allowed here." },
  unavailable: {
    de: "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut.",
    en: "The service is currently unavailable. Please try again in a few minutes.",
  },
  internal_error: {
    de: "Es ist ein technischer Fehler aufgetreten. Bitte versuchen Sie es später erneut.",
    en: "A technical error occurred. Please try again later.",
  },
} satisfies Record<string, Bilingual>;

export const fieldMessages = {
  required: { de: "Bitte füllen Sie dieses Feld aus.", en: "Please fill in this field." },
  invalid: { de: "Diese Angabe ist ungültig.", en: "This value is not valid." },
  invalid_type: { de: "Diese Angabe hat das falsche Format.", en: "This value has the wrong format." },
  too_short: { de: "Diese Angabe ist zu kurz.", en: "This value is too short." },
  too_long: { de: "Diese Angabe ist zu lang.", en: "This value is too long." },
  unknown_field: { de: "Dieses Feld ist hier nicht vorgesehen.", en: "This field is not expected here." },
  invalid_email: {
    de: "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.",
    en: "Please enter a valid e-mail address, e.g. name@example.com.",
  },
} satisfies Record<string, Bilingual>;

export type ErrorCode = keyof typeof errorMessages;
