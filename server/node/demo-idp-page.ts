import type { TrustLevel } from "../identity/types.js";

/**
 * The pages of the Test-Bürgerkonto (server/node/demo-idp.ts): the login page where a newcomer picks
 * an invented person and a trust level, and the error page. Plain HTML without JavaScript or
 * external assets, so the strict CSP of `demoIdpPageHeaders` holds.
 */

export type PageLang = "de" | "en";

export interface PagePerson {
  id: string;
  name: string;
  /** Town, for the radio's label ("Anna Schmidt, Tangerhütte"). */
  city: string;
  /** The rest of what the provider will hand over, as a hint under the name. */
  details: string;
}

const levelLabels: Record<TrustLevel, Record<PageLang, string>> = {
  basic: { de: "Basisregistrierung (Benutzername und Passwort)", en: "Basic registration (user name and password)" },
  substantial: { de: "Substantiell (ELSTER-Zertifikat)", en: "Substantial (ELSTER certificate)" },
  high: { de: "Hoch (Online-Ausweis)", en: "High (online ID card)" },
};

const texts = {
  de: {
    title: "Test-Bürgerkonto – nur zum Ausprobieren, keine echten Daten",
    intro: "Dieses Bürgerkonto gibt es nur im Demo-Modus des Digitalen Rathauses. Die Personen sind erfunden; mit einer echten Anmeldung hat es nichts zu tun.",
    client: "Anmeldung für",
    person: "Als wer möchten Sie sich anmelden?",
    level: "Mit welchem Vertrauensniveau?",
    levelHint: "Formulare können ein Mindestniveau verlangen. Wählen Sie ein niedriges, um zu sehen, was dann passiert.",
    login: "Anmelden",
    cancel: "Abbrechen",
    invalid: "Bitte wählen Sie eine Person und ein Vertrauensniveau.",
    errorTitle: "Anmeldung nicht möglich",
    errorText: "Die Anmeldung beim Test-Bürgerkonto ist fehlgeschlagen oder abgelaufen. Bitte schließen Sie dieses Fenster und starten Sie die Anmeldung im Digitalen Rathaus neu.",
    errorCode: "Fehlercode",
  },
  en: {
    title: "Test citizen account – for trying out only, no real data",
    intro: "This citizen account exists only in the demo mode of the Digitales Rathaus. The people are invented; this has nothing to do with a real login.",
    client: "Login for",
    person: "Who do you want to log in as?",
    level: "With which trust level?",
    levelHint: "Forms may require a minimum level. Choose a low one to see what happens then.",
    login: "Log in",
    cancel: "Cancel",
    invalid: "Please choose a person and a trust level.",
    errorTitle: "Login not possible",
    errorText: "The login at the test citizen account failed or expired. Please close this window and start the login in the Digitales Rathaus again.",
    errorCode: "Error code",
  },
} satisfies Record<PageLang, Record<string, string>>;

/**
 * The page's headers. `form-action` also names the origin of the client's redirect URI: browsers
 * check it against every redirect after a form is submitted, and the login form ends at the client.
 */
export function demoIdpPageHeaders(redirectOrigin?: string): Record<string, string> {
  const formAction = ["'self'", ...(redirectOrigin ? [redirectOrigin] : [])].join(" ");
  return {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
  };
}

/** The OIDC `ui_locales` parameter picks English when it asks for it before German; German otherwise. */
export function pageLang(uiLocales: unknown): PageLang {
  if (typeof uiLocales !== "string") return "de";
  for (const tag of uiLocales.split(" ")) {
    const primary = tag.toLowerCase().split("-")[0];
    if (primary === "de" || primary === "en") return primary;
  }
  return "de";
}

export function trustLevelLabel(level: TrustLevel, lang: PageLang) {
  return levelLabels[level][lang];
}

export function loginPage(page: {
  lang: PageLang;
  /** The form posts here. */
  action: string;
  clientId: string;
  people: ReadonlyArray<PagePerson>;
  levels: ReadonlyArray<TrustLevel>;
  chosen: { person: string; level: TrustLevel };
  invalid?: boolean;
}) {
  const t = texts[page.lang];
  const people = page.people
    .map(
      (p, i) => `<div class="choice"><input type="radio" id="person-${i}" name="person" value="${esc(p.id)}"${p.id === page.chosen.person ? " checked" : ""}>
<label for="person-${i}">${esc(p.name)}, ${esc(p.city)}<span class="hint">${esc(p.details)}</span></label></div>`,
    )
    .join("\n");
  const levels = page.levels
    .map(
      (l) => `<div class="choice"><input type="radio" id="level-${l}" name="level" value="${l}"${l === page.chosen.level ? " checked" : ""}>
<label for="level-${l}">${esc(trustLevelLabel(l, page.lang))}</label></div>`,
    )
    .join("\n");
  const body = `${page.invalid ? `<p class="error" role="alert">${esc(t.invalid)}</p>` : ""}
<p>${esc(t.intro)}</p>
<p class="client">${esc(t.client)}: <strong>${esc(page.clientId)}</strong></p>
<form method="post" action="${esc(page.action)}">
<fieldset><legend>${esc(t.person)}</legend>
${people}
</fieldset>
<fieldset aria-describedby="level-hint"><legend>${esc(t.level)}</legend>
<p id="level-hint" class="hint">${esc(t.levelHint)}</p>
${levels}
</fieldset>
<div class="buttons"><button type="submit" name="action" value="login">${esc(t.login)}</button>
<button type="submit" name="action" value="cancel" class="secondary">${esc(t.cancel)}</button></div>
</form>`;
  return layout(page.lang, t.title, body);
}

export function errorPage(lang: PageLang, error: string, description?: string) {
  const t = texts[lang];
  const body = `<p>${esc(t.errorText)}</p>
<p>${esc(t.errorCode)}: <code>${esc(error)}</code>${description ? ` – ${esc(description)}` : ""}</p>`;
  return layout(lang, t.errorTitle, body);
}

function layout(lang: PageLang, title: string, body: string) {
  const banner = texts[lang].title;
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>${style}</style></head>
<body><header>${esc(banner)}</header>
<main><h1>${esc(title)}</h1>
${body}
</main></body></html>`;
}

// Striped banner and plain colours: it must never be mistaken for a real Bürgerkonto.
const style = [
  "body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}",
  "header{background:repeating-linear-gradient(-45deg,#5c3b00,#5c3b00 12px,#6e4700 12px,#6e4700 24px);color:#fff;padding:12px 24px;font-weight:600}",
  "main{max-width:600px;margin:24px auto;padding:0 24px}",
  "h1{font-size:1.5rem}",
  "fieldset{border:1px solid #767676;border-radius:6px;margin:0 0 20px;padding:12px 16px}",
  "legend{font-weight:600;padding:0 4px}",
  ".choice{display:flex;gap:8px;align-items:flex-start;margin:8px 0}",
  ".choice input{margin-top:5px;width:18px;height:18px;flex:none}",
  ".hint{display:block;color:#4a4a4a;font-size:.9rem}",
  ".error{border-left:4px solid #b00020;padding:8px 12px;background:#fdecee;color:#7a0016}",
  ".buttons{display:flex;gap:12px;flex-wrap:wrap}",
  "button{font:inherit;padding:12px 20px;border:2px solid #1d4f91;border-radius:6px;background:#1d4f91;color:#fff;cursor:pointer}",
  "button.secondary{background:#fff;color:#1d4f91}",
  "button:focus-visible,input:focus-visible{outline:3px solid #e07b00;outline-offset:2px}",
].join("");

function esc(s: string) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
