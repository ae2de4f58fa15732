import { forgetTool, rememberTool, searchMemoryTool, searchTool } from "./memory-tools";
import { acknowledgeDestructionTool, askOracleTool, bootstrapRecoveryTool, checkDestructionTool } from "./server-tools";
import { sessionEndTool, sessionStartTool } from "./session-tools";
import {
  addTaskTool,
  completeTaskTool,
  deleteTaskTool,
  getTaskTool,
  listTasksTool,
  updateTaskTool,
} from "./task-tools";
import { openCitationTool, threadListTool, threadPushTool, threadReadTool } from "./thread-tools";
import type { ToolDefinition } from "./tool";

/**
 * The tools of the chat agent: each is an operation behind a model-facing schema and
 * description, defined once and shared with MCP.
 */
export const agentTools: ToolDefinition[] = [
  addTaskTool,
  listTasksTool,
  getTaskTool,
  updateTaskTool,
  completeTaskTool,
  deleteTaskTool,
  searchMemoryTool,
  rememberTool,
  askOracleTool,
] as ToolDefinition[];

/** The tools over what only the server holds: from a machine they are requests to it, not local writes. */
export const serverTools: ToolDefinition[] = [
  askOracleTool,
  checkDestructionTool,
  acknowledgeDestructionTool,
  bootstrapRecoveryTool,
] as ToolDefinition[];

/**
 * What MCP clients get, over stdio (`cairn mcp`) and over HTTP (`/mcp`) alike: the agent's
 * tools, unified search, threads, sessions, forgetting, the destruction alerts and recovery.
 * `cairn mcp` adds the tools of its own sync (sync_now, pause_sync, ...), which mean nothing remotely.
 */
export const mcpTools: ToolDefinition[] = [
  ...agentTools,
  searchTool,
  forgetTool,
  threadPushTool,
  threadReadTool,
  threadListTool,
  openCitationTool,
  sessionStartTool,
  sessionEndTool,
  checkDestructionTool,
  acknowledgeDestructionTool,
  bootstrapRecoveryTool,
] as ToolDefinition[];
