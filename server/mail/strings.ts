/**
 * Every text of every mail, German first. Templates refer to them as `{{t.<key>}}`; a key is
 * looked up in the template's own texts, then in `common`. The compiler inserts them at build
 * time (HTML-escaped in the HTML part), so texts are plain text: no markup, no line breaks.
 * They may contain runtime placeholders, `{{name}}` or `{{brand.townName}}`, filled per send.
 *
 * German: Sie-form, short sentences, no officialese. After the greeting "Guten Tag …," the
 * next paragraph starts in lower case, as in a German letter.
 */
import type { Lang } from "../http/errors.js";
import type { MailTemplateName } from "./types.js";

export type MailTexts = Record<Lang, Record<string, string>>;

/** German and English must have the same keys; the compiler relies on it. */
function texts<K extends string>(de: Record<K, string>, en: Record<NoInfer<K>, string>): MailTexts {
  return { de, en };
}

export const commonTexts = texts(
  {
    lang: "de",
    greeting: "Guten Tag {{name}},",
    greetingAnonymous: "Guten Tag,",
    codeLabel: "Ihr Code",
    codeValid: "Der Code ist {{minutes}} Minuten lang gültig.",
    codeSecret: "Geben Sie den Code an niemanden weiter. Die Verwaltung wird Sie nie danach fragen.",
    closing: "Freundliche Grüße",
    signature: "Ihr Digitales Rathaus {{brand.townName}}",
    questions: "Sie haben Fragen? Schreiben Sie uns:",
    imprint: "Impressum",
    privacy: "Datenschutz",
    product: "Digitales Rathaus {{brand.townName}}",
  },
  {
    lang: "en",
    greeting: "Hello {{name}},",
    greetingAnonymous: "Hello,",
    codeLabel: "Your code",
    codeValid: "The code is valid for {{minutes}} minutes.",
    codeSecret: "Do not share this code with anyone. The town administration will never ask you for it.",
    closing: "Kind regards",
    signature: "Your Digital Town Hall {{brand.townName}}",
    questions: "Any questions? Write to us:",
    imprint: "Legal notice",
    privacy: "Privacy policy",
    product: "Digital Town Hall {{brand.townName}}",
  },
);

