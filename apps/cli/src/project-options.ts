import { nameToId } from "@cairn/core/slug";
import type { CliContext } from "./cli-context";
import { detectProject } from "./detect-project";

/** The project flags of CLI commands (SPEC section 9). */
export interface ProjectOptions {
  project?: string;
  allProjects?: boolean;
  json?: boolean;
}

/** The given project, else the detected one (.cairn.toml, git root, folder). */
export function projectOf(context: CliContext, options: ProjectOptions): string {
  return options.project ? nameToId(options.project) : detectProject(context.cwd).project;
}

/** A list or search's `project` input: the given or detected project, none with --all-projects. */
export function projectFilter(context: CliContext, options: ProjectOptions): { project?: string } {
  return options.allProjects ? {} : { project: projectOf(context, options) };
}
