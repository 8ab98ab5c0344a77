import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crc32, zipArchive } from "./zip.js";

const hasUnzip = (() => {
  try {
    execFileSync("unzip", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const at = Date.UTC(2026, 10, 25, 9, 30, 12);
const pdf = new TextEncoder().encode("%PDF-1.4\n% Bescheid\n%%EOF\n");
const random = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251);

describe("crc32", () => {
  it("gives the check value of CRC-32/ISO-HDLC and continues over chunks", () => {
    const digits = new TextEncoder().encode("123456789");
    expect(crc32(digits)).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    expect(crc32(digits.subarray(4), crc32(digits.subarray(0, 4)))).toBe(0xcbf43926);
  });
});

describe("zipArchive", () => {
  it("announces the size it streams", async () => {
    const zip = zipArchive([
      { name: "data.json", bytes: new TextEncoder().encode('{"a":1}'), modified: at },
      { name: "leer.txt", bytes: new Uint8Array(), modified: at },
    ]);
    expect((await bytesOf(zip.stream)).length).toBe(zip.size);
  });

  it("refuses names that would escape the archive or repeat", () => {
    const bytes = new Uint8Array([1]);
    expect(() => zipArchive([{ name: "../x", bytes, modified: at }])).toThrow(/bad or repeated/);
    expect(() => zipArchive([{ name: "/etc/x", bytes, modified: at }])).toThrow(/bad or repeated/);
    expect(() => zipArchive([{ name: "a", bytes, modified: at }, { name: "a", bytes, modified: at }])).toThrow(/bad or repeated/);
  });

  it.skipIf(!hasUnzip)("writes an archive that Info-ZIP unzip tests, lists and extracts byte for byte", async () => {
    const entries = [
      { name: "metadata.json", bytes: new TextEncoder().encode('{"x":"ä"}'), modified: at },
      { name: "attachments/Bescheid für Müller.pdf", bytes: pdf, modified: at },
      { name: "attachments/zufall.bin", bytes: random, modified: at },
      { name: "leer.txt", bytes: new Uint8Array(), modified: at },
    ];
    const dir = mkdtempSync(join(tmpdir(), "dr-zip-"));
    try {
      const file = join(dir, "p.zip");
      writeFileSync(file, await bytesOf(zipArchive(entries).stream));
      // -t checks every entry's CRC-32 against its bytes.
      expect(execFileSync("unzip", ["-t", file], { encoding: "utf8" })).toMatch(/No errors detected/);
      // The UTF-8 flag: the umlauts come back as written.
      expect(execFileSync("unzip", ["-Z1", file], { encoding: "utf8" }).trim().split("\n")).toEqual(entries.map((e) => e.name));
      for (const e of entries) expect(new Uint8Array(execFileSync("unzip", ["-p", file, e.name]))).toEqual(e.bytes);
      // Time in Berlin (UTC+1 in November), to the DOS format's two seconds.
      expect(execFileSync("unzip", ["-Z", "-T", file, "leer.txt"], { encoding: "utf8" })).toContain("20261125.103012");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
