import { DOMParser, type Document, type Element } from "@xmldom/xmldom";

/** The namespaces SAML messages, metadata and BundID's extension are written in. */
export const ns = {
  protocol: "urn:oasis:names:tc:SAML:2.0:protocol",
  assertion: "urn:oasis:names:tc:SAML:2.0:assertion",
  metadata: "urn:oasis:names:tc:SAML:2.0:metadata",
  dsig: "http://www.w3.org/2000/09/xmldsig#",
  akdb: "https://www.akdb.de/request/2018/09",
  classicUi: "https://www.akdb.de/request/2018/09/classic-ui/v1",
} as const;

export class XmlRefused extends Error {}

/**
 * DOCTYPE, ENTITY, ELEMENT, ATTLIST: declarations are where entity expansion bombs and external
 * entities live, and no SAML message or metadata needs one. Comments and CDATA stay allowed.
 */
const declaration = /<!(?!--|\[CDATA\[)/;

export function refuseDeclarations(xml: string): void {
  if (declaration.test(xml)) throw new XmlRefused("markup declaration (DOCTYPE/ENTITY) refused");
}

/** Parses XML that has passed `refuseDeclarations`; any parser error, not only a fatal one, refuses it. */
export function parseXml(xml: string): Document {
  refuseDeclarations(xml);
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") throw new XmlRefused(message);
      },
    }).parseFromString(xml, "text/xml");
  } catch (e) {
    throw new XmlRefused(`not well-formed: ${e instanceof Error ? e.message.split("\n")[0] : "parse error"}`);
  }
  if (!doc.documentElement) throw new XmlRefused("no root element");
  return doc;
}

export const is = (el: Element | null | undefined, namespace: string, localName: string): el is Element =>
  el != null && el.namespaceURI === namespace && el.localName === localName;

/** Direct child elements with that name; SAML's meaning depends on position, so no descendant search. */
export function children(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === n.ELEMENT_NODE && is(n as Element, namespace, localName)) found.push(n as Element);
  }
  return found;
}

/** The one child with that name, or null; a second one makes the message ambiguous and is refused. */
export function onlyChild(parent: Element, namespace: string, localName: string): Element | null {
  const found = children(parent, namespace, localName);
  if (found.length > 1) throw new XmlRefused(`more than one ${localName}`);
  return found[0] ?? null;
}

export const textOf = (el: Element | null): string | null => {
  const t = el?.textContent?.trim();
  return t ? t : null;
};

/** An attribute's value, or null when it is absent or empty. */
export const attr = (el: Element, name: string): string | null => {
  const v = el.getAttribute(name);
  return v ? v : null;
};

/**
 * Strict base64 (whitespace allowed, nothing else) to UTF-8 text. Lenient decoders skip stray
 * characters, which would let two parsers of the same message see different documents.
 */
export function decodeBase64Utf8(value: string, maxBytes: number): string {
  const compact = value.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new XmlRefused("not base64");
  if ((compact.length / 4) * 3 > maxBytes) throw new XmlRefused("too large");
  const binary = atob(compact);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new XmlRefused("not UTF-8");
  }
}

/** Parses an xs:dateTime to epoch milliseconds; a SAML time without a zone is refused rather than guessed. */
export function parseInstant(value: string | null, what: string): number | null {
  if (value == null) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) throw new XmlRefused(`${what} is not a UTC date-time`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new XmlRefused(`${what} is not a date-time`);
  return ms;
}
