import type { FormDefinition } from "../forms/definition.js";

/** Sections, an address, a repeated group with a repeated group inside, files, choices, a hint. */
export const nestedForm: FormDefinition = {
  id: "familie",
  version: 3,
  title: { de: "Familie" },
  category: { de: "Test" },
  access: { anonymous: false },
  source: "town",
  steps: [
    {
      id: "s1",
      title: { de: "Eltern" },
      items: [
        { type: "hint", id: "info", text: { de: "Bitte ausfüllen." } },
        {
          type: "group",
          id: "antragsteller",
          label: { de: "Antragsteller" },
          items: [
            { type: "text", id: "name", label: { de: "Name" } },
            { type: "address", id: "anschrift", label: { de: "Anschrift" } },
          ],
        },
      ],
    },
    {
      id: "s2",
      title: { de: "Kinder" },
      items: [
        {
          type: "group",
          id: "kinder",
          label: { de: "Kinder" },
          repeat: { min: 0, max: 5 },
          items: [
            { type: "text", id: "name", label: { de: "Name" } },
            { type: "group", id: "impfungen", label: { de: "Impfungen" }, repeat: { min: 0, max: 9 }, items: [{ type: "date", id: "am", label: { de: "Am" } }] },
            { type: "file", id: "nachweis", label: { de: "Nachweis" }, accept: ["application/pdf"] },
          ],
        },
        { type: "multichoice", id: "wege", label: { de: "Wege" }, options: [{ value: "post", label: { de: "Post" } }, { value: "mail", label: { de: "E-Mail" } }] },
        { type: "yesno", id: "einverstanden", label: { de: "Einverstanden" } },
        { type: "amount", id: "betrag", label: { de: "Betrag" } },
      ],
    },
  ],
};
