/**
 * The database the office benchmark runs against: 100 towns in one SQLite file, one of them
 * (tangerhuette) with 100,000 submissions over three years, the other 99 with 1,000–5,000 each,
 * as a consortium deployment would hold after a few years. Every submission comes with what the
 * office and the Postfach keep about it: its timeline (arrival, status changes, Rückfragen with
 * the citizen's reply, Bescheide with their document), audit entries, notes, photo uploads, an
 * assignee from the form's department, the unread flag, and its applicant's account.
 *
 * Towns and forms come from a generated tenants folder (tangerhuette copied under 99 more slugs)
 * through the server's own bootstrap, so forms and form versions are exactly what the sync
 * writes. Everything else is written straight into SQLite with prepared statements. Rows go in
 * in order of arrival across all towns, as a live deployment writes them: a town's submissions
 * are spread over the whole table instead of sitting together, which a per-town seed would make
 * look faster than production. Seeding takes a minute or two; the result is kept in the system's
 * temp folder and reused while the migrations, the shipped town and this file stay the same.
 */
import { createHash } from "node:crypto";
import type BetterSqlite3 from "better-sqlite3";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { berlinYear } from "../../server/lib/berlin-time.js";
import { systemClock } from "../../server/lib/clock.js";
import { nodeArgon2Hasher } from "../../server/node/argon2-hasher.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { searchTerms } from "../../server/office/search.js";

export interface OfficeDatasetSize {
  towns: number;
  /** Submissions of the first town, the one measured. */
  bigTown: number;
  /** Submissions of every other town: uniformly between these two. */
  otherTowns: [number, number];
}

export const full: OfficeDatasetSize = { towns: 100, bigTown: 100_000, otherTowns: [1_000, 5_000] };
const seedVersion = 1;
const day = 86_400_000;
/** How far back the submissions go. */
const history = 3 * 365 * day;

/** The department every benchmark staff member works for: the Hundesteuer's, about 30% of a town's submissions. */
export const staffDepartment = "kaemmerei";
export const password = "Bench-Office-2026!";

export interface OfficeDataset {
  dataDir: string;
  tenantsDir: string;
  /** The measured town, and all of them. */
  slug: string;
  slugs: string[];
  /** Sees every department. */
  adminEmail: string;
  /** Works for `staffDepartment` only. */
  staffEmail: string;
  /** Epoch ms the seed counted back from; the newest submission is a little older. */
  anchor: number;
  totals: { submissions: number; timeline: number; audit: number; accounts: number; bigTown: number };
}

interface Meta {
  anchor: number;
  totals: OfficeDataset["totals"];
}

export const slugOf = (t: number) => (t === 0 ? "tangerhuette" : `stadt-${String(t).padStart(3, "0")}`);
/** 2–6 capital letters, as tenant.json allows: TGH for the shipped town, SAA, SAB, … for the others. */
const prefixOf = (t: number) => (t === 0 ? "TGH" : `S${String.fromCharCode(65 + Math.floor(t / 26))}${String.fromCharCode(65 + (t % 26))}`);

