// `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL, or the
// embedded SQLite file under data/). `npm start` does the same before it starts the servers.
import { databaseTarget, describeTarget } from "../lib/db/config";
import { migrate } from "../lib/db/migrate";

async function main(): Promise<void> {
  const target = databaseTarget();
  const result = await migrate(target, { log: (m) => console.log(m) });
  console.log(
    `db: ${describeTarget(target)} is up to date (${result.applied.length} applied now, ${result.total} in all)`,
  );
}

main().catch((e: unknown) => {
  console.error(`db: ${(e as Error).message}`);
  process.exit(1);
});
