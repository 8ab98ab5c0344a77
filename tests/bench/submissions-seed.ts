/**
 * What the submission benchmark runs against: a copy of tenants/ with one bench-only form
 * (`tangerhuette/forms/bench-30.json`: 30 fields of every type, a repeated group, conditions,
 * one file field), a fresh SQLite file migrated and synced from it, and verified citizens with
 * sessions written straight into the database, as months of registrations would leave them.
 * Nobody logs in: the tokens are made here and only their SHA-256 is stored, as a login does.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newSession } from "../../server/accounts/sessions.js";
import type { FormData, FormFile, Item } from "../../server/forms/definition.js";
import { findActiveForm } from "../../server/forms/repo.js";
import { systemClock } from "../../server/lib/clock.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { findActiveTenantBySlug } from "../../server/tenants/repo.js";

export const benchSlug = "tangerhuette";
export const benchFormId = "bench-30";
/** The path of the file field, as the upload's `field` part names it. */
export const fileFieldPath = "unterlagen";

export interface SubmissionsDataset {
  /** DATA_DIR of the server: rathaus.sqlite, blobs/. */
  dataDir: string;
  tenantsDir: string;
  /** The version the sync gave the bench form; submissions must name it. */
  formVersion: number;
  /** Answer fields of the synced form (groups and hints not counted). */
  fieldCount: number;
  /** One session token per seeded citizen. */
  tokens: string[];
  remove: () => void;
}

const t = (de: string, en: string) => ({ de, en });
const opt = (value: string, de: string, en: string) => ({ value, label: t(de, en) });

