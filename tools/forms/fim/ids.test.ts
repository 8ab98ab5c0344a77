import { describe, expect, it } from "vitest";
import { fimIdFrom, FORM_ID, formIdFrom, IdScope, ITEM_ID, itemIdFrom } from "./ids.js";

describe("itemIdFrom", () => {
  it("spells out umlauts and ß and turns everything else into underscores", () => {
    expect(itemIdFrom("Straße")).toBe("strasse");
    expect(itemIdFrom("Staatsangehörigkeit")).toBe("staatsangehoerigkeit");
    expect(itemIdFrom("Geburtsdatum (teilbekannt)")).toBe("geburtsdatum_teilbekannt");
    expect(itemIdFrom("Übergabe / Ärger")).toBe("uebergabe_aerger");
    expect(itemIdFrom("Café Zoë")).toBe("cafe_zoe");
  });

  it("cuts long names at a word end within 40 characters", () => {
    const id = itemIdFrom("Vertretung durch gesetzlichen Vertreter oder Bevollmächtigten (Antragsteller)");
    expect(id).toBe("vertretung_durch_gesetzlichen_vertreter");
    expect(id).toMatch(ITEM_ID);
  });

  it("gives names starting with a digit a letter, and empty names the fallback", () => {
    expect(itemIdFrom("2. Wohnsitz")).toBe("f_2_wohnsitz");
    expect(itemIdFrom("—", "gruppe")).toBe("gruppe");
  });
});

describe("IdScope", () => {
  it("numbers repeats from _2 and stays within 40 characters", () => {
    const scope = new IdScope();
    expect(scope.take("ort")).toBe("ort");
    expect(scope.take("ort")).toBe("ort_2");
    expect(scope.take("ort")).toBe("ort_3");
    const long = "a".repeat(40);
    expect(scope.take(long)).toBe(long);
    const second = scope.take(long);
    expect(second).toBe(`${"a".repeat(38)}_2`);
    expect(second).toMatch(ITEM_ID);
  });
});

describe("formIdFrom", () => {
  it("makes a lowercase dashed id of at most 60 characters", () => {
    const id = formIdFrom("Antrag Aufenthaltserlaubnis zum Zweck der Erwerbstätigkeit Verlängerung");
    expect(id).toBe("antrag-aufenthaltserlaubnis-zum-zweck-der-erwerbstaetigkeit");
    expect(id).toMatch(FORM_ID);
  });
});

describe("fimIdFrom", () => {
  it("joins id and version", () => {
    expect(fimIdFrom("F60000227", "1.2", "F")).toEqual({ fim: "F60000227V1.2" });
    expect(fimIdFrom("G60000088", undefined, "G")).toEqual({ fim: "G60000088" });
  });

  it("drops ids that do not fit and leaves off versions that do not", () => {
    expect(fimIdFrom("F60000000243", "1.1.0", "F")).toEqual({ problem: "id" });
    expect(fimIdFrom("F123", "1.0", "F")).toEqual({ problem: "id" });
    expect(fimIdFrom("G60000088", "1.2.0", "G")).toEqual({ fim: "G60000088", problem: "version" });
    expect(fimIdFrom("G60000088", "1.0", "F")).toEqual({ problem: "id" });
  });
});
