import { memoryForOutside } from "../memory-entities";
import { inSession, mergeProject, statement } from "../portability/cypher-statement";
import { passes, syncedType, text } from "./synced-type";

/** A memory: a fact, decision, preference, note or summary, versioned (the higher version wins). */
export const memoryType = syncedType({
  type: "memory",
  rowOf: (change) => change.memory,
  key: (memory) => memory.id,
  attribution: (memory) => ({ project: memory.projectId, time: memory.updatedAt }),
  fingerprint: (memory) => `${memory.version}|${memory.content}|${text(memory.deletedAt)}`,
  version: (memory) => memory.version,
  current: (tx, memory) => tx.getMemory(memory.id),
  write: (tx, memory, seq) => tx.putMemory(memory, seq),
  exportPass: 2,
  exported: (memory, filter) =>
    passes(memory, memory.projectId, memory.updatedAt, filter) ? { type: "memory", memory } : null,
  cypher: (memory) => {
    return statement({ key: memory.id, ...memoryForOutside(memory) }, [
      mergeProject,
      "MERGE (m:Memory {key: $row.key}) SET m.id = $row.key, m.kind = $row.kind, m.content = $row.content, m.tags = $row.tags, m.createdAt = $row.createdAt, m.updatedAt = $row.updatedAt",
      "MERGE (m)-[:IN_PROJECT]->(p)",
      ...inSession("m", memory.sessionId),
    ]);
  },
  importMutations: (memory) => [{ op: "memory.put", args: { ...memory, baseVersion: null } }],
  feedEvent: (memory) => {
    if (memory.deletedAt !== null) return null;
    const created = memory.createdAt === memory.updatedAt;
    return {
      id: created ? `memory.created:${memory.id}` : `memory.updated:${memory.id}:${memory.version}`,
      type: created ? "memory.created" : "memory.updated",
      createdAt: memory.updatedAt,
      data: { id: memory.id, ...memoryForOutside(memory) },
    };
  },
  embeddable: (memory) => ({
    ref: { type: "memory", id: memory.id },
    text: [memory.content, ...memory.tags].join("\n"),
    deleted: memory.deletedAt !== null,
  }),
});
