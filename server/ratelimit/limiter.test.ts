import { describe, expect, it } from "vitest";
import { limitSubject } from "./limiter.js";

describe("rate-limit subjects", () => {
  it("counts an IPv6 /64 as one subscriber line and IPv4 as it is", () => {
    expect(limitSubject("2001:db8:1:2:3:4:5:6")).toBe(limitSubject("2001:db8:1:2:ffff::1"));
    expect(limitSubject("2001:db8:1:2::7")).toBe("2001:db8:1:2::/64");
    expect(limitSubject("2001:db8:1:3::7")).not.toBe(limitSubject("2001:db8:1:2::7"));
    expect(limitSubject("::ffff:203.0.113.5")).toBe("203.0.113.5");
    expect(limitSubject("203.0.113.5")).toBe("203.0.113.5");
  });
});
