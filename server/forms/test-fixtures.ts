/**
 * The dog-tax ("Hundesteuer") form the forms tests check their modules against, in parts:
 * each test file puts its own version together, because its assertions name items by id
 * and position (`steps.1.items.0.items.3`), and keeps inline what only it needs. What the
 * versions share is written once here, with the way the tests catch a definition error.
 * Every function returns new objects, since tests edit, freeze and compare the forms they get.
 */
import { TenantDefinitionError } from "../tenants/definitions.js";
import type { ChoiceField, FileField, FormFile, GroupItem, Item, Option, Step, Text, TextField, YesNoField } from "./definition.js";

/** A text with the same words in German and English: the tests read the German side. */
export const t = (de: string): Text => ({ de, en: de });

/** Choice options in their order, from `{ value: "German label" }`. */
export const options = (labels: Record<string, string>): Option[] => Object.entries(labels).map(([value, label]) => ({ value, label: t(label) }));

/** The dog-tax form with its title, summary, category and LeiKa key; `form` adds access, steps and anything else. */
export function dogTaxForm(form: Pick<FormFile, "access" | "steps"> & Partial<FormFile>): FormFile {
  return { title: t("Hundesteuer-Anmeldung"), summary: t("Hunde zur Hundesteuer anmelden"), category: t("Steuern"), leika: "99008002001000", ...form };
}

/** Step `halterin`, titled "Halter": the owner's group `halter` and nothing else. */
export function ownerStep(group: Omit<GroupItem, "id" | "type">): Step {
  return { id: "halterin", title: t("Halter"), items: [{ id: "halter", type: "group", ...group }] };
}

/** Step `hundedaten`: the repeated group `hunde`, one entry a dog, up to five by default. */
export function dogsStep(items: Item[], repeat: NonNullable<GroupItem["repeat"]> = { min: 1, max: 5, itemLabel: t("Hund") }): Step {
  return { id: "hundedaten", title: t("Hunde"), items: [{ id: "hunde", type: "group", label: t("Hunde"), repeat, items }] };
}

/** The dog's name in its entry: a required text `name`. */
export const dogName = (): TextField => ({ id: "name", type: "text", label: t("Name des Hundes"), required: true });

/** The dog's sex: a required choice `geschlecht` of `ruede` and `huendin`. */
export const dogSex = (): ChoiceField => ({ id: "geschlecht", type: "choice", label: t("Geschlecht"), required: true, options: options({ ruede: "Rüde", huendin: "Hündin" }) });

/** Whether the dog is of a listed breed: a required yes/no `listenhund`. */
export const listedBreed = (): YesNoField => ({ id: "listenhund", type: "yesno", label: t("Listenhund?"), required: true });

/** The temperament test `nachweis`, PDFs or JPEGs, required for a listed dog: the condition reads the entry's own `listenhund`. */
export const temperamentTest = (limits: Pick<FileField, "maxFiles"> = {}): FileField => ({
  id: "nachweis",
  type: "file",
  label: t("Wesenstest"),
  required: true,
  when: { field: "listenhund", yes: true },
  accept: ["application/pdf", "image/jpeg"],
  ...limits,
});

/**
 * Step `zahlung`: the required choice `zahlungsart` (`lastschrift` or `ueberweisung`), the
 * `iban` required for a direct debit, then `more`, then the hint `hinweis` shown for a transfer.
 */
export function paymentStep(...more: Item[]): Step {
  return {
    id: "zahlung",
    title: t("Zahlung"),
    items: [
      { id: "zahlungsart", type: "choice", label: t("Zahlungsart"), required: true, options: options({ lastschrift: "Lastschrift", ueberweisung: "Überweisung" }) },
      { id: "iban", type: "iban", label: t("IBAN"), required: true, when: { field: "zahlungsart", equals: "lastschrift" } },
      ...more,
      { id: "hinweis", type: "hint", text: t("Bankverbindung im Bescheid"), when: { field: "zahlungsart", equals: "ueberweisung" } },
    ],
  };
}

/** Step `erklaerung`: the declaration `richtigkeit` the sender must tick, worded `declaration`, then `more`. */
export function declarationStep(declaration = "Ich versichere die Richtigkeit.", ...more: Item[]): Step {
  return { id: "erklaerung", title: t("Erklärung"), items: [{ id: "richtigkeit", type: "consent", label: t(declaration), required: true }, ...more] };
}

/** The TenantDefinitionError `run` throws; another error is rethrown, and when it throws none the test fails with "expected <expected>". */
export function definitionError(run: () => unknown, expected: string): TenantDefinitionError {
  try {
    run();
  } catch (e) {
    if (e instanceof TenantDefinitionError) return e;
    throw e;
  }
  throw new Error(`expected ${expected}`);
}
