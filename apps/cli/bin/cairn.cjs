#!/usr/bin/env node
// Runs the compiled CLI bundle (never a TypeScript loader: start-up time is a feature).
try {
  require("../dist/cairn.cjs");
} catch (error) {
  if (error && error.code === "MODULE_NOT_FOUND" && String(error.message).includes("dist/cairn.cjs")) {
    process.stderr.write("cairn: the CLI is not built yet; run `npm install` (or `npm run build`) in the repository\n");
    process.exit(1);
  }
  throw error;
}
