import { nameToId } from "@cairn/core/slug";
import type { Command } from "commander";
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

/** The attribution flags every list and search takes (SPEC section 9 / issue 4). */
export interface AttributionOptions extends ProjectOptions {
  session?: string;
  since?: string;
  until?: string;
}

export function withAttributionOptions(command: Command): Command {
  return command
    .option("--project <name>", "project (default: detected)")
    .option("--all-projects", "every project")
    .option("--session <id>", "only what this session recorded")
    .option("--since <time>", 'from this time: "30m", "3h", "2d", "1w" or an ISO date')
    .option("--until <time>", "before this time (same forms)");
}

/** The operation input of the attribution flags (times are parsed by the operation). */
export function attributionInput(
  context: CliContext,
  options: AttributionOptions,
): { project?: string; session?: string; since?: string; until?: string } {
  return {
    ...projectFilter(context, options),
    ...(options.session ? { session: options.session } : {}),
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
  };
}
