import type { ReactiveController, ReactiveControllerHost } from "lit";
import { deepActiveElement } from "../core/dom.js";

const CANDIDATES = 'a[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable="true"]';

function isTabbable(el: HTMLElement): boolean {
  if (el.tabIndex < 0 || (el as HTMLButtonElement).disabled) return false;
  if (el instanceof HTMLInputElement) {
    if (el.type === "hidden") return false;
    // Of a radio group only the checked radio (or the first, when none is) takes a Tab stop.
    if (el.type === "radio" && !el.checked && el.form) {
      const group = [...el.form.querySelectorAll<HTMLInputElement>(`input[type=radio][name="${CSS.escape(el.name)}"]`)];
      if (group.some((r) => r.checked) || group[0] !== el) return false;
    }
  }
  if (el.localName === "summary" && el.parentElement?.localName !== "details") return false;
  // Hidden, display:none and content of closed <details> are skipped by the browser too.
  return typeof el.checkVisibility === "function" ? el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions) : el.getClientRects().length > 0;
}

/** Tab stops in document order, descending into (open) shadow roots of nested views. */
export function tabbables(root: ParentNode, out: HTMLElement[] = []): HTMLElement[] {
  for (const el of Array.from(root.children)) {
    if (!(el instanceof HTMLElement)) continue;
    if (el.matches(CANDIDATES) && isTabbable(el)) out.push(el);
    tabbables(el.shadowRoot ?? el, out);
  }
  return out;
}

/**
 * Keeps Tab and Shift+Tab inside an open modal: from the last stop back to the first and the
 * other way round. `showModal()` already makes the page inert, but without this Tab leaves for
 * the browser's address bar, and the panel's focusable parts sit in several shadow roots.
 */
export class FocusTrapController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly container: () => HTMLDialogElement | null | undefined,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.host.addEventListener("keydown", this.onKeydown);
  }

  hostDisconnected() {
    this.host.removeEventListener("keydown", this.onKeydown);
  }

  private readonly onKeydown = (e: KeyboardEvent) => {
    const dialog = this.container();
    if (e.key !== "Tab" || e.altKey || e.ctrlKey || e.metaKey || !dialog?.open) return;
    const stops = tabbables(dialog);
    const first = stops[0];
    const last = stops[stops.length - 1];
    if (!first || !last) return e.preventDefault();
    const active = deepActiveElement();
    const inside = active instanceof HTMLElement && stops.includes(active);
    if (e.shiftKey ? active === first : active === last) {
      e.preventDefault();
      (e.shiftKey ? last : first).focus();
    } else if (!inside && !dialog.contains(active) && !composedContains(dialog, active)) {
      e.preventDefault();
      first.focus();
    }
  };
}

function composedContains(root: Element, node: Node | null): boolean {
  for (let n = node; n; n = n.parentNode ?? (n instanceof ShadowRoot ? n.host : null)) if (n === root) return true;
  return false;
}
