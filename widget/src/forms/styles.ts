import { css } from "lit";

/** The forms view's own styles, on top of the shared view and list styles. px only, as everywhere. */
export const formStyles = css`
  .search {
    margin-bottom: 20px;
  }
  .category h4 {
    margin: 20px 0 4px;
  }
  .items .title {
    min-height: 44px;
    font-size: 18px;
    line-height: 24px;
    font-weight: 700;
  }
  .items .meta {
    margin: 4px 0 0;
  }
  .items p.summary {
    margin: 0;
  }
  .ref {
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }
  .badge.status {
    border: 1px solid var(--_field-border);
    background: var(--_surface);
    color: var(--_fg);
  }
  .badge.approved,
  .badge.closed {
    border-color: var(--_success);
    color: var(--_success);
    background: var(--_success-bg);
  }
  .badge.rejected,
  .badge.waiting {
    border-color: var(--_error);
    color: var(--_error);
    background: var(--_error-bg);
  }

  /* ---- filling in ---- */
  .prose {
    white-space: pre-line;
  }
  .fees h4 {
    margin-bottom: 4px;
  }
  .box.warn {
    border-left-color: var(--_error);
  }
  .step-title .progress {
    display: block;
    color: var(--_muted);
    font-size: 15px;
    line-height: 20px;
    font-weight: 600;
  }
  .step-title {
    margin: 0 0 16px;
  }
  .error-summary {
    margin: 0 0 20px;
    padding: 14px 16px;
    border: 4px solid var(--_error);
    border-radius: 4px;
  }
  .error-summary:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .error-summary h4 {
    margin: 0 0 8px;
  }
  .error-summary ul {
    margin: 0;
    padding-left: 20px;
  }
  .error-summary li {
    margin: 4px 0;
  }
  .error-summary a {
    color: var(--_error);
    font-weight: 700;
  }
  .form-hint {
    margin: 0 0 18px;
    padding: 12px 14px;
    border-left: 4px solid var(--_border);
    background: var(--_surface);
  }
  .form-hint p:last-child {
    margin: 0;
  }
  fieldset.group {
    margin: 0 0 18px;
    padding: 12px 14px 0;
    border: 1px solid var(--_border);
    border-radius: 8px;
  }
  fieldset.group > legend {
    padding: 0 6px;
    font-size: 18px;
    line-height: 24px;
  }
  fieldset.entry {
    margin: 0 0 16px;
    padding: 12px 0 4px 14px;
    border-left: 4px solid var(--_field-border);
  }
  fieldset.entry > legend {
    float: left;
    width: 100%;
    margin: 0 0 12px;
  }
  fieldset.entry > legend + * {
    clear: both;
  }
  .btn.small {
    min-height: 44px;
    margin: 0 0 12px;
    padding: 0 14px;
    font-size: 15px;
  }
  .btn.add {
    margin: 0 0 16px;
  }
  fieldset.field-set > legend {
    margin-bottom: 6px;
  }
  fieldset.field-set > .hint,
  fieldset.field-set > .error {
    margin-bottom: 8px;
  }
  .choices.inline {
    grid-template-columns: repeat(auto-fill, minmax(110px, 1fr));
  }
  select[aria-invalid="true"],
  fieldset[data-field] input[aria-invalid="true"] {
    border-color: var(--_error);
  }
  input.number,
  input.integer,
  input.amount,
  input.date,
  input.time {
    max-width: 240px;
  }
  input.iban {
    letter-spacing: 0.04em;
    font-variant-numeric: tabular-nums;
  }
  .address {
    display: grid;
    grid-template-columns: 130px 1fr;
    gap: 12px;
  }
  .address .part {
    display: flex;
    flex-direction: column;
    gap: 6px;
    min-width: 0;
  }
  .address .wide {
    grid-column: 1 / -1;
  }
  .address label {
    font-weight: 400;
  }
  .files {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .files li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 4px 12px;
    padding: 6px 10px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    margin-bottom: 6px;
  }
  .files .name {
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .files progress {
    width: 100%;
    height: 8px;
    accent-color: var(--_primary);
  }
  .nav-buttons {
    margin-top: 24px;
  }
  .draft-status {
    margin: 12px 0 0;
    min-height: 20px;
    color: var(--_muted);
    font-size: 14px;
    line-height: 20px;
  }
  .proof {
    margin: 12px 0 0;
  }
  .send-error:not(:empty) {
    margin: 16px 0 0;
    padding: 12px 14px;
    border-left: 4px solid var(--_error);
    border-radius: 4px;
    background: var(--_error-bg);
  }
  .send-error p {
    margin: 0;
  }
  .send-error .btn {
    margin-top: 12px;
  }
  .send {
    margin-top: 24px;
  }

  /* ---- review ---- */
  .review-step {
    margin: 0 0 20px;
  }
  .review-step h5 {
    margin: 0 0 8px;
    padding-bottom: 4px;
    border-bottom: 2px solid var(--_border);
    font-size: 17px;
    line-height: 24px;
  }
  .answers,
  .answers dl {
    margin: 0;
  }
  /* The question and "Ändern" on one line, the answer below: the panel is narrow at any screen size. */
  .answers .row {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 2px 12px;
    padding: 8px 0;
    border-bottom: 1px solid var(--_border);
  }
  .answers .row > dd:not(.change) {
    grid-column: 1 / -1;
    grid-row: 2;
  }
  .answers .change {
    grid-column: 2;
    grid-row: 1;
  }
  .answers .row.group {
    grid-template-columns: 1fr;
  }
  .answers .row.group > dd {
    margin: 0;
    padding-left: 12px;
    border-left: 4px solid var(--_border);
  }
  .answers .row.group .row:last-child {
    border-bottom: 0;
  }
  .answers dt {
    font-weight: 600;
    overflow-wrap: break-word;
  }
  .answers dd {
    margin: 0;
    overflow-wrap: anywhere;
    white-space: pre-line;
  }
  .answers dd.empty {
    color: var(--_muted);
  }
  .answers dd.change {
    white-space: normal;
  }
  .answers .change .link {
    min-height: 24px;
  }
  @media (pointer: coarse) {
    .answers .change .link {
      min-height: 44px;
    }
  }

  /* ---- sent ---- */
  .confirmation {
    margin: 0 0 16px;
    padding: 20px;
    border-radius: 8px;
    background: var(--_success-bg);
    border: 2px solid var(--_success);
  }
  .confirmation h4 {
    margin: 0 0 8px;
    font-size: 22px;
    line-height: 28px;
  }
  .confirmation p {
    margin: 0;
  }
  .confirmation .ref {
    display: block;
    margin-top: 4px;
    font-size: 24px;
    line-height: 32px;
  }
  .done h5 {
    margin: 20px 0 8px;
    font-size: 18px;
    line-height: 24px;
  }
`;
