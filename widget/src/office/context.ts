import { LitElement, type PropertyDeclarations } from "lit";
import type { Lang } from "../core/types.js";
import type { OfficeSession } from "../../../server/office/api-types.js";
import type { OfficeApi } from "./api.js";
import type { Route } from "./routes.js";
import type { OfficeTexts } from "./texts.js";

/** What the app hands every view: a new object whenever the language or the session changes. */
export interface OfficeContext {
  api: OfficeApi;
  lang: Lang;
  t: OfficeTexts;
  session: OfficeSession;
  isAdmin: boolean;
  navigate(route: Route): void;
  /** Says something in the app's polite live region (results, saved changes). */
  announce(text: string): void;
  /** A department's name in the reader's language, or the id if the town has none by it. */
  departmentName(id: string): string;
}

/**
 * Base of the office's views. They render into themselves, not into a shadow root of their own:
 * the app's shadow root holds them, its one stylesheet styles them, and ids and labels work
 * across the whole app.
 */
export class OfficeView extends LitElement {
  static override properties: PropertyDeclarations = { ctx: { attribute: false } };
  declare ctx: OfficeContext;

  protected override createRenderRoot() {
    return this;
  }

  /** The tab's title follows the view's heading (which may arrive with the data). */
  protected override updated() {
    setPageTitle(this, this.ctx.t.appName);
  }
}

/** "<the view's h1> – Digitales Rathaus – Verwaltung". */
export function setPageTitle(root: ParentNode, appName: string) {
  const heading = root.querySelector("h1")?.textContent?.replace(/\s+/g, " ").trim();
  document.title = heading ? `${heading} – ${appName}` : appName;
}
