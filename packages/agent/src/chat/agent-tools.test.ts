import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverToolContext } from "../server-tool-context";
import { type AgentStore, openAgentStore } from "../testing/agent-store";
import { agentTools } from "../tools/registry";
import { agentToolSet, type ToolOutcomes } from "./agent-tools";
import { toolUnit } from "./tool-unit";

class Crash extends Error {}

/**
 * A tool call's writes and its invocation record commit in one transaction: a process that
 * dies (here: a fault point that throws, so nothing after it runs) before that commit leaves
 * nothing, and one that dies after it leaves both. Either way the retry of the same call id
 * makes exactly one task.
 */
describe("a chat tool call and its record", () => {
  let t: AgentStore;
  beforeAll(async () => {
    t = await openAgentStore();
  });
  afterAll(() => t.dispose());

  const tools = (crashAt: "tool.ran" | "tool.committed" | null) => {
    const oracle = { scopes: t.scopes, model: null, oracle: { budgetTokens: 2_000, timeoutMs: 5_000, retries: 0 } };
    const context = serverToolContext(
      { scopes: t.scopes, oracle },
      { userId: t.user.id, actor: "test", conversation: { id: "conversation", turnSeq: 1 } },
    );
    const outcomes: ToolOutcomes = new Map();
    return agentToolSet(
      agentTools,
      {
        context,
        unit: () => toolUnit(context, (after) => t.scopes(t.user.id, { after }).sink),
        record: (invocation) => t.store.forUser(t.user.id).transaction((tx) => tx.putToolInvocation(invocation)),
        faultPoint: (point) => {
          if (point === crashAt) throw new Crash(point);
        },
      },
      outcomes,
    );
  };
  const titled = async (title: string) =>
    (await t.store.forUser(t.user.id).listTasks({ titleContains: title, limit: 10, offset: 0 })).tasks;

  it.each(["tool.ran", "tool.committed"] as const)("makes one task when the process dies at %s", async (point) => {
    const title = `crash at ${point}`;
    const call = { toolCallId: `call-${point}`, messages: [] };
    const add = (crashAt: typeof point | null) => tools(crashAt).add_task?.execute?.({ title }, call);
    await expect(add(point)).rejects.toBeInstanceOf(Crash);
    expect(await titled(title)).toHaveLength(point === "tool.ran" ? 0 : 1);
    const retried = (await add(null)) as { status: string; task: { id: string } };
    expect(retried.status).toBe("added");
    const tasks = await titled(title);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.id).toBe(retried.task.id);
    expect(await t.store.forUser(t.user.id).getToolInvocation(call.toolCallId)).toMatchObject({ success: true });
  });
});
