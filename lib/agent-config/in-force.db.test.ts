// The configuration in force, on SQLite and on PostgreSQL: the newest version of each agent, for one
// agent and for all at once, and what a stored version that no longer validates counts as.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { currentAgentConfig, currentAgentConfigs } from "./in-force";
import { ConfigError } from "./parse";

describe.each(["sqlite", "postgresql"] as const)("the configuration in force on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const ids: Record<string, string> = {};
  const save = (agentId: string, version: number, yaml: string) =>
    db.agentConfig.create({ data: { agentId, version, yaml } });

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    const user = await db.user.create({ data: { email: "o@example.com", username: "o", name: "O" } });
    const a = await db.project.create({ data: { name: "A", path: "a", fullPath: "o/a", ownerUserId: user.id } });
    const b = await db.project.create({ data: { name: "B", path: "b", fullPath: "o/b", ownerUserId: user.id } });
    for (const [name, projectId] of [
      ["fresh", a.id],
      ["edited", a.id],
      ["broken", b.id],
    ] as const)
      ids[name] = (await db.agent.create({ data: { name, projectId } })).id;
    ids.projectA = a.id;
    await save(ids.edited!, 1, "ci_access:\n  projects:\n    - id: o/b\n");
    await save(ids.edited!, 2, "user_access:\n  projects:\n    - id: o/b\n");
    // Saved when the schema was looser: no longer validates.
    await save(ids.broken!, 1, "ci_access:\n  projects:\n    - id: o/a\n      colour: blue\n");
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("is the newest version, parsed; version 0 and empty before the first save", async () => {
    expect(await currentAgentConfig(db, ids.fresh!)).toEqual({ version: 0, yaml: "", data: {} });
    const edited = await currentAgentConfig(db, ids.edited!);
    expect(edited.version).toBe(2);
    expect(edited.data).toEqual({ user_access: { projects: [{ id: "o/b" }] } });
  });

  it("a version that no longer validates throws its ConfigError, or counts as empty where asked", async () => {
    await expect(currentAgentConfig(db, ids.broken!)).rejects.toBeInstanceOf(ConfigError);
    expect(await currentAgentConfig(db, ids.broken!, { ifInvalid: "empty" })).toMatchObject({ version: 1, data: {} });
  });

  it("for every configured agent at once, optionally leaving out one project's agents, the same answers", async () => {
    const all = await currentAgentConfigs(db);
    expect([...all.keys()].sort()).toEqual([ids.edited!, ids.broken!].sort());
    expect(all.get(ids.edited!)).toEqual({ user_access: { projects: [{ id: "o/b" }] } });
    expect(all.get(ids.broken!)).toEqual({});
    // Asked again: answered from the parses already made, the same.
    expect(await currentAgentConfigs(db)).toEqual(all);
    expect([...(await currentAgentConfigs(db, { excludeProjectId: ids.projectA! })).keys()]).toEqual([ids.broken!]);
  });
});
