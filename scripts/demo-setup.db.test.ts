// `npm run demo`'s account side on SQLite and PostgreSQL: the demo user administers a fresh installation,
// its agent's user_access lets it use the agent as the agent itself (so the live view shows the whole
// cluster, not "you cannot list …"), a second run changes no configuration and leaves one active token,
// and a user_access the user changed is kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentAgentConfig, saveAgentConfig } from "@/lib/agent-config";
import { agentForToken } from "@/lib/agents";
import { checkCredentials, signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { userAccessGrant } from "@/lib/kubectl-access";
import { DEMO_AGENT, DEMO_EMAIL, DEMO_PASSWORD, DEMO_PROJECT, prepareDemo } from "./demo-setup";

describe.each(["sqlite", "postgresql"] as const)("the demo's account on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("on a fresh installation: an administrator who signs in, the project, the agent, user_access and a working token", async () => {
    const first = await prepareDemo(db);
    expect(first.userAccess).toBe("written");
    const user = await checkCredentials(db, DEMO_EMAIL, DEMO_PASSWORD);
    expect(user).toMatchObject({ id: first.userId, username: "demo", isAdmin: true });
    const agent = await db.agent.findUniqueOrThrow({ where: { id: first.agentId }, include: { project: true } });
    expect([agent.project.fullPath, agent.name, agent.project.ownerUserId]).toEqual([
      DEMO_PROJECT,
      DEMO_AGENT,
      first.userId,
    ]);
    const config = await currentAgentConfig(db, first.agentId);
    expect(config.version).toBe(1);
    expect(config.data.user_access).toEqual({ access_as: { agent: {} }, projects: [{ id: DEMO_PROJECT }] });
    // The owner uses the agent as the agent itself: no impersonation, the agent's (administrator) credentials.
    expect(await userAccessGrant(db, { id: first.userId, username: "demo" }, first.agentId)).toEqual({
      accessAs: "agent",
      impersonation: null,
    });
    expect(await agentForToken(db, first.token)).toMatchObject({ agentId: first.agentId, projectPath: DEMO_PROJECT });
  });

  it("a second run: the same rows, no new configuration version, the old token revoked and one active", async () => {
    const before = await db.agent.findFirstOrThrow({ where: { name: DEMO_AGENT } });
    const oldToken = (await db.agentToken.findFirstOrThrow({ where: { agentId: before.id, revokedAt: null } })).id;
    const again = await prepareDemo(db);
    expect(again.agentId).toBe(before.id);
    expect(again.userAccess).toBe("kept");
    expect((await currentAgentConfig(db, again.agentId)).version).toBe(1);
    expect(await db.agentToken.count({ where: { agentId: again.agentId, revokedAt: null } })).toBe(1);
    expect((await db.agentToken.findUniqueOrThrow({ where: { id: oldToken } })).revokedAt).not.toBeNull();
    expect(await db.user.count()).toBe(1);
  });

  it("a user_access the user changed is kept as it is", async () => {
    const agent = await db.agent.findFirstOrThrow({ where: { name: DEMO_AGENT } });
    const owner = await db.user.findUniqueOrThrow({ where: { email: DEMO_EMAIL } });
    const mine = `user_access:\n  access_as:\n    user: {}\n  projects:\n    - id: ${DEMO_PROJECT}\n`;
    await saveAgentConfig(db, owner, agent.id, mine);
    const run = await prepareDemo(db);
    expect(run.userAccess).toBe("kept");
    expect((await currentAgentConfig(db, agent.id)).yaml).toBe(mine);
  });
});

describe("the demo on an installation that already has an administrator", () => {
  let tdb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    tdb = await freshDatabase("sqlite");
    await migrate(tdb.target);
    db = createDb(tdb.target);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("the demo user is a regular user and the existing configuration is kept beside the added user_access", async () => {
    const r = await signUp(db, { name: "Root", username: "root", email: "root@example.com", password: "long enough" });
    expect(r.ok && r.user.isAdmin).toBe(true);
    const first = await prepareDemo(db);
    expect((await db.user.findUniqueOrThrow({ where: { id: first.userId } })).isAdmin).toBe(false);
    const owner = { id: first.userId, isAdmin: false };
    // Start over from a configuration without user_access that the user wrote: it stays, user_access joins it.
    await saveAgentConfig(db, owner, first.agentId, "flux:\n  namespaces: [flux-system]\n");
    const second = await prepareDemo(db);
    expect(second.userAccess).toBe("written");
    const config = await currentAgentConfig(db, first.agentId);
    expect(config.data.flux).toEqual({ namespaces: ["flux-system"] });
    expect(config.data.user_access?.projects).toEqual([{ id: DEMO_PROJECT }]);
  });
});
