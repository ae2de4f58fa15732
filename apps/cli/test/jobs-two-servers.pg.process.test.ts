import { testPgDisabled } from "@cairn/store/postgres/test-database";
import { afterAll, describe, expect, it } from "vitest";
import { addUser, cairn, cleanup, type ServerProcess, serverBackends, startServer, tempDir } from "./harness";
import { startReceiver, until } from "./webhook-receiver";

/**
 * Two `cairn serve` processes on one PostgreSQL database share the job table:
 * 1,000 memories make 1,000 webhook deliveries, claimed by both servers with
 * FOR UPDATE SKIP LOCKED, and the receiver gets every event exactly once.
 */
describe.skipIf(testPgDisabled())("jobs on two servers sharing one PostgreSQL database", () => {
  const backend = serverBackends().find((each) => each.name === "postgres");
  const dir = tempDir("jobs-two-servers");
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await backend?.dispose();
    cleanup(dir);
  });

  // The receiver listens on this machine, which webhooks may reach only when an administrator allows it.
  const loopbackAllowed = { CAIRN_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" };

  it("runs each of 1,000 delivery jobs exactly once between them", async () => {
    const databaseUrl = backend?.databaseUrl() ?? "";
    const user = await addUser(dir, dir, "jobs", databaseUrl, { create: true });
    const receiver = await startReceiver();
    try {
      const added = await cairn(
        dir,
        [
          "admin",
          "webhook",
          "add",
          receiver.url,
          "--events",
          "memory.created",
          "--user",
          "jobs",
          "--database-url",
          databaseUrl,
          "--json",
        ],
        { env: loopbackAllowed },
      );
      expect(added.code).toBe(0);
      const env = { CAIRN_EVENT_SCAN_MS: "50", CAIRN_JOB_POLL_MS: "50", ...loopbackAllowed };
      servers.push(await startServer({ dataDir: dir, databaseUrl, env }));
      servers.push(await startServer({ dataDir: dir, databaseUrl, env }));
      const total = 1000;
      const create = async (index: number) => {
        const server = servers[index % 2] as ServerProcess;
        const response = await fetch(`${server.url}/api/memories`, {
          method: "POST",
          headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
          body: JSON.stringify({ project: "fanout", content: `memory number ${index}` }),
        });
        expect(response.status).toBe(201);
      };
      for (let index = 0; index < total; index += 20) {
        await Promise.all(Array.from({ length: 20 }, (_, offset) => create(index + offset)));
      }
      await until(() => receiver.delivered().length >= total, "1,000 deliveries", 60_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const ids = receiver.received.map((each) => each.event.id);
      expect(ids).toHaveLength(total);
      expect(new Set(ids).size).toBe(total);
      const jobs = (
        await cairn(dir, [
          "admin",
          "jobs",
          "--kind",
          "webhook.deliver",
          "--status",
          "done",
          "--limit",
          "1",
          "--database-url",
          databaseUrl,
          "--json",
        ])
      ).json<{ total: number }>();
      expect(jobs.total).toBe(total);
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
