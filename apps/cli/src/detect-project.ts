import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { AppError } from "@cairn/core/app-error";
import { nameToId } from "@cairn/core/slug";
import { parse as parseToml } from "smol-toml";

export interface DetectedProject {
  project: string;
  /** The default thread: `.cairn.toml`'s `thread`, else the git branch, else "main". */
  thread: string;
  source: ".cairn.toml" | "git" | "folder";
  root: string;
}

/** Walks up from `start` and returns the first directory holding `name`. */
function findUp(start: string, name: string): string | null {
  let directory = start;
  for (;;) {
    if (existsSync(join(directory, name))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return null;
    directory = parent;
  }
}

/** Reads `project` and `thread` from a .cairn.toml; a file that is not TOML is an error naming it. */
export function readCairnToml(path: string): { project?: string; thread?: string } {
  let table: Record<string, unknown>;
  try {
    table = parseToml(readFileSync(path, "utf8"));
  } catch (error) {
    throw new AppError("bad_request", `${path} is not valid TOML: ${(error as Error).message.split("\n")[0]}`, {
      cause: error,
      hint: 'It holds lines like: project = "my-project"',
    });
  }
  const result: { project?: string; thread?: string } = {};
  if (typeof table.project === "string") result.project = table.project;
  if (typeof table.thread === "string") result.thread = table.thread;
  return result;
}

/** The current branch from .git/HEAD, without spawning git (start-up time matters). */
function gitBranch(root: string): string | null {
  try {
    let gitDir = join(root, ".git");
    if (statSync(gitDir).isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitDir, "utf8"));
      if (!pointer?.[1]) return null;
      gitDir = join(root, pointer[1].trim());
    }
    const head = readFileSync(join(gitDir, "HEAD"), "utf8");
    const ref = /^ref:\s*refs\/heads\/(.+)$/m.exec(head);
    return ref?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

/** Project detection of SPEC section 9: `.cairn.toml`, else the git root's name, else the folder's. */
export function detectProject(cwd: string): DetectedProject {
  const gitRoot = findUp(cwd, ".git");
  const tomlRoot = findUp(cwd, ".cairn.toml");
  const branch = gitRoot ? gitBranch(gitRoot) : null;
  const fallbackThread = nameToId(branch ?? "") || "main";
  if (tomlRoot) {
    const config = readCairnToml(join(tomlRoot, ".cairn.toml"));
    const project = nameToId(config.project ?? basename(tomlRoot)) || "default";
    return { project, thread: nameToId(config.thread ?? "") || fallbackThread, source: ".cairn.toml", root: tomlRoot };
  }
  if (gitRoot)
    return { project: nameToId(basename(gitRoot)) || "default", thread: fallbackThread, source: "git", root: gitRoot };
  return { project: nameToId(basename(cwd)) || "default", thread: fallbackThread, source: "folder", root: cwd };
}
