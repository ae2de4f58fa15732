import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe } from "vitest";
import { runEmbeddingContract } from "../contract/embedding-contract";
import { runJobContract } from "../contract/job-contract";
import { runMemoryContract } from "../contract/memory-contract";
import { runSearchContract } from "../contract/search-contract";
import { runStoreContract } from "../contract/store-contract";
import { runTaskChatContract } from "../contract/task-chat-contract";
import { PostgresStore } from "./postgres-store";
import { testDatabaseUrl, testPgDisabled } from "./test-database";

// Every run gets its own schema, so parallel runs on one database cannot collide.
const schema = `cairn_test_${process.pid}_${randomBytes(4).toString("hex")}`;

if (testPgDisabled()) {
  describe.skip("PostgreSQL store (skipped: CAIRN_TEST_PG=off)", () => {});
} else {
  afterAll(async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  runStoreContract("postgres", {
    open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }),
    reopen: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }),
  });
  runMemoryContract("postgres", { open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }) });
  runSearchContract("postgres", { open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }) });
  runTaskChatContract("postgres", { open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }) });
  // Two pools on one schema: the job contract claims from both at once (FOR UPDATE SKIP LOCKED).
  runJobContract("postgres", {
    open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }),
    openSecond: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }),
  });
  // pgvector is not installed here: the real-array fallback is what runs (and is forced, to stay so).
  runEmbeddingContract("postgres arrays", {
    open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema, pgvector: false }),
  });
}
