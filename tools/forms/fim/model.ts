/**
 * What the XDatenfelder 2 and 3 readers (./xdf2.ts, ./xdf3.ts) make of a file: one tree in
 * FIM's own terms, before any decision about our form format (./map.ts takes it from here).
 */

/** `anzahl` "min:max"; `max` null = unbounded (`n`, `*`). */
export interface Cardinality {
  min: number;
  max: number | null;
  /** As written, for the report. */
  raw: string;
}

/** `praezisierung`, values as written (XDF2 JSON or XDF3 attributes). */
export interface RawConstraints {
  minLength?: string;
  maxLength?: string;
  minValue?: string;
  maxValue?: string;
  pattern?: string;
}

export interface CodeListRef {
  /** `canonicalIdentification` (genericode CanonicalUri). */
  canonicalUri?: string;
  version?: string;
  canonicalVersionUri?: string;
  /** XDF2 `identifikation/id` of the list (`C60000030`), for the report. */
  id?: string;
}

export interface InlineValue {
  code: string;
  name: string;
  help?: string;
}

interface ElementBase {
  /** FIM id (`F60000227`, `G60000088`); empty when the file has none. */
  id: string;
  version?: string;
  name: string;
  /** `bezeichnungEingabe` (XDF3 schema: `bezeichnung`). */
  label?: string;
  /** `hilfetextEingabe`. */
  help?: string;
  description?: string;
  definition?: string;
  /** Ids of the rules attached here (their text is in `FimSchema.rules`). */
  ruleIds: string[];
}

export interface FimField extends ElementBase {
  kind: "field";
  /** input | select | label | hidden | locked (lower case as written). */
  feldart: string;
  /** text | text_latin | date | time | datetime | bool | num | num_int | num_currency | file | obj. */
  datentyp: string;
  constraints: RawConstraints;
  /** `praezisierung` that could not be read (XDF2 JSON that is not JSON), for a warning. */
  constraintsError?: string;
  /** `inhalt`: the text of a label field, or a preset value. */
  content?: string;
  codeList?: CodeListRef;
  /** XDF3 `werte`. */
  values: InlineValue[];
  /** XDF3 `codeKey` / `nameKey`: which genericode columns hold code and label. */
  codeKey?: string;
  nameKey?: string;
  /** XDF3 file fields. */
  mediaTypes: string[];
  maxSize?: number;
}

export interface FimGroup extends ElementBase {
  kind: "group";
  children: FimChild[];
}

export interface FimChild {
  cardinality: Cardinality;
  element: FimField | FimGroup;
}

export interface FimRule {
  id: string;
  version?: string;
  name: string;
  /** The prose: XDF2 `definition`, XDF3 `freitextRegel` (falling back to `beschreibung`). */
  text: string;
  script?: string;
}

export interface FimSchema {
  /** 2 or 3. */
  xdfVersion: 2 | 3;
  /** Root message kind, e.g. `stammdatenschema`, `datenfeldgruppe`. */
  messageKind: string;
  id: string;
  version?: string;
  name: string;
  label?: string;
  help?: string;
  description?: string;
  definition?: string;
  /** Texts that may name a Leistung (LeiKa key): `bezug`, keywords, links. */
  references: string[];
  ruleIds: string[];
  children: FimChild[];
  /** Every rule found anywhere in the file, by id (first occurrence wins). */
  rules: Map<string, FimRule>;
  /** Problems met while reading (unreadable cardinality, unknown elements); German and English. */
  readWarnings: ReadWarning[];
}

export interface ReadWarning {
  where: string;
  de: string;
  en: string;
}
