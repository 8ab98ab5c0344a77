import { css } from "lit";

/**
 * CSS that the element's, the panel's and the views' stylesheets have in common. Every shadow
 * root adopts only its own sheets and inherits no rules from the others, so these fragments are
 * composed into each sheet (Lit inlines them) rather than shared as a sheet of their own. They
 * live beside the element's styles, in the entry chunk, which the panel and views load anyway.
 */

/** The filled button in the town's color: the views' `.btn`, the panel's retry, the launcher's error box. */
export const solidButton = css`
  min-height: 48px;
  margin: 0;
  padding: 0 20px;
  border: 2px solid var(--_primary);
  border-radius: 8px;
  background: var(--_primary);
  color: var(--_on-primary);
  font: 600 16px/20px var(--_font);
  cursor: pointer;
`;

/** The focus outline of controls on the panel's background. */
export const focusRing = css`
  outline: 3px solid var(--_focus);
  outline-offset: 2px;
`;

/** Text for screen readers only. */
export const srOnly = css`
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
