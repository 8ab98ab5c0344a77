import { css } from "lit";

/** The Postfach's timeline and reply form, on top of the shared view and list styles. */
export const postfachStyles = css`
  .timeline {
    margin: 0 0 16px;
    padding: 0;
    list-style: none;
  }
  .entry {
    padding: 14px 0 14px 14px;
    border-top: 1px solid var(--_border);
    border-left: 4px solid transparent;
    overflow-wrap: anywhere;
  }
  .entry:first-child {
    border-top: 0;
  }
  /* Marked by the word "Neu" in the heading too, not by the stripe alone. */
  .entry.unread {
    border-left-color: var(--_link);
  }
  .entry h4 {
    margin: 0 0 2px;
  }
  .entry p {
    margin: 0 0 6px;
  }
  .meta,
  .about,
  .facts,
  .docs-title {
    color: var(--_muted);
    font-size: 14px;
    line-height: 20px;
  }
  .about {
    display: flex;
    flex-wrap: wrap;
    gap: 0 12px;
  }
  .ref {
    font-variant-numeric: tabular-nums;
  }
  .text {
    white-space: pre-line;
  }
  .badge.new {
    margin-right: 4px;
    background: var(--_primary);
    color: var(--_on-primary);
    vertical-align: 2px;
  }
  .docs-title {
    margin: 8px 0 0;
    font-weight: 600;
  }
  .docs {
    margin: 0 0 6px;
    padding: 0;
    list-style: none;
  }
  .docs li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0 8px;
  }
  .actions {
    margin: 4px 0 0;
  }
  .ask {
    margin: 10px 0 0;
    padding: 12px 14px;
    border-left: 4px solid var(--_error);
    border-radius: 4px;
    background: var(--_error-bg);
  }
  .ask p {
    margin: 0 0 10px;
  }
  .reply {
    margin: 12px 0 0;
    padding: 14px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
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
    margin-bottom: 6px;
    padding: 6px 10px;
    border: 1px solid var(--_border);
    border-radius: 8px;
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
  input[type="file"] {
    max-width: 100%;
    font: inherit;
  }
  .filter {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0 12px;
    margin: 0 0 12px;
  }
  .filter p {
    margin: 0;
    font-weight: 600;
  }
  .sent:focus {
    outline: none;
  }
  .back::before {
    content: "← ";
    white-space: pre;
  }
`;
