// Applies the SQL migrations in prisma/migrations to SQLite or PostgreSQL.
//
// Each migration directory holds the same change for both databases (sqlite.sql, postgresql.sql),
// generated offline by `npm run db:new-migration` with `prisma migrate diff`. Prisma's own
// `migrate deploy` cannot run against PostgreSQL through a driver adapter, so this small runner does
// the applying: one transaction per migration, a checksum so an edited migration is refused, and on
// PostgreSQL an advisory lock so replicas starting together apply each migration once.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Client } from "pg";
import type { DatabaseTarget } from "./config";
import { MIGRATIONS_DIR } from "./schema-files";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

const TABLE = "_tether_migrations";
const PG_LOCK_KEY = 7_411_020_251; // arbitrary, constant: "tether migrations"

export function listMigrations(provider: DatabaseTarget["provider"], dir: string = MIGRATIONS_DIR): Migration[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, `${provider}.sql`);
      if (!fs.existsSync(file)) throw new MigrationError(`migration ${name} has no ${provider}.sql`);
      const sql = fs.readFileSync(file, "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function checkApplied(applied: Map<string, string>, all: Migration[]): Migration[] {
  const known = new Set(all.map((m) => m.name));
  for (const [name, checksum] of applied) {
    if (!known.has(name))
      throw new MigrationError(
        `the database has migration ${name}, which this version of Tether does not know; is it older than the database?`,
      );
    const m = all.find((x) => x.name === name);
    if (m && m.checksum !== checksum)
      throw new MigrationError(
        `migration ${name} was changed after it was applied (checksum mismatch); restore the file`,
      );
  }
  return all.filter((m) => !applied.has(m.name));
}

export interface MigrateResult {
  applied: string[];
  total: number;
}

export async function migrate(
  target: DatabaseTarget,
  opts: { dir?: string; log?: (msg: string) => void } = {},
): Promise<MigrateResult> {
  const all = listMigrations(target.provider, opts.dir);
  const log = opts.log ?? (() => {});
  return target.provider === "sqlite" ? migrateSqlite(target.file, all, log) : migratePostgres(target.url, all, log);
}

function migrateSqlite(file: string, all: Migration[], log: (m: string) => void): MigrateResult {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    );
    const rows = db.prepare(`SELECT name, checksum FROM ${TABLE}`).all() as { name: string; checksum: string }[];
    const pending = checkApplied(new Map(rows.map((r) => [r.name, r.checksum])), all);
    const insert = db.prepare(`INSERT INTO ${TABLE} (name, checksum, applied_at) VALUES (?, ?, ?)`);
    for (const m of pending) {
      log(`db: applying migration ${m.name}`);
      try {
        db.transaction(() => {
          db.exec(m.sql);
          insert.run(m.name, m.checksum, new Date().toISOString());
        })();
      } catch (e) {
        throw new MigrationError(`migration ${m.name} failed on SQLite and was rolled back: ${(e as Error).message}`);
      }
    }
    return { applied: pending.map((m) => m.name), total: all.length };
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, all: Migration[], log: (m: string) => void): Promise<MigrateResult> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PG_LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`,
    );
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${TABLE}`);
    const pending = checkApplied(new Map(rows.map((r) => [r.name, r.checksum])), all);
    for (const m of pending) {
      log(`db: applying migration ${m.name}`);
      try {
        await client.query("BEGIN");
        await client.query(m.sql); // simple query protocol: several statements in one call
        await client.query(`INSERT INTO ${TABLE} (name, checksum, applied_at) VALUES ($1, $2, now())`, [
          m.name,
          m.checksum,
        ]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw new MigrationError(
          `migration ${m.name} failed on PostgreSQL and was rolled back: ${(e as Error).message}`,
        );
      }
    }
    return { applied: pending.map((m) => m.name), total: all.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PG_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