export async function officeDataset(root: string, size: OfficeDatasetSize = full): Promise<OfficeDataset> {
  const migrations = readdirSync(join(root, "migrations"))
    .sort()
    .map((f) => readFileSync(join(root, "migrations", f), "utf8"));
  const hash = createHash("sha256").update(JSON.stringify({ seedVersion, size, migrations }));
  for (const dir of ["tangerhuette", join("tangerhuette", "forms"), join("_catalog", "forms")]) {
    for (const f of readdirSync(join(root, "tenants", dir)).sort()) if (f.endsWith(".json")) hash.update(f).update(readFileSync(join(root, "tenants", dir, f)));
  }
  const key = hash.update(readFileSync(new URL(import.meta.url))).digest("hex").slice(0, 12);
  const base = join(tmpdir(), `dr-bench-office-${key}`);
  const slugs = Array.from({ length: size.towns }, (_, t) => slugOf(t));
  const dataset = (meta: Meta): OfficeDataset => ({
    dataDir: join(base, "data"),
    tenantsDir: join(base, "tenants"),
    slug: slugs[0]!,
    slugs,
    adminEmail: `admin@${slugs[0]}.example`,
    staffEmail: `${staffDepartment}1@${slugs[0]}.example`,
    ...meta,
  });
  if (existsSync(join(base, "complete")) && existsSync(join(base, "data", "rathaus.sqlite"))) return dataset(JSON.parse(readFileSync(join(base, "meta.json"), "utf8")) as Meta);

  rmSync(base, { recursive: true, force: true });
  const dataDir = join(base, "data");
  const tenantsDir = join(base, "tenants");
  mkdirSync(dataDir, { recursive: true });
  const template = JSON.parse(readFileSync(join(root, "tenants", "tangerhuette", "tenant.json"), "utf8")) as { name: string; forms: Record<string, unknown> };
  cpSync(join(root, "tenants", "_catalog"), join(tenantsDir, "_catalog"), { recursive: true });
  for (const [t, slug] of slugs.entries()) {
    const dir = join(tenantsDir, slug);
    cpSync(join(root, "tenants", "tangerhuette"), dir, { recursive: true });
    const config = { ...template, slug, name: t === 0 ? template.name : `Stadt ${t}`, forms: { ...template.forms, referencePrefix: prefixOf(t) } };
    writeFileSync(join(dir, "tenant.json"), JSON.stringify(config, null, 2));
  }

  const started = performance.now();
  const anchor = Math.floor(Date.now() / 60_000) * 60_000;
  const { store } = await bootstrapStore({ databaseFile: join(dataDir, "rathaus.sqlite"), migrationsDir: join(root, "migrations"), tenantsDir, clock: systemClock });
  try {
    const totals = await seed(store.sqlite, size, slugs, anchor);
    store.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    await store.close();
    const meta: Meta = { anchor, totals };
    writeFileSync(join(base, "meta.json"), JSON.stringify(meta));
    writeFileSync(join(base, "complete"), new Date().toISOString());
    console.log(
      `  seeded ${size.towns} towns, ${totals.submissions} submissions (${totals.bigTown} in ${slugs[0]}), ${totals.timeline} timeline entries, ${totals.audit} audit entries, ${totals.accounts} accounts in ${((performance.now() - started) / 1000).toFixed(0)} s (${base})`,
    );
    return dataset(meta);
  } catch (e) {
    await store.close().catch(() => {});
    rmSync(base, { recursive: true, force: true });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// What a town's data looks like

/** Deterministic, so a rebuilt cache holds the same spread of statuses, names and forms. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: ReadonlyArray<T>): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  /** Shaped like the app's randomId: prefix, underscore, 16 base64url characters. */
  const id = (prefix: string) => {
    let s = `${prefix}_`;
    for (let i = 0; i < 16; i++) s += alphabet[Math.floor(next() * 64)];
    return s;
  };
  const hex = (n: number) => {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(next() * 16)];
    return s;
  };
  return { next, int, pick, chance, id, hex };
}
type Rng = ReturnType<typeof prng>;

