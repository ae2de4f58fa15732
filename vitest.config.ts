import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
      "test/**/*.test.ts",
      "eval/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end tests start servers and CLI processes; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
