// Prisma CLI configuration. Prisma's binary schema engine cannot be downloaded on our machines, so the
// CLI runs its JavaScript engine with a driver adapter. The CLI is only used offline here (`generate`,
// `migrate diff`); migrations are applied by lib/db/migrate.ts on both databases.
// TETHER_PRISMA_PROVIDER=postgresql selects the PostgreSQL adapter (scripts/db-new-migration.ts sets it).
import os from "node:os";
import path from "node:path";
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    if (process.env.TETHER_PRISMA_PROVIDER === "postgresql") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({
        connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
      });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({ url: "file:" + path.join(os.tmpdir(), "tether-prisma-cli.db") });
  },
});