/** Name parts the search measurements look for; each last name is carried by about 1 in 60 applicants. */
export const firstNames = [
  "Anna", "Maria", "Sophie", "Lena", "Laura", "Julia", "Katharina", "Sabine", "Monika", "Petra", "Ursula", "Karin", "Renate", "Heike", "Claudia", "Susanne", "Birgit", "Andrea",
  "Emma", "Mia", "Hannah", "Lea", "Marie", "Jana", "Thomas", "Michael", "Andreas", "Stefan", "Frank", "Jürgen", "Klaus", "Peter", "Wolfgang", "Uwe", "Matthias", "Markus",
  "Christian", "Sebastian", "Jan", "Tobias", "Daniel", "Florian", "Lukas", "Felix", "Jonas", "Paul", "Leon", "Maximilian", "Ömer", "Ayşe", "Dmitri", "Olga",
] as const;
export const lastNames = [
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
  "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann",
  "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
  "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Bergmann", "Yılmaz",
] as const;
const streets = ["Bahnhofstraße", "Lindenallee", "Am Markt", "Schulstraße", "Gartenweg", "Elbstraße", "Birkenweg", "Kirchplatz", "Magdeburger Straße", "Feldstraße", "Am Sportplatz", "Mühlenweg"];
const associations = ["Heimatverein", "Freiwillige Feuerwehr", "Sportverein Eintracht", "Kleingartenverein", "Förderverein der Grundschule", "Angelverein"];
const dogNames = ["Bello", "Luna", "Balu", "Emma", "Rocky", "Paula", "Sammy", "Nala", "Max", "Frieda"];
const breeds = ["Labrador Retriever", "Mischling", "Dackel", "Deutscher Schäferhund", "Golden Retriever", "Jack Russell Terrier", "Border Collie", "Beagle"];
const kitas = ["sonnenschein", "grashuepfer", "elbspatzen", "pusteblume", "waldwichtel", "hort_tangerhuette"];
const defects = [
  ["strassenschaden", "Schlagloch auf der Fahrbahn, etwa 40 cm breit und 10 cm tief, direkt vor der Einfahrt."],
  ["strassenbeleuchtung", "Die Straßenlaterne vor dem Haus brennt seit mehreren Tagen nicht mehr."],
  ["muell", "Am Wertstoffcontainer wurden Sperrmüll und Bauschutt abgeladen."],
  ["spielplatz", "Die Schaukel auf dem Spielplatz ist beschädigt, eine Kette ist gerissen."],
  ["sonstiges", "Ein umgestürzter Baum blockiert den Fußweg zwischen Sportplatz und Schule."],
] as const;
const questions = [
  "Bitte reichen Sie noch einen Nachweis über die Haltung des Hundes nach (z. B. Kaufvertrag oder Übergabeprotokoll des Tierheims).",
  "Für die Bearbeitung fehlt uns noch eine Bescheinigung Ihres Arbeitgebers über den Betreuungsbedarf.",
  "Können Sie den Ort bitte genauer beschreiben oder ein Foto nachreichen?",
  "Bitte teilen Sie uns die genaue Lage des Feuerplatzes (Gemarkung, Flur, Flurstück) mit.",
];
const replies = ["Anbei der gewünschte Nachweis.", "Die Unterlagen habe ich hochgeladen.", "Der Ort liegt direkt gegenüber der Bushaltestelle.", "Gemarkung Tangerhütte, Flur 3, Flurstück 112/4."];
const rejections = ["Der Antrag ist unvollständig und wurde trotz Rückfrage nicht ergänzt.", "Für den angegebenen Ort ist die Stadt nicht zuständig.", "Die Frist für die Anmeldung war bereits abgelaufen."];
const noteTexts = ["Rücksprache mit dem Bauhof gehalten, Termin nächste Woche.", "Antragsteller telefonisch erreicht, Unterlagen kommen per Post.", "Bitte Vorgang nach dem Urlaub übernehmen."];

type Status = "received" | "in_progress" | "waiting" | "approved" | "rejected" | "closed";
const formMix: ReadonlyArray<[string, number]> = [
  ["maengelmelder", 0.4],
  ["hundesteuer", 0.3],
  ["kita-anmeldung", 0.15],
  ["osterfeuer", 0.15],
];

/** Most of a town's submissions are long done; the open ones are the recent ones. */
function statusByAge(r: Rng, ageDays: number, formId: string): Status {
  const table: ReadonlyArray<[Status, number]> =
    ageDays < 3
      ? [["received", 0.7], ["in_progress", 0.25], ["waiting", 0.05]]
      : ageDays < 14
        ? [["received", 0.25], ["in_progress", 0.45], ["waiting", 0.15], ["approved", 0.1], ["rejected", 0.02], ["closed", 0.03]]
        : ageDays < 60
          ? [["received", 0.03], ["in_progress", 0.15], ["waiting", 0.07], ["approved", 0.55], ["rejected", 0.08], ["closed", 0.12]]
          : [["received", 0.002], ["in_progress", 0.01], ["waiting", 0.008], ["approved", 0.72], ["rejected", 0.11], ["closed", 0.15]];
  let x = r.next();
  let s: Status = table[table.length - 1]![0];
  for (const [st, p] of table) {
    if (x < p) {
      s = st;
      break;
    }
    x -= p;
  }
  // A defect report is dealt with, not granted.
  return formId === "maengelmelder" && s === "approved" ? "closed" : s;
}