/** A Sondernutzungserlaubnis (street use permit): the kind of long form towns have. */
export const benchForm: FormFile = {
  title: t("Sondernutzung öffentlicher Verkehrsflächen (Benchmark)", "Special use of public roads (benchmark)"),
  summary: t("Nur für den Lasttest: 30 Felder aller Typen.", "Load test only: 30 fields of every type."),
  category: t("Bauen & Verkehr", "Building & traffic"),
  keywords: ["Sondernutzung", "Benchmark"],
  department: "ordnungsamt",
  afterSubmit: t("Das Ordnungsamt prüft Ihren Antrag und meldet sich binnen zwei Wochen.", "The public order office checks your application and replies within two weeks."),
  access: { anonymous: false, accountKinds: ["person"] },
  steps: [
    {
      id: "antragsteller",
      title: t("Antragsteller/in", "Applicant"),
      items: [
        {
          id: "person",
          type: "group",
          label: t("Ihre Angaben", "About you"),
          items: [
            { id: "anrede", type: "choice", label: t("Anrede", "Title"), required: true, options: [opt("frau", "Frau", "Ms"), opt("herr", "Herr", "Mr"), opt("divers", "Divers", "Diverse"), opt("keine", "Keine Angabe", "None")] },
            { id: "vorname", type: "text", label: t("Vorname", "First name"), required: true, maxLength: 60 },
            { id: "nachname", type: "text", label: t("Nachname", "Last name"), required: true, maxLength: 60 },
            { id: "geburtsdatum", type: "date", label: t("Geburtsdatum", "Date of birth"), required: true, max: "-P18Y", min: "-P120Y" },
            { id: "anschrift", type: "address", label: t("Anschrift", "Address"), required: true, prefill: "address" },
            { id: "email", type: "email", label: t("E-Mail-Adresse", "E-mail address"), required: true, prefill: "email" },
            { id: "telefon", type: "phone", label: t("Telefonnummer", "Phone number"), required: true, prefill: "mobile" },
            {
              id: "staatsangehoerigkeit",
              type: "choice",
              display: "select",
              label: t("Staatsangehörigkeit", "Nationality"),
              options: [opt("de", "deutsch", "German"), opt("eu", "EU-Staat", "EU country"), opt("andere", "andere", "other")],
            },
          ],
        },
      ],
    },
    {
      id: "vorhaben",
      title: t("Vorhaben", "Project"),
      items: [
        {
          id: "art",
          type: "choice",
          label: t("Art der Sondernutzung", "Kind of use"),
          required: true,
          options: [opt("geruest", "Gerüst", "Scaffolding"), opt("container", "Container", "Skip"), opt("stand", "Verkaufsstand", "Stall"), opt("umzug", "Umzug", "Removal")],
        },
        { id: "beschreibung", type: "textarea", label: t("Beschreibung", "Description"), required: true, maxLength: 4000 },
        { id: "beginn", type: "date", label: t("Beginn", "Start"), required: true, min: "today", max: "+P1Y" },
        { id: "uhrzeit", type: "time", label: t("Uhrzeit", "Time"), required: true, min: "06:00", max: "22:00" },
        { id: "dauer_tage", type: "integer", label: t("Dauer in Tagen", "Duration in days"), required: true, min: 1, max: 365 },
        { id: "flaeche", type: "number", label: t("Fläche in m²", "Area in m²"), required: true, min: 0.5, max: 5000 },
        { id: "kaution", type: "amount", label: t("Angebotene Kaution", "Deposit offered"), min: 0, max: 100000 },
        {
          id: "betroffen",
          type: "multichoice",
          label: t("Betroffene Flächen", "Areas affected"),
          required: true,
          minItems: 1,
          options: [opt("gehweg", "Gehweg", "Pavement"), opt("fahrbahn", "Fahrbahn", "Road"), opt("parkplatz", "Parkplatz", "Parking"), opt("gruen", "Grünfläche", "Green space")],
        },
        { id: "oeffentlich", type: "yesno", label: t("Ist die Fläche öffentlich zugänglich?", "Is the area open to the public?"), required: true },
        { id: "personen", type: "integer", label: t("Beteiligte Personen vor Ort", "People on site"), min: 1, max: 500 },
        { id: "genehmigung", type: "yesno", label: t("Liegt eine Baugenehmigung vor?", "Is there a building permit?"), required: true },
        {
          id: "aktenzeichen",
          type: "text",
          label: t("Aktenzeichen der Baugenehmigung", "File number of the permit"),
          required: true,
          maxLength: 40,
          when: { field: "genehmigung", yes: true },
          pattern: { regex: "^[A-Z0-9/ -]{3,40}$", message: t("Bitte das Aktenzeichen wie im Bescheid.", "Please give the number as in the notice.") },
        },
      ],
    },
    {
      id: "beteiligte_schritt",
      title: t("Beteiligte Firmen", "Companies involved"),
      items: [
        {
          id: "beteiligte",
          type: "group",
          label: t("Beteiligte Firmen", "Companies involved"),
          repeat: { min: 1, max: 10, itemLabel: t("Firma", "Company") },
          items: [
            { id: "name", type: "text", label: t("Firmenname", "Company name"), required: true, maxLength: 120 },
            { id: "rolle", type: "choice", label: t("Rolle", "Role"), required: true, options: [opt("ausfuehrend", "ausführend", "contractor"), opt("planend", "planend", "planner"), opt("liefernd", "liefernd", "supplier")] },
            { id: "telefon", type: "phone", label: t("Telefon", "Phone") },
          ],
        },
      ],
    },
    {
      id: "zahlung",
      title: t("Gebühren", "Fees"),
      items: [
        { id: "zahlungsart", type: "choice", label: t("Zahlungsart", "Payment"), required: true, options: [opt("rechnung", "Rechnung", "Invoice"), opt("lastschrift", "SEPA-Lastschrift", "SEPA direct debit")] },
        { id: "iban", type: "iban", label: t("IBAN", "IBAN"), required: true, when: { field: "zahlungsart", equals: "lastschrift" } },
        { id: "kontoinhaber", type: "text", label: t("Kontoinhaber/in", "Account holder"), required: true, maxLength: 120, when: { field: "zahlungsart", equals: "lastschrift" } },
      ],
    },
    {
      id: "unterlagen_schritt",
      title: t("Unterlagen", "Documents"),
      items: [
        { id: "hinweis", type: "hint", text: t("Bitte laden Sie einen Lageplan hoch (PDF oder PNG).", "Please upload a site plan (PDF or PNG).") },
        { id: "unterlagen", type: "file", label: t("Lageplan", "Site plan"), required: true, accept: ["application/pdf", "image/png"], maxSize: 2 * 1024 * 1024 },
        { id: "bemerkung", type: "textarea", label: t("Bemerkungen", "Remarks"), maxLength: 2000 },
      ],
    },
    {
      id: "erklaerung",
      title: t("Erklärung", "Declaration"),
      items: [
        { id: "richtigkeit", type: "consent", label: t("Ich versichere die Richtigkeit meiner Angaben.", "I confirm that my details are correct."), required: true },
        { id: "haftung", type: "consent", label: t("Ich hafte für Schäden an der Verkehrsfläche.", "I am liable for damage to the road."), required: true },
      ],
    },
  ],
};

