import { defineTool, type ToolDefinition } from "@cairn/agent/tools/tool";
import * as z from "zod";
import type { CliContext } from "../cli-context";
import { setSyncPaused, syncNow, syncStatus } from "../local/sync";

/**
 * The tools only `cairn mcp` has: this machine's sync (its outbox and the server), which mean
 * nothing on the server. Each calls the local use case its command calls.
 */
export function syncTools(context: CliContext): ToolDefinition[] {
  return [
    defineTool({
      name: "sync_now",
      description: "Push everything queued to the Cairn server and pull what is new. Returns the counts.",
      readOnly: false,
      destructive: false,
      input: z.object({}),
      run: () => syncNow(context),
    }),
    defineTool({
      name: "get_sync_status",
      description:
        "Where this machine's sync stands: server and account, queued and dead rows, the daemon, the last success " +
        "and error, and any problem with the fix for it.",
      readOnly: true,
      destructive: false,
      input: z.object({}),
      run: async () => (await syncStatus(context)).status,
    }),
    defineTool({
      name: "pause_sync",
      description: "Stop sending to the server (writes still land locally and queue) until resume_sync.",
      readOnly: false,
      destructive: false,
      input: z.object({}),
      run: () => setSyncPaused(context, true),
    }),
    defineTool({
      name: "resume_sync",
      description: "Send again after pause_sync.",
      readOnly: false,
      destructive: false,
      input: z.object({}),
      run: () => setSyncPaused(context, false),
    }),
  ] as ToolDefinition[];
}
