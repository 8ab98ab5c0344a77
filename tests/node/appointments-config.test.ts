import { describe, expect, it } from "vitest";
import { readTenantSources } from "../../server/node/tenant-files.js";
import { parseTenantSource } from "../../server/tenants/definitions.js";
import { root } from "./process.js";

/* tenants/<slug>/appointments.json is checked at sync: a mistake names file and field, and nothing is synced. */

const town = () => readTenantSources(`${root}tenants`).find((s) => s.folder === "tangerhuette")!;
type Json = Record<string, any>;

function withAppointments(change: (a: Json) => void) {
  const src = town();
  const a = JSON.parse(src.appointments!.json) as Json;
  change(a);
  return { ...src, appointments: { ...src.appointments!, json: JSON.stringify(a) } };
}

describe("appointments.json", () => {
  it("of the demo town is valid and reaches the town's configuration", () => {
    const config = parseTenantSource(town()).config;
    expect(config.appointments?.services.map((s) => s.id)).toEqual(["personalausweis", "meldebescheinigung", "fuehrungszeugnis", "beratung"]);
    expect(config.appointments?.state).toBe("ST");
  });

  it.each<[string, (a: Json) => void, RegExp]>([
    ["a service at a location that does not exist", (a) => (a.services[0].location = "rathaus"), /services\.0\.location.*"rathaus" is not one of the locations/],
    ["a service no clerk serves", (a) => a.clerks.forEach((k: Json) => (k.services = k.services.filter((s: string) => s !== "fuehrungszeugnis"))), /services\.2\.id.*no clerk serves "fuehrungszeugnis"/],
    ["a clerk serving an unknown service", (a) => a.clerks[0].services.push("hochzeit"), /clerks\.0\.services\.4.*"hochzeit" is not one of the services/],
    ["a duration of 7 minutes", (a) => (a.services[0].durationMinutes = 7), /services\.0\.durationMinutes.*multiple of 5/],
    ["windows out of order", (a) => (a.locations[0].hours.mon = [["13:00", "16:00"], ["08:00", "12:00"]]), /locations\.0\.hours\.mon.*in order/],
    ["a window that ends before it starts", (a) => (a.locations[0].hours.fri = [["12:00", "08:00"]]), /locations\.0\.hours\.fri.*end after it starts/],
    ["a time off the 5-minute grid", (a) => (a.clerks[1].hours.mon = [["08:03", "12:00"]]), /clerks\.1\.hours\.mon\.0\.0/],
    ["an unknown state", (a) => (a.state = "XX"), /state/],
    ["an unknown department", (a) => (a.services[0].department = "standesamt"), /services\.0\.department.*"standesamt" is not one of the town's departments/],
    ["a repeated id", (a) => a.services.push({ ...a.services[0] }), /services\.4\.id.*"personalausweis" is used twice/],
  ])("refuses %s, naming the field", (_, change, message) => {
    expect(() => parseTenantSource(withAppointments(change))).toThrow(message);
  });

  it("is needed when the town offers appointments, and waits unused while it does not", () => {
    const { appointments: _, ...without } = town();
    expect(() => parseTenantSource(without)).toThrow(/tenant\.json.*services.*needs an appointments\.json/);
    const src = town();
    const off = { ...src, json: JSON.stringify({ ...JSON.parse(src.json), services: ["news", "accounts", "forms"] }) };
    expect(parseTenantSource(off).config.appointments).toBeUndefined();
  });
});
