import type { Lang } from "../http/errors.js";

export type SmsTemplateName = "verify_mobile" | "news_alert";

/**
 * SMS texts: short (one 160-character segment where possible), town name first so people
 * know who writes, the code early so phones can offer it for autofill.
 */
const texts: Record<SmsTemplateName, Record<Lang, (town: string, v: Record<string, string>) => string>> = {
  verify_mobile: {
    de: (town, v) => `${v.code} ist Ihr Bestätigungscode für das Digitale Rathaus ${town}. Gültig ${v.minutes} Minuten.`,
    en: (town, v) => `${v.code} is your confirmation code for the Digital Town Hall ${town}. Valid for ${v.minutes} minutes.`,
  },
  news_alert: {
    de: (town, v) => `Eilmeldung ${town}: ${v.title} – ${v.url}`,
    en: (town, v) => `Urgent, ${town}: ${v.title} – ${v.url}`,
  },
};

export function isSmsTemplate(name: string): name is SmsTemplateName {
  return name in texts;
}

export function renderSms(template: SmsTemplateName, lang: Lang, town: string, vars: Record<string, string>): string {
  return texts[template][lang](town, vars);
}
