import { css } from "lit";
import { focusRing, solidButton, srOnly } from "../../core/styles.js";

/**
 * Styles every view shares (typography, fields, buttons, messages). One CSSStyleSheet object,
 * adopted by each view's shadow root. px only: rem would follow the host page's root size.
 */
export const viewStyles = css`
  :host {
    display: block;
  }
  * {
    box-sizing: border-box;
  }
  h3 {
    margin: 0 0 8px;
    font-size: 22px;
    line-height: 28px;
    font-weight: 700;
  }
  h4 {
    margin: 0 0 8px;
    font-size: 18px;
    line-height: 24px;
    font-weight: 700;
  }
  /* Headings take focus when a view opens (for screen readers); they are not controls. */
  [tabindex="-1"]:focus {
    outline: none;
  }
  p {
    margin: 0 0 12px;
  }
  .intro {
    margin-bottom: 20px;
    color: var(--_muted);
  }
  a {
    color: var(--_link);
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  :focus-visible {
    ${focusRing}
  }
  ${srOnly}

  /* ---- forms ---- */
  form {
    margin: 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 6px;
    margin: 0 0 18px;
  }
  label,
  legend {
    font-size: 16px;
    line-height: 22px;
    font-weight: 600;
  }
  .optional,
  .hint {
    font-weight: 400;
    color: var(--_muted);
  }
  .hint {
    margin: 0;
    font-size: 15px;
    line-height: 20px;
  }
  input:not([type="checkbox"]):not([type="radio"]),
  select,
  textarea {
    width: 100%;
    min-height: 48px;
    margin: 0;
    padding: 10px 12px;
    border: 2px solid var(--_field-border);
    border-radius: 8px;
    background: var(--_bg);
    color: var(--_fg);
    font: 400 16px/24px var(--_font);
  }
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 1px;
  }
  textarea {
    resize: vertical;
  }
  input[aria-invalid="true"],
  textarea[aria-invalid="true"] {
    border-color: var(--_error);
    border-width: 3px;
  }
  input.code {
    max-width: 200px;
    font-size: 22px;
    letter-spacing: 0.3em;
    font-variant-numeric: tabular-nums;
  }
  fieldset {
    min-width: 0;
    margin: 0 0 18px;
    padding: 0;
    border: 0;
  }
  legend {
    margin: 0 0 8px;
    padding: 0;
  }
  .choices {
    display: grid;
    gap: 8px;
  }
  .choice {
    display: flex;
    align-items: flex-start;
    gap: 12px;
    min-height: 44px;
    padding: 10px 14px;
    border: 2px solid var(--_border);
    border-radius: 8px;
    font-weight: 400;
    cursor: pointer;
  }
  .choice:has(input:checked) {
    border-color: var(--_link);
    background: var(--_surface);
  }
  .choice.plain {
    padding: 11px 0;
    border: 0;
    background: none;
  }
  .choice small {
    display: block;
    color: var(--_muted);
    font-size: 14px;
    line-height: 20px;
  }
  input[type="checkbox"],
  input[type="radio"] {
    flex: none;
    width: 22px;
    height: 22px;
    margin: 1px 0 0;
    accent-color: var(--_primary);
    cursor: pointer;
  }
  .error {
    display: flex;
    gap: 6px;
    align-items: flex-start;
    margin: 0;
    color: var(--_error);
    font-size: 15px;
    line-height: 20px;
    font-weight: 600;
  }
  .error svg {
    flex: none;
    width: 18px;
    height: 18px;
    margin-top: 1px;
  }

  /* ---- buttons ---- */
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 8px;
    ${solidButton}
    text-align: center;
    text-decoration: none;
  }
  .btn.wide {
    width: 100%;
  }
  .btn.secondary {
    border-color: var(--_field-border);
    background: var(--_bg);
    color: var(--_fg);
  }
  .btn.danger {
    border-color: var(--_error);
    background: var(--_bg);
    color: var(--_error);
  }
  .btn:hover {
    box-shadow: 0 2px 8px rgba(16, 24, 40, 0.18);
  }
  .btn[aria-disabled="true"] {
    cursor: progress;
  }
  .link {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    margin: 0;
    padding: 0;
    border: 0;
    background: none;
    color: var(--_link);
    font: inherit;
    text-align: left;
    text-decoration: underline;
    text-underline-offset: 2px;
    cursor: pointer;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 16px;
    margin: 8px 0 0;
  }
  .alt {
    margin-top: 20px;
    padding-top: 16px;
    border-top: 1px solid var(--_border);
  }
  .alt p {
    margin: 0;
  }

  /* ---- messages ---- */
  .form-error:not(:empty),
  .success:not(:empty),
  .box {
    margin: 0 0 18px;
    padding: 12px 14px;
    border-left: 4px solid var(--_error);
    border-radius: 4px;
    background: var(--_error-bg);
  }
  .success:not(:empty) {
    border-left-color: var(--_success);
    background: var(--_success-bg);
  }
  .box {
    border-left-color: var(--_link);
    background: var(--_surface);
  }
  .form-error p,
  .success p,
  .box p {
    margin: 0;
  }
  .form-error .btn {
    margin-top: 12px;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 2px 8px;
    border-radius: 999px;
    font-size: 13px;
    line-height: 18px;
    font-weight: 700;
  }
  .badge.ok {
    background: var(--_success-bg);
    color: var(--_success);
    border: 1px solid var(--_success);
  }
  .badge.todo {
    background: var(--_surface);
    color: var(--_fg);
    border: 1px solid var(--_field-border);
  }
  .card {
    margin: 0 0 16px;
    padding: 16px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  .state {
    padding: 24px 0;
    text-align: center;
  }
`;

