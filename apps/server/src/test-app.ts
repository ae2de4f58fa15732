import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createUser } from "@cairn/core/accounts/create-user";
import { createIdGenerator } from "@cairn/core/ids";
import { nodeSecrets } from "@cairn/store/node-secrets";
import { SqliteStore } from "@cairn/store/sqlite/sqlite-store";
import type { FastifyInstance } from "fastify";
import { createApp } from "./create-app";
import type { ServerDeps } from "./server-deps";
import type { ServerOptionsInput } from "./server-options";

export interface TestApp {
  app: FastifyInstance;
  deps: ServerDeps;
  alice: { id: string; token: string; tokenId: string };
  bob: { id: string; token: string; tokenId: string };
  dispose(): Promise<void>;
}

/** An in-process app on a throwaway SQLite file with two users (for route tests). */
export async function createTestApp(
  limits: { writesPerMinute?: number; readsPerMinute?: number } = {},
  extra: { chatModel?: ServerDeps["chatModel"]; options?: Partial<ServerOptionsInput> } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), "cairn-app-"));
  const store = new SqliteStore({ path: join(dir, "cairn.db") });
  const deps: ServerDeps = {
    store,
    secrets: nodeSecrets,
    now: () => new Date(),
    newId: createIdGenerator(),
    chatModel: extra.chatModel,
  };
  const app = await createApp({
    deps,
    options: {
      ...extra.options,
      bodyLimitBytes: 1024 * 1024,
      writesPerMinute: limits.writesPerMinute ?? 600,
      readsPerMinute: limits.readsPerMinute ?? 6000,
    },
  });
  const alice = await createUser(deps, { name: "alice" });
  const bob = await createUser(deps, { name: "bob" });
  return {
    app,
    deps,
    alice: { id: alice.user.id, token: alice.token, tokenId: alice.tokenId },
    bob: { id: bob.user.id, token: bob.token, tokenId: bob.tokenId },
    async dispose() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
