/**
 * The form definition format: what `tenants/<slug>/forms/<id>.json` and
 * `tenants/_catalog/forms/<id>.json` hold (docs/forms.md). Types only, no runtime imports:
 * the widget imports them with `import type`, and the rules module (./rules/) works on them
 * on both sides. The file schema that checks them at sync is ./definition-schema.ts.
 */
import type { AccountKind } from "../db/schema.js";

/** A text shown to citizens: German always, English where the town wrote it. */
export interface Text {
  de: string;
  en?: string;
}

/** Account data a field may be prefilled with (the citizen can still change it). */
export type PrefillSource = "name" | "organisation" | "address" | "email" | "mobile";

/** A literal a condition compares with. */
export type Literal = string | number | boolean;

/**
 * When a field, group or step is shown. `field` names another answer: a dot path of ids from
 * the form's root (`halter.art`); inside a repeated group the entry's own fields are found
 * first, so `listenhund` in a dog entry means that dog's answer.
 */
export type Condition =
  | { field: string; equals: Literal }
  | { field: string; in: Literal[] }
  | { field: string; filled: true }
  | { field: string; yes: true }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

interface ItemBase {
  /** Key of the answer in the data; lowercase letters, digits, `_`; unique among siblings. */
  id: string;
  label: Text;
  help?: Text;
  /** Shown (and then checked) only while this holds; hidden answers are dropped. */
  when?: Condition;
  /** FIM id of the field (`F…`) or group (`G…`), with version if known (`F60000227V1.2`). */
  fim?: string;
}

interface FieldBase extends ItemBase {
  required?: boolean;
  prefill?: PrefillSource;
}

export interface TextField extends FieldBase {
  type: "text" | "textarea";
  minLength?: number;
  maxLength?: number;
  pattern?: { regex: string; message: Text };
}

export interface EmailField extends FieldBase {
  type: "email";
}

/** German or international phone number; stored as typed, checked for plausibility. */
export interface PhoneField extends FieldBase {
  type: "phone";
}

/** `amount` is euros with at most two decimals; all three are stored as JSON numbers. */
export interface NumberField extends FieldBase {
  type: "number" | "integer" | "amount";
  min?: number;
  max?: number;
}

/**
 * A date bound: an ISO date (`2026-04-01`), `today`, or today plus/minus a period
 * (`+P30D`, `-P18Y`, `+P2M`). Past only: `max: "today"`; future only: `min: "today"`.
 */
export type DateBound = string;

export interface DateField extends FieldBase {
  type: "date";
  min?: DateBound;
  max?: DateBound;
}

/** `HH:MM`, 24 hours. */
export interface TimeField extends FieldBase {
  type: "time";
  min?: string;
  max?: string;
}

export interface Option {
  value: string;
  label: Text;
}

export interface ChoiceField extends FieldBase {
  type: "choice";
  options: Option[];
  /** Radio buttons (default up to 6 options) or a select box. */
  display?: "radio" | "select";
}

export interface MultiChoiceField extends FieldBase {
  type: "multichoice";
  options: Option[];
  minItems?: number;
  maxItems?: number;
}

export interface YesNoField extends FieldBase {
  type: "yesno";
}

/** A checkbox that must be ticked when required (the label is the declaration). */
export interface ConsentField extends FieldBase {
  type: "consent";
}

/** Uploads; the answer is the list of upload ids (`POST …/uploads`). */
export interface FileField extends FieldBase {
  type: "file";
  /** Media types accepted, decided by content: `application/pdf`, `image/jpeg`, `image/png`. */
  accept: string[];
  /** Bytes per file; default 10 MB. */
  maxSize?: number;
  /** Default 1. */
  maxFiles?: number;
}

export interface IbanField extends FieldBase {
  type: "iban";
}

/** A German postal address: `{street, postalCode, city}`, street with house number. */
export interface AddressField extends FieldBase {
  type: "address";
}

/** Static text between fields; no answer. */
export interface HintItem {
  type: "hint";
  id: string;
  text: Text;
  when?: Condition;
}

/**
 * A section (answers nested under its id) or, with `repeat`, a list of entries
 * (several dogs, several children), each entry an object of the group's items.
 */
export interface GroupItem extends ItemBase {
  type: "group";
  items: Item[];
  repeat?: { min: number; max: number; itemLabel?: Text };
}

export type Field =
  | TextField
  | EmailField
  | PhoneField
  | NumberField
  | DateField
  | TimeField
  | ChoiceField
  | MultiChoiceField
  | YesNoField
  | ConsentField
  | FileField
  | IbanField
  | AddressField;

export type FieldType = Field["type"];
export type Item = Field | HintItem | GroupItem;

export interface Step {
  id: string;
  title: Text;
  when?: Condition;
  items: Item[];
}

/** Who may send a form. */
export interface FormAccess {
  /** Without an account: the sender gives an e-mail address and solves a proof of work. */
  anonymous: boolean;
  /** Which account kinds may send it; all when absent. */
  accountKinds?: AccountKind[];
  /**
   * The trust level the sender's login must have (eIDAS: `substantial` e.g. ELSTER, `high` the
   * eID): only a session from a login at an identity provider (BundID) with at least this level
   * may send it. Such a form is never anonymous.
   */
  trustLevel?: "substantial" | "high";
}

/** A form as a town serves it: its own file, or a catalogue form with the town's adaptations applied. */
export interface FormDefinition {
  /** The file name without `.json`. */
  id: string;
  /** Raised by the sync whenever the served definition changes; submissions keep theirs. */
  version: number;
  title: Text;
  summary?: Text;
  category: Text;
  keywords?: string[];
  /** Leika service key (14 digits). */
  leika?: string;
  /** Id of a department in tenant.json; receives the notification mail. */
  department?: string;
  fees?: Text;
  /** Shown before the first step. */
  intro?: Text;
  /** Shown after sending: what happens next. */
  afterSubmit?: Text;
  access: FormAccess;
  steps: Step[];
  /** `catalog` when the form comes from tenants/_catalog/forms. */
  source: "town" | "catalog";
}

/** What a form file holds: everything but what the sync assigns. */
export type FormFile = Omit<FormDefinition, "id" | "version" | "source">;

/** A stored address answer. */
export interface AddressValue {
  street: string;
  postalCode: string;
  city: string;
}

export type Value = string | number | boolean | string[] | AddressValue | FormData | FormData[];
/** A form's answers: item ids to values, groups nested. */
export interface FormData {
  [id: string]: Value;
}

/** Listing entry of `GET forms`. */
export interface FormSummary {
  id: string;
  version: number;
  title: Text;
  summary: Text | null;
  category: Text;
  keywords: string[];
  access: FormAccess;
}
