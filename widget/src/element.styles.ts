import { css } from "lit";
import { focusRing, solidButton, srOnly } from "./core/styles.js";

/**
 * Palette of the dark theme, applied by `theme="dark"` and, for `theme="auto"`, when the
 * visitor's system prefers dark.
 */
const dark = css`
  --_bg: var(--dr-background, #16181b);
  --_surface: #1f2226;
  --_fg: var(--dr-text, #eceef0);
  --_muted: #b4bac1;
  --_border: #3d434a;
  --_field-border: #8a929b;
  --_error: #ff8a80;
  --_error-bg: #3a1d1b;
  --_success: #7bd88f;
  --_success-bg: #16301d;
  --_link: var(--dr-link, var(--_brand-text-dark, #8cb4ff));
  --_focus: #f4f5f7;
  --_shadow: 0 12px 40px rgba(0, 0, 0, 0.6);
  color-scheme: dark;
`;

/**
 * The host page's CSS reaches this element in two ways: rules that match the host itself
 * (`* { … }`, `digitales-rathaus { … }`) and inherited properties (font, color, letter-spacing,
 * text-transform …). `all: initial !important` on :host stops both — an important declaration
 * from inside the shadow tree beats the page's, even its `!important` ones — and the host is
 * `display: contents` so that no page rule can give it a box. Custom properties are not part of
 * `all`, so the documented `--dr-*` variables still come through. Sizes are px, never rem.
 */
export const elementStyles = css`
  :host {
    all: initial !important;
    display: contents !important;
  }
  .root {
    display: contents;
    --_primary: var(--dr-primary, var(--_brand, #1f4e79));
    --_on-primary: var(--dr-on-primary, var(--_on-brand, #ffffff));
    --_accent-color: var(--dr-accent, var(--_accent, #c8a200));
    --_font: var(--dr-font-family, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
    --_radius: var(--dr-radius, 12px);
    --_z-index: var(--dr-z-index, var(--_z, 2147483000));
    --_offset: var(--dr-offset, 20px);
    --_bg: var(--dr-background, #ffffff);
    --_surface: #f4f5f7;
    --_fg: var(--dr-text, #16191d);
    --_muted: #535b64;
    --_border: #d5d9de;
    --_field-border: #6b737c;
    --_error: #b3261e;
    --_error-bg: #fdf0ef;
    --_success: #1e6b34;
    --_success-bg: #edf7ef;
    --_link: var(--dr-link, var(--_brand-text-light, #1f4e79));
    --_focus: #16191d;
    --_shadow: 0 12px 40px rgba(16, 24, 40, 0.22);
    color-scheme: light;
    font-family: var(--_font);
    font-size: 16px;
    font-weight: 400;
    font-style: normal;
    line-height: 1.5;
    letter-spacing: normal;
    word-spacing: normal;
    text-transform: none;
    text-align: left;
    text-shadow: none;
    white-space: normal;
    direction: ltr;
    color: var(--_fg);
    cursor: auto;
    visibility: visible;
    -webkit-font-smoothing: antialiased;
  }
  .root[data-theme="dark"] {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    .root[data-theme="auto"] {
      ${dark}
    }
  }

  .launcher {
    position: fixed;
    z-index: var(--_z-index);
    right: var(--_offset);
    bottom: calc(var(--_offset) + env(safe-area-inset-bottom, 0px));
    box-sizing: border-box;
    display: inline-flex;
    align-items: center;
    gap: 10px;
    min-height: 52px;
    margin: 0;
    padding: 0 22px 0 16px;
    border: 0;
    border-radius: 999px;
    background: var(--_primary);
    color: var(--_on-primary);
    font: 600 16px/20px var(--_font);
    letter-spacing: 0.01em;
    box-shadow:
      0 6px 20px rgba(16, 24, 40, 0.24),
      0 2px 6px rgba(16, 24, 40, 0.16);
    cursor: pointer;
    -webkit-tap-highlight-color: transparent;
  }
  .root[data-position="bottom-left"] .launcher {
    right: auto;
    left: var(--_offset);
  }
  .root[data-position="inline"] .launcher {
    position: static;
  }
  .launcher:hover {
    box-shadow:
      0 8px 28px rgba(16, 24, 40, 0.3),
      0 2px 6px rgba(16, 24, 40, 0.2);
  }
  /* A dark ring outside a white one: visible on any page background. */
  .launcher:focus-visible {
    outline: 3px solid #16191d;
    outline-offset: 3px;
    box-shadow: 0 0 0 3px #ffffff;
  }
  .launcher svg {
    flex: none;
    width: 24px;
    height: 24px;
  }
  .count {
    min-width: 24px;
    margin-right: -8px;
    padding: 0 6px;
    border-radius: 12px;
    background: var(--_on-primary);
    color: var(--_primary);
    font-size: 14px;
    line-height: 24px;
    font-weight: 700;
    text-align: center;
  }
  ${srOnly}
  @media (prefers-reduced-motion: no-preference) {
    .launcher {
      transition: box-shadow 0.15s ease;
    }
  }
  @media print {
    .launcher {
      display: none;
    }
  }

  .load-error {
    position: fixed;
    z-index: var(--_z-index);
    right: var(--_offset);
    bottom: calc(var(--_offset) + 64px);
    box-sizing: border-box;
    max-width: min(360px, calc(100vw - 32px));
    padding: 16px;
    border: 2px solid var(--_error);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
    box-shadow: var(--_shadow);
  }
  .root[data-position="bottom-left"] .load-error {
    right: auto;
    left: var(--_offset);
  }
  .load-error p {
    margin: 0 0 12px;
  }
  .load-error button {
    ${solidButton}
    min-height: 44px;
    margin: 0 8px 0 0;
    padding: 0 16px;
  }
  .load-error button + button {
    background: transparent;
    color: var(--_fg);
    border-color: var(--_field-border);
  }
  .load-error button:focus-visible {
    ${focusRing}
  }
`;
