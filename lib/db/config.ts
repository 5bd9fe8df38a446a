// Which database Tether uses: PostgreSQL when DATABASE_URL is a postgres:// URL, otherwise the
// embedded SQLite file under data/ (or the file named by a file: URL).
import path from "node:path";
import { z } from "zod";

export type DatabaseTarget = { provider: "sqlite"; file: string } | { provider: "postgresql"; url: string };

// Every entry point (npm scripts, next start, vitest) runs from the repository root; __dirname is not
// usable here because the web server runs this file from a bundle under .next/.
const repoRoot = process.cwd();
export const DEFAULT_SQLITE_FILE = path.join(/*turbopackIgnore: true*/ repoRoot, "data", "tether.db");

const databaseUrl = z
  .string()
  .trim()
  .refine((u) => /^(postgres|postgresql|file):/.test(u), {
    message: "DATABASE_URL must start with postgres://, postgresql:// or file:",
  });

export function databaseTarget(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw.trim() === "") return { provider: "sqlite", file: DEFAULT_SQLITE_FILE };
  const parsed = databaseUrl.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "invalid DATABASE_URL");
  const url = parsed.data;
  if (url.startsWith("file:"))
    return { provider: "sqlite", file: path.resolve(/*turbopackIgnore: true*/ repoRoot, url.slice("file:".length)) };
  return { provider: "postgresql", url };
}

/** A description safe to log: never the password. */
export function describeTarget(t: DatabaseTarget): string {
  if (t.provider === "sqlite") return `sqlite ${t.file}`;
  const u = new URL(t.url);
  return `postgresql ${u.hostname}:${u.port || "5432"}${u.pathname}`;
}