export function countFields(items: ReadonlyArray<Item>): number {
  return items.reduce((n, i) => n + (i.type === "group" ? countFields(i.items) : i.type === "hint" ? 0 : 1), 0);
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A complete, valid answer to the bench form; `n` varies it a little, `uploadId` is the plan. */
export function benchAnswers(n: number, uploadId: string): FormData {
  const day = 86_400_000;
  return {
    person: {
      anrede: ["frau", "herr", "divers", "keine"][n % 4]!,
      vorname: "Erika",
      nachname: `Mustermann-${n}`,
      geburtsdatum: "1979-05-14",
      anschrift: { street: "Bahnhofstraße 2", postalCode: "39517", city: "Tangerhütte" },
      email: `buerger${n}@tangerhuette.example`,
      telefon: "0171 2345678",
      staatsangehoerigkeit: "de",
    },
    art: "geruest",
    beschreibung:
      "Für die Sanierung der Fassade des Wohnhauses Bahnhofstraße 12 wird ein Fassadengerüst auf dem Gehweg aufgestellt. " +
      "Der Gehweg bleibt mit einer Restbreite von 1,30 m für Fußgänger passierbar; eine Umleitung über die gegenüberliegende Straßenseite wird ausgeschildert. " +
      "Die Gerüstfüße werden auf Lastverteilungsplatten gestellt, die Beleuchtung des Gerüsts erfolgt nachts mit gelben Warnleuchten. ".repeat(9),
    beginn: isoDay(Date.now() + 30 * day),
    uhrzeit: "07:30",
    dauer_tage: 21,
    flaeche: 42.5,
    kaution: 1500,
    betroffen: ["gehweg", "parkplatz"],
    oeffentlich: true,
    personen: 4,
    genehmigung: true,
    aktenzeichen: `BA/2026/${1000 + n}`,
    beteiligte: [
      { name: "Gerüstbau Altmark GmbH", rolle: "ausfuehrend", telefon: "03935 123456" },
      { name: "Planungsbüro Elbe", rolle: "planend", telefon: "+49 391 987654" },
      { name: "Baustoffe Tangerhütte KG", rolle: "liefernd" },
    ],
    zahlungsart: "lastschrift",
    iban: "DE89 3704 0044 0532 0130 00",
    kontoinhaber: "Erika Mustermann",
    unterlagen: [uploadId],
    bemerkung: "Die Anlieferung des Gerüsts erfolgt am ersten Tag zwischen 7 und 9 Uhr mit einem Lkw (7,5 t).",
    richtigkeit: true,
    haftung: true,
  };
}

/** Builds the dataset in a new temp folder; `remove()` deletes it. */
export async function submissionsDataset(root: string, accounts: number): Promise<SubmissionsDataset> {
  const base = mkdtempSync(join(tmpdir(), "dr-bench-submissions-"));
  const dataDir = join(base, "data");
  const tenantsDir = join(base, "tenants");
  mkdirSync(dataDir, { recursive: true });
  cpSync(join(root, "tenants"), tenantsDir, { recursive: true });
  writeFileSync(join(tenantsDir, benchSlug, "forms", `${benchFormId}.json`), JSON.stringify(benchForm, null, 2));

  // The same bootstrap the server runs: a form the sync rejects fails here, with its message.
  const { store } = await bootstrapStore({ databaseFile: join(dataDir, "rathaus.sqlite"), migrationsDir: join(root, "migrations"), tenantsDir, clock: systemClock });
  try {
    const tenant = await findActiveTenantBySlug(store.db, benchSlug);
    if (!tenant) throw new Error(`${benchSlug} not synced`);
    const form = await findActiveForm(store.db, tenant.id, benchFormId);
    if (!form) throw new Error(`${benchFormId} was not synced from ${tenantsDir}`);
    const fieldCount = countFields(form.steps.flatMap((s) => s.items));
    if (fieldCount !== 30) throw new Error(`${benchFormId} has ${fieldCount} fields, expected 30`);

    const now = Date.now();
    const hash = "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hiZW5jaGJlbmNo$3Vq0m1n3eZ4Q3i2o1c9w1l2Vt8Q4g6m8y0u2a4c6e8A";
    const insertAccount = store.sqlite.prepare(`INSERT INTO accounts (tenant_id, id, kind, role, email, email_verified_at, mobile, mobile_verified_at,
      password_hash, name, lang, privacy_version, privacy_accepted_at, demo, created_at, updated_at)
      VALUES (?, ?, 'person', 'citizen', ?, ?, ?, ?, ?, ?, 'de', ?, ?, 0, ?, ?)`);
    const sessions = [];
    for (let i = 0; i < accounts; i++) {
      const id = `a_bench_${String(i).padStart(4, "0")}`;
      insertAccount.run(tenant.id, id, `antrag${i}@tangerhuette.example`, now, `+49171${String(3_000_000 + i)}`, now, hash, `Antragsteller ${i}`, tenant.config.privacyPolicyVersion, now, now, now);
      sessions.push(await newSession(store.db, tenant.id, id, now));
    }
    await store.atomic(sessions.map((s) => s.query));
    await store.close();
    return { dataDir, tenantsDir, formVersion: form.version, fieldCount, tokens: sessions.map((s) => s.token), remove: () => rmSync(base, { recursive: true, force: true }) };
  } catch (e) {
    await store.close().catch(() => {});
    rmSync(base, { recursive: true, force: true });
    throw e;
  }
}
