import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { listMigrations } from "./migrate";
import { derivePostgresSchema, SCHEMA_SNAPSHOT_PATH, SQLITE_SCHEMA_PATH } from "./schema-files";

describe("schema and migrations", () => {
  it("has a migration for every schema change (run `npm run db:new-migration -- <name>` if this fails)", () => {
    expect(fs.readFileSync(SCHEMA_SNAPSHOT_PATH, "utf8")).toBe(fs.readFileSync(SQLITE_SCHEMA_PATH, "utf8"));
  });

  it("keeps the same migrations for both databases", () => {
    expect(listMigrations("postgresql").map((m) => m.name)).toEqual(listMigrations("sqlite").map((m) => m.name));
    expect(listMigrations("sqlite").length).toBeGreaterThan(0);
  });

  it("derives the PostgreSQL schema by swapping only provider, url and output", () => {
    const pg = derivePostgresSchema(fs.readFileSync(SQLITE_SCHEMA_PATH, "utf8"));
    expect(pg).toContain('provider = "postgresql"');
    expect(pg).toContain("generated/postgresql");
    expect(pg).not.toContain('"sqlite"');
    expect(() => derivePostgresSchema('datasource db {\n  provider = "mysql"\n}')).toThrow(/could not derive/);
  });
});
