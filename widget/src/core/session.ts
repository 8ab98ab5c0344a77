/**
 * The session token lives in the town page's localStorage, never in a cookie: the widget runs
 * cross-site, where browsers block third-party cookies. Nothing is written until the visitor
 * logs in or registers; reading an absent key stores nothing.
 */
export class TokenStore {
  /** Used when storage is disabled (some private modes): the session then lasts as long as the page. */
  private memory: string | null = null;

  constructor(readonly key: string) {}

  static for(apiOrigin: string, tenant: string) {
    return new TokenStore(`digitales-rathaus:${apiOrigin}:${tenant}`);
  }

  get(): string | null {
    try {
      return localStorage.getItem(this.key) ?? this.memory;
    } catch {
      return this.memory;
    }
  }

  set(token: string) {
    this.memory = token;
    try {
      localStorage.setItem(this.key, token);
    } catch {
      // Storage blocked or full: keep the in-memory copy.
    }
  }

  clear() {
    this.memory = null;
    try {
      localStorage.removeItem(this.key);
    } catch {
      // Nothing stored, nothing to remove.
    }
  }
}
