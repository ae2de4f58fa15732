// Bundles the CLI (and the server it starts) into one CommonJS file.
// CJS, not ESM: an ESM bundle of commander failed at run time (measured), and
// CJS starts fastest. better-sqlite3's JavaScript is bundled (its addon is
// loaded by path, see apps/cli/src/main.ts); pg and fastify stay external and
// load only when serve or admin needs them.
import { build } from "esbuild";

/**
 * commander requires node:child_process at load (only for executable
 * subcommands, which Cairn does not use); loading it costs ~3 ms of every
 * start. Give commander a stand-in that loads the real module on first use.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(plugin) {
    plugin.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes("node_modules/commander/")
        ? { path: "lazy-child-process", namespace: "cairn-shim" }
        : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: "cairn-shim" }, () => ({
      contents:
        'let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require("node:child_process"))[key] });',
      loader: "js",
    }));
  },
};

/** Packages only the server (or `cairn mcp`) loads: required from node_modules when needed, never bundled. */
const serverOnly = [
  "pg",
  "pg-native",
  "fastify",
  "@fastify/rate-limit",
  "ai",
  "@ai-sdk/*",
  "ioredis",
  "@modelcontextprotocol/*",
  "sqlite-vec",
  "undici",
];

/** Every bundle: one CommonJS file for Node 20. */
const nodeBundle = { bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning" };
// ulid's node build loads node:crypto at import; ids get their randomness injected.
const ulidForBrowsers = { ulid: "./node_modules/ulid/dist/browser/index.js" };

const started = Date.now();
await build({
  ...nodeBundle,
  entryPoints: ["apps/cli/src/main.ts"],
  outfile: "apps/cli/dist/cairn.cjs",
  sourcemap: "linked",
  external: serverOnly,
  // import() becomes require(): the bundle runs through vm.Script (bin/cairn.cjs),
  // which has no dynamic-import hook, and require() of a builtin is cheaper anyway.
  supported: { "dynamic-import": false },
  alias: ulidForBrowsers,
  plugins: [lazyChildProcess],
});
// The delivery thread `cairn serve` starts (apps/server/src/webhooks/delivery-thread.ts): a bundle of its
// own, because a worker thread runs a file. better-sqlite3's addon path comes in its workerData.
await build({
  ...nodeBundle,
  entryPoints: ["apps/server/src/webhooks/delivery-worker-entry.ts"],
  outfile: "apps/cli/dist/delivery-worker.cjs",
  sourcemap: "linked",
  external: serverOnly,
  alias: ulidForBrowsers,
});
// The MCP SDK, for `cairn mcp` only: a bundle of its own, so the CLI's stays small (see mcp-sdk-entry.ts).
await build({
  ...nodeBundle,
  entryPoints: ["apps/cli/src/mcp/mcp-sdk-entry.ts"],
  outfile: "apps/cli/dist/mcp-sdk.cjs",
});
console.log(`built apps/cli/dist/cairn.cjs, delivery-worker.cjs and mcp-sdk.cjs in ${Date.now() - started} ms`);

// The benchmarks and the evaluation import the workspace packages' TypeScript: bundle them too
// (npm run bench, npm run eval).
for (const [flag, entry, out] of [
  ["--bench", "bench/run.ts", "bench/dist/run.cjs"],
  ["--eval", "eval/run.ts", "eval/dist/run.cjs"],
]) {
  if (!process.argv.includes(flag)) continue;
  await build({ ...nodeBundle, entryPoints: [entry], outfile: out, external: ["better-sqlite3", ...serverOnly] });
}
