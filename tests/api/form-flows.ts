import { solveChallenge } from "../../widget/src/core/proof-solver.js";
import type { TestApp } from "../harness/types.js";
import { api, call } from "./flows.js";

/** Helpers of the forms suites: valid answers for the demo forms, uploads, proofs. */

export const pngBytes = () =>
  // A real 1×1 PNG: signature, IHDR, IDAT, IEND.
  Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

export const pdfBytes = (extra = "") =>
  new TextEncoder().encode(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R ${extra}>> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

export async function solvedProof(t: Pick<TestApp, "app">, slug: string, purpose: "upload" | "submission" | "appointment"): Promise<string> {
  const ch = await call(t, "GET", `${api(slug)}/proof/challenge?purpose=${purpose}`);
  if (ch.status !== 200) throw new Error(`challenge: ${ch.status} ${ch.text}`);
  return solveChallenge(ch.json);
}

export async function upload(
  t: Pick<TestApp, "app">,
  slug: string,
  formId: string,
  field: string,
  file: { bytes: Uint8Array; name: string; type?: string },
  opts: { token?: string; proof?: string } = {},
) {
  const form = new FormData();
  form.append("field", field);
  form.append("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type ?? "application/octet-stream" }), file.name);
  const headers: Record<string, string> = {};
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.proof) headers["X-Proof"] = opts.proof;
  const res = await t.app.request(`${api(slug)}/forms/${formId}/uploads`, { method: "POST", body: form, headers });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

export async function formVersion(t: Pick<TestApp, "app">, slug: string, formId: string): Promise<number> {
  return (await call(t, "GET", `${api(slug)}/forms/${formId}`)).json.version;
}

/** A complete Hundesteuer-Anmeldung; `dogs` dogs, the first a Listenhund with its certificate. */
export function hundesteuerData(opts: { certificate?: string; dogs?: number } = {}) {
  const dog = (i: number) => ({
    name: i === 0 ? "Bello" : `Hund ${i + 1}`,
    rasse: i === 0 ? "American Staffordshire Terrier" : "Dackel",
    geburtsdatum: "2021-05-04",
    geschlecht: i % 2 ? "huendin" : "ruede",
    haltung_seit: "2025-01-15",
    listenhund: i === 0 && opts.certificate !== undefined,
    ...(i === 0 && opts.certificate ? { nachweis: [opts.certificate] } : {}),
    steuerbefreiung: "keine",
  });
  return {
    halter: {
      name: "Erika Mustermann",
      geburtsdatum: "1980-02-29",
      anschrift: { street: "Lindenallee 17", postalCode: "39517", city: "Tangerhütte" },
      email: "erika@example.org",
    },
    hunde: Array.from({ length: opts.dogs ?? 1 }, (_, i) => dog(i)),
    zahlungsart: "lastschrift",
    kontoinhaber: "Erika Mustermann",
    iban: "DE89 3704 0044 0532 0130 00",
    sepa_mandat: true,
    richtigkeit: true,
    datenschutz: true,
  };
}

export function maengelData(photo?: string) {
  return {
    kategorie: "strassenschaden",
    ort: "Bahnhofstraße 12",
    beschreibung: "Tiefes Schlagloch auf der Fahrbahn vor dem Haus.",
    ...(photo ? { fotos: [photo] } : {}),
    rueckruf: false,
  };
}

let keys = 0;
export const idempotencyKey = () => `key-${Date.now().toString(36)}-${(keys++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
