import { linkPage } from "../http/link-page.js";
import type { Lang } from "../http/errors.js";
import type { Tenant } from "../tenants/tenant.js";

const texts = {
  de: {
    confirm: ["Abmelden bestätigen", "Möchten Sie diese Nachrichten nicht mehr per E-Mail erhalten?", "Ja, abmelden"],
    done: ["Sie sind abgemeldet", "Sie erhalten zu diesem Thema keine E-Mails mehr. Ihre Themen können Sie jederzeit im Digitalen Rathaus unter „Mein Konto“ ändern."],
    invalid: ["Link ungültig", "Dieser Abmelde-Link ist ungültig oder gehört zu einer anderen Gemeinde. Ihre Themen können Sie im Digitalen Rathaus unter „Mein Konto“ ändern."],
  },
  en: {
    confirm: ["Confirm unsubscribing", "Do you no longer want to receive these news by e-mail?", "Yes, unsubscribe"],
    done: ["You are unsubscribed", "You will no longer receive e-mails on this topic. You can change your topics at any time under “My account” in the Digital Town Hall."],
    invalid: ["Invalid link", "This unsubscribe link is invalid or belongs to another municipality. You can change your topics under “My account” in the Digital Town Hall."],
  },
};

/** The page behind the unsubscribe link in news mails. */
export function unsubscribePage(tenant: Tenant, state: "confirm" | "done" | "invalid", lang: Lang) {
  const [title, text, button] = texts[lang][state] as [string, string, string?];
  return linkPage(tenant, lang, { title, text, button });
}
