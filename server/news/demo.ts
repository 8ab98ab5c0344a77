import type { Store } from "../db/store.js";
import type { Clock } from "../lib/clock.js";
import type { Tenant } from "../tenants/tenant.js";
import { imageOriginsOf, renderMarkdown } from "./markdown.js";
import type { NewsItem } from "./news.js";
import { hasAnyNews, insertNews } from "./repo.js";

interface DemoItem {
  title: string;
  summary: string;
  body: string;
  topics: string[];
  urgent?: boolean;
  daysAgo: number;
}

/** Fictional items matching the demo town websites; only the first topic that exists is kept per town. */
const items: Record<string, DemoItem[]> = {
  tangerhuette: [
    {
      title: "Vollsperrung der Ortsdurchfahrt Birkholz",
      summary: "Wegen Kanalbauarbeiten ist die Ortsdurchfahrt ab Montag voll gesperrt. Die Umleitung ist ausgeschildert.",
      body: "Ab **Montag, 7 Uhr** wird die Ortsdurchfahrt Birkholz für etwa drei Wochen voll gesperrt.\n\n- Die Umleitung führt über Schernebeck und ist ausgeschildert.\n- Anlieger erreichen ihre Grundstücke von Norden.\n- Die Buslinie 900 hält an der Ersatzhaltestelle am Dorfplatz.\n\nFragen beantwortet das Bauamt unter 03935 9300-0.",
      topics: ["bauen-verkehr"],
      urgent: true,
      daysAgo: 0,
    },
    {
      title: "Grippeschutzimpfung im Rathaus",
      summary: "Das Gesundheitsamt des Landkreises bietet im Bürgersaal eine offene Impfsprechstunde an.",
      body: "Das Gesundheitsamt impft am **Mittwoch von 14 bis 18 Uhr** im Bürgersaal des Rathauses, Bahnhofstraße 2.\n\nBitte bringen Sie Ihren Impfpass und Ihre Versichertenkarte mit. Eine Anmeldung ist nicht nötig.",
      topics: ["gesundheit"],
      daysAgo: 2,
    },
    {
      title: "Herbstmarkt auf dem Marktplatz",
      summary: "Regionale Händler, Musik und Kinderprogramm am Samstag ab 10 Uhr.",
      body: "Am Samstag laden Händlerinnen und Händler aus der Region zum Herbstmarkt ein. Für Kinder gibt es ein Puppentheater um 11 und 15 Uhr.",
      topics: ["veranstaltungen"],
      daysAgo: 5,
    },
    {
      title: "Bürgerbüro am Freitag nur bis 10 Uhr geöffnet",
      summary: "Wegen einer Personalversammlung schließt das Bürgerbüro am Freitag früher.",
      body: "Am Freitag ist das Bürgerbüro nur von **9 bis 10 Uhr** geöffnet. Anträge können Sie jederzeit online im Digitalen Rathaus stellen.",
      topics: ["verwaltung"],
      daysAgo: 8,
    },
  ],
  musterstadt: [
    {
      title: "Neue Abfuhrtermine für die Biotonne",
      summary: "Ab Januar wird die Biotonne im Winter nur noch alle zwei Wochen geleert.",
      body: "Ab **Januar** gilt der neue Abfuhrkalender. Sie finden ihn im Rathaus und auf der Website der Stadt.",
      topics: ["umwelt"],
      daysAgo: 1,
    },
    {
      title: "Gewerbeflächen im Gewerbegebiet Nord verfügbar",
      summary: "Die Stadt bietet drei erschlossene Grundstücke für Handwerk und Gewerbe an.",
      body: "Interessierte Unternehmen wenden sich an die Wirtschaftsförderung im Rathaus, Zimmer 12.",
      topics: ["wirtschaft"],
      daysAgo: 4,
    },
    {
      title: "Sommerkino im Stadtpark",
      summary: "Jeden Freitag im August zeigt das Kulturamt Filme unter freiem Himmel.",
      body: "Der Eintritt ist frei. Bitte bringen Sie eine Decke mit.",
      topics: ["kultur"],
      daysAgo: 6,
    },
  ],
};

/** Demo mode only: a town without any news gets a few published items so that the widget shows something. */
export async function seedDemoNews(store: Store, clock: Clock, tenants: ReadonlyArray<Tenant>) {
  const now = clock.now();
  for (const tenant of tenants) {
    if (await hasAnyNews(store.db, tenant.id)) continue;
    const known = new Set(tenant.config.topics.map((t) => t.id));
    const news: NewsItem[] = (items[tenant.slug] ?? [])
      .filter((i) => i.topics.every((t) => known.has(t)))
      .map((i, n) => {
        const at = now - i.daysAgo * 24 * 3600_000 - n * 60_000;
        return {
          tenantId: tenant.id,
          id: `n_demo_${tenant.slug}_${n}`,
          title: i.title,
          summary: i.summary,
          body: i.body,
          bodyHtml: renderMarkdown(i.body, { imageOrigins: imageOriginsOf(tenant) }),
          topics: i.topics,
          urgent: i.urgent ?? false,
          status: "published",
          publishAt: null,
          publishedAt: at,
          // Already "sent": demo items must not mail anybody.
          fannedOutAt: at,
          fanoutCursor: null,
          createdBy: null,
          createdAt: at,
          updatedAt: at,
        };
      });
    if (news.length > 0) await store.atomic(news.map((item) => insertNews(store.db, item)));
  }
}
