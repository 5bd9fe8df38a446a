// Where the schema and its derived PostgreSQL copy live, and how the copy is derived.
// Shared by scripts/db-generate.ts, scripts/db-new-migration.ts and the migration tests.
import path from "node:path";

const root = path.resolve(__dirname, "..", "..");
export const SQLITE_SCHEMA_PATH = path.join(root, "prisma", "schema.prisma");
export const POSTGRES_SCHEMA_PATH = path.join(root, "prisma", ".generated", "schema.postgresql.prisma");
export const MIGRATIONS_DIR = path.join(root, "prisma", "migrations");
export const SCHEMA_SNAPSHOT_PATH = path.join(MIGRATIONS_DIR, "schema.snapshot.prisma");

/** The PostgreSQL twin of the SQLite schema: same models, other provider and client output. */
export function derivePostgresSchema(sqliteSchema: string): string {
  const replaced = sqliteSchema
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/url\s*=\s*"file:[^"]*"/, 'url      = "postgresql://localhost/tether"')
    .replace(/output\s*=\s*"\.\.\/lib\/db\/generated\/sqlite"/, 'output     = "../../lib/db/generated/postgresql"');
  if (replaced === sqliteSchema || !replaced.includes('"postgresql"') || !replaced.includes("generated/postgresql")) {
    throw new Error(
      "prisma/schema.prisma: could not derive the PostgreSQL schema (provider, url or output line changed shape)",
    );
  }
  return "// GENERATED from prisma/schema.prisma by scripts/db-generate.ts. Do not edit.\n" + replaced;
}
