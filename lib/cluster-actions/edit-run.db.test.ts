// Edit YAML's server side on SQLite and PostgreSQL, against a stand-in for the tunnel that answers as an
// API server would: the dry run sends a PUT with dryRun=All as the viewer and returns both sides without
// managedFields, changing and recording nothing; Apply records cluster.action (done or refused with the
// cluster's words); malformed YAML, another object and Secrets are refused before anything is sent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { HttpError } from "@/lib/http/body";
import { Forbidden } from "@/lib/errors";
import type { AgentRequest } from "@/lib/tunnel-client";
import { UpstreamStatusError } from "@/lib/tunnel-client";
import { runEdit } from "./edit-run";

const live = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name: "settings",
    namespace: "shop",
    resourceVersion: "41",
    managedFields: [{ manager: "kubectl-create" }],
  },
  data: { color: "blue" },
};
const edited = (color: string, rv = "41") =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\n  resourceVersion: "${rv}"\ndata:\n  color: ${color}\n`;
const target = { path: "/api/v1/namespaces/shop/configmaps", name: "settings" };
const impersonation = { user: "tether:user:alice", groups: ["tether:user"], uid: "", extra: {} };

/** Answers like an API server holding one ConfigMap; `refuse` answers every PUT with that Status instead. */
function fakeCluster(refuse?: { status: number; message: string }) {
  const sent: AgentRequest[] = [];
  let stored = structuredClone(live);
  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
  const agentFetch = async (_agent: string, r: AgentRequest): Promise<Response> => {
    sent.push(r);
    if (r.method === "PUT") {
      if (refuse) return answer(refuse.status, { kind: "Status", message: refuse.message });
      const body = JSON.parse(String(r.body)) as typeof live;
      const next = {
        ...body,
        metadata: { ...body.metadata, resourceVersion: "42", managedFields: [{ manager: "tether" }] },
      };
      if (!r.path.includes("dryRun=All")) stored = next;
      return answer(200, next);
    }
    return answer(200, stored);
  };
  return {
    sent,
    stored: () => stored,
    client: {
      agentFetch,
      agentJson: async <T>(agent: string, r: AgentRequest): Promise<T> => {
        const res = await agentFetch(agent, r);
        const text = await res.text();
        if (res.status >= 400) throw new UpstreamStatusError(res.status, text);
        return JSON.parse(text) as T;
      },
    } as unknown as Parameters<typeof runEdit>[0], // the two methods runEdit uses, nothing else
  };
}

describe.each(["sqlite", "postgresql"] as const)("Edit YAML on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let who: { userId: string };
  const audits = () => db.auditEvent.findMany({ where: { action: "cluster.action" }, orderBy: { createdAt: "asc" } });

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    const r = await signUp(db, {
      name: "alice",
      username: "alice",
      email: "alice@example.com",
      password: "password123",
    });
    if (!r.ok) throw new Error(r.error);
    who = { userId: r.user.id };
  });

  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("reviews with a dry run as the viewer: both sides without managedFields, nothing changed, nothing recorded", async () => {
    const c = fakeCluster();
    const r = await runEdit(
      c.client,
      db,
      who,
      "agent-1",
      { ...target, yaml: edited("green"), dryRun: true },
      impersonation,
    );
    expect(r.dryRun).toBe(true);
    if (!r.dryRun) throw new Error("not a dry run");
    expect(r.live).toContain("color: blue");
    expect(r.result).toContain("color: green");
    expect(`${r.live}${r.result}`).not.toContain("managedFields");
    const put = c.sent.find((s) => s.method === "PUT")!;
    expect(put.path).toBe("/api/v1/namespaces/shop/configmaps/settings?fieldManager=tether&dryRun=All");
    expect(put.impersonation).toEqual(impersonation);
    expect(c.stored().data.color).toBe("blue");
    expect(await audits()).toHaveLength(0);
  });

  it("applies for real and records it", async () => {
    const c = fakeCluster();
    const r = await runEdit(
      c.client,
      db,
      who,
      "agent-1",
      { ...target, yaml: edited("green"), dryRun: false },
      impersonation,
    );
    expect(r).toEqual({ dryRun: false, message: "Edited the YAML of configmap shop/settings", resourceVersion: "42" });
    expect(c.stored().data.color).toBe("green");
    const [event] = await audits();
    expect(JSON.parse(event!.details)).toMatchObject({
      verb: "edit",
      resource: "configmaps",
      namespace: "shop",
      name: "settings",
      fromResourceVersion: "41",
      identity: "tether:user:alice",
      outcome: "done",
      status: 200,
    });
  });

  it("a refusal comes back in the cluster's words and is recorded; a conflict says so", async () => {
    const forbidden = fakeCluster({
      status: 403,
      message: 'configmaps "settings" is forbidden: User "tether:user:alice" cannot update resource "configmaps"',
    });
    const denied = runEdit(
      forbidden.client,
      db,
      who,
      "agent-1",
      { ...target, yaml: edited("red"), dryRun: false },
      impersonation,
    );
    await expect(denied).rejects.toBeInstanceOf(Forbidden);
    await expect(denied).rejects.toThrow('cannot update resource "configmaps"');
    const conflict = fakeCluster({
      status: 409,
      message: 'Operation cannot be fulfilled on configmaps "settings": the object has been modified',
    });
    const late = runEdit(
      conflict.client,
      db,
      who,
      "agent-1",
      { ...target, yaml: edited("red", "40"), dryRun: false },
      impersonation,
    );
    await expect(late).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("the object has been modified") as unknown,
    });
    const refused = (await audits()).slice(-2).map((e) => JSON.parse(e.details) as { outcome: string; status: number });
    expect(refused.map((d) => [d.outcome, d.status])).toEqual([
      ["refused", 403],
      ["refused", 409],
    ]);
  });

  it("sends nothing for malformed YAML, another object or a Secret", async () => {
    const c = fakeCluster();
    const before = (await audits()).length;
    const refuse = (yaml: string, path = target.path) =>
      runEdit(c.client, db, who, "agent-1", { path, name: "settings", yaml, dryRun: true }, impersonation);
    await expect(refuse(edited("[green"))).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^line \d+: /) as unknown,
    });
    await expect(refuse(edited("green").replace("name: settings", "name: other"))).rejects.toThrow(
      'line 4: metadata.name must stay "settings"',
    );
    await expect(refuse(edited("green"), "/api/v1/namespaces/shop/secrets")).rejects.toBeInstanceOf(HttpError);
    expect(c.sent).toHaveLength(0);
    expect(await audits()).toHaveLength(before);
  });
});
