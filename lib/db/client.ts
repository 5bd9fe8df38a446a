// The Prisma client for whichever database is configured (see ./config). Both generated clients come
// from the same schema, so the SQLite client's type describes either one.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite";
import { PrismaClient as PostgresClient } from "./generated/postgresql";
import { databaseTarget, type DatabaseTarget } from "./config";

export type Db = SqliteClient;
export { Prisma } from "./generated/sqlite";
export type {
  User,
  Group,
  GroupMember,
  Project,
  AuditEvent,
  Agent,
  AgentToken,
  AgentConfig,
  PersonalAccessToken,
  CiJobToken,
} from "./generated/sqlite";

export function createDb(target: DatabaseTarget = databaseTarget()): Db {
  if (target.provider === "sqlite") {
    return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: "file:" + target.file }) });
  }
  // Same models, same method shapes: the PostgreSQL client is generated from a provider-swapped copy
  // of the one schema (scripts/db-generate.ts), so it is used through the SQLite client's type.
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) }) as unknown as Db;
}

const globalForDb = globalThis as unknown as { tetherDb?: Db };

/** The process-wide client (kept across hot reloads in development). */
export function db(): Db {
  globalForDb.tetherDb ??= createDb();
  return globalForDb.tetherDb;
}

/** Is this error a unique-constraint violation (on either database)? */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "P2002";
}
