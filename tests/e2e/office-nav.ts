import type { Page } from "playwright-core";
import { tabTo, waitForFocus } from "./browser.js";
import { STAFF } from "./server.js";

/** Logs the demo clerk into the office at `url` by keyboard and opens a place of the main navigation by Shift+Tab from the inbox. */
export async function openOfficeByKeyboard(page: Page, url: string, place: string) {
  await page.goto(url);
  await waitForFocus(page, /^H1 Anmeldung für Mitarbeitende$/);
  await tabTo(page, /^INPUT#login-email /);
  await page.keyboard.type(STAFF.email);
  await tabTo(page, /^INPUT#login-password /);
  await page.keyboard.type(STAFF.password);
  await page.keyboard.press("Enter");
  await waitForFocus(page, /^H1 Posteingang$/);
  await tabTo(page, new RegExp(`^A ${place}$`), { shift: true });
  await page.keyboard.press("Enter");
  await waitForFocus(page, new RegExp(`^H1 ${place}$`));
}
