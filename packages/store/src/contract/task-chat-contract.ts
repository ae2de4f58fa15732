import type { NewChatMessage } from "@cairn/core/chat/chat-entities";
import { purgeExpiredTrash } from "@cairn/core/operations/safety";
import {
  addTask,
  completeTask,
  deleteTask,
  getTask,
  listTasks,
  putTasks,
  restoreTask,
  updateTask,
} from "@cairn/core/operations/tasks";
import { listTrash, restoreFromTrash } from "@cairn/core/operations/trash";
import type { Store } from "@cairn/core/store/store-port";
import { describe, expect, it } from "vitest";
import { contractWriter, suiteStore } from "./contract-writer";

let clock = Date.parse("2026-06-10T09:00:00.000Z");
const now = () => new Date(clock);
let ids = 0;
const newId = () => `t${String(++ids).padStart(6, "0")}`;

/** The contract of tasks and of the chat agent's conversations (issue 5), run by both adapters. */
export function runTaskChatContract(name: string, factory: { open: () => Promise<Store> }) {
  describe(`Task and conversation contract: ${name}`, () => {
    let store: Store;
    const { user, other } = suiteStore(factory, "t", (opened) => {
      store = opened;
    });
    const writer = contractWriter(() => store, now, newId);

    it("creates, edits, completes, deletes and restores a task, each a new version", async () => {
      const task = await addTask(writer(user.id), { title: "  Buy milk ", due: "tomorrow", priority: "high" });
      expect(task).toMatchObject({ title: "Buy milk", status: "pending", priority: "high", projectId: null });
      expect(task.dueAt).toBe("2026-06-11T23:59:59.999Z");
      const edited = await updateTask(writer(user.id), { id: task.id, description: "2 litres", due: null });
      expect(edited.version > task.version).toBe(true);
      expect(edited.dueAt).toBeNull();
      const done = await completeTask(writer(user.id), task.id);
      expect(done.status).toBe("done");
      expect(done.completedAt).toBe(now().toISOString());
      const reopened = await updateTask(writer(user.id), { id: task.id, status: "in_progress" });
      expect(reopened.completedAt).toBeNull();
      await deleteTask(writer(user.id), task.id);
      expect((await listTasks({ store: store.forUser(user.id) }, {})).tasks.map((row) => row.id)).not.toContain(
        task.id,
      );
      const trash = await listTrash({ store: store.forUser(user.id) }, {});
      expect(trash.items).toContainEqual(expect.objectContaining({ type: "task", id: task.id, preview: "Buy milk" }));
      await restoreFromTrash(writer(user.id), { id: task.id });
      const back = await getTask({ store: store.forUser(user.id) }, task.id);
      expect(back).toMatchObject({ deletedAt: null, status: "in_progress", description: "2 litres" });
      await restoreTask(writer(user.id), task.id); // already out of the trash: unchanged
      expect((await getTask({ store: store.forUser(user.id) }, task.id)).version).toBe(back.version);
    });

    it("rejects titles over 200 and descriptions over 1,000 characters, and another user's ids", async () => {
      await expect(addTask(writer(user.id), { title: "x".repeat(201) })).rejects.toMatchObject({
        code: "invalid_input",
      });
      await expect(addTask(writer(user.id), { title: "ok", description: "y".repeat(1001) })).rejects.toMatchObject({
        code: "invalid_input",
      });
      await expect(addTask(writer(user.id), { title: "   " })).rejects.toMatchObject({
        code: "invalid_input",
      });
      const mine = await addTask(writer(user.id), { title: "private" });
      await expect(getTask({ store: store.forUser(other.id) }, mine.id)).rejects.toMatchObject({ code: "not_found" });
      await expect(completeTask(writer(other.id), mine.id)).rejects.toMatchObject({ code: "not_found" });
    });

    it("filters by status, due window, project (with personal tasks), title and completion time", async () => {
      const u = { id: "t-filter", name: "t-filter", createdAt: "2026-01-01T00:00:00.000Z" };
      await store.system.transaction((tx) => tx.createUser(u));
      const w = writer(u.id);
      const overdue = await addTask(w, { title: "File taxes", due: "2026-06-01" });
      const today = await addTask(w, { title: "Call mum", due: "today" });
      const later = await addTask(w, { title: "Plan trip", due: "in 10 days", project: "travel" });
      const undated = await addTask(w, { title: "Read 100% of the_book", project: "home" });
      const finished = await addTask(w, { title: "Old chore" });
      clock += 3_600_000;
      await completeTask(w, finished.id);
      const titles = async (input: Parameters<typeof listTasks>[1]) =>
        (await listTasks({ store: store.forUser(u.id), now }, input)).tasks.map((task) => task.title);
      expect(await titles({ due: "today", status: "open" })).toEqual([overdue.title, today.title]);
      expect(await titles({ due: "overdue" })).toEqual([overdue.title]);
      expect(await titles({ due: "none", status: "open" })).toEqual([undated.title]);
      expect(await titles({ status: "done" })).toEqual([finished.title]);
      expect(await titles({ completedSince: "2h" })).toEqual([finished.title]);
      expect(await titles({ completedSince: "2h", completedUntil: "2026-06-01" })).toEqual([]);
      // A project's list holds the personal tasks too, never another project's.
      expect((await titles({ project: "travel" })).sort()).toEqual(
        [overdue.title, today.title, later.title, finished.title].sort(),
      );
      // Title matching is literal: % and _ are not wildcards.
      expect(await titles({ title: "100% of THE_book" })).toEqual([undated.title]);
      expect(await titles({ title: "%" })).toEqual([undated.title]);
      expect(await titles({ title: "_" })).toEqual([undated.title]);
      // Open tasks first, soonest due first.
      expect(await titles({})).toEqual([overdue.title, today.title, later.title, undated.title, finished.title]);
      expect((await listTasks({ store: store.forUser(u.id) }, { limit: 2, offset: 1 })).total).toBe(5);
    });

    it("changes several tasks in one commit, and purges deleted tasks after 30 days", async () => {
      const u = { id: "t-bulk", name: "t-bulk", createdAt: "2026-01-01T00:00:00.000Z" };
      await store.system.transaction((tx) => tx.createUser(u));
      const w = writer(u.id);
      const a = await addTask(w, { title: "a" });
      const b = await addTask(w, { title: "b" });
      const deleted = await putTasks(w, [
        { current: a, change: { deletedAt: now().toISOString() } },
        { current: b, change: { deletedAt: now().toISOString() } },
      ]);
      expect(deleted.every((task) => task.deletedAt !== null)).toBe(true);
      clock += 31 * 86_400_000;
      await purgeExpiredTrash({ store, now });
      expect(await store.forUser(u.id).getTask(a.id)).toBeNull();
      expect(await store.forUser(u.id).getTask(b.id)).toBeNull();
    });

    it("pulls tasks as changes, and a higher version wins", async () => {
      const u = { id: "t-pull", name: "t-pull", createdAt: "2026-01-01T00:00:00.000Z" };
      await store.system.transaction((tx) => tx.createUser(u));
      const task = await addTask(writer(u.id), { title: "synced" });
      const changes = await store.forUser(u.id).changesSince(0, 100);
      expect(changes).toContainEqual(
        expect.objectContaining({ type: "task", task: expect.objectContaining({ id: task.id }) }),
      );
      const digest = await store.forUser(u.id).digest({});
      expect(digest.task?.count).toBe(1);
    });

    function message(
      conversationId: string,
      role: NewChatMessage["role"],
      content: string,
      extra: Partial<NewChatMessage> = {},
    ) {
      return {
        id: newId(),
        conversationId,
        role,
        content,
        toolCalls: null,
        toolCallId: null,
        clientMessageId: null,
        status: "complete" as const,
        error: null,
        createdAt: now().toISOString(),
        ...extra,
      };
    }

    it("stores conversations one message per row, in seq order, with client message ids unique per conversation", async () => {
      const at = now().toISOString();
      const conversation = { id: newId(), title: "groceries", createdAt: at, updatedAt: at };
      expect(
        await store.system.transaction((tx) => tx.forUser(user.id).createConversation(conversation, "client-1")),
      ).toBe(true);
      // The same first message again cannot start a second conversation.
      const again = { ...conversation, id: newId() };
      expect(await store.system.transaction((tx) => tx.forUser(user.id).createConversation(again, "client-1"))).toBe(
        false,
      );
      expect((await store.forUser(user.id).findConversationByOrigin("client-1"))?.id).toBe(conversation.id);

      const first = await store.system.transaction((tx) =>
        tx
          .forUser(user.id)
          .appendMessages(
            conversation.id,
            [message(conversation.id, "user", "add milk", { clientMessageId: "client-1" })],
            at,
          ),
      );
      expect(first.map((row) => row.seq)).toEqual([1]);
      const duplicate = await store.system.transaction((tx) =>
        tx
          .forUser(user.id)
          .appendMessages(
            conversation.id,
            [message(conversation.id, "user", "add milk", { clientMessageId: "client-1" })],
            at,
          ),
      );
      expect(duplicate).toEqual([]);
      const turn = await store.system.transaction((tx) =>
        tx.forUser(user.id).appendMessages(
          conversation.id,
          [
            message(conversation.id, "assistant", "", {
              toolCalls: [{ id: "call-1", name: "add_task", input: { title: "milk" } }],
            }),
            message(conversation.id, "tool", JSON.stringify({ ok: true }), { toolCallId: "call-1" }),
            message(conversation.id, "assistant", "Added milk."),
          ],
          at,
        ),
      );
      expect(turn.map((row) => row.seq)).toEqual([2, 3, 4]);
      const page = await store.forUser(user.id).listMessages(conversation.id, { limit: 2, offset: 1 });
      expect(page.total).toBe(4);
      expect(page.messages.map((row) => row.seq)).toEqual([2, 3]);
      expect(page.messages[0]?.toolCalls).toEqual([{ id: "call-1", name: "add_task", input: { title: "milk" } }]);
      expect((await store.forUser(user.id).recentMessages(conversation.id, 2)).map((row) => row.seq)).toEqual([3, 4]);
      expect((await store.forUser(user.id).recentMessages(conversation.id, 10, 3)).map((row) => row.seq)).toEqual([
        1, 2,
      ]);
      expect((await store.forUser(user.id).messagesAfter(conversation.id, 1, 10)).map((row) => row.role)).toEqual([
        "assistant",
        "tool",
        "assistant",
      ]);
      const mine = await store.forUser(user.id).findMessageByClientId(conversation.id, "client-1");
      expect(mine?.content).toBe("add milk");
      expect(
        await store.system.transaction((tx) =>
          tx.forUser(user.id).setMessageStatus(mine?.id ?? "", { status: "error", error: "x", onlyIf: ["pending"] }),
        ),
      ).toBe(false);

      // Another user sees none of it, but the id is known to exist (403, not 404).
      expect(await store.forUser(other.id).getConversation(conversation.id)).toBeNull();
      expect(await store.system.conversationExists(conversation.id)).toBe(true);
      expect((await store.forUser(other.id).listMessages(conversation.id, { limit: 10, offset: 0 })).total).toBe(0);
      const listed = await store.forUser(user.id).listConversations({ limit: 10, offset: 0 });
      expect(listed.conversations).toContainEqual(expect.objectContaining({ id: conversation.id, messageCount: 4 }));

      expect(await store.system.transaction((tx) => tx.forUser(other.id).deleteConversation(conversation.id))).toBe(
        false,
      );
      expect(await store.system.transaction((tx) => tx.forUser(user.id).deleteConversation(conversation.id))).toBe(
        true,
      );
      expect(await store.system.conversationExists(conversation.id)).toBe(false);
      expect((await store.forUser(user.id).listMessages(conversation.id, { limit: 10, offset: 0 })).total).toBe(0);
    });

    it("keeps a tool call's outcome once, and uses a confirmation at most once", async () => {
      const invocation = {
        toolCallId: "call-x",
        toolName: "add_task",
        result: { id: "1" },
        success: true,
        createdAt: now().toISOString(),
      };
      await store.system.transaction((tx) => tx.forUser(user.id).putToolInvocation(invocation));
      await store.system.transaction((tx) =>
        tx.forUser(user.id).putToolInvocation({ ...invocation, result: { id: "2" } }),
      );
      expect(await store.forUser(user.id).getToolInvocation("call-x")).toEqual(invocation);
      expect(await store.forUser(other.id).getToolInvocation("call-x")).toBeNull();

      const confirmation = {
        id: "confirm-1",
        conversationId: "c1",
        askedAtSeq: 3,
        action: { tool: "delete_task", taskIds: ["a", "b"], change: "delete" as const },
        createdAt: now().toISOString(),
        usedAt: null,
      };
      await store.system.transaction((tx) => tx.forUser(user.id).putConfirmation(confirmation));
      expect(await store.forUser(user.id).getConfirmation("confirm-1")).toEqual(confirmation);
      expect(await store.forUser(other.id).getConfirmation("confirm-1")).toBeNull();
      expect(
        await store.system.transaction((tx) => tx.forUser(other.id).useConfirmation("confirm-1", now().toISOString())),
      ).toBe(false);
      expect(
        await store.system.transaction((tx) => tx.forUser(user.id).useConfirmation("confirm-1", now().toISOString())),
      ).toBe(true);
      expect(
        await store.system.transaction((tx) => tx.forUser(user.id).useConfirmation("confirm-1", now().toISOString())),
      ).toBe(false);
    });
  });
}
