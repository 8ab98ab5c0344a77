import type { Context } from "hono";
import type { AppEnv } from "./env.js";
import { requestHeader } from "./request-headers.js";

/**
 * Where a request came from, for rate limits. The runtime knows the peer (the socket on Node,
 * `CF-Connecting-IP` on Workers); the rules on top of it live here, once for every runtime:
 * `TRUST_PROXY` hops of `X-Forwarded-For`, canonical spelling, and one IPv6 /64 as one client.
 */
export interface ClientAddressOptions {
  /** The address of the other end of the connection as the runtime sees it. */
  peer: (c: Context<AppEnv>) => string | undefined;
  /**
   * Number of reverse proxies in front of this server. The client is then that many entries
   * from the right of X-Forwarded-For; entries further left are whatever the client wrote.
   */
  trustProxy: number;
}

/**
 * The rate-limit subject of the request's client: an IPv4 address, an IPv6 /64, or "unknown".
 * `peer` is what `opts.peer` said when the request arrived: a socket that has closed since
 * no longer knows its address.
 */
export function clientSubject(c: Context<AppEnv>, opts: ClientAddressOptions, peer: string | undefined): string {
  if (opts.trustProxy > 0) {
    const chain = requestHeader(c, "x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
    const forwarded = chain[chain.length - opts.trustProxy];
    if (forwarded) return limitSubject(forwarded);
  }
  return limitSubject(peer);
}

/**
 * The bucket an address is counted in. IPv6 is parsed and the first four groups written
 * canonically: every spelling of one /64 (a subscriber line) is one bucket, or one client
 * would get 2^64 fresh limits. Anything unparseable shares the bucket "unknown".
 */
export function limitSubject(raw: string | undefined): string {
  if (!raw) return "unknown";
  const ip = raw.trim().replace(/^\[(.*)\](:\d+)?$/, "$1");
  const v4 = parseIpv4(ip);
  if (v4) return v4;
  const groups = parseIpv6(ip);
  if (!groups) return "unknown";
  // IPv4-mapped (::ffff:a.b.c.d) is an IPv4 client behind a dual-stack socket.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

function parseIpv4(s: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts.join(".") : null;
}

/** Eight 16-bit groups, or null. Accepts `::` compression, a zone id and an embedded IPv4 tail. */
function parseIpv6(s: string): number[] | null {
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups written in decimal.
  const text = s
    .replace(/%.*$/, "")
    .toLowerCase()
    .replace(/(\d{1,3}(?:\.\d{1,3}){3})$/, (dotted) => {
      const v4 = parseIpv4(dotted);
      if (!v4) return "invalid";
      const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number];
      return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    });
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string | undefined) => (part ? part.split(":") : []).map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  const head = parse(halves[0]);
  const rest = parse(halves[1]);
  if ([...head, ...rest].some(Number.isNaN)) return null;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
}