/** Lists of news items (the public news and the newsroom): meta line, urgent badge, topic tags. */
export const listStyles = css`
    ul.items {
      margin: 0 0 16px;
      padding: 0;
      list-style: none;
    }
    ul.items > li {
      padding: 16px 0;
      border-top: 1px solid var(--_border);
    }
    ul.items > li:first-child {
      border-top: 0;
      padding-top: 0;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 10px;
      margin: 0 0 4px;
      color: var(--_muted);
      font-size: 14px;
      line-height: 20px;
    }
    .urgent {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 1px 8px;
      border: 1px solid var(--_error);
      border-radius: 999px;
      background: var(--_error-bg);
      color: var(--_error);
      font-weight: 700;
    }
    .urgent svg {
      width: 14px;
      height: 14px;
    }
    .items h4 {
      margin: 0 0 4px;
    }
    .items h4 .link {
      min-height: 0;
      font-weight: 700;
      font-size: 18px;
      line-height: 24px;
      color: var(--_link);
    }
    @media (pointer: coarse) {
      .items h4 .link {
        min-height: 44px;
      }
    }
    .items .summary {
      margin: 0 0 8px;
    }
    .tags {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .tags li {
      padding: 1px 8px;
      border-radius: 4px;
      background: var(--_surface);
      color: var(--_muted);
      font-size: 13px;
      line-height: 20px;
    }
  .back::before {
    content: "← ";
    white-space: pre;
  }
`;

/** Tabs between the parts of a view ("Anträge" / "Meine Anträge", "Termin buchen" / "Meine Termine"). */
export const tabStyles = css`
  .tabs {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin: 0 0 16px;
    border-bottom: 1px solid var(--_border);
  }
  .tabs button {
    min-height: 44px;
    margin: 0;
    padding: 0 12px;
    border: 0;
    background: none;
    color: var(--_fg);
    font: 600 15px/20px var(--_font);
    cursor: pointer;
  }
  .tabs button[aria-current="page"] {
    color: var(--_link);
    box-shadow: inset 0 -4px 0 var(--_link);
  }
`;

/** The line that tells a citizen without an account the security check is running or done (core/proof-solver.ts). */
export const proofStyles = css`
  .proof {
    min-height: 20px;
    color: var(--_muted);
    font-size: 14px;
    line-height: 20px;
  }
  .proof .dot {
    display: inline-block;
    width: 8px;
    height: 8px;
    margin-right: 6px;
    border-radius: 50%;
    background: var(--_muted);
  }
  .proof .dot.ready {
    background: var(--_success);
  }
`;
