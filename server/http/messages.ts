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
  bad_request: {
    de: "Die Anfrage ist unvollständig oder fehlerhaft. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
    en: "The request is incomplete or malformed. Please reload the page and try again.",
  },
  unsupported_media_type: {
    de: "Diese Art von Inhalt wird hier nicht angenommen.",
    en: "This kind of content is not accepted here.",
  },
  payload_too_large: {
    de: "Die Anfrage ist zu groß.",
    en: "The request is too large.",
  },
  draft_not_found: {
    de: "Zu diesem Formular gibt es keinen gespeicherten Entwurf.",
    en: "There is no saved draft for this form.",
  },
  form_changed: {
    de: "Das Formular wurde inzwischen geändert. Bitte prüfen Sie Ihre Angaben noch einmal und senden Sie dann erneut.",
    en: "The form has changed in the meantime. Please check your answers again and then send once more.",
  },
  account_kind_not_allowed: {
    de: "Dieses Formular ist für eine andere Art von Konto bestimmt (z. B. nur für Vereine oder Unternehmen).",
    en: "This form is meant for a different kind of account (for example only associations or companies).",
  },
  proof_required: {
    de: "Die Sicherheitsprüfung fehlt oder ist abgelaufen. Bitte senden Sie das Formular erneut.",
    en: "The security check is missing or has expired. Please send the form again.",
  },
  idempotency_key_reused: {
    de: "Diese Sendung wurde bereits mit anderen Angaben verschickt. Bitte laden Sie das Formular neu.",
    en: "This submission was already sent with different content. Please reload the form.",
  },
  file_too_large: {
    de: "Die Datei ist zu groß. Bitte verkleinern Sie sie (z. B. ein Foto mit geringerer Auflösung) und laden Sie sie erneut hoch.",
    en: "The file is too large. Please make it smaller (for example a photo with a lower resolution) and upload it again.",
  },
  unsupported_type: {
    de: "Diese Dateiart wird nicht angenommen. Bitte laden Sie ein PDF oder ein Foto (JPEG, PNG) hoch.",
    en: "This type of file is not accepted. Please upload a PDF or a photo (JPEG, PNG).",
  },
  unsafe_pdf: {
    de: "Dieses PDF enthält aktive Inhalte (z. B. Skripte) und wird deshalb nicht angenommen. Bitte drucken Sie es als neues PDF oder laden Sie einen Scan hoch.",
    en: "This PDF contains active content (such as scripts) and is therefore not accepted. Please print it to a new PDF or upload a scan.",
  },
  image_too_large: {
    de: "Das Bild hat zu viele Bildpunkte. Bitte laden Sie es in geringerer Auflösung hoch.",
    en: "The image has too many pixels. Please upload it in a lower resolution.",
  },
  malformed_multipart: {
    de: "Die Datei kam nicht vollständig an. Bitte versuchen Sie es erneut.",
    en: "The file did not arrive completely. Please try again.",
  },
  submission_too_large: {
    de: "Alle Dateien zusammen sind zu groß (höchstens 25 MB). Bitte entfernen oder verkleinern Sie Dateien.",
    en: "All files together are too large (25 MB at most). Please remove files or make them smaller.",
  },
  upload_taken: {
    de: "Eine der Dateien gehört bereits zu einem anderen Antrag. Bitte laden Sie sie erneut hoch.",
    en: "One of the files already belongs to another application. Please upload it again.",
  },
  invalid_transition: {
    de: "Das ist im jetzigen Bearbeitungsstand nicht möglich. Bitte laden Sie die Ansicht neu.",
    en: "This is not possible in the current state. Please reload the view.",
  },
  csrf_failed: {
    de: "Die Sicherheitsprüfung der Anfrage ist fehlgeschlagen. Bitte laden Sie die Seite neu.",
    en: "The request failed its security check. Please reload the page.",
  },
  method_not_allowed: { de: "Diese Aktion ist hier nicht möglich.", en: "This action is not allowed here." },
  unavailable: {
    de: "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut.",
    en: "The service is currently unavailable. Please try again in a few minutes.",
  },
  unauthorized: {
    de: "Bitte melden Sie sich an. Ihre Sitzung ist abgelaufen oder ungültig.",
    en: "Please log in. Your session has expired or is invalid.",
  },
  forbidden: {
    de: "Dafür fehlt Ihrem Konto die Berechtigung.",
    en: "Your account is not allowed to do this.",
  },
  verification_required: {
    de: "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse und Ihre Mobilnummer.",
    en: "Please confirm your e-mail address and mobile number first.",
  },
  invalid_credentials: {
    de: "E-Mail-Adresse oder Passwort stimmen nicht. Bitte prüfen Sie Ihre Eingabe oder setzen Sie Ihr Passwort zurück.",
    en: "E-mail address or password is wrong. Please check your input or reset your password.",
  },
  rate_limited: {
    de: "Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.",
    en: "Too many attempts. Please wait a moment and try again.",
  },
  invalid_code: {
    de: "Der Code stimmt nicht. Bitte prüfen Sie ihn und versuchen Sie es erneut.",
    en: "The code is not correct. Please check it and try again.",
  },
  code_expired: {
    de: "Der Code ist abgelaufen oder wurde zu oft falsch eingegeben. Bitte fordern Sie einen neuen Code an.",
    en: "The code has expired or was entered wrongly too often. Please request a new code.",
  },
  reset_code_invalid: {
    de: "Der Code stimmt nicht oder ist abgelaufen. Bitte prüfen Sie ihn oder fordern Sie einen neuen Code an.",
    en: "The code is wrong or has expired. Please check it or request a new code.",
  },
  already_verified: {
    de: "Diese Angabe ist bereits bestätigt.",
    en: "This is already confirmed.",
  },
  email_in_use: {
    de: "Diese E-Mail-Adresse gehört bereits zu einem anderen Konto. Bitte melden Sie sich mit diesem Konto an.",
    en: "This e-mail address already belongs to another account. Please log in with that account.",
  },
  internal_error: {
    de: "Es ist ein technischer Fehler aufgetreten. Bitte versuchen Sie es später erneut.",
    en: "A technical error occurred. Please try again later.",
  },
  slot_taken: {
    de: "Dieser Termin ist gerade vergeben worden. Bitte wählen Sie einen anderen; die freien Termine sind aktualisiert.",
    en: "This slot has just been taken. Please choose another one; the free slots have been updated.",
  },
  service_by_request: {
    de: "Für dieses Anliegen vergeben wir Termine auf Anfrage. Bitte stellen Sie eine Terminanfrage.",
    en: "Appointments for this concern are given on request. Please send an appointment request.",
  },
  cancel_too_late: {
    de: "Dieser Termin kann nicht mehr online abgesagt werden. Bitte rufen Sie uns an.",
    en: "This appointment can no longer be cancelled online. Please call us.",
  },
  confirmation_expired: {
    de: "Die Reservierung ist abgelaufen, weil sie nicht innerhalb von 30 Minuten bestätigt wurde. Bitte buchen Sie den Termin erneut.",
    en: "The reservation has expired because it was not confirmed within 30 minutes. Please book the appointment again.",
  },
  appointment_cancelled: {
    de: "Dieser Termin ist bereits abgesagt.",
    en: "This appointment has already been cancelled.",
  },
  login_expired: {
    de: "Diese Anmeldung ist abgelaufen oder wurde schon verwendet. Bitte melden Sie sich noch einmal an.",
    en: "This login has expired or was already used. Please log in again.",
  },
  provider_unavailable: {
    de: "Der Anmeldedienst antwortet gerade nicht. Bitte versuchen Sie es in einigen Minuten noch einmal oder melden Sie sich mit Ihrem Passwort an.",
    en: "The login service is not answering right now. Please try again in a few minutes or log in with your password.",
  },
  saml_unavailable: {
    de: "Diese Anmeldung ist auf diesem Server nicht eingerichtet. Bitte wenden Sie sich an die Gemeinde.",
    en: "This login is not set up on this server. Please contact the municipality.",
  },
  last_login_method: {
    de: "Das ist Ihre einzige Art, sich anzumelden. Bitte legen Sie zuerst ein Passwort fest, dann können Sie die Verbindung trennen.",
    en: "This is your only way to log in. Please set a password first; then you can remove the connection.",
  },
  trust_level_required: {
    de: "Für diesen Antrag müssen Sie sich mit Ihrem Bürgerkonto (zum Beispiel BundID) auf dem nötigen Vertrauensniveau anmelden.",
    en: "For this application you need to log in with your citizen account (for example BundID) at the required trust level.",
  },
  move_too_late: {
    de: "Dieser Termin kann nicht mehr online verschoben werden. Bitte rufen Sie uns an.",
    en: "This appointment can no longer be moved online. Please call us.",
  },
  appointment_changed: {
    de: "Dieser Termin wurde gerade geändert. Bitte sehen Sie ihn sich noch einmal an und entscheiden Sie dann.",
    en: "This appointment has just been changed. Please look at it again, then decide.",
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
  invalid_mobile: {
    de: "Bitte geben Sie eine gültige Mobilnummer ein, z. B. 0171 2345678.",
    en: "Please enter a valid mobile number, e.g. +49 171 2345678.",
  },
  password_too_short: {
    de: "Das Passwort muss mindestens 10 Zeichen lang sein.",
    en: "The password must be at least 10 characters long.",
  },
  password_common: {
    de: "Dieses Passwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes.",
    en: "This password is too common and easy to guess. Please choose another one.",
  },
  privacy_required: {
    de: "Bitte stimmen Sie der Datenschutzerklärung zu, um ein Konto anzulegen.",
    en: "Please accept the privacy policy to create an account.",
  },
  code_format: {
    de: "Der Code besteht aus 6 Ziffern.",
    en: "The code consists of 6 digits.",
  },
  wrong_password: {
    de: "Das Passwort stimmt nicht.",
    en: "The password is not correct.",
  },
} satisfies Record<string, Bilingual>;

