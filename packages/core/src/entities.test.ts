import { describe, expect, it } from "vitest";
import { entryContentSchema, utf8Length } from "./entities";

describe("entry content", () => {
  it("measures UTF-8 bytes like an encoder does", () => {
    const encoder = new TextEncoder();
    for (const text of [
      "",
      "ascii",
      "é",
      "€uro",
      "😀 emoji",
      "mixed é€😀 text",
      "\ud800 lone surrogate",
      "\ud800",
      "a\ud800é",
      "\udc00x",
    ]) {
      expect(utf8Length(text), text).toBe(encoder.encode(text).length);
    }
  });

  it("accepts up to 100,000 bytes and refuses empty or larger text", () => {
    expect(entryContentSchema.safeParse("x".repeat(100_000)).success).toBe(true);
    expect(entryContentSchema.safeParse("é".repeat(50_000)).success).toBe(true);
    expect(entryContentSchema.safeParse("é".repeat(50_001)).success).toBe(false);
    expect(entryContentSchema.safeParse(" \n\t").success).toBe(false);
  });
});
