/**
 * The placeholder language of compiled mail skeletons, parsed once so that filling a mail is a
 * single pass over a short list of parts (news go to thousands of recipients per item).
 *
 *   {{name}}                       a variable, HTML-escaped in the HTML part
 *   {{{bodyHtml}}}                 a variable inserted as is (already sanitized HTML)
 *   {{brand.townName}}             a branding field
 *   {{#brand.logoUrl}}…{{/brand.logoUrl}}   shown only if the branding field is set
 *
 * Runtime neutral: used by the renderer on Workers and by the build-time compiler.
 */
import { brandingKeys } from "./types.js";

export type BrandingKey = (typeof brandingKeys)[number];

export type Part =
  | { kind: "text"; text: string }
  /** `url`: the value fills a whole href/src attribute, so it must be an http(s) URL. */
  | { kind: "var"; key: string; raw: boolean; url: boolean }
  | { kind: "brand"; key: BrandingKey; url: boolean }
  /** `end`: index of the matching "end" part, where rendering resumes if the field is empty. */
  | { kind: "if"; key: BrandingKey; end: number }
  | { kind: "end" };

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const needsEscape = /[&<>"']/;
const escapable = /[&<>"']/g;

/** Safe in text and in quoted attributes, which is everywhere placeholders sit in the HTML. */
export function escapeHtml(s: string): string {
  return needsEscape.test(s) ? s.replace(escapable, (c) => entities[c] ?? c) : s;
}

const placeholder = /\{\{(\{?)([#/]?)(brand\.)?([A-Za-z][A-Za-z0-9]*)\}\}(\}?)/g;
const urlAttribute = /(?:href|src)="$/;

function isBrandingKey(key: string): key is BrandingKey {
  return (brandingKeys as readonly string[]).includes(key);
}

/** Throws on anything malformed: skeletons are generated, so an error is a bug in a template. */
export function parseSkeleton(source: string): Part[] {
  const parts: Part[] = [];
  const open: { key: BrandingKey; index: number }[] = [];
  let last = 0;
  const pushText = (text: string) => {
    if (text.includes("{{") || text.includes("}}")) {
      throw new Error(`malformed placeholder near ${JSON.stringify(text.slice(Math.max(0, text.indexOf("{{") - 20)).slice(0, 60))}`);
    }
    if (text) parts.push({ kind: "text", text });
  };
  for (const m of source.matchAll(placeholder)) {
    const [whole, rawOpen = "", section = "", brand = "", key = "", rawClose = ""] = m;
    const before = source.slice(last, m.index);
    pushText(before);
    last = m.index + whole.length;
    const url = urlAttribute.test(before);
    if (!rawOpen !== !rawClose) throw new Error(`malformed placeholder ${whole}`);
    if (brand) {
      if (!isBrandingKey(key)) throw new Error(`unknown branding field in ${whole}`);
      if (rawOpen) throw new Error(`branding is always escaped: ${whole}`);
      if (section === "#") {
        open.push({ key, index: parts.length });
        parts.push({ kind: "if", key, end: -1 });
      } else if (section === "/") {
        const start = open.pop();
        if (start?.key !== key) throw new Error(`${whole} closes no open section`);
        parts[start.index] = { kind: "if", key, end: parts.length };
        parts.push({ kind: "end" });
      } else {
        parts.push({ kind: "brand", key, url });
      }
    } else if (section) {
      throw new Error(`sections only work on branding fields: ${whole}`);
    } else {
      parts.push({ kind: "var", key, raw: rawOpen === "{", url });
    }
  }
  pushText(source.slice(last));
  if (open.length) throw new Error(`section {{#brand.${open[0]?.key}}} is not closed`);
  return parts;
}
