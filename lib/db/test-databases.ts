// Fresh, throw-away databases for tests: a SQLite file in a temp dir, and a new database on the real
// PostgreSQL server named by TETHER_TEST_POSTGRES_URL (default: local trust auth on 127.0.0.1:5432).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import type { DatabaseTarget } from "./config";

export const TEST_POSTGRES_ADMIN_URL =
  process.env.TETHER_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

export async function freshDatabase(provider: DatabaseTarget["provider"]): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-db-test-"));
    return {
      target: { provider, file: path.join(dir, "test.db") },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `tether_test_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    target: { provider, url: url.toString() },
    drop: async () => {
      const c = new Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
