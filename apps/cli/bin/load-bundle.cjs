// Loads a compiled bundle through V8's code cache, kept beside it (`<bundle>.v8cache`):
// the CLI's own bundle saves about 15 ms of every start that way, and the MCP SDK's
// about 30 ms of `cairn mcp` (measured). A missing, stale or unwritable cache only
// costs that time back, never correctness.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

/** Each bundle runs once per process: a second load returns the same exports (one copy of its modules). */
const loaded = new Map();

/** Runs `bundle` (a CommonJS file) and returns its exports; throws ENOENT when it is not built. */
module.exports = function loadBundle(bundle) {
  const done = loaded.get(bundle);
  if (done) return done;
  const source = fs.readFileSync(bundle, "utf8");
  const cacheFile = `${bundle}.v8cache`;
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
  loaded.set(bundle, module_.exports);
  return module_.exports;
};
