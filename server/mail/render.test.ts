import { simpleParser } from "mailparser";
import { createTransport } from "nodemailer";
import { describe, expect, it } from "vitest";
import type { Lang } from "../http/errors.js";
import { type MailBranding, type MailTemplateName, renderMail } from "./render.js";
import { mailTemplateNames } from "./types.js";

const branding: MailBranding = {
  townName: "Tangerhütte",
  officialName: "Einheitsgemeinde Stadt Tangerhütte",
  primaryColor: "#1f6f3f",
  accentColor: "#c8a200",
  logoUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/logo.png",
  websiteUrl: "https://www.tangerhuette.example/",
  imprintUrl: "https://www.tangerhuette.example/impressum",
  privacyUrl: "https://www.tangerhuette.example/datenschutz",
  contactEmail: "buergerbuero@tangerhuette.example",
};

const vars: Record<MailTemplateName, Record<string, string>> = {
  verify_email: { name: "Anna Schmidt", code: "482913", minutes: "15" },
  password_reset: { name: "Anna Schmidt", code: "731052", minutes: "30" },
  account_deleted: { name: "Anna Schmidt" },
  registration_attempt: {},
  email_changed: { name: "Anna Schmidt", newEmail: "anna.neu@example.org" },
  news: {
    name: "Anna Schmidt",
    title: "Vollsperrung der Bahnhofstraße",
    summary: "Ab Montag ist die Bahnhofstraße wegen Bauarbeiten gesperrt.",
    bodyHtml: '<p>Die Umleitung ist <strong>ausgeschildert</strong>.</p><ul><li>Bus 712 fährt über die Lindenallee.</li></ul>',
    bodyText: "Die Umleitung ist ausgeschildert.\n\n- Bus 712 fährt über die Lindenallee.",
    readUrl: "https://www.tangerhuette.example/aktuelles/vollsperrung-bahnhofstrasse",
    unsubscribeUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/unsubscribe?token=abc123",
    topics: "Bauen & Verkehr",
  },
  form_receipt: {
    formTitle: "Hundesteuer-Anmeldung",
    reference: "TGH-2026-000123",
    submittedAt: "26.11.2026, 14:05 Uhr",
    receiptUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/me/submissions/s_1/receipt.pdf?token=abc",
    nextSteps: "Die Kämmerei prüft Ihre Anmeldung und schickt Ihnen den Steuerbescheid.",
  },
  form_notification: { formTitle: "Hundesteuer-Anmeldung", reference: "TGH-2026-000123", submittedAt: "26.11.2026, 14:05 Uhr" },
  postfach_notice: { name: "Anna Schmidt", link: "https://www.tangerhuette.example/#rathaus/postfach" },
  staff_invite: { name: "Anna Schmidt", link: "https://rathaus.example.de/office/tangerhuette/#einladung", code: "123456", minutes: "60" },
  appointment_booked: { name: "Anna Schmidt", service: "Personalausweis beantragen", when: "Dienstag, 1. Dezember 2026, 08:00–08:20 Uhr", location: "Bürgerbüro Tangerhütte, Bahnhofstraße 2", bring: "bisheriger Ausweis; ein Passfoto", calendarUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1.ics?token=x", cancelUntil: "30. November 2026, 08:00 Uhr", cancelUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1/cancel?token=x", moveUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1/move?token=x" },
  appointment_moved: { name: "Anna Schmidt", service: "Personalausweis beantragen", when: "Mittwoch, 2. Dezember 2026, 09:00–09:20 Uhr", before: "Dienstag, 1. Dezember 2026, 08:00–08:20 Uhr", location: "Bürgerbüro Tangerhütte, Bahnhofstraße 2", bring: "bisheriger Ausweis; ein Passfoto", calendarUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1.ics?token=x", cancelUntil: "1. Dezember 2026, 09:00 Uhr", cancelUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1/cancel?token=x", moveUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1/move?token=x" },
  appointment_reminder: { name: "Anna Schmidt", service: "Personalausweis beantragen", when: "Dienstag, 1. Dezember 2026, 08:00–08:20 Uhr", location: "Bürgerbüro Tangerhütte", bring: "ein Passfoto" },
  appointment_confirm: { name: "Anna Schmidt", service: "Personalausweis beantragen", when: "Dienstag, 1. Dezember 2026, 08:00–08:20 Uhr", location: "Bürgerbüro Tangerhütte", confirmUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1/confirm?token=x", minutes: "30" },
  appointment_cancelled: { name: "Anna Schmidt", service: "Personalausweis beantragen", when: "Dienstag, 1. Dezember 2026, 08:00–08:20 Uhr", calendarUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1.ics?token=x" },
  appointment_cancelled_by_town: { name: "Anna Schmidt", service: "Personalausweis beantragen", when: "Dienstag, 1. Dezember 2026, 08:00–08:20 Uhr", reason: "Die Sachbearbeiterin ist erkrankt.", calendarUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1.ics?token=x" },
  appointment_clerk_booked: { service: "Personalausweis beantragen", when: "Dienstag, 1. Dezember 2026, 08:00–08:20 Uhr", location: "Bürgerbüro Tangerhütte", citizen: "Anna Schmidt", calendarUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1.ics?token=x" },
  appointment_clerk_moved: { service: "Personalausweis beantragen", when: "Mittwoch, 2. Dezember 2026, 09:00–09:20 Uhr", before: "Dienstag, 1. Dezember 2026, 08:00–08:20 Uhr", location: "Bürgerbüro Tangerhütte", citizen: "Anna Schmidt", calendarUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1.ics?token=x" },
  appointment_clerk_cancelled: { service: "Personalausweis beantragen", when: "Dienstag, 1. Dezember 2026, 08:00–08:20 Uhr", citizen: "Anna Schmidt", calendarUrl: "https://rathaus.example.de/api/v1/tenants/tangerhuette/appointments/bookings/ap_1.ics?token=x" },
};

const langs: Lang[] = ["de", "en"];
const htmlTag = /<\/?[a-z][a-z0-9]*(?:\s[^>]*)?\/?>/i;
const escape = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

describe("renderMail", () => {
  for (const template of mailTemplateNames) {
    for (const lang of langs) {
      it(`renders ${template} in ${lang} with branding and every variable`, () => {
        const mail = renderMail(template, lang, branding, vars[template]);

        expect(mail.subject.length).toBeGreaterThan(0);
        expect(mail.html.startsWith("<!doctype html>")).toBe(true);
        expect(mail.html).toContain(`<html lang="${lang}"`);
        for (const part of [mail.subject, mail.html, mail.text]) expect(part).not.toMatch(/\{\{|\}\}/);

        // Header: logo and official name on the primary color; the accent color is used too.
        expect(mail.html).toMatch(new RegExp(`<img\\s+alt="Tangerhütte" src="${branding.logoUrl}"`));
        expect(mail.html).toContain("background-color:#1f6f3f");
        expect(mail.html).toContain("#c8a200");
        expect(mail.html).toContain(branding.officialName);
        // Footer
        expect(mail.html).toContain(`href="mailto:${branding.contactEmail}"`);
        expect(mail.html).toContain(`href="${branding.imprintUrl}"`);
        expect(mail.html).toContain(`href="${branding.privacyUrl}"`);
        expect(mail.html).toContain(lang === "de" ? ">Impressum</a>" : ">Legal notice</a>");
        expect(mail.html).toContain(lang === "de" ? ">Datenschutz</a>" : ">Privacy policy</a>");
        expect(mail.html).toContain(lang === "de" ? "Digitales Rathaus Tangerhütte" : "Digital Town Hall Tangerhütte");
        expect(mail.text).toContain(branding.imprintUrl);
        expect(mail.text).toContain(branding.contactEmail);

        for (const [key, value] of Object.entries(vars[template])) {
          if (key === "bodyText") continue;
          expect(mail.html, key).toContain(key === "bodyHtml" ? value : escape(value));
          if (key !== "bodyHtml") expect(mail.text, key).toContain(value);
        }
        expect(mail.text).not.toMatch(htmlTag);
      });
    }
  }

  it("writes the subjects of the code mails with the town's name", () => {
    const v = vars.verify_email;
    expect(renderMail("verify_email", "de", branding, v).subject).toBe(
      "Ihr Bestätigungscode für das Digitale Rathaus Tangerhütte",
    );
    expect(renderMail("verify_email", "en", branding, v).subject).toBe(
      "Your confirmation code for the Digital Town Hall Tangerhütte",
    );
    expect(renderMail("password_reset", "de", branding, vars.password_reset).subject).toContain("Tangerhütte");
  });

  it("shows the code big, with its validity and what to do if it was not you", () => {
    const { html, text } = renderMail("verify_email", "de", branding, vars.verify_email);
    expect(html).toMatch(/font-size:36px[^"]*">482913<\/span>/);
    expect(html).toContain("Der Code ist 15 Minuten lang gültig.");
    expect(html).toContain("Wenn Sie sich nicht registriert haben, ignorieren Sie diese E-Mail.");
    expect(text).toContain("\n    482913\n");

    const reset = renderMail("password_reset", "de", branding, vars.password_reset);
    expect(reset.html).toContain("Der Code ist 30 Minuten lang gültig.");
    expect(reset.text).toContain("Ihr Passwort bleibt dann unverändert.");
  });

  it("renders news: title as subject, raw body, button, subscription footer", () => {
    const v = vars.news;
    const de = renderMail("news", "de", branding, v);
    expect(de.subject).toBe(v.title);
    expect(de.html).toContain(v.bodyHtml);
    expect(de.html).toMatch(new RegExp(`<a\\s+href="${v.readUrl}"[^>]*>\\s*Auf der Website lesen\\s*</a>`));
    expect(de.html).toContain("Sie erhalten diese E-Mail, weil Sie das Thema „Bauen &amp; Verkehr“ abonniert haben.");
    expect(de.html).toContain(`href="${v.unsubscribeUrl}"`);
    expect(de.text).toContain(v.bodyText);
    expect(de.text).toContain(`Abbestellen: ${v.unsubscribeUrl}`);
    expect(de.text).toContain("Sie erhalten diese E-Mail, weil Sie das Thema „Bauen & Verkehr“ abonniert haben.");
    expect(de.text).not.toContain("<strong>");

    const en = renderMail("news", "en", branding, v);
    expect(en.html).toContain("Read on the website");
    expect(en.text).toContain(`Unsubscribe: ${v.unsubscribeUrl}`);
  });

  it("collapses line breaks in a news title into a one-line subject", () => {
    const mail = renderMail("news", "de", branding, { ...vars.news, title: "Hochwasser\r\nWarnung " });
    expect(mail.subject).toBe("Hochwasser Warnung");
  });

  it("escapes HTML in variables and branding, in text and in attributes", () => {
    const name = '<script>alert("x")</script>';
    const mail = renderMail("verify_email", "de", branding, { ...vars.verify_email, name });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("Guten Tag &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,");
    expect(mail.text).toContain(`Guten Tag ${name},`);

    const news = renderMail("news", "de", { ...branding, townName: 'Tanger"hütte' }, {
      ...vars.news,
      title: "<b>Fett</b>",
      readUrl: 'https://example.org/?a="><img src=x onerror=alert(1)>',
    });
    expect(news.html).not.toContain("<b>Fett</b>");
    expect(news.html).toContain("&lt;b&gt;Fett&lt;/b&gt;");
    expect(news.html).toContain('href="https://example.org/?a=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(news.html).toContain('alt="Tanger&quot;hütte"');
    expect(news.subject).toBe("<b>Fett</b>");
  });

  it("refuses links that are not http(s)", () => {
    expect(() => renderMail("news", "de", branding, { ...vars.news, readUrl: "javascript:alert(1)" })).toThrow(
      /"readUrl" must be an http\(s\) URL/,
    );
  });

  it("leaves the logo out when the town has none", () => {
    const mail = renderMail("account_deleted", "de", { ...branding, logoUrl: null }, vars.account_deleted);
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain(branding.officialName);
  });

  it("throws on a missing variable, naming it", () => {
    expect(() => renderMail("verify_email", "de", branding, { name: "Anna", minutes: "15" })).toThrow(
      'renderMail(verify_email): missing variable "code"',
    );
    const { bodyText: _, ...withoutBodyText } = vars.news;
    expect(() => renderMail("news", "en", branding, withoutBodyText)).toThrow(/"bodyText"/);
    const { contactEmail: __, ...partialBranding } = branding;
    expect(() =>
      renderMail("registration_attempt", "de", partialBranding as MailBranding, vars.registration_attempt),
    ).toThrow(/"contactEmail"/);
  });

  it("produces mails that a MIME parser reads back unchanged", async () => {
    const transport = createTransport({ streamTransport: true, buffer: true });
    for (const template of mailTemplateNames) {
      const mail = renderMail(template, "de", branding, vars[template]);
      const info = await transport.sendMail({
        from: { name: "Stadt Tangerhütte – Digitales Rathaus", address: "noreply@tangerhuette.example" },
        to: "anna@example.org",
        ...mail,
      });
      const parsed = await simpleParser(info.message as Buffer);
      expect(parsed.subject).toBe(mail.subject);
      expect(parsed.text?.trim()).toBe(mail.text.trim());
      expect(parsed.html).toBe(mail.html);
      expect(parsed.from?.text).toContain("Stadt Tangerhütte – Digitales Rathaus");
    }
  });
});
