import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nameToId } from "@cairn/core/slug";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { detectProject } from "../detect-project";
import { printResult } from "../output";

/** `cairn init`: pins the detected (or given) project in a .cairn.toml at the project root. */
export function registerInitCommand(program: Command, context: CliContext): void {
  program
    .command("init")
    .description("Write .cairn.toml naming this folder's project")
    .option("--project <name>", "project name (default: git root name, else folder name)")
    .option("--json", "print JSON")
    .action(async (options: { project?: string; json?: boolean }) => {
      const detected = detectProject(context.cwd);
      const file = join(detected.source === ".cairn.toml" ? detected.root : detected.root, ".cairn.toml");
      if (existsSync(file) && !options.project) {
        const result = { project: detected.project, file, created: false };
        printResult(context, Boolean(options.json), result, () => `${file} already names project ${detected.project}`);
        return;
      }
      const project = options.project ? nameToId(options.project) || detected.project : detected.project;
      writeFileSync(file, `# Cairn project settings\nproject = "${project}"\n`);
      const result = { project, file, created: true };
      printResult(context, Boolean(options.json), result, () => `wrote ${file} (project ${project})`);
    });
}
