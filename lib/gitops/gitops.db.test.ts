// The repository webhook on SQLite and PostgreSQL: maintainers create, rotate and delete it (secret shown
// once); a signed push is recorded once per delivery id and handed to the project's own agents and to
// agents sharing with it through ci_access (not user_access); refusals record an audit line only; agents
// not connected keep the push pending for 10 minutes; the agent's answers show on the recent pushes.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveAgentConfig } from "@/lib/agent-config";
import { registerAgent } from "@/lib/agents";
import { signUp } from "@/lib/auth/users";
import type { GitPushNotice } from "@/lib/common/kas-web-contract";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Forbidden, NotFound } from "@/lib/errors";
import { addGroupMember, createGroup } from "@/lib/groups";
import { createProject } from "@/lib/projects";
import {
  createOrRotateRepositoryWebhook,
  deleteRepositoryWebhook,
  pendingPushesForAgent,
  receiveDelivery,
  recentPushes,
  recordPushOutcomes,
  repositoryWebhookView,
  type PushNotifier,
} from ".";

process.env.TETHER_RECEPTIVE_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
const env = { TETHER_PUBLIC_URL: "https://tether.example.com" };

type U = { id: string; username: string; isAdmin: boolean };

const pushBody = (after: string, url = "https://git.example.com/acme/deploy.git") =>
  Buffer.from(JSON.stringify({ ref: "refs/heads/main", after, repository: { clone_url: url } }));
const github = (secret: string, body: Buffer, delivery: string) =>
  new Headers({
    "content-type": "application/json",
    "x-github-event": "push",
    "x-github-delivery": delivery,
    "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
  });

