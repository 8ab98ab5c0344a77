import type { Lang, SubmissionStatus } from "../core/types.js";

/** The texts of "Mein Postfach", German first. Titles of forms come from the API in both languages. */
export const postfachTexts = {
  de: {
    title: "Mein Postfach",
    intro: "Alles zu Ihren Anträgen an einem Ort: Eingangsbestätigungen, Nachrichten und Bescheide der Verwaltung und Ihre Antworten. Das Neueste steht oben.",
    loading: "Ihr Postfach wird geladen …",
    empty: "Ihr Postfach ist noch leer. Sobald Sie einen Antrag senden, finden Sie hier alles dazu.",
    retry: "Erneut versuchen",
    verify: "Jetzt bestätigen",
    more: "Ältere Einträge laden",
    loadingMore: "Ältere Einträge werden geladen …",
    unread: (n: number) => (n === 0 ? "Keine neuen Einträge." : n === 1 ? "1 neuer Eintrag." : `${n} neue Einträge.`),
    loadedMore: (n: number) => (n === 1 ? "1 älterer Eintrag geladen." : `${n} ältere Einträge geladen.`),
    new: "Neu",
    submitted: "Antrag eingegangen",
    submittedText: "Ihr Antrag ist bei der Verwaltung eingegangen.",
    status: (label: string) => `Neuer Stand: ${label}`,
    message: "Nachricht der Verwaltung",
    reply: "Ihre Antwort",
    about: "Antrag",
    reference: "Aktenzeichen",
    reason: "Begründung",
    documents: "Dokumente der Verwaltung",
    sentFiles: "Ihre Unterlagen",
    download: "herunterladen",
    receipt: "Eingangsbestätigung herunterladen (PDF)",
    downloaded: (name: string) => `${name} wurde heruntergeladen.`,
    onlyThis: "Nur diesen Antrag zeigen",
    all: "Alle Einträge",
    filtered: "Einträge zu einem Antrag",
    filteredEmpty: "Zu diesem Antrag sind noch keine Einträge geladen.",
    waiting: "Die Verwaltung hat eine Rückfrage und wartet auf Ihre Antwort. Bitte antworten Sie hier und reichen Sie fehlende Unterlagen nach.",
    answer: "Antworten",
    replyLabel: (reference: string) => `Antwort zu ${reference}`,
    replyText: "Ihre Nachricht an die Verwaltung",
    files: "Unterlagen anhängen",
    filesHint: "PDF, JPEG oder PNG, höchstens 10 MB je Datei. Sie können mehrere Dateien wählen.",
    filesAttached: "Angehängte Dateien",
    fileUploading: (name: string) => `${name} wird hochgeladen`,
    fileDone: (name: string) => `${name} wurde hochgeladen.`,
    fileRemove: "Entfernen",
    fileRemoved: (name: string) => `${name} wurde entfernt.`,
    fileTooLarge: (name: string) => `Die Datei „${name}“ ist zu groß. Erlaubt sind höchstens 10 MB.`,
    fileType: (name: string) => `Die Datei „${name}“ hat ein Format, das hier nicht möglich ist. Erlaubt sind PDF, JPEG und PNG.`,
    textRequired: "Bitte schreiben Sie eine Nachricht an die Verwaltung.",
    waitUploads: "Bitte warten Sie, bis alle Dateien hochgeladen sind.",
    send: "Antwort senden",
    cancel: "Abbrechen",
    sent: (reference: string) => `Ihre Antwort zu ${reference} ist gesendet. Die Verwaltung sieht sie sofort.`,
    statuses: {
      received: "eingegangen",
      in_progress: "in Bearbeitung",
      waiting: "Rückfrage",
      approved: "bewilligt",
      rejected: "abgelehnt",
      closed: "abgeschlossen",
    } satisfies Record<SubmissionStatus, string>,
  },
  en: {
    title: "My mailbox",
    intro: "Everything about your applications in one place: receipts, messages and decisions from the administration, and your replies. The newest is at the top.",
    loading: "Loading your mailbox …",
    empty: "Your mailbox is still empty. Once you send an application, you will find everything about it here.",
    retry: "Try again",
    verify: "Confirm now",
    more: "Load older entries",
    loadingMore: "Loading older entries …",
    unread: (n: number) => (n === 0 ? "No new entries." : n === 1 ? "1 new entry." : `${n} new entries.`),
    loadedMore: (n: number) => (n === 1 ? "1 older entry loaded." : `${n} older entries loaded.`),
    new: "New",
    submitted: "Application received",
    submittedText: "Your application has reached the administration.",
    status: (label: string) => `New status: ${label}`,
    message: "Message from the administration",
    reply: "Your reply",
    about: "Application",
    reference: "Reference",
    reason: "Reason",
    documents: "Documents from the administration",
    sentFiles: "Your documents",
    download: "download",
    receipt: "Download the receipt (PDF)",
    downloaded: (name: string) => `${name} has been downloaded.`,
    onlyThis: "Show this application only",
    all: "All entries",
    filtered: "Entries of one application",
    filteredEmpty: "No entries of this application are loaded yet.",
    waiting: "The administration has a question and is waiting for your reply. Please answer here and send any missing documents.",
    answer: "Reply",
    replyLabel: (reference: string) => `Reply to ${reference}`,
    replyText: "Your message to the administration",
    files: "Attach documents",
    filesHint: "PDF, JPEG or PNG, at most 10 MB per file. You can choose several files.",
    filesAttached: "Attached files",
    fileUploading: (name: string) => `Uploading ${name}`,
    fileDone: (name: string) => `${name} has been uploaded.`,
    fileRemove: "Remove",
    fileRemoved: (name: string) => `${name} has been removed.`,
    fileTooLarge: (name: string) => `The file “${name}” is too large. At most 10 MB are allowed.`,
    fileType: (name: string) => `The file “${name}” has a format that is not possible here. Allowed are PDF, JPEG and PNG.`,
    textRequired: "Please write a message to the administration.",
    waitUploads: "Please wait until all files are uploaded.",
    send: "Send reply",
    cancel: "Cancel",
    sent: (reference: string) => `Your reply to ${reference} has been sent. The administration sees it at once.`,
    statuses: {
      received: "received",
      in_progress: "in progress",
      waiting: "query",
      approved: "approved",
      rejected: "rejected",
      closed: "closed",
    } satisfies Record<SubmissionStatus, string>,
  },
} satisfies Record<Lang, Record<string, unknown>>;

export type PostfachTexts = (typeof postfachTexts)[Lang];

const dateTimes = new Map<Lang, Intl.DateTimeFormat>();

/** "18. November 2025 um 14:03" / "18 November 2025 at 14:03", on the visitor's clock. */
export function formatDateTime(iso: string, lang: Lang): string {
  let f = dateTimes.get(lang);
  if (!f) dateTimes.set(lang, (f = new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "long", timeStyle: "short" })));
  return f.format(new Date(iso));
}

/** "PDF, 12 KB". */
export function fileFacts(mediaType: string, size: number, lang: Lang): string {
  const kind = mediaType === "image/jpeg" ? "JPEG" : (mediaType.split("/")[1] ?? mediaType).toUpperCase();
  const amount =
    size >= 1024 * 1024
      ? `${(size / 1024 / 1024).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { maximumFractionDigits: 1 })} MB`
      : `${Math.max(1, Math.round(size / 1024))} KB`;
  return `${kind}, ${amount}`;
}
