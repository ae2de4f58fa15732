import { describe, expect, it } from "vitest";
import { nameToId, slugify, slugPattern } from "./slug";

describe("slugify", () => {
  it("turns names into ids that match the slug pattern", () => {
    const cases: [string, string][] = [
      ["My Project", "my-project"],
      ["feature/Parser-Fix", "feature-parser-fix"],
      ["Crème Brûlée", "creme-brulee"],
      ["  --weird__name..  ", "weird__name"],
      ["v1.2.3", "v1.2.3"],
    ];
    for (const [name, slug] of cases) {
      expect(slugify(name)).toBe(slug);
      expect(slugPattern.test(slugify(name))).toBe(true);
    }
  });

  it("returns an empty string when nothing usable is left, and caps the length", () => {
    expect(slugify("!!!")).toBe("");
    expect(slugify("東京")).toBe("");
    expect(slugify("a".repeat(100))).toHaveLength(64);
  });
});

describe("nameToId", () => {
  it("is the slug when there is one, else a stable hash id that is a valid slug", () => {
    expect(nameToId("My Project")).toBe("my-project");
    const tokyo = nameToId("東京");
    expect(tokyo).toMatch(/^n-[0-9a-z]+$/);
    expect(slugPattern.test(tokyo)).toBe(true);
    expect(nameToId("東京")).toBe(tokyo);
    expect(nameToId("大阪")).not.toBe(tokyo);
    expect(nameToId("   ")).toBe("");
  });
});
