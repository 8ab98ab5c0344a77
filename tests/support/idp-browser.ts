/**
 * A browser at an identity provider, as far as a login needs one: cookies by path, redirects
 * followed by hand until one leaves the provider (to the client's callback).
 */
export class IdpBrowser {
  constructor(private readonly issuer: string) {}

  private jar = new Map<string, { name: string; value: string; path: string }>();

  async request(url: URL, init: { method?: string; form?: Record<string, string> } = {}) {
    const cookie = [...this.jar.values()]
      .filter((c) => url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    const res = await fetch(url, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      redirect: "manual",
      headers: { ...(cookie ? { cookie } : {}), ...(init.form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    // Typed for Node; workerd has it too.
    for (const line of (res.headers as Headers & { getSetCookie(): string[] }).getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith("path="))?.slice(5) ?? "/";
      const expired = attrs.some((a) => a.toLowerCase().startsWith("expires=") && Date.parse(a.slice(8)) < Date.now());
      if (expired || value === "") this.jar.delete(`${name}@${path}`);
      else this.jar.set(`${name}@${path}`, { name, value, path });
    }
    return res;
  }

  /** Follows redirects on the provider; stops at a page or at a redirect leaving it (the client's callback). */
  async follow(url: URL, init: { form?: Record<string, string> } = {}): Promise<{ page: Response } | { leftTo: URL }> {
    let res = await this.request(url, init);
    for (let hops = 0; hops < 10; hops++) {
      if (res.status < 300 || res.status >= 400) return { page: res };
      const next = new URL(res.headers.get("location")!, url);
      if (next.origin !== new URL(this.issuer).origin) return { leftTo: next };
      url = next;
      res = await this.request(url);
    }
    throw new Error("too many redirects");
  }
}

