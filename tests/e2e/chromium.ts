/**
 * Debian's Chromium driven by playwright-core, with the flags these machines need
 * (../shared/TOOLCHAIN.md). Kept apart from browser.ts so that the global setup can use it
 * outside a test file.
 */
import { existsSync } from "node:fs";
import { type Browser, type LaunchOptions, chromium } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * A Chromium whose module map keeps a failed module fetch failed for the page's lifetime, as the
 * HTML standard said until 2025 and as browsers without the change still do: importing the URL
 * again rejects without a request. Current Chromium fetches it again, which would hide a widget
 * that relies on that.
 */
export const keepsFailedImports = ["--disable-features=ModuleMapDoNotCacheFailedFetch"];

export async function launch(extraArgs: string[] = [], opts: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  // Below the hooks' timeout (timeouts.ts), so a Chromium that does not come up says why.
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumFlags, ...extraArgs], timeout: 60_000, ...opts });
}
