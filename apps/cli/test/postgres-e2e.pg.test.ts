import { randomBytes } from "node:crypto";
import { testDatabaseUrl, testPgDisabled } from "@cairn/store/postgres/test-database";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { cairn, cleanup, pushEntry, serverThread, startServer, tempDir } from "./harness";

const schema = `cairn_e2e_${process.pid}_${randomBytes(4).toString("hex")}`;

describe.skipIf(testPgDisabled())("cairn serve on PostgreSQL", () => {
  const home = tempDir("pg-home");
  afterAll(async () => {
    cleanup(home);
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it("serves the same slice: admin on first start, push, pull, search", async () => {
    const url = new URL(testDatabaseUrl());
    url.searchParams.set("schema", schema);
    const databaseUrl = url.toString();
    const server = await startServer({ dataDir: home, databaseUrl });
    try {
      expect(server.adminToken).toMatch(/^cairn_/);
      const token = server.adminToken ?? "";
      expect((await cairn(home, ["login", "--server", server.url, "--token", token])).code).toBe(0);
      const written = await pushEntry(home, "pg/main", "stored in postgres");
      expect(written.json()).toMatchObject({ synced: true });
      const onServer = await serverThread(server.url, token, "main", "pg");
      expect(onServer.entries.map((entry) => entry.content)).toEqual(["stored in postgres"]);
      const remote = (await cairn(home, ["search", "--remote", "--all-projects", "postgres", "--json"])).json<{
        hits: { snippet: string }[];
      }>();
      expect(remote.hits[0]?.snippet).toContain("<mark>postgres</mark>");
      const admin = await cairn(home, ["admin", "user", "add", "erin", "--database-url", databaseUrl, "--json"]);
      expect(admin.json()).toMatchObject({ user: { name: "erin" } });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
