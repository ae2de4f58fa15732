import { describe, expect, it } from "vitest";
import type { Change } from "../store/store-types";
import {
  changeAttribution,
  changeEmbeddable,
  changeEvent,
  changeExported,
  changeFingerprint,
  changeKey,
  changeVersion,
  importMutationsOf,
  syncedTypes,
} from "./synced-types";

const at = "2026-05-01T10:00:00.000Z";
const later = "2026-05-02T10:00:00.000Z";

const changes: Change[] = [
  {
    seq: 1,
    type: "thread",
    thread: {
      id: "main",
      projectId: "alpha",
      name: "Main",
      status: "active",
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    },
  },
  {
    seq: 2,
    type: "entry",
    entry: {
      id: "e1",
      threadId: "main",
      projectId: "alpha",
      sessionId: "s1",
      author: "ada",
      content: "wired the parser",
      createdAt: at,
      deletedAt: null,
    },
  },
  {
    seq: 3,
    type: "session",
    session: {
      id: "s1",
      projectId: "alpha",
      agent: "claude-code",
      startedAt: at,
      lastActivityAt: later,
      endedAt: null,
      summary: null,
    },
  },
  {
    seq: 4,
    type: "memory",
    memory: {
      id: "m1",
      projectId: "alpha",
      sessionId: "s1",
      kind: "decision",
      content: "SQLite by default",
      tags: ["storage"],
      createdAt: at,
      updatedAt: later,
      version: "1777000000000.0000.dev",
      deletedAt: null,
    },
  },
  {
    seq: 5,
    type: "task",
    task: {
      id: "t1",
      projectId: null,
      title: "File taxes",
      description: "",
      status: "pending",
      priority: "high",
      dueAt: null,
      createdAt: at,
      updatedAt: at,
      completedAt: null,
      version: "1777000000000.0001.dev",
      deletedAt: null,
    },
  },
];

describe("the synced types", () => {
  it("name every type of the change feed once", () => {
    expect(Object.keys(syncedTypes).sort()).toEqual(["entry", "memory", "session", "task", "thread"]);
    expect(changes.map((change) => syncedTypes[change.type].type)).toEqual(changes.map((change) => change.type));
  });

  it("key each row as the outbox and the import do, and attribute it to its project and time", () => {
    expect(changes.map(changeKey)).toEqual(["alpha/main", "e1", "s1", "m1", "t1"]);
    expect(changes.map(changeAttribution)).toEqual([
      { project: "alpha", time: at },
      { project: "alpha", time: at },
      { project: "alpha", time: at },
      { project: "alpha", time: later },
      { project: "", time: at },
    ]);
    expect(changes.map(changeVersion)).toEqual([null, null, null, "1777000000000.0000.dev", "1777000000000.0001.dev"]);
  });

  it("fingerprint what a restore must bring back: a changed content, version or deletion changes it", () => {
    const entry = changes[1] as Extract<Change, { type: "entry" }>;
    const edited = { ...entry, entry: { ...entry.entry, content: "wired the lexer" } };
    const deleted = { ...entry, entry: { ...entry.entry, deletedAt: later } };
    const fingerprints = new Set([entry, edited, deleted].map(changeFingerprint));
    expect(fingerprints.size).toBe(3);
    const renamed = { ...entry, entry: { ...entry.entry, author: "someone else" } };
    expect(changeFingerprint(renamed)).toBe(changeFingerprint(entry));
  });

  it("export live rows in the project and time asked (a personal task in every project), and write them back", () => {
    expect(changes.map((change) => changeExported(change, {})?.type)).toEqual([
      "thread",
      "entry",
      "session",
      "memory",
      "task",
    ]);
    expect(changes.map((change) => changeExported(change, { projectId: "beta" })?.type ?? null)).toEqual([
      null,
      null,
      null,
      null,
      "task",
    ]);
    expect(changes.map((change) => changeExported(change, { since: later })?.type ?? null)).toEqual([
      null,
      null,
      "session",
      "memory",
      null,
    ]);
    const memory = changes[3] as Extract<Change, { type: "memory" }>;
    expect(changeExported({ ...memory, memory: { ...memory.memory, deletedAt: later } }, {})).toBeNull();
    expect(changes.map((change) => importMutationsOf(change).map((mutation) => mutation.op))).toEqual([
      ["thread.create"],
      ["entry.append"],
      ["session.start"],
      ["memory.put"],
      ["task.put"],
    ]);
  });

  it("say which changes are webhook events and what is embedded", () => {
    expect(changes.map((change) => changeEvent(change)?.type ?? null)).toEqual([
      null,
      "entry.created",
      null,
      "memory.updated",
      "task.changed",
    ]);
    expect(changes.map((change) => changeEmbeddable(change)?.text ?? null)).toEqual([
      null,
      "wired the parser",
      null,
      "SQLite by default\nstorage",
      "File taxes",
    ]);
  });
});
