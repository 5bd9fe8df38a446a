// Generates the Prisma clients for both databases from the one schema in prisma/schema.prisma.
// The PostgreSQL schema is derived here (provider and output swapped) so the two can never drift.
// Runs on `npm ci` (postinstall) and via `npm run db:generate`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { derivePostgresSchema, POSTGRES_SCHEMA_PATH, SQLITE_SCHEMA_PATH } from "../lib/db/schema-files";

function main(): void {
  const source = fs.readFileSync(SQLITE_SCHEMA_PATH, "utf8");
  fs.mkdirSync(path.dirname(POSTGRES_SCHEMA_PATH), { recursive: true });
  fs.writeFileSync(POSTGRES_SCHEMA_PATH, derivePostgresSchema(source));
  const prisma = path.resolve(__dirname, "..", "node_modules", ".bin", "prisma");
  for (const schema of [SQLITE_SCHEMA_PATH, POSTGRES_SCHEMA_PATH]) {
    execFileSync(prisma, ["generate", "--schema", schema], { stdio: ["ignore", "inherit", "inherit"] });
  }
}

main();
