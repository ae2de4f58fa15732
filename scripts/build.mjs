// Bundles the CLI (and the server it starts) into one CommonJS file.
// CJS, not ESM: an ESM bundle of commander failed at run time (measured), and
// CJS starts fastest. better-sqlite3's JavaScript is bundled (its addon is
// loaded by path, see apps/cli/src/main.ts); pg and fastify stay external and
// load only when serve or admin needs them.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
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

/**
 * Every bundle: one CommonJS file for Node 20, its whitespace and syntax minified (a smaller file is
 * read and checked against its code cache faster: ~7 ms of every start, measured); names are kept,
 * so stack traces still read, and the source maps point into the sources.
 */
const nodeBundle = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "warning",
  minifyWhitespace: true,
  minifySyntax: true,
};

/**
 * Workspace packages the CLI needs for a few commands only: the server (`serve`, `admin`) and the
 * agent (`mcp`). Each is a bundle of its own beside the CLI's, loaded through the code cache when
 * such a command runs, so `thread push` never reads or compiles them. Their modules keep their own
 * copies of core (isAppError holds across copies); they trade plain objects with the CLI's.
 */
const sideBundles = [
  {
    name: "server",
    file: "cairn-server.cjs",
    modules: ["start-server", "open-server-store", "webhooks/test-delivery"],
  },
  { name: "agent", file: "cairn-agent.cjs", modules: ["mcp/mcp-server", "tools/registry", "tools/tool"] },
];

/** In the CLI's bundle, `@cairn/server/x` and `@cairn/agent/x` become that module of the side bundle. */
const sideBundleImports = {
  name: "side-bundles",
  setup(plugin) {
    const names = sideBundles.map((bundle) => bundle.name).join("|");
    plugin.onResolve({ filter: new RegExp(`^@cairn/(${names})/`) }, (args) => ({
      path: args.path,
      namespace: "side-bundle",
    }));
    plugin.onLoad({ filter: /.*/, namespace: "side-bundle" }, (args) => {
      const [, name, module] = /^@cairn\/([a-z]+)\/(.+)$/.exec(args.path);
      const bundle = sideBundles.find((each) => each.name === name);
      if (!bundle.modules.includes(module)) {
        return {
          errors: [
            { text: `${args.path} is not in the ${name} side bundle: add it to sideBundles in scripts/build.mjs` },
          ],
        };
      }
      return {
        contents:
          'const { join } = require("node:path");' +
          `module.exports = require(join(__dirname, "..", "bin", "load-bundle.cjs"))(join(__dirname, ${JSON.stringify(bundle.file)}))[${JSON.stringify(module)}];`,
        loader: "js",
      };
    });
  },
};
// ulid's node build loads node:crypto at import; ids get their randomness injected.
const ulidForBrowsers = { ulid: "./node_modules/ulid/dist/browser/index.js" };

const started = Date.now();
// A code cache of an older build would only be rejected: drop them, the first run of each bundle writes its own.
for (const file of existsSync("apps/cli/dist") ? readdirSync("apps/cli/dist") : []) {
  if (file.endsWith(".v8cache")) rmSync(join("apps/cli/dist", file));
}
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
  plugins: [lazyChildProcess, sideBundleImports],
});
for (const bundle of sideBundles) {
  await build({
    ...nodeBundle,
    stdin: {
      contents: bundle.modules
        .map((module) => `exports[${JSON.stringify(module)}] = require("@cairn/${bundle.name}/${module}");`)
        .join("\n"),
      resolveDir: ".",
      loader: "js",
    },
    outfile: `apps/cli/dist/${bundle.file}`,
    sourcemap: "linked",
    external: serverOnly,
    // Run through vm.Script like the CLI's bundle: no dynamic-import hook there either.
    supported: { "dynamic-import": false },
    alias: ulidForBrowsers,
  });
}
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
console.log(
  `built apps/cli/dist/cairn.cjs, ${sideBundles.map((bundle) => bundle.file).join(", ")}, delivery-worker.cjs and mcp-sdk.cjs in ${Date.now() - started} ms`,
);

// The web UI (apps/web): Preact, split into hashed assets beside the CLI's bundle, which `cairn serve`
// serves (apps/server/src/web-ui.ts); the page itself is written here with the hashed names.
const webOut = "apps/cli/dist/web";
rmSync(webOut, { recursive: true, force: true });

/**
 * The endpoint table as the page needs it: method and path, read from core/wire/api.ts itself
 * (bundled and loaded here), without the zod schemas. TypeScript still types every call and
 * answer from the full table; the page does not check the answers again at run time (the CLI
 * does), which keeps zod, most of the page's weight, out of its first load.
 */
async function endpointRoutes() {
  const bundled = await build({
    entryPoints: ["packages/core/src/wire/api.ts"],
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    logLevel: "warning",
  });
  const module = { exports: {} };
  new Function("module", "exports", "require", bundled.outputFiles[0].text)(
    module,
    module.exports,
    createRequire(import.meta.url),
  );
  const routes = Object.entries(module.exports.api).map(([name, endpoint]) => [
    name,
    { method: endpoint.method, path: endpoint.path },
  ]);
  return Object.fromEntries(routes);
}
// A page that reaches for a schema anyway fails loudly (test/architecture.test.ts forbids it too).
const noSchemas = `for (const endpoint of Object.values(api)) for (const part of ["input", "output"])
  Object.defineProperty(endpoint, part, { get() { throw new Error("The web UI's endpoint table has no schemas: see form-check.ts"); } });`;
const routesOnly = {
  name: "api-routes-only",
  setup(plugin) {
    plugin.onResolve({ filter: /^@cairn\/core\/wire\/api$/ }, () => ({ path: "api", namespace: "api-routes" }));
    plugin.onLoad({ filter: /.*/, namespace: "api-routes" }, async () => ({
      contents: `export const api = ${JSON.stringify(await endpointRoutes())};\n${noSchemas}`,
      loader: "js",
    }));
  },
};
const web = await build({
  entryPoints: ["apps/web/src/main.tsx"],
  outdir: `${webOut}/assets`,
  entryNames: "[name]-[hash]",
  chunkNames: "chunk-[hash]",
  assetNames: "[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  target: ["chrome110", "firefox110", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  minify: true,
  metafile: true,
  logLevel: "warning",
  alias: ulidForBrowsers,
  plugins: [routesOnly],
});
const outputs = Object.entries(web.metafile.outputs);
const entry = outputs.find(([, output]) => output.entryPoint === "apps/web/src/main.tsx");
const script = entry?.[0].slice(webOut.length);
const style = entry?.[1].cssBundle?.slice(webOut.length);
mkdirSync(webOut, { recursive: true });
writeFileSync(
  `${webOut}/index.html`,
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Cairn</title>
${style ? `<link rel="stylesheet" href="${style}">` : ""}
<script type="module" src="${script}"></script>
</head>
<body><div id="app"></div></body>
</html>
`,
);

// The benchmarks and the evaluation import the workspace packages' TypeScript: bundle them too
// (npm run bench, npm run eval).
for (const [flag, entry, out] of [
  ["--bench", "bench/run.ts", "bench/dist/run.cjs"],
  ["--eval", "eval/run.ts", "eval/dist/run.cjs"],
]) {
  if (!process.argv.includes(flag)) continue;
  const external = ["better-sqlite3", "playwright-core", ...serverOnly];
  await build({ ...nodeBundle, entryPoints: [entry], outfile: out, external });
}
