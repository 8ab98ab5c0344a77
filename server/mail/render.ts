/**
 * Fills the compiled mail skeletons per recipient. Pure and runtime neutral (no node:*, no
 * mjml): it runs in the dispatcher on Node and on Workers. The skeletons are split into parts
 * once at module load, so a render is one pass over a few dozen parts.
 */
import type { Lang } from "../http/errors.js";
import { compiledMails } from "./compiled.gen.js";
import { type Part, escapeHtml, parseSkeleton } from "./skeleton.js";
import { type MailBranding, type MailTemplateName, brandingKeys, mailTemplateVars } from "./types.js";

export type { MailBranding, MailTemplateName, MailVars } from "./types.js";

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

interface Prepared {
  subject: Part[];
  html: Part[];
  text: Part[];
}

const prepared = Object.fromEntries(
  Object.entries(compiledMails).map(([name, langs]) => [
    name,
    Object.fromEntries(
      Object.entries(langs).map(([lang, mail]) => [
        lang,
        { subject: parseSkeleton(mail.subject), html: parseSkeleton(mail.html), text: parseSkeleton(mail.text) },
      ]),
    ),
  ]),
) as Record<MailTemplateName, Record<Lang, Prepared>>;

const httpUrl = /^https?:\/\//i;

/**
 * Renders one mail. `vars` must hold every variable of the template (see `mailTemplateVars`);
 * all values are HTML-escaped in the HTML part except `bodyHtml`, which must be sanitized HTML.
 * Throws on a missing variable or branding field: that is a programming error, not bad input.
 */
export function renderMail(
  template: MailTemplateName,
  lang: Lang,
  branding: MailBranding,
  vars: Record<string, string>,
): RenderedMail {
  const mail = prepared[template]?.[lang];
  if (!mail) throw new Error(`renderMail: unknown template "${template}" or language "${lang}"`);
  for (const key of mailTemplateVars[template]) {
    if (typeof vars[key] !== "string") throw new Error(`renderMail(${template}): missing variable "${key}"`);
  }
  for (const key of brandingKeys) {
    const value = branding[key];
    if (typeof value !== "string" && !(key === "logoUrl" && value === null)) {
      throw new Error(`renderMail(${template}): missing branding field "${key}"`);
    }
  }
  return {
    // A title with a line break must not end up as a broken header.
    subject: fill(template, mail.subject, branding, vars, false).replace(/\s+/g, " ").trim(),
    html: fill(template, mail.html, branding, vars, true),
    text: fill(template, mail.text, branding, vars, false),
  };
}

function fill(
  template: MailTemplateName,
  parts: readonly Part[],
  branding: MailBranding,
  vars: Record<string, string>,
  html: boolean,
): string {
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Part;
    switch (part.kind) {
      case "text":
        out += part.text;
        break;
      case "var": {
        const value = vars[part.key] as string;
        if (part.url) checkUrl(template, part.key, value);
        out += html && !part.raw ? escapeHtml(value) : value;
        break;
      }
      case "brand": {
        const value = branding[part.key] ?? "";
        if (part.url) checkUrl(template, `brand.${part.key}`, value);
        out += html ? escapeHtml(value) : value;
        break;
      }
      case "if":
        if (!branding[part.key]) i = part.end;
        break;
      case "end":
        break;
    }
  }
  return out;
}

/** Escaping cannot stop a `javascript:` link, so links must be plain web addresses. */
function checkUrl(template: MailTemplateName, key: string, value: string): void {
  if (!httpUrl.test(value)) throw new Error(`renderMail(${template}): "${key}" must be an http(s) URL`);
}
