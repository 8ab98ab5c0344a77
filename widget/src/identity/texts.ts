import type { TrustLevel } from "../../../server/identity/api-types.js";
import type { IdentityFailure } from "../../../server/identity/types.js";
import type { Lang } from "../core/types.js";

/**
 * Why a login at a provider ended without a session, as the widget explains it: the server's
 * failures (`#dr-login-error=`, the popup's message), the exchange's `login_expired`, and the
 * widget's own `popup_blocked` (no popup and no storage to come back to by redirect).
 */
export type LoginFailure = IdentityFailure | "login_expired" | "popup_blocked";

const de = {
  or: "Oder",
  newWindow: "(öffnet ein neues Fenster)",
  pending: "Anmeldung im neuen Fenster … Bitte folgen Sie den Schritten dort.",
  showWindow: "Fenster anzeigen",
  cancel: "Abbrechen",
  redirecting: "Sie werden zum Bürgerkonto weitergeleitet …",
  finishing: "Anmeldung wird abgeschlossen …",
  levels: { basic: "Basis", substantial: "substantiell", high: "hoch" } satisfies Record<TrustLevel, string>,
  trustRequired: (level: string) => `Für diesen Antrag müssen Sie sich mit Ihrem Bürgerkonto (BundID) auf dem Niveau „${level}“ anmelden.`,
  trustRequiredNow: (level: string) =>
    `Für diesen Antrag müssen Sie sich mit Ihrem Bürgerkonto (BundID) auf dem Niveau „${level}“ anmelden. Ihre Angaben bleiben erhalten; danach können Sie den Antrag senden.`,
  trustDone: "Sie sind mit Ihrem Bürgerkonto angemeldet. Sie können den Antrag jetzt senden.",
  accountTitle: "Bürgerkonto",
  accountIntro: "Mit einem verbundenen Bürgerkonto melden Sie sich ohne Passwort an und können Anträge stellen, die einen Nachweis Ihrer Identität verlangen.",
  linkedSince: (date: string) => `Verbunden seit ${date}`,
  lastLogin: (date: string) => `zuletzt angemeldet am ${date}`,
  notLinked: "Nicht verbunden",
  connect: "Verbinden",
  disconnect: "Trennen",
  linked: (label: string) => `Ihr Konto ist jetzt mit „${label}“ verbunden.`,
  unlinked: (label: string) => `Die Verbindung mit „${label}“ ist getrennt.`,
  lastMethod:
    "Ihr Konto hat noch kein Passwort. Damit Sie sich weiter anmelden können, legen Sie bitte zuerst ein Passwort fest: Melden Sie sich ab und wählen Sie bei der Anmeldung „Passwort vergessen?“. Danach können Sie die Verbindung trennen.",
  identity: "Identität",
  identityConfirmed: "über Bürgerkonto bestätigt",
  failures: {
    cancelled: "Die Anmeldung mit dem Bürgerkonto wurde abgebrochen.",
    provider_error: "Das Bürgerkonto hat die Anmeldung nicht abgeschlossen. Bitte versuchen Sie es später noch einmal.",
    invalid_response: "Die Antwort des Bürgerkontos war ungültig. Bitte versuchen Sie es noch einmal.",
    expired: "Die Anmeldung hat zu lange gedauert und ist abgelaufen. Bitte starten Sie sie noch einmal.",
    replayed: "Diese Anmeldung wurde schon einmal verwendet. Bitte starten Sie sie noch einmal.",
    trust_level_too_low: "Ihre Anmeldung beim Bürgerkonto hatte nicht das nötige Vertrauensniveau. Bitte melden Sie sich zum Beispiel mit dem Online-Ausweis an.",
    email_missing:
      "Das Bürgerkonto hat keine E-Mail-Adresse übermittelt. Bitte hinterlegen Sie dort eine E-Mail-Adresse oder registrieren Sie sich hier mit E-Mail-Adresse und Passwort.",
    email_in_use:
      "Es gibt schon ein Konto mit dieser E-Mail-Adresse. Bitte melden Sie sich mit Ihrem Passwort an und verbinden Sie das Bürgerkonto dann unter „Mein Konto“.",
    already_linked: "Dieses Bürgerkonto ist schon mit einem anderen Konto verbunden.",
    login_expired: "Die Anmeldung ist abgelaufen oder wurde schon abgeschlossen. Bitte starten Sie sie noch einmal.",
    popup_blocked: "Ihr Browser hat das Anmeldefenster blockiert. Bitte erlauben Sie Pop-up-Fenster für diese Seite und versuchen Sie es noch einmal.",
  } satisfies Record<LoginFailure, string>,
};

const en: typeof de = {
  or: "Or",
  newWindow: "(opens a new window)",
  pending: "Logging in in the new window … Please follow the steps there.",
  showWindow: "Show window",
  cancel: "Cancel",
  redirecting: "Taking you to the citizen account …",
  finishing: "Completing the login …",
  levels: { basic: "basic", substantial: "substantial", high: "high" },
  trustRequired: (level) => `For this application, please log in with your citizen account (BundID) at the level “${level}”.`,
  trustRequiredNow: (level) =>
    `For this application, please log in with your citizen account (BundID) at the level “${level}”. Your answers are kept; afterwards you can send the application.`,
  trustDone: "You are logged in with your citizen account. You can send the application now.",
  accountTitle: "Citizen account",
  accountIntro: "With a linked citizen account you log in without a password and can send applications that require proof of your identity.",
  linkedSince: (date) => `Linked since ${date}`,
  lastLogin: (date) => `last login on ${date}`,
  notLinked: "Not linked",
  connect: "Link",
  disconnect: "Unlink",
  linked: (label) => `Your account is now linked with “${label}”.`,
  unlinked: (label) => `“${label}” is no longer linked.`,
  lastMethod:
    "Your account has no password yet. So that you can still log in, please set a password first: log out and choose “Forgot your password?” on the login. Then you can unlink.",
  identity: "Identity",
  identityConfirmed: "confirmed by citizen account",
  failures: {
    cancelled: "The login with the citizen account was cancelled.",
    provider_error: "The citizen account did not complete the login. Please try again later.",
    invalid_response: "The citizen account's answer was invalid. Please try again.",
    expired: "The login took too long and has expired. Please start it again.",
    replayed: "This login has been used already. Please start it again.",
    trust_level_too_low: "Your login at the citizen account did not have the required trust level. Please log in with the online ID card, for example.",
    email_missing: "The citizen account did not send an e-mail address. Please add one there, or register here with an e-mail address and a password.",
    email_in_use: "An account with this e-mail address exists already. Please log in with your password and then link the citizen account under “My account”.",
    already_linked: "This citizen account is already linked with another account.",
    login_expired: "The login has expired or was completed already. Please start it again.",
    popup_blocked: "Your browser blocked the login window. Please allow pop-up windows for this page and try again.",
  },
};

export const identityTexts: Record<Lang, typeof de> = { de, en };

/** The widget's sentence for a failure; the server's own (or the generic one) for one it does not know. */
export function failureText(lang: Lang, failure: string, serverMessage?: string): string {
  const own = (identityTexts[lang].failures as Record<string, string>)[failure];
  return own ?? serverMessage ?? identityTexts[lang].failures.provider_error;
}
