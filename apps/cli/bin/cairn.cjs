#!/usr/bin/env node
// Runs the compiled CLI bundle (never a TypeScript loader: start-up time is a
// feature). The bundle is compiled through V8's code cache, kept beside it:
// that saves about 15 ms of every start (measured). A missing, stale or
// unwritable cache only costs that time back, never correctness.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

const bundle = path.join(__dirname, "..", "dist", "cairn.cjs");
const cacheFile = `${bundle}.v8cache`;

let source;
try {
  source = fs.readFileSync(bundle, "utf8");
} catch {
  process.stderr.write("cairn: the CLI is not built yet; run `npm install` (or `npm run build`) in the repository\n");
  process.exit(1);
}
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
if (cachedData === undefined || script.cachedDataRejected) {
  // Written at exit, so the functions this run compiled are in the cache too.
  process.once("exit", () => {
    try {
      const temporary = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(temporary, script.createCachedData());
      fs.renameSync(temporary, cacheFile);
    } catch {
      // read-only install: run without a cache
    }
  });
}
const module_ = { exports: {} };
script
  .runInThisContext()
  .call(module_.exports, module_.exports, Module.createRequire(bundle), module_, bundle, path.dirname(bundle));