interface Citizen {
  id: string;
  name: string;
  organisation: string | null;
  email: string;
  mobile: string;
  address: { street: string; postalCode: string; city: string };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** An answer to the form as the widget sends it: the shape of the town's real form definitions. */
function formData(r: Rng, formId: string, who: Citizen | null, at: number, photos: string[]): Record<string, unknown> {
  const name = who?.name ?? `${r.pick(firstNames)} ${r.pick(lastNames)}`;
  const address = who?.address ?? { street: `${r.pick(streets)} ${r.int(1, 80)}`, postalCode: "39517", city: "Tangerhütte" };
  const birth = isoDay(at - r.int(20, 80) * 365 * day);
  switch (formId) {
    case "hundesteuer":
      return {
        halter: { name, geburtsdatum: birth, anschrift: address, email: who?.email ?? "", telefon: who?.mobile ?? "" },
        hunde: Array.from({ length: r.chance(0.15) ? 2 : 1 }, () => ({
          name: r.pick(dogNames),
          rasse: r.pick(breeds),
          geburtsdatum: isoDay(at - r.int(60, 3000) * day),
          geschlecht: r.pick(["ruede", "huendin"]),
          haltung_seit: isoDay(at - r.int(1, 60) * day),
          listenhund: false,
          steuerbefreiung: r.chance(0.1) ? "tierheimhund" : "keine",
        })),
        zahlungsart: "lastschrift",
        kontoinhaber: name,
        iban: "DE89 3704 0044 0532 0130 00",
        sepa_mandat: true,
        richtigkeit: true,
        datenschutz: true,
      };
    case "kita-anmeldung": {
      const last = name.split(" ").pop()!;
      return {
        kinder: Array.from({ length: r.chance(0.2) ? 2 : 1 }, () => ({
          vorname: r.pick(firstNames),
          nachname: last,
          geburtsdatum: isoDay(at - r.int(200, 2000) * day),
          beginn: isoDay(at + r.int(30, 200) * day),
          betreuungsumfang: r.pick(["5", "8", "10"]),
          wunsch_kita: r.pick(kitas),
          geschwisterkind: r.chance(0.3),
          besonderer_bedarf: false,
        })),
        elternteil1: { name, anschrift: address, email: who?.email ?? "", telefon: who?.mobile ?? "", berufstaetig: true, alleinerziehend: r.chance(0.2) },
        elternteil2: { name: `${r.pick(firstNames)} ${last}`, gleiche_anschrift: true, telefon: "0171 2345678", berufstaetig: r.chance(0.7) },
        richtigkeit: true,
        datenschutz: true,
      };
    }
    case "maengelmelder": {
      const [kategorie, beschreibung] = r.pick(defects);
      return {
        kategorie,
        ort: `${r.pick(streets)} ${r.int(1, 80)}, Höhe Hausnummer ${r.int(1, 80)}`,
        beschreibung,
        ...(photos.length ? { fotos: photos } : {}),
        rueckruf: who !== null && r.chance(0.3),
        ...(who ? { telefon: who.mobile, name } : {}),
      };
    }
    default:
      return {
        veranstalter: who?.organisation ?? `${r.pick(associations)} ${r.pick(lastNames)}`,
        datum: isoDay(at + r.int(7, 60) * day),
        beginn: "18:00",
        ort_bezeichnung: "Festwiese am Sportplatz",
        ort_angabe: "adresse",
        ort_adresse: address,
        verantwortlich: { name, telefon: who?.mobile ?? "0171 2345678", geburtsdatum: birth },
        haufen_groesse: r.int(3, 15) + 0.5,
        material: ["baumschnitt", "holz"],
        besucher: r.int(20, 400),
        feuerwehr_informiert: true,
        auflagen: true,
        richtigkeit: true,
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Writing it

interface Town {
  index: number;
  tenantId: string;
  slug: string;
  prefix: string;
  forms: Map<string, { version: number; department: string | null }>;
  citizens: Citizen[];
  /** Staff account ids per department. */
  staff: Map<string, string[]>;
  /** Arrival times, ascending; consumed in order. */
  arrivals: number[];
  next: number;
  counters: Map<number, number>;
}

async function seed(db: BetterSqlite3.Database, size: OfficeDatasetSize, slugs: string[], anchor: number): Promise<OfficeDataset["totals"]> {
  const r = prng(20261126);
  // Nothing to lose if the machine stops halfway: the cache counts only once "complete" is written.
  db.pragma("synchronous = OFF");
  const passwordHash = await nodeArgon2Hasher.hash(password);
  const citizenHash = "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hiZW5jaGJlbmNo$3Vq0m1n3eZ4Q3i2o1c9w1l2Vt8Q4g6m8y0u2a4c6e8A";
  const tenantIds = new Map((db.prepare("SELECT slug, id FROM tenants").all() as { slug: string; id: string }[]).map((x) => [x.slug, x.id]));
  const formRows = db.prepare("SELECT f.tenant_id, f.id, f.version, v.definition FROM forms f JOIN form_versions v ON v.tenant_id = f.tenant_id AND v.form_id = f.id AND v.version = f.version WHERE f.active = 1").all() as {
    tenant_id: string;
    id: string;
    version: number;
    definition: string;
  }[];
  const departments = ["ordnungsamt", "kaemmerei", "kita", "bauhof"];

  const insertAccount = db.prepare(`INSERT INTO accounts (tenant_id, id, kind, role, email, email_verified_at, mobile, mobile_verified_at, password_hash, name, organisation, address, lang, privacy_version, privacy_accepted_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'de', '2026-10-15', ?, ?, ?)`);
  const insertStaffDepartment = db.prepare("INSERT INTO staff_departments (tenant_id, account_id, department) VALUES (?, ?, ?)");
  const insertSubmission = db.prepare(`INSERT INTO submissions (tenant_id, id, reference, form_id, form_version, account_id, email, lang, data, status, idempotency_key, request_hash, receipt_token_hash, submitted_at, updated_at, department, applicant_name, assignee_id, office_unread, status_reason)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertTerm = db.prepare("INSERT INTO submission_terms (tenant_id, term, submitted_at, submission_id) VALUES (?, ?, ?, ?)");
  const insertEntry = db.prepare("INSERT INTO timeline (tenant_id, id, submission_id, account_id, kind, status, reason, text, author_id, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const insertUpload = db.prepare("INSERT INTO uploads (tenant_id, id, form_id, field, account_id, name, size, media_type, sha256, blob_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const linkUpload = db.prepare("INSERT INTO submission_uploads (tenant_id, upload_id, submission_id) VALUES (?, ?, ?)");
  const attachFile = db.prepare("INSERT INTO timeline_files (tenant_id, upload_id, entry_id) VALUES (?, ?, ?)");
  const insertNote = db.prepare("INSERT INTO submission_notes (tenant_id, id, submission_id, author_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)");
  const insertAudit = db.prepare("INSERT INTO audit_log (tenant_id, id, actor_id, action, subject, before, after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const insertCounter = db.prepare("INSERT INTO reference_counters (tenant_id, year, value) VALUES (?, ?, ?)");
  const totals = { submissions: 0, timeline: 0, audit: 0, accounts: 0, bigTown: 0 };

  // Accounts first: the citizens who will send something, and each town's staff and admins.
  const towns: Town[] = [];
  db.transaction(() => {
    for (const [t, slug] of slugs.entries()) {
      const tenantId = tenantIds.get(slug);
      if (!tenantId) throw new Error(`${slug} was not synced`);
      const forms = new Map<string, { version: number; department: string | null }>();
      for (const f of formRows.filter((x) => x.tenant_id === tenantId)) forms.set(f.id, { version: f.version, department: (JSON.parse(f.definition) as { department?: string }).department ?? null });
      for (const [formId] of formMix) if (!forms.has(formId)) throw new Error(`${slug} serves no form ${formId}`);
      const count = t === 0 ? size.bigTown : r.int(size.otherTowns[0], size.otherTowns[1]);
      // Three years of arrivals, evenly spread: about 90 a day in the big town.
      const arrivals = Array.from({ length: count }, () => anchor - 60_000 - Math.floor(r.next() * history)).sort((a, b) => a - b);
      const created = arrivals[0]! - 30 * day;

      const citizens: Citizen[] = [];
      for (let c = 0; c < Math.ceil(count * 0.4); c++) {
        const first = r.pick(firstNames);
        const last = r.pick(lastNames);
        const kind = r.chance(0.9) ? "person" : r.chance(0.5) ? "association" : "company";
        const organisation = kind === "association" ? `${r.pick(associations)} ${slug === "tangerhuette" ? "Tangerhütte" : `Stadt ${t}`} e. V.` : kind === "company" ? `${last} ${r.pick(["GmbH", "KG", "& Söhne"])}` : null;
        const citizen: Citizen = {
          id: `a_c${t}_${c}`,
          name: `${first} ${last}`,
          organisation,
          email: `${first.toLowerCase()}.${last.toLowerCase()}.${c}@${slug}.example`,
          mobile: `+49171${String(1_000_000 + c)}`,
          address: { street: `${r.pick(streets)} ${r.int(1, 80)}`, postalCode: "39517", city: t === 0 ? "Tangerhütte" : `Stadt ${t}` },
        };
        citizens.push(citizen);
        insertAccount.run(tenantId, citizen.id, kind, "citizen", citizen.email, created, citizen.mobile, created, citizenHash, citizen.name, organisation, JSON.stringify(citizen.address), created, created, created);
      }

      const staff = new Map<string, string[]>(departments.map((d) => [d, []]));
      const perDepartment = t === 0 ? 5 : 2;
      for (const d of departments) {
        for (let k = 1; k <= perDepartment; k++) {
          const id = `a_staff_${t}_${d}_${k}`;
          insertAccount.run(tenantId, id, "person", "staff", `${d}${k}@${slug}.example`, created, `+49391${String(100_000 + k)}`, created, passwordHash, `${r.pick(firstNames)} ${r.pick(lastNames)}`, null, null, created, created, created);
          insertStaffDepartment.run(tenantId, id, d);
          staff.get(d)!.push(id);
        }
      }
      // One clerk covers two departments, as small town halls do.
      insertStaffDepartment.run(tenantId, `a_staff_${t}_ordnungsamt_2`, "bauhof");
      staff.get("bauhof")!.push(`a_staff_${t}_ordnungsamt_2`);
      for (const k of [1, 2]) insertAccount.run(tenantId, `a_admin_${t}_${k}`, "person", "admin", k === 1 ? `admin@${slug}.example` : `admin${k}@${slug}.example`, created, "+49391100000", created, passwordHash, `${r.pick(firstNames)} ${r.pick(lastNames)}`, null, null, created, created, created);
      totals.accounts += citizens.length + perDepartment * departments.length + 2;
      towns.push({ index: t, tenantId, slug, prefix: prefixOf(t), forms, citizens, staff, arrivals, next: 0, counters: new Map() });
    }
  })();

  // Then every submission with all it caused, in order of arrival across the towns.
  const order = towns.flatMap((town) => town.arrivals.map((at) => ({ at, town })));
  order.sort((a, b) => a.at - b.at);
  const chunk = 20_000;
  for (let from = 0; from < order.length; from += chunk) {
    db.transaction(() => {
      for (const { at, town } of order.slice(from, from + chunk)) {
        writeSubmission(town, at);
        totals.submissions++;
        if (town.index === 0) totals.bigTown++;
      }
    })();
  }
  db.transaction(() => {
    for (const town of towns) for (const [year, value] of town.counters) insertCounter.run(town.tenantId, year, value);
  })();
  return totals;

  function writeSubmission(town: Town, at: number) {
    const tenantId = town.tenantId;
    let x = r.next();
    let formId = formMix[formMix.length - 1]![0];
    for (const [f, p] of formMix) {
      if (x < p) {
        formId = f;
        break;
      }
      x -= p;
    }
    const form = town.forms.get(formId)!;
    // Half the defect reports come without an account; every other form needs one.
    const who = formId === "maengelmelder" && r.chance(0.5) ? null : r.pick(town.citizens);
    const email = who?.email ?? `melder${r.int(1, 99_999)}@example.net`;
    const applicantName = who ? (who.organisation ? `${who.name} (${who.organisation})` : who.name) : email;
    const id = r.id("s");
    const year = berlinYear(at);
    const n = (town.counters.get(year) ?? 0) + 1;
    town.counters.set(year, n);
    const reference = `${town.prefix}-${year}-${String(n).padStart(6, "0")}`;
    const ageDays = (anchor - at) / day;
    const status = statusByAge(r, ageDays, formId);
    const department = form.department;
    const clerks = department ? town.staff.get(department)! : [...town.staff.values()].flat();
    const assignee = status === "received" ? (r.chance(0.2) ? r.pick(clerks) : null) : r.chance(0.97) ? r.pick(clerks) : null;
    const actor = assignee ?? r.pick(clerks);

    const photos: string[] = [];
    if (formId === "maengelmelder" && r.chance(0.5)) {
      const count = r.int(1, 2);
      for (let p = 0; p < count; p++) {
        const up = r.id("u");
        photos.push(up);
        insertUpload.run(tenantId, up, formId, "fotos", who?.id ?? null, `foto-${p + 1}.jpg`, r.int(300_000, 2_500_000), "image/jpeg", r.hex(64), `${tenantId}/${up}`, at - r.int(60_000, 600_000));
        linkUpload.run(tenantId, up, id);
      }
    }

    // The timeline: arrival, then what the office did, spread over the time since (at most a month).
    const span = Math.min(anchor - at, 30 * day);
    const steps: Array<{ kind: "status" | "message" | "reply"; status?: Status; text?: string; reason?: string; by: "clerk" | "citizen"; document?: boolean }> = [];
    let unread = status === "received" ? 1 : 0;
    let reason: string | null = null;
    if (status !== "received") steps.push({ kind: "status", status: "in_progress", by: "clerk" });
    const asked = (status === "waiting" || status === "in_progress" ? r.chance(0.3) : r.chance(0.2)) && who !== null;
    if (asked || status === "waiting") {
      steps.push({ kind: "status", status: "waiting", by: "clerk" });
      steps.push({ kind: "message", text: r.pick(questions), by: "clerk" });
      if (status !== "waiting" && who) {
        // The citizen's answer puts it back to in Bearbeitung and flags it for the office.
        steps.push({ kind: "reply", text: r.pick(replies), by: "citizen" });
        steps.push({ kind: "status", status: "in_progress", by: "citizen" });
        if (status === "in_progress") unread = 1;
      }
    }
    if (status === "approved" || status === "rejected" || status === "closed") {
      if (status === "rejected") reason = r.pick(rejections);
      steps.push({ kind: "status", status, ...(reason ? { reason } : {}), by: "clerk" });
      if (status === "approved" && formId !== "maengelmelder" && who) steps.push({ kind: "message", text: "Anbei erhalten Sie Ihren Bescheid.", by: "clerk", document: true });
    }
    // A few long-closed ones were never opened again after the citizen's last word.
    if (unread === 0 && r.chance(0.01)) unread = 1;

    let last = at;
    const entries: Array<[string, string, string | null, string | null, string | null, string | null, number, number | null]> = [];
    entries.push([`${id}_in`, "submitted", "received", null, null, who?.id ?? null, at, at]);
    for (const [k, step] of steps.entries()) {
      const when = at + Math.floor((span * (k + 1)) / (steps.length + 1)) + r.int(0, 59_999);
      last = Math.min(Math.max(when, last + 1), anchor - 1);
      const author = step.by === "clerk" ? actor : (who?.id ?? null);
      // What the citizen caused is read already; what the town sent is read if it is older than a week, mostly.
      const readAt = who === null ? null : step.by === "citizen" || (anchor - last > 7 * day && r.chance(0.95)) ? last + r.int(60_000, 2 * day) : null;
      entries.push([r.id("e"), step.kind, step.status ?? null, step.reason ?? null, step.text ?? null, author, last, readAt !== null ? Math.min(readAt, anchor) : null]);
      if (step.document) {
        const doc = r.id("u");
        insertUpload.run(tenantId, doc, formId, "_document", actor, "Bescheid.pdf", r.int(40_000, 180_000), "application/pdf", r.hex(64), `${tenantId}/${doc}`, last - 60_000);
        attachFile.run(tenantId, doc, entries[entries.length - 1]![0]);
      }
      if (step.by === "clerk" && step.kind === "status") {
        insertAudit.run(tenantId, r.id("l"), actor, "submission.status", `submission:${id}`, JSON.stringify({ status: k === 0 ? "received" : "in_progress" }), JSON.stringify({ status: step.status, reason: step.reason ?? null }), last);
        totals.audit++;
      }
    }
    if (assignee) {
      insertAudit.run(tenantId, r.id("l"), actor, "submission.assign", `submission:${id}`, JSON.stringify({ assignee: null }), JSON.stringify({ assignee }), at + Math.floor(span / (steps.length + 2)));
      totals.audit++;
    }
    if (status !== "received" && r.chance(0.1)) insertNote.run(tenantId, r.id("n"), id, actor, r.pick(noteTexts), at + Math.floor(span / 2));

    const data = formData(r, formId, who, at, photos);
    const scope = who?.id ?? "anon";
    insertSubmission.run(
      tenantId, id, reference, formId, form.version, who?.id ?? null, email, r.chance(0.95) ? "de" : "en", JSON.stringify(data), status,
      `${scope}:${r.hex(32)}`, r.hex(64), r.hex(64), at, last, department, applicantName, assignee, unread, reason,
    );
    for (const t of searchTerms(applicantName)) insertTerm.run(tenantId, t, at, id);
    for (const e of entries) insertEntry.run(tenantId, e[0], id, who?.id ?? null, e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
    totals.timeline += entries.length;
  }
}
