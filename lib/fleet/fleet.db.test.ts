// The admin's fleet view on SQLite and on PostgreSQL: every agent with its state (as kas says), versions
// and support badge, the filters, projects and groups with their counts, kas's replicas, and nobody but an
// administrator sees any of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAgentContact, registerAgent, type KasStatusSource, type KasView } from "@/lib/agents";
import { signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { NotFound } from "@/lib/errors";
import { addGroupMember, createGroup } from "@/lib/groups/groups-and-members";
import { createProject } from "@/lib/projects";
import { POLICY_INPUT, supportedMinorsAt } from "@/lib/versions/rules";
import { KAS_PROBE_ID, fleetView, parseFleetQuery, type FleetQuery } from ".";

/** Judged against the table the policy started with, so the expectations do not move with the calendar. */
const START = supportedMinorsAt("2025-07-01", { ...POLICY_INPUT, results: [] });
const NOW = Date.parse("2026-01-03T10:00:30Z");
const ALL: FleetQuery = parseFleetQuery({});

const info = (agentVersion: string, kubernetesVersion: string, kasId: string) => ({
  agentVersion,
  kubernetesVersion,
  nodeCount: 3,
  podName: "tether-agent-7d9f",
  podNamespace: "tether",
  kasId,
});

describe.each(["sqlite", "postgresql"] as const)("the fleet view on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const users: Record<string, { id: string; username: string; isAdmin: boolean }> = {};
  const ids: Record<string, string> = {};
  /** What kas says, per agent id; null means kas could not be asked. */
  let kasSays: Record<string, KasView | null> = {};
  const asked: string[][] = [];
  const kas: KasStatusSource = async (agentIds) => {
    asked.push(agentIds);
    return new Map(agentIds.map((id) => [id, id in kasSays ? kasSays[id]! : { connected: false, lastSeenMs: 0 }]));
  };
  const view = (query: FleetQuery = ALL) => fleetView(db, users.root!, kas, query, { now: NOW, minors: START });

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    for (const name of ["root", "olga", "rita", "solo"]) {
      const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
      if (!r.ok) throw new Error(r.error);
      users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
    }
    expect(users.root!.isAdmin).toBe(true);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("an empty installation: no agents, and kas is asked once with a probe so its health is known", async () => {
    const v = await view();
    expect(v.agents).toEqual([]);
    expect(v.counts).toEqual({ agents: 0, connected: 0, notConnected: 0, unsupported: 0, skew: 0 });
    expect(v.kas).toEqual({ version: "0.1.0", reachable: true, replicas: [] });
    expect(asked.at(-1)).toEqual([KAS_PROBE_ID]);
    kasSays = { [KAS_PROBE_ID]: null };
    expect((await view()).kas.reachable).toBe(false);
    kasSays = {};
  });

  it("nobody but an administrator sees it: the same NotFound as a page that does not exist", async () => {
    for (const name of ["olga", "rita", "solo"]) {
      await expect(fleetView(db, users[name]!, kas, ALL)).rejects.toBeInstanceOf(NotFound);
    }
  });

  describe("with agents in a group's projects and a personal project", () => {
    beforeAll(async () => {
      await createGroup(db, users.olga!, { name: "Ops", path: "ops" });
      await addGroupMember(db, users.olga!, "ops", { username: "rita", role: "developer" });
      await createGroup(db, users.olga!, { name: "Empty", path: "empty" });
      const infra = await createProject(db, users.olga!, { name: "Infra", path: "infra", namespace: "ops" });
      await createProject(db, users.olga!, { name: "Web", path: "web", namespace: "ops" });
      const lab = await createProject(db, users.solo!, { name: "Lab", path: "lab", namespace: "solo" });
      for (const [name, project] of [
        ["prod", infra.id],
        ["old", infra.id],
        ["fresh", infra.id],
        ["home", lab.id],
      ] as const) {
        ids[name] = (await registerAgent(db, users.root!, project, { name })).id;
      }
      // prod: current, heard by kas-a 20 s ago; old: an old agent on an unsupported cluster, last heard
      // yesterday by kas-b; home: newer than kas, heard by kas-b 10 s ago; fresh: never connected.
      await recordAgentContact(db, ids.prod!, info("0.1.0", "v1.33.4-gke.100", "kas-a"), new Date(NOW - 20_000));
      await recordAgentContact(db, ids.old!, info("0.0.9", "v1.30.14", "kas-b"), new Date("2026-01-02T09:00:00Z"));
      await recordAgentContact(db, ids.home!, info("0.2.0", "v1.31.2+k3s1", "kas-b"), new Date(NOW - 10_000));
      kasSays = {
        [ids.prod!]: { connected: true, lastSeenMs: NOW, replicas: ["kas-a"] },
        [ids.home!]: { connected: true, lastSeenMs: NOW, replicas: ["kas-a", "kas-b"] },
        [ids.old!]: { connected: false, lastSeenMs: Date.parse("2026-01-02T09:00:10Z"), replicas: [] },
      };
    });

    it("lists every agent with state, versions, support, project, pod and last contact", async () => {
      const v = await view();
      expect(
        v.agents.map((a) => [
          `${a.project.fullPath}/${a.name}`,
          a.status,
          a.agentVersion,
          a.versionSkew,
          a.kubernetesVersion,
          a.support.status,
          a.lastContactAt,
        ]),
      ).toEqual([
        ["ops/infra/fresh", "never_connected", null, null, null, "unknown", null],
        ["ops/infra/old", "not_connected", "0.0.9", "behind", "v1.30.14", "unsupported", "2026-01-02T09:00:10.000Z"],
        ["ops/infra/prod", "connected", "0.1.0", null, "v1.33.4-gke.100", "supported", new Date(NOW).toISOString()],
        ["solo/lab/home", "connected", "0.2.0", "ahead", "v1.31.2+k3s1", "ending", new Date(NOW).toISOString()],
      ]);
      const prod = v.agents.find((a) => a.name === "prod")!;
      expect(prod.href).toBe("/projects/ops/infra/-/clusters/prod");
      expect(prod.project.href).toBe("/projects/ops/infra");
      expect(prod.pod).toBe("tether/tether-agent-7d9f");
      expect(prod.lastHeardBy).toBe("kas-a");
      expect(prod.nodeCount).toBe(3);
      expect(v.agents.find((a) => a.name === "old")!.support.detail).toBe(
        "No longer supported: upgrade to 1.31 or newer.",
      );
      expect(v.counts).toEqual({ agents: 4, connected: 2, notConnected: 2, unsupported: 1, skew: 2 });
      expect(v.kas.reachable).toBe(true);
    });

    it("each filter narrows, and they narrow together; the counts stay the installation's", async () => {
      const names = async (q: Record<string, string>) =>
        (await view(parseFleetQuery(q))).agents.map((a) => `${a.project.fullPath}/${a.name}`);
      expect(await names({ not_connected: "1" })).toEqual(["ops/infra/fresh", "ops/infra/old"]);
      expect(await names({ unsupported: "1" })).toEqual(["ops/infra/old"]);
      expect(await names({ skew: "1" })).toEqual(["ops/infra/old", "solo/lab/home"]);
      expect(await names({ skew: "1", not_connected: "true" })).toEqual(["ops/infra/old"]);
      expect(await names({ skew: "1", unsupported: "1", not_connected: "1", q: "lab" })).toEqual([]);
      expect(await names({ q: "LAB" })).toEqual(["solo/lab/home"]);
      expect((await view(parseFleetQuery({ unsupported: "1" }))).counts.agents).toBe(4);
    });

    it("sorts by a column either way, missing values last", async () => {
      const names = async (q: Record<string, string>) => (await view(parseFleetQuery(q))).agents.map((a) => a.name);
      expect(await names({ sort: "kubernetesVersion" })).toEqual(["old", "home", "prod", "fresh"]);
      expect(await names({ sort: "kubernetesVersion", dir: "desc" })).toEqual(["prod", "home", "old", "fresh"]);
      expect(await names({ sort: "lastContact", dir: "desc" })).toEqual(["prod", "home", "old", "fresh"]);
      expect(await names({ sort: "status" })).toEqual(["prod", "home", "old", "fresh"]);
      expect(await names({ sort: "agent", dir: "desc" })).toEqual(["prod", "old", "home", "fresh"]);
    });

    it("every project and group with counts and links", async () => {
      const v = await view();
      expect(v.projects.map((p) => [p.fullPath, p.group?.path ?? null, p.owner, p.agents, p.connectedAgents])).toEqual([
        ["ops/infra", "ops", null, 3, 1],
        ["ops/web", "ops", null, 0, 0],
        ["solo/lab", null, "solo", 1, 1],
      ]);
      expect(v.projects[0]!.href).toBe("/projects/ops/infra");
      expect(v.projects[0]!.fleetHref).toBe("/admin/fleet?q=ops%2Finfra");
      expect(v.groups.map((g) => [g.path, g.href, g.projects, g.members, g.agents])).toEqual([
        ["empty", "/groups/empty", 0, 1, 0],
        ["ops", "/groups/ops", 2, 2, 3],
      ]);
    });

    it("kas's replicas: those holding tunnels now and those that carried a recent heartbeat", async () => {
      expect((await view()).kas.replicas).toEqual([
        { id: "kas-a", tunnels: 2, heartbeats: 1, lastHeartbeatAt: new Date(NOW - 20_000).toISOString() },
        { id: "kas-b", tunnels: 1, heartbeats: 1, lastHeartbeatAt: new Date(NOW - 10_000).toISOString() },
      ]);
    });

    it("kas not reachable: said so, and states come from the last heartbeats", async () => {
      const saved = kasSays;
      kasSays = { [ids.prod!]: null, [ids.home!]: null, [ids.old!]: null, [ids.fresh!]: null };
      const v = await view();
      expect(v.kas.reachable).toBe(false);
      expect(v.agents.map((a) => [a.name, a.status])).toEqual([
        ["fresh", "never_connected"],
        ["old", "not_connected"],
        ["prod", "connected"],
        ["home", "connected"],
      ]);
      expect(v.kas.replicas.map((r) => [r.id, r.tunnels, r.heartbeats])).toEqual([
        ["kas-a", 0, 1],
        ["kas-b", 0, 1],
      ]);
      kasSays = saved;
    });
  });
});
