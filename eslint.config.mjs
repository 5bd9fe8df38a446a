import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Specs take `test` from e2e/test.ts, which closes the browser contexts a test opened.
    files: ["e2e/**/*.ts"],
    ignores: ["e2e/test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@playwright/test", message: 'Import from "./test" (e2e/test.ts) instead.' }] },
      ],
    },
  },
  globalIgnores([
    ".next/**",
    ".next-standalone/**",
    "dist/**",
    "node_modules/**",
    "data/**",
    "lib/db/generated/**",
    "prisma/.generated/**",
    "proto/gen/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
]);
