// Bundles the CLI (and the server it starts) into one CommonJS file.
// CJS, not ESM: an ESM bundle of commander failed at run time (measured), and
// CJS starts fastest. Native and heavy packages stay external and load lazily.
import { build } from "esbuild";

const started = Date.now();
await build({
  entryPoints: ["apps/cli/src/main.ts"],
  outfile: "apps/cli/dist/cairn.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: "linked",
  external: ["better-sqlite3", "pg", "pg-native", "fastify", "@fastify/rate-limit"],
  logLevel: "warning",
});
console.log(`built apps/cli/dist/cairn.cjs in ${Date.now() - started} ms`);
