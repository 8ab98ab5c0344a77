import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { buildGeneratedModule, generatedFile } from "./compiler.js";

it("compiled.gen.ts matches the templates and strings (else run `npm run build:mail`)", async () => {
  const fresh = await buildGeneratedModule();
  const committed = await readFile(generatedFile, "utf8");
  expect(
    fresh === committed,
    "server/mail/compiled.gen.ts is out of date with server/mail/templates/ or strings.ts: run `npm run build:mail` and commit the result",
  ).toBe(true);
}, 30_000);
