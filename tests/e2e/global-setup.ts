/**
 * Once per run of the browser tests: which Chromium they run with, for CI's log. Its behaviour
 * changes between versions (module loading, cookies, focus), so a failure is read against it.
 */
import { chromiumPath, launch } from "./chromium.js";

export default async function printChromiumVersion() {
  const browser = await launch();
  try {
    console.log(`e2e: Chromium ${browser.version()} (${chromiumPath})`);
  } finally {
    await browser.close();
  }
}
