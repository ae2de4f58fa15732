import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdGenerator } from "@cairn/core/ids";
import { type UserScopes, userScopes } from "@cairn/core/user-scope";
import { nodeSecrets } from "@cairn/store/node-secrets";
import { SqliteStore } from "@cairn/store/sqlite/sqlite-store";

/** A real SQLite store in a temporary directory with one user, and that store's scopes: what agent tests run on. */
export interface AgentStore {
  store: SqliteStore;
  scopes: UserScopes;
  user: { id: string; name: string };
  now: () => Date;
  newId: () => string;
  dispose(): Promise<void>;
}

export async function openAgentStore(name = "alice"): Promise<AgentStore> {
  const dir = mkdtempSync(join(tmpdir(), "cairn-agent-"));
  const store = new SqliteStore({ path: join(dir, "cairn.db") });
  const now = () => new Date();
  const newId = createIdGenerator();
  const user = { id: newId(), name };
  await store.system.transaction((tx) => tx.createUser({ ...user, createdAt: now().toISOString() }));
  return {
    store,
    scopes: userScopes({ store, secrets: nodeSecrets, now, newId }),
    user,
    now,
    newId,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
