import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = { "@": path.dirname(fileURLToPath(import.meta.url)) };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{lib,kas,agent,testbed,components,app,scripts}/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/*.db.test.ts", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        // The same database suite on SQLite and on a real PostgreSQL (TETHER_TEST_POSTGRES_URL).
        resolve: { alias },
        test: {
          name: "db",
          include: ["{lib,kas,scripts}/**/*.db.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Against one real testbed (kube-apiserver + etcd + kwok) started by the global setup.
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{lib,kas,agent,testbed,deploy}/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["testbed/vitest-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
