// "Your clusters" on /kubernetes-versions: who sees which agent, with what version and status, on
// SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAgentContact, registerAgent } from "@/lib/agents";
import { signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { addGroupMember, createGroup } from "@/lib/groups/groups-and-members";
import { createProject } from "@/lib/projects";
import { POLICY_INPUT, supportedMinorsAt } from "./rules";
import { clustersVisibleTo } from "./clusters";

const info = (kubernetesVersion: string) => ({
  agentVersion: "0.1.0",
  kubernetesVersion,
  nodeCount: 1,
  podName: "agent-0",
  podNamespace: "tether",
  kasId: "kas-1",
});

/** Judged against the table the policy started with, so the expectations do not move with the calendar. */
const START = supportedMinorsAt("2025-07-01", { ...POLICY_INPUT, results: [] });

describe.each(["sqlite", "postgresql"] as const)("clusters visible to a user on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const users: Record<string, { id: string; username: string; isAdmin: boolean }> = {};

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    for (const name of ["root", "olga", "rita", "solo", "out"]) {
      const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
      if (!r.ok) throw new Error(r.error);
      users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
    }
    expect(users.root!.isAdmin).toBe(true); // the first account is the administrator
    await createGroup(db, users.olga!, { name: "Ops", path: "ops" });
    await addGroupMember(db, users.olga!, "ops", { username: "rita", role: "reporter" });
    const infra = await createProject(db, users.olga!, { name: "Infra", path: "infra", namespace: "ops" });
    const lab = await createProject(db, users.solo!, { name: "Lab", path: "lab", namespace: "solo" });
    const prod = await registerAgent(db, users.olga!, infra.id, { name: "prod" });
    const old = await registerAgent(db, users.olga!, infra.id, { name: "old" });
    await registerAgent(db, users.olga!, infra.id, { name: "fresh" }); // registered, never connected
    const home = await registerAgent(db, users.solo!, lab.id, { name: "home" });
    await recordAgentContact(db, prod.id, info("v1.33.4-gke.100"), new Date("2026-01-02T10:00:00Z"));
    await recordAgentContact(db, old.id, info("v1.30.14"), new Date("2026-01-01T10:00:00Z"));
    await recordAgentContact(db, home.id, info("v1.31.2+k3s1"), new Date("2026-01-03T10:00:00Z"));
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("an outsider sees no cluster", async () => {
    expect(await clustersVisibleTo(db, users.out!, START)).toEqual([]);
  });

  it("a group member (any role) sees the group's agents, with version, status and link, newest contact first", async () => {
    const rows = await clustersVisibleTo(db, users.rita!, START);
    expect(
      rows.map((r) => ({
        name: r.agentName,
        project: r.projectFullPath,
        href: r.href,
        version: r.kubernetesVersion,
        status: r.support.status,
      })),
    ).toEqual([
      {
        name: "prod",
        project: "ops/infra",
        href: "/projects/ops/infra/-/clusters/prod",
        version: "v1.33.4-gke.100",
        status: "supported",
      },
      {
        name: "old",
        project: "ops/infra",
        href: "/projects/ops/infra/-/clusters/old",
        version: "v1.30.14",
        status: "unsupported",
      },
      {
        name: "fresh",
        project: "ops/infra",
        href: "/projects/ops/infra/-/clusters/fresh",
        version: null,
        status: "unknown",
      },
    ]);
    expect(rows[0]!.lastContactAt?.toISOString()).toBe("2026-01-02T10:00:00.000Z");
    expect(rows[0]!.support.detail).toBe("Support ends with release 19.2 (2026-07-16) or when 1.36 becomes supported");
    expect(rows[1]!.support.reason).toBe("no-longer");
    expect(rows[2]!.lastContactAt).toBeNull();
    expect(await clustersVisibleTo(db, users.olga!, START)).toEqual(rows);
  });

  it("the owner of a personal project sees its agent and nothing of groups they are not in", async () => {
    const rows = await clustersVisibleTo(db, users.solo!, START);
    expect(rows.map((r) => `${r.href} ${r.kubernetesVersion} ${r.support.status}`)).toEqual([
      "/projects/solo/lab/-/clusters/home v1.31.2+k3s1 ending",
    ]);
  });

  it("an administrator sees every agent", async () => {
    expect((await clustersVisibleTo(db, users.root!, START)).map((r) => `${r.projectFullPath}/${r.agentName}`)).toEqual(
      ["solo/lab/home", "ops/infra/prod", "ops/infra/old", "ops/infra/fresh"],
    );
  });

  it("leaving the group hides its clusters at once", async () => {
    const ops = await db.group.findUniqueOrThrow({ where: { path: "ops" } });
    await db.groupMember.delete({ where: { groupId_userId: { groupId: ops.id, userId: users.rita!.id } } });
    expect(await clustersVisibleTo(db, users.rita!, START)).toEqual([]);
  });
});
