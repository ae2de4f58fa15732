#!/usr/bin/env node
// Runs the compiled CLI bundle (never a TypeScript loader: start-up time is a
// feature), through V8's code cache (see load-bundle.cjs).
"use strict";
const path = require("node:path");
const loadBundle = require("./load-bundle.cjs");

const bundle = path.join(__dirname, "..", "dist", "cairn.cjs");
try {
  require("node:fs").accessSync(bundle);
} catch {
  process.stderr.write("cairn: the CLI is not built yet; run `npm install` (or `npm run build`) in the repository\n");
  process.exit(1);
}
loadBundle(bundle);
