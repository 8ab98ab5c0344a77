import { encodeBase64 } from "@oslojs/encoding";
import type { Lang } from "../http/errors.js";
import { linkPage } from "../http/link-page.js";
import type { Tenant } from "../tenants/tenant.js";
import type { LoginMessage } from "./api-types.js";
import type { Outcome } from "./service.js";
import type { IdentityFailure } from "./types.js";

/** What the citizen reads when a login at a provider ends without a session, German and English. */
export const failureTexts: Record<IdentityFailure, { de: string; en: string }> = {
  cancelled: { de: "Sie haben die Anmeldung abgebrochen. Sie können es jederzeit noch einmal versuchen.", en: "You cancelled the login. You can try again at any time." },
  provider_error: { de: "Der Anmeldedienst hat die Anmeldung nicht abgeschlossen. Bitte versuchen Sie es noch einmal oder melden Sie sich mit Ihrem Passwort an.", en: "The login service did not complete the login. Please try again or log in with your password." },
  invalid_response: { de: "Die Antwort des Anmeldedienstes war ungültig. Bitte versuchen Sie es noch einmal.", en: "The login service's answer was not valid. Please try again." },
  expired: { de: "Die Anmeldung hat zu lange gedauert oder wurde schon abgeschlossen. Bitte starten Sie sie im Digitalen Rathaus noch einmal.", en: "The login took too long or was already completed. Please start it again in the Digital Town Hall." },
  replayed: { de: "Diese Anmeldung wurde schon verwendet. Bitte starten Sie sie noch einmal.", en: "This login was already used. Please start it again." },
  trust_level_too_low: { de: "Ihre Anmeldung reicht hierfür nicht aus. Bitte melden Sie sich mit einer sichereren Methode an, zum Beispiel mit dem Online-Ausweis.", en: "Your login is not sufficient for this. Please log in with a more secure method, for example the online ID card." },
  email_missing: { de: "Ihr Bürgerkonto nennt keine bestätigte E-Mail-Adresse. Bitte hinterlegen und bestätigen Sie dort eine, oder registrieren Sie sich hier mit E-Mail-Adresse und Mobilnummer.", en: "Your citizen account gives no confirmed e-mail address. Please add and confirm one there, or register here with an e-mail address and mobile number." },
  email_in_use: { de: "Es gibt schon ein Konto mit dieser E-Mail-Adresse. Bitte melden Sie sich mit Ihrem Passwort an und verbinden Sie das Bürgerkonto dann unter „Mein Konto“.", en: "There is already an account with this e-mail address. Please log in with your password, then connect the citizen account under “My account”." },
  already_linked: { de: "Dieses Bürgerkonto ist schon mit einem anderen Konto verbunden, oder Ihr Konto schon mit einem anderen Bürgerkonto dieses Dienstes.", en: "This citizen account is already connected to another account, or your account to another citizen account of this service." },
};

const titles = {
  ok: { de: "Anmeldung erfolgreich", en: "Login successful" },
  failed: { de: "Anmeldung nicht möglich", en: "Login not possible" },
};

/**
 * The end of a login at a provider, on the API's origin: in a popup, a page that posts the code
 * (or the failure) to the window that opened it, to that window's exact origin only, and closes;
 * as the whole page, a page that moves on to the town's page with the code in the fragment, which
 * no server sees. Without a flow (unknown or used state) a plain page says what happened.
 */
const escapeAttribute = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export async function outcomeResponse(tenant: Tenant, o: Outcome, fallbackLang: Lang): Promise<{ html: string; csp: string; status: number }> {
  const lang = o.flow?.lang ?? fallbackLang;
  const message: LoginMessage = "code" in o ? { type: "digitales-rathaus:login", code: o.code } : { type: "digitales-rathaus:login", error: o.failure.failure, message: failureTexts[o.failure.failure] };
  const text = "code" in o ? { de: "Sie sind angemeldet. Dieses Fenster schließt sich; Sie können es sonst selbst schließen.", en: "You are logged in. This window closes itself; otherwise you can close it." } : failureTexts[o.failure.failure];
  const title = "code" in o ? titles.ok : titles.failed;
  const status = "code" in o ? 200 : 400;
  const flow = o.flow;
  if (flow?.mode === "redirect" && flow.return_to) {
    const back = new URL(flow.return_to);
    back.hash = "code" in o ? `dr-login=${o.code}` : `dr-login-error=${o.failure.failure}`;
    // Not a 303: a provider's CSP `form-action` also covers the redirects after its login form,
    // and would stop one to the town's page. A page of ours moving on is a new navigation.
    const link = { href: back.href, label: lang === "de" ? "Zurück zur Website der Gemeinde" : "Back to the municipality's website" };
    const page = String(await linkPage(tenant, lang, { title: title[lang], text: text[lang], link }));
    const refresh = `<meta http-equiv="refresh" content="0;url=${escapeAttribute(back.href)}">`;
    // A replacer function: `$&` and the like in the URL are text, not replacement patterns.
    return { html: page.replace('<meta charset="utf-8">', () => `<meta charset="utf-8">${refresh}`), csp: "default-src 'none'; style-src 'unsafe-inline'", status };
  }
  const page = String(await linkPage(tenant, lang, { title: title[lang], text: text[lang] }));
  if (!flow) return { html: page, csp: "default-src 'none'; style-src 'unsafe-inline'", status };
  // JSON in a script: `<` escaped so that nothing in it can end the script element.
  const script = `(function(){var m=${JSON.stringify(message).replace(/</g, "\\u003c")};if(window.opener){window.opener.postMessage(m,${JSON.stringify(flow.origin).replace(/</g, "\\u003c")});window.close();}})();`;
  const hash = encodeBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script))));
  return { html: page.replace("</body>", () => `<script>${script}</script></body>`), csp: `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'`, status };
}
