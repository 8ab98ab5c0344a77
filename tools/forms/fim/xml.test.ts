import { describe, expect, it } from "vitest";
import { childText, decodeEntities, parseXml, XmlError } from "./xml.js";
import { importFim } from "./import.js";

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xdf:xdatenfelder.stammdatenschema.0102 xmlns:xdf="urn:xoev-de:fim:standard:xdatenfelder_2"><xdf:stammdatenschema><xdf:name>&lol3;</xdf:name></xdf:stammdatenschema></xdf:xdatenfelder.stammdatenschema.0102>`;

const XXE = `<?xml version="1.0"?>
<!doctype r [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<r>&e;</r>`;

describe("parseXml", () => {
  it("refuses a DOCTYPE with entities (billion laughs), before any expansion", () => {
    expect(() => parseXml(BILLION_LAUGHS)).toThrow(XmlError);
    expect(() => importFim(BILLION_LAUGHS)).toThrow(/DOCTYPE/);
  });

  it("refuses an external entity declaration, whatever the case of DOCTYPE", () => {
    expect(() => parseXml(XXE)).toThrow(XmlError);
  });

  it("leaves undeclared entities as written and decodes only the predefined ones and character references", () => {
    const root = parseXml(`<r a="x &amp; y"><t>&lt;&gt; &amp;amp; &#x41;&#66; &unknown;</t></r>`);
    expect(root.attrs.a).toBe("x & y");
    expect(childText(root, "t")).toBe("<> &amp; AB &unknown;");
  });

  it("keeps CDATA literal", () => {
    expect(childText(parseXml("<r><t><![CDATA[&lt;b&gt;]]></t></r>"), "t")).toBe("&lt;b&gt;");
  });

  it("splits prefixes off element names and keeps namespace declarations", () => {
    const root = parseXml(`<x:r xmlns:x="urn:a"><x:c>1</x:c></x:r>`);
    expect(root).toMatchObject({ name: "r", prefix: "x", attrs: { "xmlns:x": "urn:a" } });
    expect(root.children[0]).toMatchObject({ name: "c", prefix: "x", text: "1" });
  });

  it("rejects malformed XML", () => {
    expect(() => parseXml("<a><b></a>")).toThrow(/Malformed XML/);
  });

  it("decodes a carriage return reference", () => {
    expect(decodeEntities("a&#xD;\nb")).toBe("a\r\nb");
  });
});
