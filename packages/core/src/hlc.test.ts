import { describe, expect, it } from "vitest";
import { nextVersion, versionAfter } from "./hlc";

describe("hybrid logical clock versions", () => {
  it("moves past a version it has seen, even one from a clock far ahead", () => {
    const ahead = "9999999999999.0000.tablet";
    const minted = nextVersion(null, Date.parse("2026-12-03T00:00:00Z"), "server-a");
    const version = versionAfter(minted, ahead);
    expect(version > ahead).toBe(true);
    expect(version).toBe("9999999999999.0001.server-a");
  });

  it("keeps the minted version when it is already the later one", () => {
    const seen = nextVersion(null, 1_000, "phone");
    const minted = nextVersion(null, 2_000, "server-a");
    expect(versionAfter(minted, seen)).toBe(minted);
  });

  it("orders two writers that saw nothing of each other by time, then counter, then node", () => {
    const early = nextVersion(null, 1_000, "b");
    const late = nextVersion(null, 1_001, "a");
    expect([late, early].sort()).toEqual([early, late]);
    expect(nextVersion(early, 1_000, "b")).toBe("0000000001000.0001.b");
  });
});
