/**
 * `npm run build:mail`: compiles the mail templates into server/mail/compiled.gen.ts.
 * Run it after changing anything in server/mail/templates/ or server/mail/strings.ts.
 */
import { readFile, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { buildGeneratedModule, generatedFile } from "./compiler.js";

const source = await buildGeneratedModule();
const previous = await readFile(generatedFile, "utf8").catch(() => "");
const name = relative(process.cwd(), generatedFile);
if (source === previous) {
  console.log(`${name} is up to date.`);
} else {
  await writeFile(generatedFile, source);
  console.log(`Wrote ${name}.`);
}