describe.each(["sqlite", "postgresql"] as const)("repository webhook on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  const users: Record<string, U> = {};
  const u = (name: string) => users[name]!;
  let projectId = "";
  const agents: Record<string, string> = {};
  let webhookId = "";
  let secret = "";
  /** kas as the tests want it: these agents are connected; every call is remembered. */
  let connected = new Set<string>();
  const calls: { push: GitPushNotice; agentIds: string[] }[] = [];
  const notify: PushNotifier = (push, agentIds) => {
    calls.push({ push, agentIds });
    return Promise.resolve(agentIds.filter((id) => connected.has(id)));
  };

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    for (const name of ["olga", "dev"]) {
      const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
      if (!r.ok) throw new Error(r.error);
      users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
    }
    await createGroup(db, u("olga"), { name: "Acme", path: "acme" });
    await addGroupMember(db, u("olga"), "acme", { username: "dev", role: "developer" });
    projectId = (await createProject(db, u("olga"), { name: "Deploy", path: "deploy", namespace: "acme" })).id;
    const infra = (await createProject(db, u("olga"), { name: "Infra", path: "infra", namespace: "acme" })).id;
    agents.own = (await registerAgent(db, u("olga"), projectId, { name: "own" })).id;
    agents.ci = (await registerAgent(db, u("olga"), infra, { name: "shared-ci" })).id;
    agents.user = (await registerAgent(db, u("olga"), infra, { name: "shared-user" })).id;
    agents.none = (await registerAgent(db, u("olga"), infra, { name: "unrelated" })).id;
    await saveAgentConfig(db, u("olga"), agents.ci, "ci_access:\n  projects:\n    - id: acme/deploy\n");
    await saveAgentConfig(db, u("olga"), agents.user, "user_access:\n  projects:\n    - id: acme/deploy\n");
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("maintainers create and rotate the webhook, seeing the secret once; developers only see that it exists", async () => {
    await expect(createOrRotateRepositoryWebhook(db, u("dev"), projectId, env)).rejects.toBeInstanceOf(Forbidden);
    const created = await createOrRotateRepositoryWebhook(db, u("olga"), projectId, env);
    expect(created.url).toMatch(/^https:\/\/tether\.example\.com\/api\/webhooks\/git\/[0-9a-f]{32}$/);
    expect(created.secret).toMatch(/^tthr_whsec_/);
    const view = await repositoryWebhookView(db, u("dev"), projectId, env);
    expect(view).toMatchObject({ exists: true, url: created.url, canManage: false });
    expect(JSON.stringify(view)).not.toContain(created.secret);
    const row = await db.repositoryWebhook.findFirstOrThrow({ where: { projectId } });
    expect(row.secretEncrypted).not.toContain(created.secret);

    const rotated = await createOrRotateRepositoryWebhook(db, u("olga"), projectId, env);
    expect(rotated.url).toBe(created.url);
    expect(rotated.secret).not.toBe(created.secret);
    webhookId = created.url.split("/").pop()!;
    secret = rotated.secret;
    // The old secret stops working at once.
    const body = pushBody("1".repeat(40));
    const old = await receiveDelivery(db, webhookId, github(created.secret, body, "d-old"), body, notify);
    expect(old.status).toBe(401);
    const actions = (await db.auditEvent.findMany({ where: { targetId: projectId } })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "repository_webhook.created",
        "repository_webhook.rotated",
        "repository_webhook.refused",
      ]),
    );
  });

  it("refuses a wrong or missing secret with 401, recording an audit line and no push", async () => {
    const body = pushBody("2".repeat(40));
    const before = await db.auditEvent.count({ where: { action: "repository_webhook.refused" } });
    const forged = await receiveDelivery(db, webhookId, github("guess", body, "d-forged"), body, notify);
    expect(forged).toMatchObject({ status: 401, body: { error: expect.stringMatching(/does not match/) } });
    const gitlabWrong = new Headers({ "x-gitlab-event": "Push Hook", "x-gitlab-token": "nope" });
    expect((await receiveDelivery(db, webhookId, gitlabWrong, body, notify)).status).toBe(401);
    const missing = await receiveDelivery(db, webhookId, new Headers({ "x-github-event": "push" }), body, notify);
    expect(missing).toMatchObject({ status: 401, body: { error: expect.stringMatching(/no signature/) } });
    expect(await db.gitPush.count()).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "repository_webhook.refused" } })).toBe(before + 3);
    expect(calls).toHaveLength(0);
    expect((await receiveDelivery(db, "nosuchwebhook00", gitlabWrong, body, notify)).status).toBe(404);
  });

  it("answers a malformed push with 400 naming the field, recording nothing", async () => {
    const body = Buffer.from(JSON.stringify({ ref: "refs/heads/main", after: "zz", repository: {} }));
    const answer = await receiveDelivery(db, webhookId, github(secret, body, "d-bad"), body, notify);
    expect(answer).toMatchObject({ status: 400, body: { field: "after" } });
    expect(await db.gitPush.count()).toBe(0);
  });

  it("records a push once per delivery id and hands it to the own and ci_access agents only", async () => {
    connected = new Set([agents.own!]);
    const body = pushBody("3".repeat(40));
    const first = await receiveDelivery(db, webhookId, github(secret, body, "d-1"), body, notify);
    expect(first.status).toBe(202);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.agentIds.sort()).toEqual([agents.own!, agents.ci!].sort());
    expect(calls[0]!.push).toMatchObject({
      ref: "refs/heads/main",
      after: "3".repeat(40),
      repositoryUrls: ["https://git.example.com/acme/deploy.git"],
    });
    const replay = await receiveDelivery(db, webhookId, github(secret, body, "d-1"), body, notify);
    expect(replay).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(calls).toHaveLength(1);
    expect(await db.gitPush.count()).toBe(1);
    const outcomes = await db.gitPushOutcome.findMany({ select: { agentId: true, state: true } });
    expect(outcomes.sort((a, b) => a.agentId.localeCompare(b.agentId))).toEqual(
      [
        { agentId: agents.own!, state: "notified" },
        { agentId: agents.ci!, state: "not_connected" },
      ].sort((a, b) => a.agentId.localeCompare(b.agentId)),
    );
  });

  it("keeps unanswered pushes pending for 10 minutes, and shows what each agent did", async () => {
    const pending = await pendingPushesForAgent(db, agents.ci!);
    expect(pending.map((p) => p.after)).toEqual(["3".repeat(40)]);
    expect(await pendingPushesForAgent(db, agents.ci!, new Date(Date.now() + 11 * 60_000))).toEqual([]);
    expect(await pendingPushesForAgent(db, agents.none!)).toEqual([]);

    const pushId = pending[0]!.pushId;
    await recordPushOutcomes(db, {
      agentId: agents.own!,
      pushIds: [pushId],
      outcome: "reconciled",
      objects: 2,
      message: null,
    });
    await recordPushOutcomes(db, {
      agentId: agents.ci!,
      pushIds: [pushId],
      outcome: "no_match",
      objects: 0,
      message: null,
    });
    // An agent that was never asked cannot write an outcome.
    await recordPushOutcomes(db, {
      agentId: agents.none!,
      pushIds: [pushId],
      outcome: "reconciled",
      objects: 9,
      message: null,
    });
    expect(await pendingPushesForAgent(db, agents.ci!)).toEqual([]);
    const recent = await recentPushes(db, u("dev"), projectId);
    expect(recent).toHaveLength(1);
    expect(recent[0]!.agents.map((a) => [a.agentName, a.state, a.objects])).toEqual([
      ["own", "reconciled", 2],
      ["shared-ci", "no_match", 0],
    ]);
  });

  it("records every agent as not connected when kas cannot be asked, and delivers later", async () => {
    const body = pushBody("4".repeat(40));
    const down: PushNotifier = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:8153"));
    const answer = await receiveDelivery(db, webhookId, github(secret, body, "d-2"), body, down);
    expect(answer.status).toBe(202);
    const recent = await recentPushes(db, u("olga"), projectId);
    expect(recent[0]!.agents.map((a) => a.state)).toEqual(["not_connected", "not_connected"]);
    expect(recent[0]!.agents[0]!.message).toMatch(/ECONNREFUSED/);
    expect((await pendingPushesForAgent(db, agents.own!)).map((p) => p.after)).toEqual(["4".repeat(40)]);
    expect(await recentPushes(db, u("olga"), projectId, { now: new Date(Date.now() + 11 * 60_000) })).toSatisfy(
      (r: Awaited<ReturnType<typeof recentPushes>>) => r[0]!.agents.every((a) => a.state === "expired"),
    );
  });

  it("deletes the webhook: its URL then answers 404", async () => {
    await expect(deleteRepositoryWebhook(db, u("dev"), projectId)).rejects.toBeInstanceOf(Forbidden);
    await deleteRepositoryWebhook(db, u("olga"), projectId);
    await expect(deleteRepositoryWebhook(db, u("olga"), projectId)).rejects.toBeInstanceOf(NotFound);
    const body = pushBody("5".repeat(40));
    expect((await receiveDelivery(db, webhookId, github(secret, body, "d-3"), body, notify)).status).toBe(404);
  });
});
