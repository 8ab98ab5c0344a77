import MarkdownIt from "markdown-it";
import type { Tenant } from "../tenants/tenant.js";

/**
 * Markdown from staff to HTML that is safe in the widget, the feed and e-mails: raw HTML is
 * escaped (never passed through), and markdown-it's link validation drops `javascript:`,
 * `vbscript:`, `file:` and non-image `data:` URLs. No event handler can be written in Markdown.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: true, breaks: false });

/** Where `renderMarkdown` hands the allowed image origins to the image rule. */
const imageOriginsKey = Symbol("imageOrigins");

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  // Links leave the town's page in a new context and must not hand it a window.opener.
  tokens[idx]!.attrSet("rel", "noopener noreferrer");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/**
 * Images only from the town's own origins. A remote image in a news mail is loaded by every
 * recipient's mail client when they open it, handing the image's host their address and the
 * moment they read it: a tracking pixel, and a transfer to a third party the town has no
 * contract with (the same holds in the widget on the town's page). The town's own servers
 * see that anyway, and staff keep the images they need (a map of a road closure on the
 * town's website). Everything else becomes its alt text, so the sentence still reads.
 */
const defaultImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const origins = env?.[imageOriginsKey];
  const src = token.attrGet("src");
  if (origins instanceof Set && typeof src === "string" && isOwnImage(src, origins)) return defaultImage(tokens, idx, options, env, self);
  return md.utils.escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
};

function isOwnImage(src: string, origins: ReadonlySet<unknown>): boolean {
  let url: URL;
  try {
    // Relative addresses resolve nowhere in a mail, so only absolute ones count.
    url = new URL(src);
  } catch {
    return false;
  }
  return (url.protocol === "https:" || url.protocol === "http:") && origins.has(url.origin);
}

/** The origins a town's news may show images from: its website and the pages that embed the widget. */
export function imageOriginsOf(tenant: Tenant): string[] {
  const c = tenant.config;
  const origins = [...c.allowedOrigins];
  try {
    origins.push(new URL(c.contact.website).origin);
  } catch {
    // The tenant schema validates the website; without one only allowedOrigins count.
  }
  return origins;
}

/** Without `imageOrigins` no image is shown at all. */
export function renderMarkdown(source: string, opts: { imageOrigins?: ReadonlyArray<string> } = {}): string {
  return md.render(source, { [imageOriginsKey]: new Set(opts.imageOrigins ?? []) });
}

const entities: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": " " };

/** The plain-text part of a mail: the rendered text without tags, paragraphs kept apart. */
export function htmlToText(html: string): string {
  return html
    .replace(/<\/(p|h[1-6]|li|blockquote|pre)>/g, "\n\n")
    .replace(/<br\s*\/?>/g, "\n")
    .replace(/<li>/g, "• ")
    .replace(/<a [^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/g, "$2 ($1)")
    .replace(/<img [^>]*alt="([^"]*)"[^>]*>/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (e) => entities[e] ?? e)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
