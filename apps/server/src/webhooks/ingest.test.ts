import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createUser } from "@cairn/core/accounts/create-user";
import { createIdGenerator } from "@cairn/core/ids";
import { addWebhookSource } from "@cairn/core/operations/webhooks";
import type { Store, UserStore, UserTx } from "@cairn/core/store/store-port";
import { nodeSecrets } from "@cairn/store/node-secrets";
import { SqliteStore } from "@cairn/store/sqlite/sqlite-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../create-app";

/** The store, except that the next `failures` memory writes fail as a broken disk would. */
function failingMemoryWrites(store: Store, state: { failures: number }): Store {
  const bind = <T extends object>(target: T, key: string | symbol) => {
    const value = Reflect.get(target, key);
    return typeof value === "function" ? value.bind(target) : value;
  };
  const failingTx = (tx: UserTx): UserTx =>
    new Proxy(tx, {
      get: (target, key) =>
        key === "putMemory" && state.failures > 0
          ? async () => {
              state.failures -= 1;
              throw Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR_WRITE" });
            }
          : bind(target, key),
    });
  const failingUser = (user: UserStore): UserStore =>
    new Proxy(user, {
      get: (target, key) =>
        key === "transaction"
          ? <T>(work: (tx: UserTx) => Promise<T>) => target.transaction((tx) => work(failingTx(tx)))
          : bind(target, key),
    });
  return new Proxy(store, {
    get: (target, key) =>
      key === "forUser" ? (userId: string) => failingUser(target.forUser(userId)) : bind(target, key),
  });
}

describe("the signed ingest endpoint and a failed write", () => {
  const dir = mkdtempSync(join(tmpdir(), "cairn-ingest-"));
  const sqlite = new SqliteStore({ path: join(dir, "cairn.db") });
  const failing = { failures: 0 };
  const store = failingMemoryWrites(sqlite, failing);
  const deps = { store, secrets: nodeSecrets, now: () => new Date(), newId: createIdGenerator() };
  let app: Awaited<ReturnType<typeof createApp>>;
  let source: { id: string; secret: string };
  let token = "";

  beforeAll(async () => {
    app = await createApp({
      deps,
      options: { bodyLimitBytes: 1024 * 1024, writesPerMinute: 600, readsPerMinute: 6000 },
    });
    const user = await createUser(deps, { name: "ingest" });
    token = user.token;
    const created = await addWebhookSource({ ...deps, store: store.forUser(user.user.id) }, { name: "n8n" });
    source = { id: created.source.id, secret: created.secret };
  });
  afterAll(async () => {
    await app.close();
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string, signature: string) =>
    app.inject({
      method: "POST",
      url: "/api/webhooks/ingest",
      headers: { "content-type": "application/json", "cairn-source": source.id, "cairn-signature": signature },
      payload: body,
    });

  it("takes the retry of a request whose write failed with a 5xx, once, and refuses it as a replay after", async () => {
    const body = JSON.stringify({ type: "memory", project: "inbound", content: "posted while the disk failed" });
    const t = Math.floor(Date.now() / 1000);
    const signature = `t=${t},v1=${createHmac("sha256", source.secret).update(`${t}.${body}`).digest("hex")}`;
    failing.failures = 1;
    expect((await post(body, signature)).statusCode).toBe(500);
    const retried = await post(body, signature);
    expect(retried.statusCode).toBe(201);
    expect((await post(body, signature)).statusCode).toBe(401);
    const listed = await app.inject({
      method: "GET",
      url: "/api/memories?project=inbound",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.json()).toMatchObject({ total: 1, memories: [{ content: "posted while the disk failed" }] });
  });
});
