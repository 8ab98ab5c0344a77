/**
 * Build time only (Node + mjml), so it lives outside the runtime folders: turns
 * server/mail/templates/<name>.mjml and <name>.txt plus strings.ts into the skeletons of
 * server/mail/compiled.gen.ts. MJML cannot run on Workers and takes tens of milliseconds
 * per template, so mails are compiled once here and only filled in at send time (render.ts).
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import mjml from "mjml";
import type { Lang } from "../../server/http/errors.js";
import { escapeHtml, parseSkeleton } from "../../server/mail/skeleton.js";
import { commonTexts, templateTexts } from "../../server/mail/strings.js";
import {
  type CompiledMail,
  type CompiledMails,
  type MailTemplateName,
  mailTemplateNames,
  mailTemplateVars,
  rawHtmlVars,
} from "../../server/mail/types.js";

const mailDir = new URL("../../server/mail/", import.meta.url);
const templatesDir = fileURLToPath(new URL("./templates/", mailDir));
export const generatedFile = fileURLToPath(new URL("./compiled.gen.ts", mailDir));

const langs: readonly Lang[] = ["de", "en"];

/**
 * MJML validates color attributes, so templates use these stand-ins for the town's colors;
 * they are swapped for placeholders after compiling.
 */
const colorStandIns: Record<string, string> = {
  "#0a0b01": "{{brand.primaryColor}}",
  "#0a0b02": "{{brand.accentColor}}",
};

const textPlaceholder = /\{\{t\.([A-Za-z][A-Za-z0-9]*)\}\}/g;
const includePlaceholder = /\{\{> ([\w.-]+)\}\}/g;

async function compileMjml(name: MailTemplateName): Promise<string> {
  const filePath = `${templatesDir}${name}.mjml`;
  const source = await readFile(filePath, "utf8");
  let result;
  try {
    result = await mjml(source, {
      validationLevel: "strict",
      filePath,
      ignoreIncludes: false,
      includePath: templatesDir,
      fonts: {},
      keepComments: false,
      // Not minified: the minifier may drop attribute quotes, and escaping relies on them.
      minify: false,
    });
  } catch (err) {
    throw new Error(`templates/${name}.mjml: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Indentation only bloats every mail sent; no element here is whitespace-sensitive.
  let html = result.html
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join("\n");
  for (const [standIn, placeholder] of Object.entries(colorStandIns)) {
    const parts = html.split(new RegExp(standIn, "gi"));
    if (parts.length < 2) throw new Error(`templates/${name}.mjml: color ${placeholder} is never used`);
    html = parts.join(placeholder);
  }
  return html;
}

async function readText(file: string, depth = 0): Promise<string> {
  if (depth > 3) throw new Error(`templates/${file}: includes nest too deep`);
  const source = await readFile(`${templatesDir}${file}`, "utf8");
  let out = "";
  let last = 0;
  for (const m of source.matchAll(includePlaceholder)) {
    out += source.slice(last, m.index) + (await readText(m[1] ?? "", depth + 1)).trimEnd();
    last = m.index + m[0].length;
  }
  return out + source.slice(last);
}

/** Inserts the texts of one language; records which keys were used. */
function insertTexts(
  name: MailTemplateName,
  lang: Lang,
  source: string,
  encode: (s: string) => string,
  used: Set<string>,
): string {
  const own = templateTexts[name][lang];
  const common = commonTexts[lang];
  return source.replace(textPlaceholder, (_, key: string) => {
    const text = own[key] ?? common[key];
    if (text === undefined) throw new Error(`${name}: no text "${key}" for ${lang} in strings.ts`);
    used.add(key);
    return encode(text);
  });
}

/** Checks the finished skeletons against the variables declared in types.ts. */
function checkVariables(name: MailTemplateName, lang: Lang, mail: CompiledMail): void {
  const declared = new Set<string>(mailTemplateVars[name]);
  const used = new Set<string>();
  const where = `${name} (${lang})`;
  for (const [part, source] of Object.entries(mail)) {
    let parts;
    try {
      parts = parseSkeleton(source);
    } catch (err) {
      throw new Error(`${where} ${part}: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const p of parts) {
      if (p.kind !== "var") continue;
      if (!declared.has(p.key)) throw new Error(`${where} ${part}: {{${p.key}}} is not declared in types.ts`);
      if (p.raw !== (part === "html" && rawHtmlVars.includes(p.key))) {
        throw new Error(`${where} ${part}: {{${p.key}}} must ${p.raw ? "not " : ""}be inserted raw`);
      }
      used.add(p.key);
    }
  }
  for (const key of declared) {
    if (!used.has(key)) throw new Error(`${where}: variable "${key}" is declared but never used`);
  }
}

export async function compileMailTemplates(): Promise<CompiledMails> {
  const out: Partial<CompiledMails> = {};
  for (const name of mailTemplateNames) {
    const html = await compileMjml(name);
    const text = await readText(`${name}.txt`);
    const byLang: Partial<Record<Lang, CompiledMail>> = {};
    for (const lang of langs) {
      const used = new Set<string>();
      const mail: CompiledMail = {
        subject: insertTexts(name, lang, "{{t.subject}}", (s) => s, used),
        html: insertTexts(name, lang, html, escapeHtml, used),
        text: `${insertTexts(name, lang, text, (s) => s, used).trim()}\n`,
      };
      checkVariables(name, lang, mail);
      const unused = Object.keys(templateTexts[name][lang]).filter((k) => !used.has(k));
      if (unused.length) throw new Error(`${name} (${lang}): texts never used: ${unused.join(", ")}`);
      byLang[lang] = mail;
    }
    out[name] = byLang as Record<Lang, CompiledMail>;
  }
  return out as CompiledMails;
}

/** The committed module: one array element per line, so template changes diff readably. */
export function generatedModuleSource(mails: CompiledMails): string {
  const lines = [
    "// Generated by `npm run build:mail` (tools/mail/compile.ts) from server/mail/templates/",
    "// and server/mail/strings.ts. Do not edit; a test fails when this file is out of date.",
    'import type { CompiledMails } from "./types.js";',
    "",
    "export const compiledMails: CompiledMails = {",
  ];
  for (const name of mailTemplateNames) {
    lines.push(`  ${name}: {`);
    for (const lang of langs) {
      const mail = mails[name][lang];
      lines.push(`    ${lang}: {`);
      lines.push(`      subject: ${JSON.stringify(mail.subject)},`);
      for (const part of ["text", "html"] as const) {
        lines.push(`      ${part}: [`);
        for (const line of mail[part].split("\n")) lines.push(`        ${JSON.stringify(line)},`);
        lines.push('      ].join("\\n"),');
      }
      lines.push("    },");
    }
    lines.push("  },");
  }
  lines.push("};", "");
  return lines.join("\n");
}

export async function buildGeneratedModule(): Promise<string> {
  return generatedModuleSource(await compileMailTemplates());
}
