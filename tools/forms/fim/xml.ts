/**
 * A small, hostile-input-safe XML tree for the FIM readers. fast-xml-parser does the tokenising;
 * entity processing is off and any DTD is refused, so a file cannot declare entities that expand
 * (billion laughs) or reach outside (XXE). The five predefined entities and character references
 * carry no such risk and are decoded here, in one pass.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface XmlElement {
  /** Local name, without namespace prefix. */
  name: string;
  /** Namespace prefix as written (`xdf`), empty when none. */
  prefix: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its descendants'), entities decoded, untrimmed. */
  text: string;
}

export class XmlError extends Error {
  override name = "XmlError";
}

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes predefined entities and character references; anything else stays as written. */
export function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x") || ref.startsWith("#")) {
      const code = ref.startsWith("#x") ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

type RawNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: "#cdata",
});

/**
 * Parses a document and returns its root element. Throws `XmlError` for a DOCTYPE or ENTITY
 * declaration, for malformed XML, and for a document without a root element.
 */
export function parseXml(source: string): XmlElement {
  if (/<!DOCTYPE/i.test(source) || /<!ENTITY/i.test(source)) {
    throw new XmlError("DOCTYPE/ENTITY declarations are not accepted (Dokumenttyp-Deklarationen werden abgelehnt)");
  }
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    throw new XmlError(`Malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  }
  const nodes = parser.parse(source) as RawNode[];
  const root = nodes.map(toElement).find((el): el is XmlElement => el !== null);
  if (!root) throw new XmlError("The document has no root element");
  return root;
}

function toElement(node: RawNode): XmlElement | null {
  const tag = Object.keys(node).find((k) => k !== ":@" && k !== "#text" && k !== "#cdata");
  if (tag === undefined) return null;
  const colon = tag.indexOf(":");
  const rawAttrs = (node[":@"] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttrs)) attrs[key] = decodeEntities(String(value));
  const element: XmlElement = {
    name: colon >= 0 ? tag.slice(colon + 1) : tag,
    prefix: colon >= 0 ? tag.slice(0, colon) : "",
    attrs,
    children: [],
    text: "",
  };
  const content = node[tag];
  if (Array.isArray(content)) {
    for (const child of content as RawNode[]) {
      if ("#text" in child) element.text += decodeEntities(String(child["#text"]));
      else if ("#cdata" in child) element.text += cdataText(child["#cdata"]);
      else {
        const el = toElement(child);
        if (el) element.children.push(el);
      }
    }
  }
  return element;
}

/** CDATA is literal: no entity decoding. */
function cdataText(value: unknown): string {
  if (!Array.isArray(value)) return String(value ?? "");
  return value.map((part: RawNode) => String(part["#text"] ?? "")).join("");
}

/** The first child with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** All children with this local name, in document order. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Trimmed text of the first child with this name; undefined when absent or blank. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const text = child(el, name)?.text.trim();
  return text ? text : undefined;
}

/** Trimmed text of a path of children (`["feldart", "code"]`). */
export function pathText(el: XmlElement | undefined, path: string[]): string | undefined {
  let current = el;
  for (const name of path) current = child(current, name);
  const text = current?.text.trim();
  return text ? text : undefined;
}

/** The namespace URI a prefix is bound to on this element (FIM files bind it on the root). */
export function namespaceOf(el: XmlElement): string | undefined {
  return el.prefix ? el.attrs[`xmlns:${el.prefix}`] : el.attrs.xmlns;
}
