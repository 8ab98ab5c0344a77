/** The focused element, looking through open shadow roots (document.activeElement stops at hosts). */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Events the host page can listen to; all bubble and cross shadow boundaries. */
export function emit(target: EventTarget, name: `dr:${string}`, detail: Record<string, unknown> = {}) {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** `customElements.define` that tolerates a second copy of the widget on the page. */
export function define(tag: string, element: CustomElementConstructor) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
