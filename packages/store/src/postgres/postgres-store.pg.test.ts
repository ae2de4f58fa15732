import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe } from "vitest";
import { runEmbeddingContract } from "../contract/embedding-contract";
import { runJobContract } from "../contract/job-contract";
import { runMemoryContract } from "../contract/memory-contract";
import { runRecallContract } from "../contract/recall-contract";
import { runRefusalContract } from "../contract/refusal-contract";
import { runSearchContract } from "../contract/search-contract";
import { runStoreContract } from "../contract/store-contract";
import { runTaskChatContract } from "../contract/task-chat-contract";
import { PostgresStore } from "./postgres-store";
import { testDatabaseUrl, testPgDisabled } from "./test-database";

// Every run gets its own schema, so parallel runs on one database cannot collide.
const schema = `cairn_test_${process.pid}_${randomBytes(4).toString("hex")}`;

/** Schemas of the databases a contract opened beside the run's own. */
const named = new Set<string>();

if (testPgDisabled()) {
  describe.skip("PostgreSQL store (skipped: CAIRN_TEST_PG=off)", () => {});
} else {
  afterAll(async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const name of named) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await client.end();
  });
  runStoreContract("postgres", {
    open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }),
    reopen: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }),
  });
  runRefusalContract("postgres", { open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }) });
  runMemoryContract("postgres", { open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }) });
  runSearchContract("postgres", { open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }) });
  runRecallContract("postgres", {
    open: () => PostgresStore.open({ connectionString: testDatabaseUrl(), schema }),
    // A database of its own: a schema beside the run's (dropped with it).
    openNamed: (name, migrateUpTo) => {
      const own = `${schema}_${name.replaceAll("-", "_")}`;
      named.add(own);
      return PostgresStore.open({ connectionString: testDatabaseUrl(), schema: own, migrateUpTo });
    },
  });
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
