// `npm run db:new-migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/{sqlite,postgresql}.sql
// with the difference between the last migrated schema (schema.snapshot.prisma) and prisma/schema.prisma,
// computed offline by `prisma migrate diff` for each database, then updates the snapshot.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
// The JavaScript schema engine refused schema copies under a mkdtemp directory in /tmp ("User was
// denied access on the database"); copies beside the generated PostgreSQL schema work.
import {
  derivePostgresSchema,
  MIGRATIONS_DIR,
  POSTGRES_SCHEMA_PATH,
  SCHEMA_SNAPSHOT_PATH,
  SQLITE_SCHEMA_PATH,
} from "../lib/db/schema-files";

const prisma = path.resolve(__dirname, "..", "node_modules", ".bin", "prisma");

export function diffSql(fromSchema: string | null, toSchema: string, provider: "sqlite" | "postgresql"): string {
  const tmp = fs.mkdtempSync(path.join(path.dirname(POSTGRES_SCHEMA_PATH), "diff-"));
  try {
    const write = (name: string, text: string) => {
      const f = path.join(tmp, name);
      fs.writeFileSync(f, provider === "postgresql" ? derivePostgresSchema(text) : text);
      return f;
    };
    const to = write("to.prisma", toSchema);
    const from = fromSchema === null ? ["--from-empty"] : ["--from-schema-datamodel", write("from.prisma", fromSchema)];
    return execFileSync(prisma, ["migrate", "diff", ...from, "--to-schema-datamodel", to, "--script"], {
      encoding: "utf8",
      env: { ...process.env, TETHER_PRISMA_PROVIDER: provider },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function main(name: string | undefined): void {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error("usage: npm run db:new-migration -- <name>   (lower-case letters, digits and _)");
  }
  const current = fs.readFileSync(SQLITE_SCHEMA_PATH, "utf8");
  const previous = fs.existsSync(SCHEMA_SNAPSHOT_PATH) ? fs.readFileSync(SCHEMA_SNAPSHOT_PATH, "utf8") : null;
  const sqlite = diffSql(previous, current, "sqlite");
  if (/^-- This is an empty migration\.?\s*$/m.test(sqlite) || sqlite.trim() === "") {
    console.log("db: the schema has not changed since the last migration; nothing written");
    return;
  }
  const postgresql = diffSql(previous, current, "postgresql");
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "sqlite.sql"), sqlite);
  fs.writeFileSync(path.join(dir, "postgresql.sql"), postgresql);
  fs.writeFileSync(SCHEMA_SNAPSHOT_PATH, current);
  console.log(`db: wrote ${path.relative(process.cwd(), dir)}/{sqlite,postgresql}.sql`);
}

if (require.main === module) main(process.argv[2]);
