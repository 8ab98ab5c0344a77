import { describe, expect, it } from "vitest";
import { htmlToText, renderMarkdown } from "./markdown.js";

const own = { imageOrigins: ["https://www.stadt.example", "http://localhost:8080"] };

describe("images in news Markdown", () => {
  it("keeps images on the town's own origins", () => {
    expect(renderMarkdown("![Karte](https://www.stadt.example/karte.png)", own)).toBe('<p><img src="https://www.stadt.example/karte.png" alt="Karte"></p>\n');
    // Origins compare as URLs do: the host's case and a default port do not matter.
    expect(renderMarkdown("![Karte](https://WWW.Stadt.Example:443/k.png)", own)).toContain("<img");
    expect(renderMarkdown("![Plan](http://localhost:8080/plan.png)", own)).toContain("<img");
  });

  it("turns every other image into its alt text, escaped", () => {
    for (const src of [
      "https://tracker.example/p.gif",
      "http://www.stadt.example/k.png", // another scheme is another origin
      "https://www.stadt.example.tracker.example/k.png",
      "https://www.stadt.example@tracker.example/k.png",
      "//tracker.example/p.gif",
      "/relativ.png",
      "data:image/png;base64,iVBORw0KGgo=",
    ]) {
      expect(renderMarkdown(`Vor ![a <b>&amp; *b*](${src}) nach`, own), src).toBe("<p>Vor a &lt;b&gt;&amp; b nach</p>\n");
    }
  });

  it("shows no image at all without a list of origins", () => {
    expect(renderMarkdown("![Karte](https://www.stadt.example/karte.png)")).toBe("<p>Karte</p>\n");
  });

  it("puts a kept image's alt text into the plain-text part", () => {
    expect(htmlToText(renderMarkdown("Umleitung: ![Karte der Umleitung](https://www.stadt.example/k.png)", own))).toBe("Umleitung: Karte der Umleitung");
  });
});
