import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runStoreContract } from "../contract/store-contract";
import { SqliteStore } from "./sqlite-store";

const dir = mkdtempSync(join(tmpdir(), "cairn-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const path = join(dir, "server.db");
runStoreContract("sqlite", {
  open: async () => new SqliteStore({ path }),
  reopen: async () => new SqliteStore({ path }),
});

describe("SqliteStore on a damaged file", () => {
  it("names the file and the fix instead of throwing SQLite's error", () => {
    const garbage = join(dir, "garbage.db");
    writeFileSync(garbage, "this is not a database, just some text that is long enough to have a header".repeat(20));
    expect(() => new SqliteStore({ path: garbage })).toThrow(expect.objectContaining({ code: "store_corrupt" }));
    try {
      new SqliteStore({ path: garbage });
    } catch (error) {
      expect(String((error as Error).message)).toContain(garbage);
      expect((error as { hint?: string }).hint).toContain("mv");
    }
  });
});
