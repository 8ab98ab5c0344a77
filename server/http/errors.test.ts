import { describe, expect, it } from "vitest";
import { preferredLang } from "./errors.js";

describe("preferredLang", () => {
  it.each([
    [undefined, "de"],
    ["", "de"],
    ["en", "en"],
    ["en-GB,en;q=0.9", "en"],
    ["de-DE,de;q=0.9,en;q=0.8", "de"],
    ["de;q=0.1, en;q=0.9", "en"],
    ["fr-FR, en;q=0.5, de;q=0.4", "en"],
    ["fr-FR, de;q=0.5, en;q=0.5", "de"],
    ["fr, it", "de"],
    ["de;q=0, fr", "en"],
    ["en;q=0", "de"],
    ["EN-us", "en"],
    ["en;q=abc, de;q=0.2", "de"],
  ] as const)("%s → %s", (header, lang) => {
    expect(preferredLang(header)).toBe(lang);
  });
});
