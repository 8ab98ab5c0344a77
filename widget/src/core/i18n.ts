import type { Lang, TenantText } from "./types.js";

export type { Lang };

/**
 * German unless the element's `lang` attribute or, failing that, the page's `<html lang>`
 * asks for English. Anything else (fr, pl, …) falls back to German, the towns' language.
 */
export function resolveLang(requested: string | null | undefined): Lang {
  const tag = (requested || document.documentElement.lang || "").trim().toLowerCase();
  return tag.startsWith("en") ? "en" : "de";
}

/** A tenant text in the visitor's language; towns must provide German, English is optional. */
export const pick = (text: TenantText, lang: Lang) => (lang === "en" && text.en) || text.de;

/**
 * The few texts the entry chunk itself needs (launcher, transport errors). Every view keeps
 * its own catalog beside it so that texts load with the view that shows them.
 */
export const coreTexts = {
  de: {
    launcher: "Digitales Rathaus",
    offline: "Keine Verbindung zum Digitalen Rathaus. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.",
    unavailable: "Das Digitale Rathaus ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut.",
    retry: "Erneut versuchen",
    close: "Schließen",
    unread: (n: number) => (n === 1 ? "1 neuer Eintrag im Postfach" : `${n} neue Einträge im Postfach`),
  },
  en: {
    launcher: "Digital Town Hall",
    offline: "No connection to the Digital Town Hall. Please check your internet connection and try again.",
    unavailable: "The Digital Town Hall is currently unavailable. Please try again in a few minutes.",
    retry: "Try again",
    close: "Close",
    unread: (n: number) => (n === 1 ? "1 new entry in your mailbox" : `${n} new entries in your mailbox`),
  },
} satisfies Record<Lang, Record<string, string | ((n: number) => string)>>;

const dateFormats = new Map<Lang, Intl.DateTimeFormat>();

/** "18. November 2025" / "18 November 2025". */
export function formatDate(iso: string, lang: Lang): string {
  let f = dateFormats.get(lang);
  if (!f) dateFormats.set(lang, (f = new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "long" })));
  return f.format(new Date(iso));
}
