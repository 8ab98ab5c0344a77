import { describe, expect, it } from "vitest";
import { limitSubject } from "./client-ip.js";

describe("limitSubject", () => {
  it("counts every spelling of one IPv6 /64 as one bucket", () => {
    const spellings = [
      "2001:db8:1:2::1",
      "2001:0db8:0001:0002:0000:0000:0000:0002",
      "2001:DB8:1:2:0:0:0:3",
      "2001:db8:1:2:ffff::4",
      "[2001:db8:1:2::5]",
      "2001:db8:1:2::6%eth0",
      "2001:db8:1:2:0:0:1.2.3.4",
    ];
    expect(new Set(spellings.map(limitSubject))).toEqual(new Set(["2001:db8:1:2::/64"]));
  });

  it("keeps different /64s and IPv4 addresses apart", () => {
    expect(limitSubject("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(limitSubject("::1")).toBe("0:0:0:0::/64");
    expect(limitSubject("198.51.100.7")).toBe("198.51.100.7");
    expect(limitSubject("198.51.100.8")).toBe("198.51.100.8");
  });

  it("treats an IPv4-mapped address as the IPv4 client it is", () => {
    expect(limitSubject("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(limitSubject("::FFFF:c633:6407")).toBe("198.51.100.7");
  });

  it("puts garbage into one shared bucket instead of a fresh one per spelling", () => {
    for (const junk of ["", "unknown", "1.2.3.256", "2001:db8::1::2", "gggg::1", "1:2:3:4:5:6:7:8:9", "<script>"]) {
      expect(limitSubject(junk)).toBe("unknown");
    }
    expect(limitSubject(undefined)).toBe("unknown");
  });
});
