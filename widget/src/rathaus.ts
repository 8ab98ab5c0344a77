/**
 * Entry of the drop-in script. Everything here must tolerate running more than once: a page may
 * include the snippet twice, load `/widget/v1/` and a pinned `/widget/0.1.0/` copy, or add a
 * cache-busting query (each URL is a separate module instance). The first copy defines the
 * element and the global API; later copies change nothing.
 */
import type { PublicView } from "./core/context.js";
import { define } from "./core/dom.js";
import { RathausElement } from "./element.js";

declare const __DR_VERSION__: string;

export interface DigitalesRathausApi {
  readonly version: string;
  /**
   * Opens the first `<digitales-rathaus>` on the page, on `view` if given: `"news"`, `"forms"`,
   * `"login"`, `"register"`, `"account"`, `"postfach"` (the citizen's Postfach; the login first
   * without a session), or one form as `"forms/<id>"`. False if there is none.
   */
  open(view?: PublicView): boolean;
  close(): void;
}

declare global {
  interface Window {
    DigitalesRathaus?: DigitalesRathausApi;
  }
}

const TAG = "digitales-rathaus";

define(TAG, RathausElement);

/** Elements of whichever copy defined the tag; duck-typed so a second copy's API still works. */
type Openable = HTMLElement & { open(view?: PublicView): void; close(): void };
const elements = () => [...document.querySelectorAll<HTMLElement>(TAG)].filter((el): el is Openable => typeof (el as Partial<Openable>).open === "function");

if (!window.DigitalesRathaus) {
  const api: DigitalesRathausApi = Object.freeze({
    version: __DR_VERSION__,
    open(view?: PublicView) {
      const el = elements()[0];
      el?.open(view);
      return el !== undefined;
    },
    close() {
      for (const el of elements()) el.close();
    },
  });
  Object.defineProperty(window, "DigitalesRathaus", { value: api, writable: false, configurable: true, enumerable: false });
}

export { RathausElement };
