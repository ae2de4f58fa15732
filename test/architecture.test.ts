import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layers, lowest first: a package may import only from layers below its own (core has no
 * dependency on any other; the apps sit on everything). A file may import another package only
 * through what that package's `exports` lists, and only a package it declares.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const packages = [
  { name: "core", dir: "packages/core", layer: 0 },
  { name: "store", dir: "packages/store", layer: 1 },
  { name: "sync", dir: "packages/sync", layer: 2 },
  { name: "agent", dir: "packages/agent", layer: 3 },
  { name: "server", dir: "apps/server", layer: 4 },
  { name: "cli", dir: "apps/cli", layer: 5 },
  { name: "web", dir: "apps/web", layer: 6 },
] as const;

type Package = (typeof packages)[number];

interface SourceFile {
  owner: Package;
  path: string;
  text: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : filesUnder(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function manifest(owner: Package): { exports: Record<string, string>; deps: Set<string> } {
  const json = JSON.parse(readFileSync(join(root, owner.dir, "package.json"), "utf8")) as {
    exports?: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return {
    exports: json.exports ?? {},
    deps: new Set([...Object.keys(json.dependencies ?? {}), ...Object.keys(json.devDependencies ?? {})]),
  };
}

/** Every import of a file: static, type-only and dynamic. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(
    /(?:^|\s)(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/gm,
  )) {
    found.push((match[1] ?? match[2]) as string);
  }
  return found;
}

/** What breaks the rules, one line each (empty: none). */
function violations(files: SourceFile[]): string[] {
  const byName = new Map(packages.map((each) => [each.name as string, each]));
  const problems: string[] = [];
  for (const file of files) {
    const own = manifest(file.owner);
    for (const specifier of importsOf(file.text)) {
      const where = `${file.path} imports ${specifier}`;
      if (specifier.startsWith(".")) {
        const target = resolve(root, dirname(file.path), specifier);
        if (!target.startsWith(resolve(root, file.owner.dir))) problems.push(`${where}: outside its package`);
        continue;
      }
      const match = /^@cairn\/([a-z]+)(?:\/(.+))?$/.exec(specifier);
      if (!match) continue;
      const target = byName.get(match[1] as string);
      if (!target) {
        problems.push(`${where}: no such package`);
        continue;
      }
      if (target.layer >= file.owner.layer && target !== file.owner) {
        problems.push(`${where}: ${target.name} is not below ${file.owner.name}`);
      }
      if (target === file.owner) problems.push(`${where}: its own package, import it relatively`);
      if (!own.deps.has(`@cairn/${target.name}`)) problems.push(`${where}: @cairn/${target.name} is not declared`);
      if (!(`./${match[2] ?? ""}` in manifest(target).exports)) {
        problems.push(`${where}: not in @cairn/${target.name}'s exports`);
      }
    }
  }
  return problems;
}

function workspaceFiles(): SourceFile[] {
  return packages.flatMap((owner) =>
    filesUnder(join(root, owner.dir)).map((path) => ({
      owner,
      path: relative(root, path),
      text: readFileSync(path, "utf8"),
    })),
  );
}

describe("the layers of the workspace", () => {
  it("holds: no package imports a layer above it, another's internals, or what it does not declare", () => {
    expect(violations(workspaceFiles())).toEqual([]);
  });

  it("catches each kind of violation", () => {
    const core = packages[0];
    const sync = packages[2];
    const agent = packages[3];
    const found = violations([
      { owner: core, path: "packages/core/src/x.ts", text: 'import { a } from "@cairn/store/sqlite/sqlite-store";' },
      {
        owner: agent,
        path: "packages/agent/src/x.ts",
        text: 'const m = await import("@cairn/core/no/such-module");',
      },
      { owner: agent, path: "packages/agent/src/y.ts", text: 'import type { T } from "@cairn/sync/drain";' },
      { owner: sync, path: "packages/sync/src/z.ts", text: 'import { b } from "../../core/src/ids";' },
    ]);
    expect(found).toEqual([
      "packages/core/src/x.ts imports @cairn/store/sqlite/sqlite-store: store is not below core",
      "packages/core/src/x.ts imports @cairn/store/sqlite/sqlite-store: @cairn/store is not declared",
      "packages/agent/src/x.ts imports @cairn/core/no/such-module: not in @cairn/core's exports",
      "packages/agent/src/y.ts imports @cairn/sync/drain: @cairn/sync is not declared",
      "packages/sync/src/z.ts imports ../../core/src/ids: outside its package",
    ]);
  });
});

/**
 * The web UI's build gives the page the endpoint table without its schemas (scripts/build.mjs),
 * so its first load carries no zod; TypeScript still sees the full table, so this is the check
 * that no page code reaches for a schema through it. Forms check input through form-check.ts.
 */
function schemaUses(files: SourceFile[]): string[] {
  return files
    .filter((file) => file.owner.name === "web" && !file.path.endsWith(".test.ts"))
    .flatMap((file) =>
      [...file.text.matchAll(/\bapi\.\w+\.(?:input|output)\b/g)].map((match) => `${file.path}: ${match[0]}`),
    );
}

describe("the web UI's endpoint table", () => {
  it("is used for methods and paths only, never for a schema", () => {
    expect(schemaUses(workspaceFiles())).toEqual([]);
  });

  it("catches a page that parses an answer with the table's schema", () => {
    const web = packages[6];
    const found = schemaUses([
      { owner: web, path: "apps/web/src/x.tsx", text: "const answer = api.ask.output.parse(data);" },
    ]);
    expect(found).toEqual(["apps/web/src/x.tsx: api.ask.output"]);
  });
});
