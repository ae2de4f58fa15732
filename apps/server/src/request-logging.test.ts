import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createUser } from "@cairn/core/accounts/create-user";
import { createIdGenerator } from "@cairn/core/ids";
import { nodeSecrets } from "@cairn/store/node-secrets";
import { SqliteStore } from "@cairn/store/sqlite/sqlite-store";
import { describe, expect, it } from "vitest";
import { createApp } from "./create-app";

describe("request logs", () => {
  it("are one JSON line per request with a request id and the user, never the token", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-logs-"));
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).trim().split("\n"));
        done();
      },
    });
    const store = new SqliteStore({ path: join(dir, "cairn.db") });
    const deps = { store, secrets: nodeSecrets, now: () => new Date(), newId: createIdGenerator() };
    const app = await createApp({
      deps,
      options: { bodyLimitBytes: 1024 * 1024, writesPerMinute: 600, readsPerMinute: 6000 },
      logger: { level: "info", stream },
    });
    try {
      const { token, user } = await createUser(deps, { name: "alice" });
      await app.inject({
        url: "/api/threads?q=x",
        headers: { authorization: `Bearer ${token}`, "x-request-id": "req-1" },
      });
      await app.inject({ url: "/api/threads", headers: { authorization: `Bearer ${token}x` } });
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const requests = records.filter((record) => record.msg === "request");
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({ reqId: "req-1", route: "/api/threads", status: 200, user: user.id });
      expect(requests[1]).toMatchObject({ status: 401 });
      expect(lines.join("\n")).not.toContain(token);
    } finally {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
