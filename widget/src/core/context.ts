import type { Api } from "./api.js";
import type { Account, AuthResult, Lang, TenantConfig } from "./types.js";

/** Sections a host page may open by name. */
export type Section = "news" | "forms" | "login" | "register" | "account" | "postfach";

/** Views a host page may open with `DigitalesRathaus.open(view)`: a section, or one form (`forms/hundesteuer`). */
export type PublicView = Section | `forms/${string}`;

/**
 * Every screen of the panel; `param` carries a news id (detail), a form id (`form`), an e-mail
 * address (reset), for the newsroom (`editor`) the item being edited (`new` for a new one;
 * none: the list), or for the Postfach the one submission whose entries to show (none: all).
 * `submissions` is "Meine Anträge".
 */
export type ViewName = Section | "news-detail" | "form" | "submissions" | "verify" | "forgot" | "reset" | "editor" | "appointments";

/** A place in the panel to come back to. */
export interface Route {
  view: ViewName;
  param?: string | undefined;
}

export type Position = "bottom-right" | "bottom-left" | "inline";

/**
 * What the panel and its views render from. The element owns it and replaces it on every
 * change (properties down); views change it through the context's actions (events up).
 */
export interface WidgetState {
  lang: Lang;
  /** undefined while loading. */
  config?: TenantConfig;
  /** Why the configuration could not be loaded, in the visitor's language. */
  configError?: string;
  view: ViewName;
  param?: string;
  /** A token is stored. */
  signedIn: boolean;
  /** The signed-in account once known (after login, registration or GET me). */
  account?: Account;
  /** A one-time message for the next view, e.g. "You have been logged out". */
  notice?: string;
  /**
   * Where to continue once logged in (and verified): a form that needs an account sends the
   * visitor to the login first. Kept through login, registration and verification; any other
   * navigation forgets it.
   */
  returnTo?: Route;
  /**
   * Unread entries in the citizen's Postfach: the launcher's badge. Undefined while not known
   * (signed out, not asked yet, or the account may not have a Postfach).
   */
  unread?: number;
}

export interface WidgetContext {
  readonly api: Api;
  navigate(view: ViewName, param?: string): void;
  /** Shows `view` (the login, the verification) with `notice`, and comes back here afterwards. */
  detour(view: ViewName, notice?: string): void;
  /** Stores the token (first write to the visitor's storage) and announces `dr:login`. */
  signIn(result: AuthResult): void;
  /** Ends the session: optionally tells the API, always forgets the token, announces `dr:logout`. */
  signOut(opts?: { notice?: string; callApi?: boolean }): Promise<void>;
  setAccount(account: Account): void;
  /** The Postfach read its entries (or marked them read): the badge follows. */
  setUnread(count: number): void;
  close(): void;
  reloadConfig(): void;
}

/**
 * A view may name the element that should get focus when it is shown (default: its heading), and
 * hear that the panel was opened again on it (closing keeps the view, so its data may be old).
 */
export interface FocusableView extends HTMLElement {
  initialFocus?(): HTMLElement | null | undefined;
  reopened?(): void;
}

/** Staff and admins write the town's news; nothing of the newsroom is shown to anyone else. */
export const isStaff = (account: Account | undefined) => account?.role === "staff" || account?.role === "admin";
