import { join } from "node:path";
import { createIdGenerator } from "@cairn/core/ids";
import { appendEntry } from "@cairn/core/operations/append-entry";
import type { PushRequest } from "@cairn/core/wire/push";
import { pushVersion } from "@cairn/core/wire/versions";
import { testPgDisabled } from "@cairn/store/postgres/test-database";
import { drain } from "@cairn/sync/drain";
import { type HttpTransport, nodeHttpTransport } from "@cairn/sync/http-transport";
import { LocalStore } from "@cairn/sync/local-store";
import { SyncClient } from "@cairn/sync/sync-client";
import { afterAll, describe, expect, it } from "vitest";
import { addUser, cleanup, type ServerProcess, serverBackends, serverThread, startServer, tempDir } from "./harness";

/**
 * Two `cairn serve` processes on one PostgreSQL database, one device pushing
 * to both: alternately, and the same batch to both at the same moment. The
 * per-device seq check runs under a per-user lock in the push transaction,
 * so every row is applied exactly once whichever server takes it.
 */
describe.skipIf(testPgDisabled())("two servers on one PostgreSQL database", () => {
  const backend = serverBackends().find((each) => each.name === "postgres");
  const dir = tempDir("two-servers");
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    cleanup(dir);
    await backend?.dispose();
  });

  it("applies every row exactly once, pushed alternately and concurrently to both", async () => {
    const databaseUrl = backend?.databaseUrl() ?? "";
    servers.push(await startServer({ dataDir: dir, databaseUrl }));
    servers.push(await startServer({ dataDir: dir, databaseUrl }));
    const user = await addUser(dir, dir, "two-servers", databaseUrl);
    const local = LocalStore.open({
      path: join(dir, "device.db"),
      userId: user.id,
      server: "http://cairn.cluster",
      newDeviceId: createIdGenerator(),
    });
    const now = () => new Date();
    const rows = 300;
    for (let index = 0; index < rows; index++) {
      await appendEntry(
        { sink: local.sink({ now, queueCap: 100_000 }), newId: createIdGenerator(), now },
        { project: "cluster", thread: "t", content: `row ${index}` },
      );
    }
    const to =
      (server: ServerProcess): HttpTransport =>
      (request) =>
        nodeHttpTransport({ ...request, url: new URL(request.url.pathname + request.url.search, server.url) });
    const clients = servers.map(
      (server) => new SyncClient({ server: "http://cairn.cluster", token: user.token, transport: to(server) }),
    );

    // The same batch to both servers at the same moment, ten times over.
    for (let round = 0; round < 10; round++) {
      const batch = local.outbox.nextBatch({ maxRows: 20, maxBytes: 1 << 20 });
      const request: PushRequest = {
        pushVersion,
        deviceId: local.deviceId,
        scope: { userId: user.id },
        mutations: batch.map((row) => ({
          seq: row.seq,
          op: row.op,
          args: JSON.parse(row.args),
          clientTime: row.clientTime,
        })),
      };
      const answers = await Promise.all(clients.map((client) => client.push(request)));
      for (const row of batch) {
        const statuses = answers.map((answer) => answer.results.find((result) => result.seq === row.seq)?.status);
        expect(statuses.filter((status) => status === "applied")).toHaveLength(1);
        expect(statuses.filter((status) => status === "duplicate")).toHaveLength(1);
      }
      // Settled by hand, as the drain does: mark the batch sent, then drop what the server has.
      const range = { first: batch[0]?.seq ?? 0, last: batch.at(-1)?.seq ?? -1 };
      local.outbox.markInFlight(range, "two-servers", new Date().toISOString());
      local.outbox.removeInFlight(range);
    }

    // The rest alternately: each drain goes to the other server, 25 rows a push.
    let turn = 0;
    const alternating: HttpTransport = (request) => to(servers[turn++ % 2] as ServerProcess)(request);
    const result = await drain({
      local,
      client: new SyncClient({ server: "http://cairn.cluster", token: user.token, transport: alternating }),
      now,
      deadlineMs: 60_000,
      maxBatchRows: 25,
      waitForLock: true,
      drainer: { holder: "two-servers", pid: process.pid, role: "test", isAlive: () => true },
    });
    expect(result).toMatchObject({ error: null, pending: 0, dead: 0 });
    expect(turn).toBeGreaterThan(4);

    for (const server of servers) {
      const onServer = await serverThread(server.url, user.token, "t", "cluster");
      expect(onServer.total).toBe(rows);
    }
    const first = servers[0] as ServerProcess;
    const pages = await Promise.all(
      [0, 1].map((page) =>
        fetch(`${first.url}/api/threads/t?project=cluster&limit=200&offset=${page * 200}`, {
          headers: { authorization: `Bearer ${user.token}` },
        }).then((response) => response.json() as Promise<{ entries: { id: string }[] }>),
      ),
    );
    const ids = pages.flatMap((page) => page.entries.map((entry) => entry.id));
    expect(new Set(ids).size).toBe(rows);
    await local.close();
  });
});
