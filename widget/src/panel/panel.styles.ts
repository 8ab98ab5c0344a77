import { css } from "lit";
import { focusRing, solidButton, srOnly } from "../core/styles.js";

/** The dialog shell. Colors and sizes come from the variables set on the element's `.root`. */
export const panelStyles = css`
  :host {
    display: contents;
  }
  dialog {
    box-sizing: border-box;
    position: fixed;
    inset: auto var(--_offset) calc(var(--_offset) + 68px) auto;
    width: var(--dr-panel-width, 420px);
    max-width: calc(100vw - 2 * var(--_offset));
    height: min(760px, calc(100vh - 2 * var(--_offset) - 84px));
    max-height: none;
    margin: 0;
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
    box-shadow: var(--_shadow);
    overflow: hidden;
    font: inherit;
  }
  dialog[open] {
    display: flex;
    flex-direction: column;
  }
  dialog::backdrop {
    background: rgba(16, 24, 40, 0.32);
  }
  :host([position="bottom-left"]) dialog {
    inset: auto auto calc(var(--_offset) + 68px) var(--_offset);
  }
  :host([position="inline"]) dialog {
    inset: 0;
    margin: auto;
    width: var(--dr-panel-width, 560px);
    height: min(800px, calc(100vh - 48px));
  }
  /* Phones (≤ 667 px wide) and short landscape screens: the panel takes the whole screen. */
  @media (max-width: 667px), (max-height: 480px) {
    dialog,
    :host([position]) dialog {
      inset: 0;
      width: 100%;
      max-width: 100%;
      height: 100%;
      margin: 0;
      border: 0;
      border-radius: 0;
    }
    /* Notches and home indicators of phones. */
    .header {
      padding-top: max(14px, env(safe-area-inset-top));
    }
    .footer {
      padding-bottom: max(6px, env(safe-area-inset-bottom));
    }
  }
  @media (prefers-reduced-motion: no-preference) {
    dialog[open] {
      animation: appear 0.16s ease-out;
    }
    @keyframes appear {
      from {
        opacity: 0;
        transform: translateY(8px);
      }
    }
  }

  .header {
    display: flex;
    flex: none;
    align-items: center;
    gap: 12px;
    padding: 14px 12px 14px 20px;
    background: var(--_primary);
    color: var(--_on-primary);
    border-bottom: 4px solid var(--_accent-color);
  }
  .logo {
    flex: none;
    box-sizing: border-box;
    width: 44px;
    height: 44px;
    padding: 4px;
    border-radius: 8px;
    background: #ffffff;
    object-fit: contain;
  }
  h2 {
    flex: 1;
    min-width: 0;
    margin: 0;
    font-size: 20px;
    line-height: 24px;
    font-weight: 700;
  }
  .kicker {
    display: block;
    font-size: 13px;
    line-height: 18px;
    font-weight: 600;
    letter-spacing: 0.04em;
    text-transform: uppercase;
  }
  .town {
    display: block;
    overflow-wrap: anywhere;
  }
  .close {
    flex: none;
    display: grid;
    place-items: center;
    width: 44px;
    height: 44px;
    margin: 0;
    padding: 0;
    border: 0;
    border-radius: 8px;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .close:hover {
    background: rgba(127, 127, 127, 0.22);
  }
  .close:focus-visible {
    outline: 3px solid currentColor;
    outline-offset: -3px;
  }
  .close svg {
    width: 24px;
    height: 24px;
  }

  .nav {
    display: flex;
    flex: none;
    /* Four sections (staff) do not fit side by side on a 375 px phone. */
    flex-wrap: wrap;
    gap: 0 4px;
    padding: 0 12px;
    border-bottom: 1px solid var(--_border);
    background: var(--_bg);
  }
  .nav button {
    min-height: 48px;
    margin: 0;
    padding: 0 12px;
    border: 0;
    background: transparent;
    color: var(--_fg);
    font: 600 15px/20px var(--_font);
    cursor: pointer;
  }
  .nav button:hover {
    color: var(--_link);
  }
  /* The current section is marked by the underline, not only by its color. */
  .nav button[aria-current="page"] {
    color: var(--_link);
    box-shadow: inset 0 -4px 0 var(--_link);
  }
  .nav button:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: -3px;
  }
  /* Unread entries of the Postfach, beside its tab's name. */
  .nav .count {
    display: inline-block;
    min-width: 22px;
    padding: 0 6px;
    border-radius: 11px;
    background: var(--_primary);
    color: var(--_on-primary);
    font-size: 13px;
    line-height: 22px;
    text-align: center;
  }

  .body {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 20px;
  }
  ${srOnly}
  .notice {
    margin: 0 0 16px;
    padding: 12px 14px;
    border-left: 4px solid var(--_success);
    border-radius: 4px;
    background: var(--_success-bg);
  }
  .state {
    padding: 24px 0;
    text-align: center;
  }
  .state p {
    margin: 0 0 16px;
  }
  .retry {
    ${solidButton}
  }
  .retry:focus-visible {
    ${focusRing}
  }
  .spinner {
    display: inline-block;
    width: 24px;
    height: 24px;
    margin-bottom: 8px;
    border: 3px solid var(--_border);
    border-top-color: var(--_link);
    border-radius: 50%;
  }
  @media (prefers-reduced-motion: no-preference) {
    .spinner {
      animation: spin 0.8s linear infinite;
    }
    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }
  }

  .footer {
    display: flex;
    flex: none;
    flex-wrap: wrap;
    gap: 0 16px;
    padding: 6px 20px;
    border-top: 1px solid var(--_border);
    background: var(--_surface);
    font-size: 14px;
    line-height: 20px;
  }
  .footer a {
    display: inline-flex;
    align-items: center;
    min-height: 36px;
    color: var(--_link);
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  @media (pointer: coarse) {
    .footer a {
      min-height: 44px;
    }
  }
  .footer a:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 0;
  }
`;