export const templateTexts: Record<MailTemplateName, MailTexts> = {
  verify_email: texts(
    {
      subject: "Ihr Bestätigungscode für das Digitale Rathaus {{brand.townName}}",
      preview: "Ihr Code: {{code}} – gültig für {{minutes}} Minuten",
      heading: "Ihr Bestätigungscode",
      intro:
        "vielen Dank für Ihre Registrierung im Digitalen Rathaus {{brand.townName}}. Bitte geben Sie diesen Code ein, um Ihre E-Mail-Adresse zu bestätigen:",
      ignore: "Wenn Sie sich nicht registriert haben, ignorieren Sie diese E-Mail.",
    },
    {
      subject: "Your confirmation code for the Digital Town Hall {{brand.townName}}",
      preview: "Your code: {{code}} – valid for {{minutes}} minutes",
      heading: "Your confirmation code",
      intro:
        "Thank you for registering with the Digital Town Hall {{brand.townName}}. Please enter this code to confirm your e-mail address:",
      ignore: "If you did not register, please ignore this e-mail.",
    },
  ),

  password_reset: texts(
    {
      subject: "Ihr Code zum Zurücksetzen des Passworts – Digitales Rathaus {{brand.townName}}",
      preview: "Ihr Code: {{code}} – gültig für {{minutes}} Minuten",
      heading: "Passwort zurücksetzen",
      intro:
        "für Ihr Konto im Digitalen Rathaus {{brand.townName}} wurde ein neues Passwort angefordert. Bitte geben Sie diesen Code ein, um ein neues Passwort festzulegen:",
      ignore: "Wenn Sie das nicht waren, ignorieren Sie diese E-Mail. Ihr Passwort bleibt dann unverändert.",
    },
    {
      subject: "Your code to reset your password – Digital Town Hall {{brand.townName}}",
      preview: "Your code: {{code}} – valid for {{minutes}} minutes",
      heading: "Reset your password",
      intro:
        "Someone asked to reset the password of your account with the Digital Town Hall {{brand.townName}}. Please enter this code to choose a new password:",
      ignore: "If this was not you, please ignore this e-mail. Your password stays unchanged.",
    },
  ),

  account_deleted: texts(
    {
      subject: "Ihr Konto wurde gelöscht – Digitales Rathaus {{brand.townName}}",
      preview: "Wir haben Ihr Konto und Ihre persönlichen Daten gelöscht.",
      heading: "Ihr Konto wurde gelöscht",
      done: "Ihr Konto im Digitalen Rathaus {{brand.townName}} ist gelöscht. Auch Ihre persönlichen Daten haben wir gelöscht.",
      after:
        "Sie erhalten von uns keine weiteren E-Mails zu diesem Konto. Wenn Sie das Digitale Rathaus wieder nutzen möchten, können Sie sich jederzeit neu registrieren.",
      notYou: "Sie haben die Löschung nicht selbst veranlasst? Dann wenden Sie sich bitte an {{brand.contactEmail}}.",
    },
    {
      subject: "Your account has been deleted – Digital Town Hall {{brand.townName}}",
      preview: "We have deleted your account and your personal data.",
      heading: "Your account has been deleted",
      done: "We have deleted your account with the Digital Town Hall {{brand.townName}}, together with your personal data.",
      after:
        "You will not receive any further e-mails about this account. If you would like to use the Digital Town Hall again, you can register again at any time.",
      notYou: "Did you not ask for this? Then please contact {{brand.contactEmail}}.",
    },
  ),

  registration_attempt: texts(
    {
      subject: "Registrierung mit Ihrer E-Mail-Adresse – Digitales Rathaus {{brand.townName}}",
      preview: "Für diese E-Mail-Adresse gibt es bereits ein Konto.",
      heading: "Sie haben bereits ein Konto",
      intro:
        "jemand hat versucht, sich mit dieser E-Mail-Adresse im Digitalen Rathaus {{brand.townName}} zu registrieren. Für diese Adresse gibt es aber schon ein Konto.",
      ifYou:
        "Waren Sie das? Dann melden Sie sich einfach an. Wenn Sie Ihr Passwort vergessen haben, können Sie es bei der Anmeldung zurücksetzen.",
      ifNotYou: "Waren Sie das nicht? Dann ignorieren Sie diese E-Mail. An Ihrem Konto ändert sich nichts.",
    },
    {
      subject: "Registration attempt with your e-mail address – Digital Town Hall {{brand.townName}}",
      preview: "There is already an account for this e-mail address.",
      heading: "You already have an account",
      intro:
        "Someone tried to register with this e-mail address at the Digital Town Hall {{brand.townName}}. However, there already is an account for this address.",
      ifYou: "Was it you? Then simply log in. If you have forgotten your password, you can reset it when logging in.",
      ifNotYou: "Was it not you? Then please ignore this e-mail. Nothing changes for your account.",
    },
  ),

  email_changed: texts(
    {
      subject: "Ihre E-Mail-Adresse wurde geändert – Digitales Rathaus {{brand.townName}}",
      preview: "Die E-Mail-Adresse Ihres Kontos wurde geändert.",
      heading: "E-Mail-Adresse geändert",
      intro:
        "die E-Mail-Adresse Ihres Kontos im Digitalen Rathaus {{brand.townName}} wurde geändert. Die neue Adresse lautet:",
      after: "Nachrichten zu Ihrem Konto senden wir ab jetzt nur noch an die neue Adresse.",
      notYou:
        "Sie haben die Änderung nicht selbst veranlasst? Dann wenden Sie sich bitte sofort an {{brand.contactEmail}}.",
    },
    {
      subject: "Your e-mail address has been changed – Digital Town Hall {{brand.townName}}",
      preview: "The e-mail address of your account has been changed.",
      heading: "E-mail address changed",
      intro:
        "The e-mail address of your account with the Digital Town Hall {{brand.townName}} has been changed. The new address is:",
      after: "From now on, we will send messages about your account only to the new address.",
      notYou: "Did you not make this change? Then please contact {{brand.contactEmail}} right away.",
    },
  ),

  news: texts(
    {
      subject: "{{title}}",
      preview: "{{summary}}",
      intro: "es gibt Neuigkeiten aus {{brand.townName}}:",
      readOnline: "Auf der Website lesen",
      why: "Sie erhalten diese E-Mail, weil Sie das Thema „{{topics}}“ abonniert haben.",
      unsubscribe: "Abbestellen:",
    },
    {
      subject: "{{title}}",
      preview: "{{summary}}",
      intro: "There is news from {{brand.townName}}:",
      readOnline: "Read on the website",
      why: "You are receiving this e-mail because you subscribed to the topic “{{topics}}”.",
      unsubscribe: "Unsubscribe:",
    },
  ),

  form_receipt: texts(
    {
      subject: "Eingangsbestätigung {{reference}} – {{formTitle}}",
      preview: "Ihr Antrag ist bei uns eingegangen. Aktenzeichen {{reference}}.",
      heading: "Ihr Antrag ist eingegangen",
      intro: "vielen Dank. Ihr Antrag ist bei der Verwaltung {{brand.townName}} eingegangen:",
      referenceLabel: "Aktenzeichen",
      receivedLabel: "Eingegangen am",
      attached: "Die Eingangsbestätigung mit allen Ihren Angaben ist dieser E-Mail als PDF beigefügt. Sie können sie auch hier herunterladen:",
      download: "Eingangsbestätigung (PDF)",
      keep: "Bitte bewahren Sie diese E-Mail auf und geben Sie bei Rückfragen das Aktenzeichen an.",
    },
    {
      subject: "Receipt {{reference}} – {{formTitle}}",
      preview: "Your application has been received. Reference {{reference}}.",
      heading: "Your application has been received",
      intro: "Thank you. The administration of {{brand.townName}} has received your application:",
      referenceLabel: "Reference",
      receivedLabel: "Received",
      attached: "The receipt with everything you entered is attached to this e-mail as a PDF. You can also download it here:",
      download: "Receipt (PDF)",
      keep: "Please keep this e-mail and quote the reference if you have questions.",
    },
  ),

  form_notification: texts(
    {
      subject: "Neuer Antrag {{reference}} – {{formTitle}}",
      preview: "Im Digitalen Rathaus ist ein Antrag eingegangen.",
      heading: "Neuer Antrag eingegangen",
      intro: "im Digitalen Rathaus {{brand.townName}} ist ein Antrag für Ihren Bereich eingegangen:",
      referenceLabel: "Aktenzeichen",
      receivedLabel: "Eingegangen am",
      noData: "Aus Datenschutzgründen enthält diese E-Mail keine Angaben der Antragstellerin oder des Antragstellers. Sie finden den Antrag im Digitalen Rathaus.",
    },
    {
      subject: "New application {{reference}} – {{formTitle}}",
      preview: "An application has arrived in the Digital Town Hall.",
      heading: "New application received",
      intro: "An application for your department has arrived in the Digital Town Hall {{brand.townName}}:",
      referenceLabel: "Reference",
      receivedLabel: "Received",
      noData: "For data protection, this e-mail contains no details of the applicant. You will find the application in the Digital Town Hall.",
    },
  ),

  postfach_notice: texts(
    {
      subject: "Neue Nachricht in Ihrem Postfach – Digitales Rathaus {{brand.townName}}",
      preview: "In Ihrem Postfach im Digitalen Rathaus gibt es etwas Neues.",
      heading: "Neues in Ihrem Postfach",
      intro: "in Ihrem Postfach im Digitalen Rathaus {{brand.townName}} gibt es etwas Neues zu einem Ihrer Anträge. Bitte melden Sie sich an, um es zu lesen.",
      open: "Postfach öffnen",
      why: "Aus Datenschutzgründen steht der Inhalt nicht in dieser E-Mail.",
    },
    {
      subject: "New message in your mailbox – Digital Town Hall {{brand.townName}}",
      preview: "There is something new in your Digital Town Hall mailbox.",
      heading: "Something new in your mailbox",
      intro: "There is something new about one of your applications in your mailbox at the Digital Town Hall {{brand.townName}}. Please log in to read it.",
      open: "Open mailbox",
      why: "For data protection, the content is not part of this e-mail.",
    },
  ),

  appointment_booked: texts(
    {
      subject: "Ihr Termin: {{service}} am {{when}}",
      preview: "Ihr Termin im Digitalen Rathaus {{brand.townName}} ist gebucht.",
      heading: "Ihr Termin ist gebucht",
      intro: "Ihr Termin ist fest für Sie reserviert:",
      bringLabel: "Bitte mitbringen",
      calendar: "Im Anhang dieser E-Mail finden Sie den Termin für Ihren Kalender.",
      addToCalendar: "In den Kalender übernehmen",
      cancel: "Wenn Sie nicht kommen können, verschieben Sie den Termin oder sagen Sie ihn bitte bis {{cancelUntil}} ab, damit ihn jemand anderes bekommt.",
      moveLink: "Termin verschieben",
      cancelLink: "Termin absagen",
    },
    {
      subject: "Your appointment: {{service}} on {{when}}",
      preview: "Your appointment at the Digital Town Hall {{brand.townName}} is booked.",
      heading: "Your appointment is booked",
      intro: "Your appointment is reserved for you:",
      bringLabel: "Please bring",
      calendar: "The appointment for your calendar is attached to this e-mail.",
      addToCalendar: "Add to calendar",
      cancel: "If you cannot come, please move or cancel the appointment by {{cancelUntil}}, so that someone else can have it.",
      moveLink: "Move the appointment",
      cancelLink: "Cancel the appointment",
    },
  ),

  appointment_moved: texts(
    {
      subject: "Verschoben: {{service}} jetzt am {{when}}",
      preview: "Ihr Termin im Digitalen Rathaus {{brand.townName}} ist verschoben.",
      heading: "Ihr Termin ist verschoben",
      intro: "Ihr Termin ist jetzt fest für Sie reserviert:",
      beforeLabel: "Statt",
      bringLabel: "Bitte mitbringen",
      calendar: "Im Anhang dieser E-Mail finden Sie den geänderten Termin für Ihren Kalender; er ersetzt den bisherigen.",
      addToCalendar: "In den Kalender übernehmen",
      cancel: "Wenn Sie nicht kommen können, verschieben Sie den Termin oder sagen Sie ihn bitte bis {{cancelUntil}} ab.",
      moveLink: "Termin verschieben",
      cancelLink: "Termin absagen",
    },
    {
      subject: "Moved: {{service}} now on {{when}}",
      preview: "Your appointment at the Digital Town Hall {{brand.townName}} has been moved.",
      heading: "Your appointment has been moved",
      intro: "Your appointment is now reserved for you:",
      beforeLabel: "Instead of",
      bringLabel: "Please bring",
      calendar: "The changed appointment for your calendar is attached to this e-mail; it replaces the previous one.",
      addToCalendar: "Add to calendar",
      cancel: "If you cannot come, please move or cancel the appointment by {{cancelUntil}}.",
      moveLink: "Move the appointment",
      cancelLink: "Cancel the appointment",
    },
  ),

  appointment_confirm: texts(
    {
      subject: "Bitte bestätigen: Ihr Termin am {{when}}",
      preview: "Bestätigen Sie Ihren Termin innerhalb von {{minutes}} Minuten.",
      heading: "Bitte bestätigen Sie Ihren Termin",
      intro: "Sie haben diesen Termin reserviert. Bitte bestätigen Sie ihn innerhalb von {{minutes}} Minuten, sonst wird er wieder freigegeben:",
      confirm: "Termin bestätigen",
      ignore: "Wenn Sie keinen Termin reserviert haben, ignorieren Sie diese E-Mail; der Termin wird dann wieder frei.",
    },
    {
      subject: "Please confirm: your appointment on {{when}}",
      preview: "Confirm your appointment within {{minutes}} minutes.",
      heading: "Please confirm your appointment",
      intro: "You have reserved this appointment. Please confirm it within {{minutes}} minutes, otherwise it is released again:",
      confirm: "Confirm the appointment",
      ignore: "If you did not reserve an appointment, ignore this e-mail; the slot will be free again.",
    },
  ),

  appointment_reminder: texts(
    {
      subject: "Erinnerung: Ihr Termin morgen – {{service}}",
      preview: "Ihr Termin ist {{when}}.",
      heading: "Ihr Termin morgen",
      intro: "wir erinnern Sie an Ihren Termin:",
      bringLabel: "Bitte mitbringen",
      cannot: "Wenn Sie nicht kommen können, sagen Sie bitte Bescheid, damit jemand anderes den Termin bekommt.",
    },
    {
      subject: "Reminder: your appointment tomorrow – {{service}}",
      preview: "Your appointment is on {{when}}.",
      heading: "Your appointment tomorrow",
      intro: "This is a reminder of your appointment:",
      bringLabel: "Please bring",
      cannot: "If you cannot come, please let us know so that someone else can have the appointment.",
    },
  ),

  appointment_cancelled: texts(
    {
      subject: "Abgesagt: {{service}} am {{when}}",
      preview: "Ihr Termin im Digitalen Rathaus {{brand.townName}} ist abgesagt.",
      heading: "Ihr Termin ist abgesagt",
      intro: "dieser Termin ist abgesagt und wieder frei:",
      calendar: "Mit der Datei im Anhang entfernt Ihr Kalender den Termin.",
      removeFromCalendar: "Aus dem Kalender entfernen",
      again: "Einen neuen Termin können Sie jederzeit im Digitalen Rathaus unter „Termine“ buchen.",
    },
    {
      subject: "Cancelled: {{service}} on {{when}}",
      preview: "Your appointment at the Digital Town Hall {{brand.townName}} is cancelled.",
      heading: "Your appointment is cancelled",
      intro: "This appointment is cancelled and free again:",
      calendar: "The attached file removes the appointment from your calendar.",
      removeFromCalendar: "Remove from calendar",
      again: "You can book a new appointment any time in the Digital Town Hall under “Appointments”.",
    },
  ),

  appointment_cancelled_by_town: texts(
    {
      subject: "Abgesagt: {{service}} am {{when}}",
      preview: "Wir mussten Ihren Termin im Digitalen Rathaus {{brand.townName}} leider absagen.",
      heading: "Wir mussten Ihren Termin absagen",
      intro: "leider müssen wir diesen Termin absagen:",
      reasonLabel: "Grund",
      calendar: "Mit der Datei im Anhang entfernt Ihr Kalender den Termin.",
      removeFromCalendar: "Aus dem Kalender entfernen",
      again: "Bitte entschuldigen Sie. Einen neuen Termin können Sie jederzeit im Digitalen Rathaus unter „Termine“ buchen.",
    },
    {
      subject: "Cancelled: {{service}} on {{when}}",
      preview: "We had to cancel your appointment at the Digital Town Hall {{brand.townName}}.",
      heading: "We had to cancel your appointment",
      intro: "Unfortunately we have to cancel this appointment:",
      reasonLabel: "Reason",
      calendar: "The attached file removes the appointment from your calendar.",
      removeFromCalendar: "Remove from calendar",
      again: "We apologise. You can book a new appointment any time in the Digital Town Hall under “Appointments”.",
    },
  ),

  appointment_clerk_booked: texts(
    {
      subject: "Neuer Termin: {{service}} am {{when}}",
      preview: "Bei Ihnen wurde ein Termin gebucht.",
      heading: "Neuer Termin bei Ihnen",
      intro: "Im Digitalen Rathaus {{brand.townName}} wurde ein Termin bei Ihnen gebucht:",
      citizenLabel: "Für",
      calendar: "Die Einladung im Anhang trägt den Termin in Ihren Kalender ein.",
      calendarFile: "Kalenderdatei",
    },
    {
      subject: "New appointment: {{service}} on {{when}}",
      preview: "An appointment with you has been booked.",
      heading: "New appointment with you",
      intro: "An appointment with you has been booked in the Digital Town Hall {{brand.townName}}:",
      citizenLabel: "For",
      calendar: "The attached invitation puts the appointment into your calendar.",
      calendarFile: "Calendar file",
    },
  ),

  appointment_clerk_moved: texts(
    {
      subject: "Verschoben: {{service}} jetzt am {{when}}",
      preview: "Ein Termin bei Ihnen wurde verschoben.",
      heading: "Termin verschoben",
      intro: "Ein Termin bei Ihnen im Digitalen Rathaus {{brand.townName}} wurde verschoben:",
      beforeLabel: "Statt",
      citizenLabel: "Für",
      calendar: "Die Einladung im Anhang ändert den Termin in Ihrem Kalender.",
      calendarFile: "Kalenderdatei",
    },
    {
      subject: "Moved: {{service}} now on {{when}}",
      preview: "An appointment with you has been moved.",
      heading: "Appointment moved",
      intro: "An appointment with you in the Digital Town Hall {{brand.townName}} has been moved:",
      beforeLabel: "Instead of",
      citizenLabel: "For",
      calendar: "The attached invitation changes the appointment in your calendar.",
      calendarFile: "Calendar file",
    },
  ),

  appointment_clerk_cancelled: texts(
    {
      subject: "Abgesagt: {{service}} am {{when}}",
      preview: "Ein Termin bei Ihnen wurde abgesagt.",
      heading: "Termin abgesagt",
      intro: "Dieser Termin bei Ihnen wurde abgesagt; die Zeit ist wieder frei:",
      citizenLabel: "Für",
      calendar: "Die Datei im Anhang entfernt den Termin aus Ihrem Kalender.",
      calendarFile: "Kalenderdatei",
    },
    {
      subject: "Cancelled: {{service}} on {{when}}",
      preview: "An appointment with you has been cancelled.",
      heading: "Appointment cancelled",
      intro: "This appointment with you has been cancelled; the time is free again:",
      citizenLabel: "For",
      calendar: "The attached file removes the appointment from your calendar.",
      calendarFile: "Calendar file",
    },
  ),

  staff_invite: texts(
    {
      subject: "Ihr Zugang zum Digitalen Rathaus {{brand.townName}}",
      preview: "Sie wurden zur Sachbearbeitung im Digitalen Rathaus eingeladen.",
      heading: "Willkommen in der Sachbearbeitung",
      intro: "Sie wurden eingeladen, im Digitalen Rathaus {{brand.townName}} Anträge zu bearbeiten. Legen Sie mit diesem Code Ihr Passwort fest: Öffnen Sie den Link, wählen Sie „Einladung annehmen“ und geben Sie Ihre E-Mail-Adresse, den Code und ein neues Passwort ein.",
      open: "Zur Sachbearbeitung",
      later: "Danach fordern Sie dort unter „Passwort vergessen“ einfach einen neuen Code an.",
    },
    {
      subject: "Your access to the Digital Town Hall {{brand.townName}}",
      preview: "You have been invited to process applications in the Digital Town Hall.",
      heading: "Welcome to the office",
      intro: "You have been invited to process applications in the Digital Town Hall {{brand.townName}}. Set your password with this code: open the link, choose “Accept invitation” and enter your e-mail address, the code and a new password.",
      open: "Go to the office",
      later: "After that, simply request a new code there under “Forgot password”.",
    },
  ),
};
