import type { Lang } from "../http/errors.js";

/** Every SMS template with the variables it needs; the outbox type-checks callers against this. */
export const smsTemplateVars = {
  verify_mobile: ["code", "minutes"],
  news_alert: ["title", "url"],
  postfach_notice: ["url"],
  appointment_reminder: ["service", "when"],
} as const satisfies Record<string, readonly string[]>;

export type SmsTemplateName = keyof typeof smsTemplateVars;

export type SmsVars<T extends SmsTemplateName> = Record<(typeof smsTemplateVars)[T][number], string>;

/**
 * SMS texts: short (one 160-character segment where possible), town name first so people
 * know who writes, the code early so phones can offer it for autofill.
 */
const texts: { [T in SmsTemplateName]: Record<Lang, (town: string, v: SmsVars<T>) => string> } = {
  verify_mobile: {
    de: (town, v) => `${v.code} ist Ihr Bestätigungscode für das Digitale Rathaus ${town}. Gültig ${v.minutes} Minuten.`,
    en: (town, v) => `${v.code} is your confirmation code for the Digital Town Hall ${town}. Valid for ${v.minutes} minutes.`,
  },
  news_alert: {
    de: (town, v) => `Eilmeldung ${town}: ${v.title} – ${v.url}`,
    en: (town, v) => `Urgent, ${town}: ${v.title} – ${v.url}`,
  },
  postfach_notice: {
    de: (town, v) => `Digitales Rathaus ${town}: Neues in Ihrem Postfach – ${v.url}`,
    en: (town, v) => `Digital Town Hall ${town}: something new in your mailbox – ${v.url}`,
  },
  appointment_reminder: {
    de: (town, v) => `${town}: Erinnerung an Ihren Termin ${v.when} – ${v.service}`,
    en: (town, v) => `${town}: reminder of your appointment ${v.when} – ${v.service}`,
  },
};

export function isSmsTemplate(name: string): name is SmsTemplateName {
  return Object.hasOwn(texts, name);
}

/**
 * `vars` come back from the outbox as stored, so they are checked here: a missing one is a
 * programming error and throws, rather than texting "undefined" to a citizen.
 */
export function renderSms(template: SmsTemplateName, lang: Lang, town: string, vars: Record<string, string>): string {
  for (const key of smsTemplateVars[template]) {
    if (typeof vars[key] !== "string") throw new Error(`renderSms(${template}): missing variable "${key}"`);
  }
  const render = texts[template][lang] as (town: string, v: Record<string, string>) => string;
  return render(town, vars);
}
