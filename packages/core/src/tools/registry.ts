import { rememberTool, searchMemoryTool, searchTool } from "./memory-tools";
import {
  addTaskTool,
  completeTaskTool,
  deleteTaskTool,
  getTaskTool,
  listTasksTool,
  updateTaskTool,
} from "./task-tools";
import type { ToolDefinition } from "./tool";

/**
 * The tools of the chat agent, one registry shared with the MCP server:
 * each is an operation behind a model-facing schema and description.
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
] as ToolDefinition[];

/** What MCP clients get: the agent's tools and unified search with its filters and paging. */
export const mcpTools: ToolDefinition[] = [...agentTools, searchTool as ToolDefinition];

export type AgentToolName =
  | "add_task"
  | "list_tasks"
  | "get_task"
  | "update_task"
  | "complete_task"
  | "delete_task"
  | "search_memory"
  | "remember";
