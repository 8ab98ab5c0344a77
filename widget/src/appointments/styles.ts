import { css } from "lit";

/** The Termine view: services, day and time buttons, the summary, the Terminanfrage, "Meine Termine". */
export const appointmentStyles = css`
  ul.services,
  ul.mine,
  ul.days,
  ul.slots,
  ul.contact {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  ul.services > li {
    padding: 16px 0;
    border-top: 1px solid var(--_border);
  }
  ul.services > li:first-child {
    padding-top: 0;
    border-top: 0;
  }
  ul.services h4 {
    margin: 0 0 4px;
  }
  ul.services h4 .link {
    min-height: 44px;
    font-weight: 700;
    font-size: 18px;
    line-height: 24px;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 16px;
    margin: 0 0 8px;
    color: var(--_muted);
    font-size: 15px;
    line-height: 20px;
  }
  .label {
    margin: 0 0 4px;
    font-weight: 600;
  }
  ul.bring {
    margin: 0 0 12px;
    padding-left: 22px;
  }
  .box.request {
    margin: 8px 0 0;
  }
  .box p + ul.contact {
    margin-top: 8px;
  }
  ul.contact li {
    min-height: 32px;
  }
  .back-row {
    margin: -8px 0 4px;
  }
  h5 {
    margin: 16px 0 8px;
    font-size: 16px;
    line-height: 22px;
    font-weight: 700;
  }
  ul.days,
  ul.slots {
    display: grid;
    gap: 8px;
  }
  ul.days {
    grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
  }
  ul.slots {
    grid-template-columns: repeat(auto-fill, minmax(88px, 1fr));
  }
  .pick {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    justify-content: center;
    width: 100%;
    min-height: 48px;
    margin: 0;
    padding: 8px 12px;
    border: 2px solid var(--_field-border);
    border-radius: 8px;
    background: var(--_bg);
    color: var(--_fg);
    font: 600 16px/22px var(--_font);
    text-align: left;
    cursor: pointer;
  }
  ul.slots .pick {
    align-items: center;
    font-variant-numeric: tabular-nums;
  }
  .pick small {
    color: var(--_muted);
    font-size: 14px;
    line-height: 20px;
    font-weight: 400;
  }
  .pick:hover {
    border-color: var(--_link);
    background: var(--_surface);
  }
  .summary-list {
    margin: 0 0 16px;
    padding: 12px 14px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .summary-list div {
    display: grid;
    grid-template-columns: minmax(80px, auto) 1fr;
    gap: 4px 12px;
    padding: 4px 0;
  }
  .summary-list dt {
    color: var(--_muted);
  }
  .summary-list dd {
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .proof {
    margin: 0 0 16px;
  }
  ul.mine > li .summary-list {
    border: 0;
    padding: 0;
  }
  .ask {
    margin: 8px 0 0;
    padding: 12px 14px;
    border-left: 4px solid var(--_error);
    border-radius: 4px;
    background: var(--_error-bg);
  }
  .ask p {
    margin: 0;
  }
  .ask p.actions {
    margin-top: 12px;
  }
  /* ---- Terminanfrage ---- */
  fieldset.wish {
    margin: 0 0 6px;
  }
  .wish .pair {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
    gap: 0 12px;
  }
  #rq-days-hint {
    margin: 0 0 12px;
  }
  select[aria-invalid="true"] {
    border-color: var(--_error);
    border-width: 3px;
  }
  .error-summary {
    margin: 0 0 20px;
    padding: 12px 14px;
    border: 4px solid var(--_error);
    border-radius: 4px;
  }
  .error-summary:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .error-summary .title {
    font-weight: 700;
  }
  .error-summary ul {
    margin: 0 0 8px;
    padding-left: 20px;
  }
  .error-summary p:last-child,
  .error-summary ul:last-child {
    margin-bottom: 0;
  }
  .error-summary a {
    color: var(--_error);
    font-weight: 700;
  }
  ul.wishes {
    margin: 0;
    padding-left: 18px;
  }
  dd.note {
    white-space: pre-wrap;
  }
`;
