// Agent configuration, sharing and the audit log on SQLite and on PostgreSQL: every change a new
// version, refusals that write nothing, which projects see a shared agent, and who reads the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/auth/users";
import { instanceAuditLog, projectAuditLog } from "@/lib/audit/audit-pages";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { addGroupMember, createGroup } from "@/lib/groups";
import { createProject } from "@/lib/projects";
import { ConfigError } from "./parse";
import { agentsSharedWithProject } from "./shared-with";
import { agentConfigVersion, agentConfigView } from "./version-history";
import { currentAgentConfig } from "./in-force";
import { StaleConfig, saveAgentConfig } from "./versions";
import { addShare, removeShare, setSharingAccessAs, sharingView } from "./sharing";
import { listProjectAgents, registerAgent, type KasStatusSource } from "@/lib/agents";

type U = { id: string; username: string; isAdmin: boolean };
const noKas: KasStatusSource = async (ids) => new Map(ids.map((id) => [id, null]));

describe.each(["sqlite", "postgresql"] as const)("configuration, sharing and audit on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const users: Record<string, U> = {};
  const u = (name: string) => users[name]!;
  const projects: Record<string, { id: string; fullPath: string; groupId: string | null }> = {};
  let agentId = "";
  const versions = () => db.agentConfig.count({ where: { agentId } });
  const sharingAudits = () => db.auditEvent.count({ where: { action: "agent_sharing.changed", targetId: agentId } });

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    for (const name of ["root", "olga", "mia", "dev", "out", "ann"]) {
      const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
      if (!r.ok) throw new Error(r.error);
      users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
    }
    // platform/infra owns the agent; apps/web and apps/api are in another group; ann has a personal project.
    await createGroup(db, u("olga"), { name: "Platform", path: "platform" });
    await addGroupMember(db, u("olga"), "platform", { username: "mia", role: "maintainer" });
    await addGroupMember(db, u("olga"), "platform", { username: "dev", role: "developer" });
    await createGroup(db, u("ann"), { name: "Apps", path: "apps" });
    await addGroupMember(db, u("ann"), "apps", { username: "dev", role: "developer" });
    // mia sees the apps group, so she may share platform's agent with it.
    await addGroupMember(db, u("ann"), "apps", { username: "mia", role: "reporter" });
    for (const [owner, name, ns] of [
      ["olga", "infra", "platform"],
      ["ann", "web", "apps"],
      ["ann", "api", "apps"],
      ["ann", "side", "ann"],
      ["olga", "other", "platform"],
    ] as const) {
      const p = await createProject(db, u(owner), { name, path: name, namespace: ns });
      projects[p.fullPath] = { id: p.id, fullPath: p.fullPath, groupId: p.groupId };
    }
    agentId = (await registerAgent(db, u("mia"), projects["platform/infra"]!.id, { name: "prod" })).id;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("the YAML editor: each save a new version; invalid YAML names the line and writes nothing; a stale base is refused", async () => {
    expect(await saveAgentConfig(db, u("mia"), agentId, "ci_access:\n  projects:\n    - id: platform/other\n")).toEqual(
      { version: 1 },
    );
    await expect(
      saveAgentConfig(
        db,
        u("mia"),
        agentId,
        "ci_access:\n  projects:\n    - id: platform/other\n      acess_as: { agent: {} }\n",
      ),
    ).rejects.toMatchObject({
      constructor: ConfigError,
      message: 'line 4: ci_access.projects.0: unknown key "acess_as"',
      line: 4,
    });
    await expect(
      saveAgentConfig(db, u("mia"), agentId, "ci_access:\n  groups:\n    - id: nobody\n"),
    ).rejects.toMatchObject({ constructor: ConfigError, message: 'no group "nobody"' });
    expect(await versions()).toBe(1);
    expect(
      await saveAgentConfig(
        db,
        u("olga"),
        agentId,
        "# still platform/other\nci_access:\n  projects:\n    - id: platform/other\n",
        { expectedVersion: 1 },
      ),
    ).toEqual({ version: 2 });
    await expect(saveAgentConfig(db, u("mia"), agentId, "{}\n", { expectedVersion: 1 })).rejects.toMatchObject({
      constructor: StaleConfig,
      message:
        "The configuration was changed by someone else (it is now at version 2). Reload to see the latest version, then make your change again.",
    });
    expect(await versions()).toBe(2);
    const audits = await db.auditEvent.findMany({
      where: { action: "agent_config.changed", targetId: agentId },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((a) => JSON.parse(a.details))).toEqual([
      { version: 1, agent: "prod", added: "ci_access project platform/other as agent" },
      { version: 2, agent: "prod" },
    ]);
  });

  it("a developer cannot change the configuration or the sharing; an outsider is told the agent does not exist", async () => {
    const before = await versions();
    const refused = { constructor: Forbidden };
    await expect(saveAgentConfig(db, u("dev"), agentId, "{}\n")).rejects.toMatchObject({
      ...refused,
      message: "You need the maintainer or owner role in this project to change the agent's configuration",
    });
    await expect(
      addShare(db, u("dev"), agentId, { access: "ci_access", targetType: "group", target: "apps" }),
    ).rejects.toMatchObject({
      ...refused,
      message: "You need the maintainer or owner role in this project to change the agent's sharing",
    });
    await expect(
      removeShare(db, u("dev"), agentId, { access: "ci_access", targetType: "project", target: "platform/other" }),
    ).rejects.toMatchObject(refused);
    for (const call of [
      () => saveAgentConfig(db, u("out"), agentId, "{}\n"),
      () => addShare(db, u("out"), agentId, { access: "ci_access", targetType: "group", target: "apps" }),
      () =>
        removeShare(db, u("out"), agentId, { access: "ci_access", targetType: "project", target: "platform/other" }),
      () => sharingView(db, u("out"), agentId),
      () => agentConfigView(db, u("out"), agentId),
      () => agentConfigVersion(db, u("out"), agentId, 1),
    ]) {
      await expect(call()).rejects.toMatchObject({ constructor: NotFound, message: "Agent not found" });
    }
    expect(await versions()).toBe(before);
    // Developers read the configuration and the sharing.
    const view = await agentConfigView(db, u("dev"), agentId);
    expect(view).toMatchObject({ canManage: false, current: { version: 2, createdBy: "olga" }, totalVersions: 2 });
    expect(view.history.map((h) => [h.version, h.createdBy])).toEqual([
      [2, "olga"],
      [1, "mia"],
    ]);
    expect(await agentConfigVersion(db, u("dev"), agentId, "1")).toMatchObject({
      version: 1,
      createdBy: "mia",
      yaml: "ci_access:\n  projects:\n    - id: platform/other\n",
    });
    await expect(agentConfigVersion(db, u("dev"), agentId, "9")).rejects.toMatchObject({
      constructor: NotFound,
      message: "Configuration version 9 not found",
    });
    await expect(agentConfigVersion(db, u("dev"), agentId, "x")).rejects.toBeInstanceOf(Invalid);
    expect(await sharingView(db, u("dev"), agentId)).toMatchObject({
      canManage: false,
      suggestions: { groups: [], projects: [] },
    });
  });

  it("sharing with an unknown group or project is a specific error, and nothing is written", async () => {
    const before = [await versions(), await sharingAudits()];
    await expect(
      addShare(db, u("mia"), agentId, { access: "ci_access", targetType: "group", target: "no-such-group" }),
    ).rejects.toMatchObject({
      constructor: Invalid,
      field: "target",
      message: 'There is no group "no-such-group". Use the group\'s path, as in its address.',
    });
    await expect(
      addShare(db, u("mia"), agentId, { access: "user_access", targetType: "project", target: "apps/nope" }),
    ).rejects.toMatchObject({
      constructor: Invalid,
      field: "target",
      message: 'There is no project "apps/nope". Use the project\'s full path, e.g. group/project.',
    });
    await expect(
      addShare(db, u("mia"), agentId, { access: "ci_access", targetType: "group", target: "apps", accessAs: "user" }),
    ).rejects.toMatchObject({ constructor: Invalid, field: "accessAs" });
    expect([await versions(), await sharingAudits()]).toEqual(before);
  });

  it("adding and removing entries: each a new version, audited as a sharing change; comments survive", async () => {
    const v0 = await versions();
    // A new CI grant acts as the CI grants already do (platform/other: the agent).
    const added = await addShare(db, u("mia"), agentId, {
      access: "ci_access",
      targetType: "group",
      target: "Apps",
      defaultNamespace: "apps-ci",
    });
    expect(added).toEqual({
      version: v0 + 1,
      entry: {
        access: "ci_access",
        targetType: "group",
        target: "apps",
        accessAs: "agent",
        defaultNamespace: "apps-ci",
      },
    });
    // ann/side is ann's own: only she and an admin see it.
    const user = await addShare(db, u("root"), agentId, {
      access: "user_access",
      targetType: "project",
      target: "ann/side",
      accessAs: "user",
    });
    expect(user.version).toBe(v0 + 2);
    const current = await currentAgentConfig(db, agentId);
    expect(current.yaml).toBe(
      "# still platform/other\nci_access:\n  projects:\n    - id: platform/other\n  groups:\n    - id: apps\n      default_namespace: apps-ci\nuser_access:\n  projects:\n    - id: ann/side\n  access_as: { user: {} }\n",
    );
    const view = await sharingView(db, u("mia"), agentId);
    expect(view.canManage).toBe(true);
    expect(view.blocks).toEqual({
      ci_access: { accessAs: "agent", grants: 2 },
      user_access: { accessAs: "user", grants: 1 },
    });
    expect(view.entries.map((e) => `${e.access} ${e.targetType} ${e.target} ${e.accessAs}`)).toEqual([
      "ci_access project platform/other agent",
      "ci_access group apps agent",
      "user_access project ann/side user",
    ]);
    // Suggestions: what mia belongs to, not ann's personal project.
    expect(view.suggestions).toEqual({
      groups: ["apps", "platform"],
      projects: ["apps/api", "apps/web", "platform/infra", "platform/other"],
    });

    // The same entry again: refused, nothing written.
    await expect(
      addShare(db, u("mia"), agentId, {
        access: "ci_access",
        targetType: "group",
        target: "apps",
        defaultNamespace: "apps-ci",
      }),
    ).rejects.toBeInstanceOf(Conflict);
    expect(await versions()).toBe(v0 + 2);

    expect(
      await removeShare(db, u("mia"), agentId, {
        access: "ci_access",
        targetType: "project",
        target: "platform/other",
      }),
    ).toEqual({ version: v0 + 3 });
    await expect(
      removeShare(db, u("mia"), agentId, { access: "ci_access", targetType: "project", target: "platform/other" }),
    ).rejects.toMatchObject({ constructor: Conflict, field: "target" });
    expect(await versions()).toBe(v0 + 3);
    expect((await currentAgentConfig(db, agentId)).yaml).toBe(
      "# still platform/other\nci_access:\n  groups:\n    - id: apps\n      default_namespace: apps-ci\nuser_access:\n  projects:\n    - id: ann/side\n  access_as: { user: {} }\n",
    );
    const audits = await db.auditEvent.findMany({
      where: { action: "agent_sharing.changed", targetId: agentId },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((a) => [a.actorId, JSON.parse(a.details)])).toEqual([
      [
        u("mia").id,
        {
          version: v0 + 1,
          agent: "prod",
          added: "ci_access group apps as agent, default namespace apps-ci",
          change: "added",
          share: "ci_access group apps as agent, default namespace apps-ci",
        },
      ],
      [
        u("root").id,
        {
          version: v0 + 2,
          agent: "prod",
          added: "user_access project ann/side as user",
          change: "added",
          share: "user_access project ann/side as user",
        },
      ],
      [
        u("mia").id,
        {
          version: v0 + 3,
          agent: "prod",
          removed: "ci_access project platform/other as agent",
          change: "removed",
          share: "ci_access project platform/other as agent",
        },
      ],
    ]);
  });

  it("a shared agent appears in the projects it is shared with (directly or through their group), read-only", async () => {
    const shared = async (path: string) => Object.fromEntries(await agentsSharedWithProject(db, projects[path]!));
    expect(await shared("apps/web")).toEqual({ [agentId]: ["ci_access"] });
    expect(await shared("apps/api")).toEqual({ [agentId]: ["ci_access"] });
    expect(await shared("ann/side")).toEqual({ [agentId]: ["user_access"] });
    expect(await shared("platform/other")).toEqual({}); // removed above: only the newest version counts
    expect(await shared("platform/infra")).toEqual({}); // its own project lists it as its own

    const web = await listProjectAgents(db, u("ann"), projects["apps/web"]!.id, noKas);
    expect(web.agents).toEqual([]);
    expect(web.shared).toHaveLength(1);
    expect(web.shared[0]).toMatchObject({
      id: agentId,
      name: "prod",
      sharedFrom: "platform/infra",
      access: ["ci_access"],
      href: null,
      status: "never_connected",
    });
    expect(web.shared[0]).not.toHaveProperty("activeTokens");
    // dev sees both projects, so the shared row links to the agent's page.
    expect((await listProjectAgents(db, u("dev"), projects["apps/web"]!.id, noKas)).shared[0]!.href).toBe(
      "/projects/platform/infra/-/clusters/prod",
    );
    const infra = await listProjectAgents(db, u("mia"), projects["platform/infra"]!.id, noKas);
    expect([infra.agents.map((a) => a.name), infra.shared]).toEqual([["prod"], []]);

    // Both kinds of access at once; ids compare case-insensitively, as kas does.
    await saveAgentConfig(
      db,
      u("mia"),
      agentId,
      "ci_access:\n  projects: [{ id: APPS/Web }]\nuser_access:\n  groups: [{ id: Apps }]\n",
    );
    expect(await shared("apps/web")).toEqual({ [agentId]: ["ci_access", "user_access"] });
    expect(await shared("apps/api")).toEqual({ [agentId]: ["user_access"] });
    expect(await shared("ann/side")).toEqual({});
    // A second agent elsewhere shared with the same project shows up beside it.
    const other = await registerAgent(db, u("olga"), projects["platform/other"]!.id, { name: "edge" });
    await addShare(db, u("mia"), other.id, { access: "user_access", targetType: "project", target: "apps/web" });
    const list = await listProjectAgents(db, u("ann"), projects["apps/web"]!.id, noKas);
    expect(list.shared.map((a) => [a.name, a.sharedFrom])).toEqual([
      ["edge", "platform/other"],
      ["prod", "platform/infra"],
    ]);
    // Not shared: nothing.
    await saveAgentConfig(db, u("mia"), agentId, "{}\n");
    expect(await shared("apps/api")).toEqual({});
  });

  it("the project's audit log: maintainers, owners and admins; developers and outsiders get not-found", async () => {
    const log = await projectAuditLog(db, u("mia"), "platform/infra");
    expect(log.project.fullPath).toBe("platform/infra");
    expect(log.rows.every((r) => r.summary.length > 0)).toBe(true);
    const actions = log.rows.map((r) => r.action);
    expect(actions).toContain("project.created");
    expect(actions).toContain("agent.registered");
    expect(actions).toContain("agent_sharing.changed");
    expect(actions).toContain("agent_config.changed");
    // Only this project's and its agents' events: not platform/other's agent "edge".
    expect(log.rows.some((r) => r.summary.includes("edge"))).toBe(false);
    const shareRow = log.rows.find(
      (r) => r.action === "agent_sharing.changed" && r.summary.startsWith("Stopped sharing"),
    )!;
    expect(shareRow).toMatchObject({
      actor: "@mia",
      summary:
        "Stopped sharing agent prod (platform/infra): ci_access project platform/other as agent (configuration version 5)",
    });
    expect(shareRow.details).toEqual([]); // the sentence tells it all
    expect((await projectAuditLog(db, u("olga"), "PLATFORM/infra")).total).toBe(log.total);
    expect((await projectAuditLog(db, u("root"), "platform/infra")).total).toBe(log.total);
    expect((await projectAuditLog(db, u("ann"), "ann/side")).total).toBe(1);
    for (const [who, path] of [
      ["dev", "platform/infra"],
      ["out", "platform/infra"],
      ["dev", "apps/web"],
      ["mia", "no/such"],
    ] as const) {
      await expect(projectAuditLog(db, u(who), path)).rejects.toMatchObject({
        constructor: NotFound,
        message: "Project not found",
      });
    }
    await expect(instanceAuditLog(db, u("mia"))).rejects.toBeInstanceOf(NotFound);

    // kubectl through kas, as lib/kas-bridge records it: told as a sentence, with what it does not say beside it.
    await db.auditEvent.create({
      data: {
        actorId: u("dev").id,
        action: "k8s_proxy.request",
        targetType: "agent",
        targetId: agentId,
        details: JSON.stringify({
          actor: "dev",
          actorType: "user",
          verb: "DELETE",
          resource: "pods",
          namespace: "web",
          name: "api-0",
          status: 403,
          outcome: "refused",
        }),
      },
    });
    await db.auditEvent.create({
      data: {
        actorId: null,
        action: "k8s_proxy.refused",
        targetType: "agent",
        targetId: agentId,
        details: JSON.stringify({ kind: "pat", status: 401, reason: "this personal access token was revoked" }),
      },
    });
    const [refused, request] = (await projectAuditLog(db, u("mia"), "platform/infra")).rows;
    expect(request).toMatchObject({
      actor: "@dev",
      summary: "dev sent DELETE pods api-0 in namespace web through agent prod (platform/infra): refused (403)",
      details: [{ label: "Caller type", value: "user" }],
    });
    expect(refused).toMatchObject({
      actor: "kas",
      summary:
        "Refused Kubernetes API access through agent prod (platform/infra) (personal access token): this personal access token was revoked",
      details: [{ label: "HTTP status", value: "401" }],
    });
    const all = await instanceAuditLog(db, u("root"));
    expect(all.total).toBe(await db.auditEvent.count());
  });

  it("adding a user access grant never changes how the members of the other grants act", async () => {
    const staging = (await registerAgent(db, u("olga"), projects["platform/other"]!.id, { name: "staging" })).id;
    const yaml =
      "# members act as themselves\nuser_access:\n  access_as: { user: {} }\n  groups:\n    - id: platform\n";
    await saveAgentConfig(db, u("mia"), staging, yaml);
    const actsAs = async () =>
      (await sharingView(db, u("mia"), staging)).entries.map((e) => `${e.target} ${e.accessAs}`);
    // The form's "Acts as: the agent's service account" on a new grant: refused, nothing written.
    await expect(
      addShare(db, u("mia"), staging, {
        access: "user_access",
        targetType: "project",
        target: "platform/infra",
        accessAs: "agent",
      }),
    ).rejects.toMatchObject({ constructor: Conflict, field: "accessAs" });
    expect(await actsAs()).toEqual(["platform user"]);
    expect(await db.agentConfig.count({ where: { agentId: staging } })).toBe(1);
    // Without it, the new grant acts as the others do.
    await addShare(db, u("mia"), staging, { access: "user_access", targetType: "project", target: "platform/infra" });
    expect(await actsAs()).toEqual(["platform/infra user", "platform user"]);
    expect((await currentAgentConfig(db, staging)).yaml).toBe(
      "# members act as themselves\nuser_access:\n  access_as: { user: {} }\n  groups:\n    - id: platform\n  projects:\n    - id: platform/infra\n",
    );

    // Changing how they act is a step of its own: maintainers only, a new version and an audit line of its own.
    const before = await db.agentConfig.count({ where: { agentId: staging } });
    await expect(
      setSharingAccessAs(db, u("dev"), staging, { block: "user_access", accessAs: "agent" }),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(
      setSharingAccessAs(db, u("out"), staging, { block: "user_access", accessAs: "agent" }),
    ).rejects.toMatchObject({ constructor: NotFound, message: "Agent not found" });
    await expect(
      setSharingAccessAs(db, u("mia"), staging, { block: "user_access", accessAs: "ci_job" }),
    ).rejects.toMatchObject({ constructor: Invalid, field: "accessAs" });
    await expect(
      setSharingAccessAs(db, u("mia"), staging, { block: "user_access", accessAs: "user" }),
    ).rejects.toMatchObject({ constructor: Conflict, field: "accessAs" });
    await expect(
      setSharingAccessAs(db, u("mia"), staging, { block: "ci_access", accessAs: "ci_job" }),
    ).rejects.toMatchObject({
      constructor: Conflict,
      message: "The agent has no CI access grants: how the first one acts is chosen when it is added",
    });
    expect(await db.agentConfig.count({ where: { agentId: staging } })).toBe(before);
    expect(await setSharingAccessAs(db, u("mia"), staging, { block: "user_access", accessAs: "agent" })).toEqual({
      version: before + 1,
      block: "user_access",
      accessAs: "agent",
      grants: 2,
    });
    expect(await actsAs()).toEqual(["platform/infra agent", "platform agent"]);
    expect((await currentAgentConfig(db, staging)).yaml).toBe(
      "# members act as themselves\nuser_access:\n  groups:\n    - id: platform\n  projects:\n    - id: platform/infra\n",
    );
    const audit = await db.auditEvent.findFirst({
      where: { action: "agent_sharing.access_as_changed", targetId: staging },
    });
    expect([audit?.actorId, JSON.parse(audit?.details ?? "{}")]).toMatchObject([
      u("mia").id,
      { version: before + 1, agent: "staging", block: "user_access", from: "user", to: "agent", grants: 2 },
    ]);
    expect(await db.auditEvent.count({ where: { action: "agent_sharing.changed", targetId: staging } })).toBe(1); // the one grant added above
    const row = (await projectAuditLog(db, u("olga"), "platform/other")).rows.find(
      (r) => r.action === "agent_sharing.access_as_changed",
    );
    expect(row).toMatchObject({
      actor: "@mia",
      summary: `Changed how the user access grants of agent staging (platform/other) act, from the user (impersonated) to the agent's service account (2 grants, configuration version ${before + 1})`,
      details: [],
    });
  });

  it("a project or group the maintainer cannot see is not found, with the same message as a missing one", async () => {
    await createGroup(db, u("out"), { name: "Hidden", path: "hidden" });
    await createProject(db, u("out"), { name: "secret", path: "secret", namespace: "out" });
    const before = [await versions(), await sharingAudits()];
    const refusal = async (targetType: "project" | "group", target: string) => {
      const e = await addShare(db, u("mia"), agentId, { access: "ci_access", targetType, target }).then(
        () => null,
        (err: unknown) => err,
      );
      return e instanceof Invalid ? { field: e.field, message: e.message.replace(target, "…") } : e;
    };
    expect(await refusal("group", "hidden")).toEqual(await refusal("group", "no-such-group"));
    expect(await refusal("group", "hidden")).toEqual({
      field: "target",
      message: 'There is no group "…". Use the group\'s path, as in its address.',
    });
    expect(await refusal("project", "out/secret")).toEqual(await refusal("project", "out/nothing"));
    expect(await refusal("project", "out/secret")).toMatchObject({ field: "target" });
    // The YAML editor answers the same way.
    const saved = (target: string) =>
      saveAgentConfig(db, u("mia"), agentId, `ci_access:\n  groups:\n    - id: ${target}\n`).then(
        () => null,
        (err: unknown) => (err instanceof ConfigError ? err.message.replace(target, "…") : err),
      );
    expect(await saved("hidden")).toEqual(await saved("no-such-group"));
    expect(await saved("hidden")).toBe('no group "…"');
    expect([await versions(), await sharingAudits()]).toEqual(before);
    // An admin sees every group, so may share with it.
    await expect(
      addShare(db, u("root"), agentId, { access: "ci_access", targetType: "group", target: "hidden" }),
    ).resolves.toMatchObject({ entry: { target: "hidden" } });
  });

  it("audit pages: 50 a page, newest first; a page past the end shows the last one", async () => {
    const projectId = projects["ann/side"]!.id;
    const t0 = Date.UTC(2030, 0, 1);
    for (let i = 0; i < 120; i++) {
      await db.auditEvent.create({
        data: {
          actorId: u("ann").id,
          action: "project.created",
          targetType: "project",
          targetId: projectId,
          createdAt: new Date(t0 + i * 1000),
          details: JSON.stringify({ fullPath: `n${i}` }),
        },
      });
    }
    const p1 = await projectAuditLog(db, u("ann"), "ann/side", 1);
    expect([p1.total, p1.pages, p1.page, p1.rows.length]).toEqual([121, 3, 1, 50]);
    expect(p1.rows[0]!.createdAt).toBe(new Date(t0 + 119_000).toISOString());
    const p3 = await projectAuditLog(db, u("ann"), "ann/side", 3);
    expect(p3.rows.length).toBe(21);
    expect(Date.parse(p3.rows.at(-1)!.createdAt)).toBeLessThan(t0); // the real creation, oldest
    expect((await projectAuditLog(db, u("ann"), "ann/side", 99)).page).toBe(3);
    const times = [...p1.rows, ...(await projectAuditLog(db, u("ann"), "ann/side", 2)).rows, ...p3.rows].map(
      (r) => r.createdAt,
    );
    expect(times).toEqual([...times].sort().reverse());
    const admin = await instanceAuditLog(db, u("root"), 1);
    expect(admin.rows).toHaveLength(50);
    expect(admin.rows[0]!.createdAt).toBe(new Date(t0 + 119_000).toISOString());
  });
});
