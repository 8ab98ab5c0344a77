import { css } from "lit";
import { srOnly } from "../core/styles.js";

/**
 * The whole office in one sheet: the app's shadow root adopts it and the views render into that
 * root (they have no shadow roots of their own), so labels, ids and these rules reach everything.
 * A strict CSP allows adopted sheets; no style attribute and no <style> element is ever written.
 * Town colors arrive as custom properties from a second adopted sheet (office.ts).
 */
export const officeStyles = css`
  :host {
    --primary: var(--brand, #1f4e79);
    --on-primary: var(--on-brand, #ffffff);
    --link: var(--brand-text, #1f4e79);
    --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    --page: #f4f5f7;
    --surface: #ffffff;
    --fg: #16191d;
    --muted: #535b64;
    --border: #d5d9de;
    --field-border: #6b737c;
    --error: #b3261e;
    --error-bg: #fdf0ef;
    --success: #1e6b34;
    --success-bg: #edf7ef;
    --focus: #16191d;
    display: block;
    min-height: 100vh;
    background: var(--page);
    color: var(--fg);
    font: 400 16px/1.5 var(--font);
  }
  * {
    box-sizing: border-box;
  }
  ${srOnly}
  :focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  /* Headings take focus when a view opens (for screen readers); they are not controls. */
  [tabindex="-1"]:focus {
    outline: none;
  }
  a {
    color: var(--link);
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  h1 {
    margin: 0 0 16px;
    font-size: 28px;
    line-height: 36px;
  }
  h2 {
    margin: 0 0 12px;
    font-size: 21px;
    line-height: 28px;
  }
  h3 {
    margin: 20px 0 8px;
    font-size: 18px;
    line-height: 24px;
  }
  h4,
  h5,
  h6 {
    margin: 16px 0 6px;
    font-size: 16px;
    line-height: 22px;
  }
  p {
    margin: 0 0 12px;
  }
  .muted {
    color: var(--muted);
  }

  /* ---- frame ---- */
  .skip {
    position: absolute;
    left: 12px;
    top: -100px;
    z-index: 10;
    padding: 10px 16px;
    background: var(--surface);
    color: var(--fg);
    border: 2px solid var(--focus);
    border-radius: 8px;
  }
  .skip:focus {
    top: 12px;
  }
  .top {
    background: var(--primary);
    color: var(--on-primary);
  }
  .top :focus-visible {
    outline-color: var(--on-primary);
  }
  .top-inner {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 24px;
    max-width: 1280px;
    margin: 0 auto;
    padding: 10px 24px;
  }
  .brand {
    display: flex;
    align-items: center;
    gap: 10px;
    margin-right: auto;
    font-weight: 700;
    font-size: 18px;
  }
  .brand img {
    width: 36px;
    height: 36px;
    padding: 3px;
    border-radius: 6px;
    background: #ffffff;
  }
  .top nav ul {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .top nav a,
  .top button {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    padding: 0 12px;
    border: 2px solid transparent;
    border-radius: 8px;
    background: none;
    color: var(--on-primary);
    font: 600 16px/20px var(--font);
    text-decoration: none;
    cursor: pointer;
  }
  .top nav a[aria-current="page"] {
    border-color: var(--on-primary);
  }
  .top nav a:hover,
  .top button:hover {
    text-decoration: underline;
  }
  .who {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
  }
  .who span {
    font-size: 15px;
  }
  main {
    display: block;
    max-width: 1280px;
    margin: 0 auto;
    padding: 24px;
  }
  .notice {
    max-width: 1280px;
    margin: 16px auto 0;
    padding: 0 24px;
  }

  /* ---- boxes and messages ---- */
  .card {
    margin: 0 0 20px;
    padding: 20px;
    border: 1px solid var(--border);
    border-radius: 12px;
    background: var(--surface);
  }
  .card > :last-child {
    margin-bottom: 0;
  }
  .form-error:not(:empty),
  .alert {
    margin: 0 0 16px;
    padding: 12px 16px;
    border-left: 5px solid var(--error);
    border-radius: 6px;
    background: var(--error-bg);
    color: var(--fg);
  }
  .form-error p,
  .success p {
    margin: 0;
  }
  .success:not(:empty),
  .info {
    margin: 0 0 16px;
    padding: 12px 16px;
    border-left: 5px solid var(--success);
    border-radius: 6px;
    background: var(--success-bg);
    color: var(--fg);
  }
  .error {
    margin: 0;
    color: var(--error);
    font-size: 15px;
    font-weight: 600;
  }

  /* ---- forms ---- */
  form {
    margin: 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 6px;
    margin: 0 0 16px;
  }
  label,
  legend {
    font-weight: 600;
  }
  .hint,
  .optional {
    margin: 0;
    font-weight: 400;
    color: var(--muted);
    font-size: 15px;
  }
  input:not([type="checkbox"]):not([type="radio"]),
  select,
  textarea {
    width: 100%;
    min-height: 44px;
    margin: 0;
    padding: 8px 10px;
    border: 2px solid var(--field-border);
    border-radius: 8px;
    background: var(--surface);
    color: var(--fg);
    font: 400 16px/24px var(--font);
  }
  input[type="file"] {
    padding: 8px;
  }
  textarea {
    resize: vertical;
  }
  [aria-invalid="true"] {
    border-color: var(--error) !important;
    border-width: 3px !important;
  }
  fieldset {
    min-width: 0;
    margin: 0 0 16px;
    padding: 0;
    border: 0;
  }
  legend {
    margin: 0 0 8px;
    padding: 0;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 10px;
    min-height: 44px;
    font-weight: 400;
    cursor: pointer;
  }
  input[type="checkbox"],
  input[type="radio"] {
    flex: none;
    width: 20px;
    height: 20px;
    margin: 0;
    accent-color: var(--primary);
  }

  /* ---- buttons ---- */
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: 44px;
    margin: 0;
    padding: 0 18px;
    border: 2px solid var(--primary);
    border-radius: 8px;
    background: var(--primary);
    color: var(--on-primary);
    font: 600 16px/20px var(--font);
    text-decoration: none;
    cursor: pointer;
  }
  .btn.secondary {
    border-color: var(--field-border);
    background: var(--surface);
    color: var(--fg);
  }
  .btn:hover {
    box-shadow: 0 2px 8px rgba(16, 24, 40, 0.18);
  }
  .btn[aria-disabled="true"] {
    cursor: progress;
    opacity: 0.85;
  }
  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    align-items: center;
  }

  /* ---- inbox ---- */
  .tabs ul {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin: 0 0 16px;
    padding: 0;
    list-style: none;
  }
  .tabs a {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 44px;
    padding: 0 14px;
    border: 2px solid var(--border);
    border-radius: 999px;
    background: var(--surface);
    color: var(--fg);
    text-decoration: none;
    font-weight: 600;
  }
  .tabs a[aria-current="page"] {
    border-color: var(--primary);
    background: var(--primary);
    color: var(--on-primary);
  }
  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
    gap: 0 16px;
    align-items: end;
  }
  .filters .wide {
    grid-column: span 2;
  }
  .filters .buttons {
    margin: 0 0 16px;
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    background: var(--surface);
  }
  caption {
    padding: 0 0 8px;
    text-align: left;
    font-weight: 700;
    font-size: 18px;
  }
  th,
  td {
    padding: 10px 12px;
    border-bottom: 1px solid var(--border);
    text-align: left;
    vertical-align: top;
  }
  thead th {
    border-bottom: 2px solid var(--field-border);
    font-size: 15px;
    white-space: nowrap;
  }
  tr.unread td {
    font-weight: 600;
  }
  td a {
    font-weight: 600;
  }
  .mark {
    display: inline-block;
    margin-left: 6px;
    padding: 0 8px;
    border-radius: 999px;
    background: #1f4e79;
    color: #ffffff;
    font-size: 13px;
    line-height: 20px;
    font-weight: 700;
  }
  .badge {
    display: inline-block;
    padding: 1px 10px;
    border-radius: 999px;
    font-size: 14px;
    line-height: 22px;
    font-weight: 600;
    white-space: nowrap;
  }
  .badge.received {
    background: #e8f0fb;
    color: #1f4e79;
  }
  .badge.in_progress {
    background: #fff4d6;
    color: #6b4e00;
  }
  .badge.waiting {
    background: #fde8d8;
    color: #8a3b00;
  }
  .badge.approved {
    background: #e3f4e7;
    color: #1e6b34;
  }
  .badge.rejected {
    background: #fdecea;
    color: #a4231b;
  }
  .badge.closed {
    background: #eceef0;
    color: #3d434a;
  }
  .more {
    margin: 16px 0 0;
  }

  /* ---- a submission ---- */
  .back {
    display: inline-block;
    margin: 0 0 12px;
  }
  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
    gap: 12px 24px;
    margin: 0;
  }
  .facts dt,
  .answers dt,
  .pairs dt {
    color: var(--muted);
    font-size: 15px;
  }
  .facts dd,
  .answers dd,
  .pairs dd {
    margin: 0;
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  .columns {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    gap: 0 24px;
    align-items: start;
  }
  @media (max-width: 1023px) {
    .columns {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .answers,
  .pairs {
    display: grid;
    grid-template-columns: minmax(140px, 2fr) 3fr;
    gap: 8px 16px;
    margin: 0 0 12px;
  }
  .files,
  .timeline,
  .notes,
  .docs {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .files li,
  .timeline > li,
  .notes li {
    padding: 10px 0;
    border-bottom: 1px solid var(--border);
  }
  .files li:last-child,
  .timeline > li:last-child,
  .notes li:last-child {
    border-bottom: 0;
  }
  .files img {
    display: block;
    max-width: 100%;
    max-height: 240px;
    margin-top: 8px;
    border: 1px solid var(--border);
    border-radius: 6px;
  }
  .when {
    display: block;
    color: var(--muted);
    font-size: 15px;
  }
  .say {
    margin: 4px 0 0;
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  .work h3:first-of-type {
    margin-top: 0;
  }
  .work section + section {
    margin-top: 20px;
    padding-top: 16px;
    border-top: 1px solid var(--border);
  }
  .radios {
    display: grid;
    gap: 2px;
  }

  /* ---- audit and staff ---- */
  code {
    font: 13px/18px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .staff {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(340px, 1fr));
    gap: 20px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .staff h2 {
    margin-bottom: 2px;
  }
  .staff .card {
    height: 100%;
    margin: 0;
  }

  /* ---- news ---- */
  .btn.danger {
    border-color: var(--error);
    background: var(--error);
    color: #ffffff;
  }
  .toolbar {
    margin: 0 0 20px;
  }
  .badge.draft {
    background: #eceef0;
    color: #3d434a;
  }
  .badge.scheduled {
    background: #fff4d6;
    color: #6b4e00;
  }
  .badge.published {
    background: #e3f4e7;
    color: #1e6b34;
  }
  .mark.urgent {
    background: #a4231b;
  }
  .news-form {
    max-width: 860px;
  }
  .check .desc {
    display: block;
    color: var(--muted);
    font-size: 15px;
  }
  .status-line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
  }
  .confirm {
    margin: 0 0 16px;
    padding: 16px;
    border: 2px solid var(--primary);
    border-radius: 8px;
    background: var(--surface);
  }
  .confirm.danger {
    border-color: var(--error);
    background: var(--error-bg);
  }
  .confirm h2,
  .confirm h3 {
    margin-top: 0;
  }
  .confirm ul {
    margin: 0 0 12px;
    padding-left: 22px;
  }
  .confirm li {
    margin: 0 0 6px;
  }

  /* ---- login ---- */
  .login {
    max-width: 460px;
    margin: 48px auto;
  }
  .alt {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 24px;
    margin: 20px 0 0;
    padding: 0;
    list-style: none;
  }
  .alt a {
    display: inline-block;
    padding: 10px 0;
  }
  .invite {
    max-width: 720px;
  }
  /* ---- appointments ---- */
  .cal-bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 8px 24px;
    margin: 0 0 16px;
  }
  .cal-steps {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 16px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .cal-steps a,
  .cal-print {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    font-weight: 600;
  }
  .cal-clerks {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
    gap: 16px;
    margin: 0 0 8px;
  }
  .cal-clerk {
    min-width: 0;
    padding: 12px 16px;
    border: 1px solid var(--border);
    border-radius: 12px;
    background: var(--surface);
  }
  .cal-clerk > h3,
  .cal-clerk > h4 {
    margin-top: 0;
  }
  .cal-clerk > :last-child {
    margin-bottom: 0;
  }
  .cal-day {
    margin: 0 0 24px;
  }
  .cal-day > h3 {
    margin-top: 0;
  }
  .cal-entries {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .cal-entry {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 10px;
    padding: 10px 0;
    border-bottom: 1px solid var(--border);
    overflow-wrap: anywhere;
  }
  .cal-entry:last-child {
    border-bottom: 0;
  }
  .cal-entry.absence {
    padding: 10px;
    border: 0;
    border-left: 5px solid var(--muted);
    border-radius: 6px;
    background: var(--page);
  }
  .cal-entry.absence + .cal-entry {
    margin-top: 6px;
  }
  .cal-time {
    font-weight: 700;
    white-space: nowrap;
  }
  .cal-what {
    flex: 1 1 auto;
  }
  .cal-who {
    flex: 1 1 100%;
  }
  .cal-mail,
  .cal-note {
    color: var(--muted);
    font-size: 15px;
  }
  .cal-entry .confirm {
    flex: 1 1 100%;
    margin: 6px 0 0;
  }
  .cal-entry .confirm p {
    margin: 0 0 8px;
  }
  .badge.ap-pending {
    background: #fff4d6;
    color: #6b4e00;
  }
  .badge.ap-confirmed {
    background: #e3f4e7;
    color: #1e6b34;
  }
  .badge.ap-no_show {
    background: #fdecea;
    color: #a4231b;
  }
  .badge.ap-cancelled {
    background: #eceef0;
    color: #3d434a;
  }
  .btn.small {
    padding: 0 12px;
    font-size: 15px;
  }
  .absence-form {
    max-width: 720px;
  }
  .abs-row {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
    gap: 0 16px;
    align-items: end;
  }
  .requests {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .request h3 {
    margin-top: 0;
  }
  .request-facts {
    grid-template-columns: minmax(8rem, 1fr) 4fr;
  }
  .request-facts dd {
    white-space: normal;
  }
  .request-facts dd.say {
    white-space: pre-line;
  }
  @media (max-width: 599px) {
    .request-facts {
      grid-template-columns: minmax(0, 1fr);
      gap: 2px;
    }
    .request-facts dd {
      margin-bottom: 8px;
    }
  }
  .wishes {
    margin: 0;
    padding-left: 20px;
  }
  .sched h4 {
    margin-top: 0;
  }
  .sched-day {
    margin: 0 0 12px;
  }
  .sched-day legend {
    font-weight: 600;
  }
  .sched-times > legend {
    font-size: 17px;
  }
  .sched-slots {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
    gap: 0 12px;
  }
  .slot {
    white-space: nowrap;
  }
  .slot.wished {
    font-weight: 600;
  }
  .sched-none {
    margin: 0 0 12px;
  }
`;
