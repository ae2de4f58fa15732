import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { privateDirectory } from "@cairn/store/private-files";
import * as z from "zod";
import type { CairnPaths } from "../paths";

/**
 * The conversation one-shot `cairn chat` calls continue: per login scope and project, while
 * its last turn is less than 30 minutes old. Without it every call opened a conversation,
 * and "yes" could never confirm what the previous call asked.
 */
export const conversationIdleMs = 30 * 60_000;

const fileSchema = z.record(z.string(), z.object({ id: z.string(), at: z.string() }));
type Conversations = z.infer<typeof fileSchema>;

const fileName = "chat-conversations.json";

function read(paths: CairnPaths): Conversations {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(join(paths.configDir, fileName), "utf8")));
    return parsed.success ? parsed.data : {};
  } catch {
    // Missing or damaged: no conversation to continue (the next turn starts one).
    return {};
  }
}

const keyOf = (scope: string, project: string) => `${scope} ${project}`;

/** The conversation to continue in this scope and project, or null (none, or idle 30 minutes). */
export function currentConversation(paths: CairnPaths, scope: string, project: string, now: Date): string | null {
  const current = read(paths)[keyOf(scope, project)];
  if (!current || now.getTime() - Date.parse(current.at) >= conversationIdleMs) return null;
  return current.id;
}

/** Records the conversation a turn ran in, as of now (written atomically, readable by its owner only). */
export function rememberConversation(paths: CairnPaths, scope: string, project: string, id: string, now: Date): void {
  const all = read(paths);
  all[keyOf(scope, project)] = { id, at: now.toISOString() };
  privateDirectory(paths.configDir);
  const path = join(paths.configDir, fileName);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
