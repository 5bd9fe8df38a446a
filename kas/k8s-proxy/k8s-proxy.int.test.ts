// Real kubectl through kas's k8s-proxy, the tunnel and the agent, against the testbed: CI job tokens,
// personal and project access tokens, authorized by the agent's configuration, impersonated as configured,
// with the cluster's RBAC deciding. Refusals are clear and audited.
import { execFile } from "node:child_process";
import fs from "node:fs";
import http2 from "node:http2";
import https from "node:https";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest, startPod, type TestbedStreams } from "@/testbed/cluster";
import {
  checkAttach,
  checkExec,
  checkFollow,
  checkLogs,
  checkPortForward,
  kubectlWith,
  writeProxyKubeconfig,
  type Kubectl,
} from "@/testbed/streaming-checks";
import { createCiJobToken, createPersonalAccessToken, revokePersonalAccessToken } from "@/lib/tokens/access-tokens";
import {
  registerTestAgent,
  scrapeMetrics,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  tunnelClientFor,
  waitForAgent,
  type KasProcess,
  type Proc,
  type WebInternal,
} from "@/testbed/tunnel-stack";
import { saveAgentConfig } from "@/lib/agent-config";
import { createProjectToken, revokeProjectToken } from "@/lib/project-tokens";
import { CHUNK_SIZE } from "@/lib/common/tunnel-wire";

describe("kubectl through kas", () => {
  const tb = inject("testbed");
  let web: WebInternal;
  let kas: KasProcess;
  let agent: Proc;
  let agentId: string;
  let kubeconfigDir: string;
  const ids: Record<string, string> = {};

  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);

  const kubeconfig = (name: string, credential: string, namespace = "default"): string =>
    writeProxyKubeconfig({
      dir: kubeconfigDir,
      name,
      port: kas.k8sProxyPort,
      caFile: web.proxyCaFile,
      credential,
      namespace,
    });

  async function kubectl(
    config: string,
    args: string[],
    input?: string,
  ): Promise<{ code: number; out: string; err: string }> {
    const child = execFile(tb.kubectlPath, ["--kubeconfig", config, ...args], { timeout: 30_000 });
    if (input !== undefined) child.stdin!.end(input);
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
    return { code, out, err };
  }

  beforeAll(async () => {
    web = await startWebInternal();
    kubeconfigDir = web.dir;
    const reg = await registerTestAgent(web.db, "prod");
    agentId = reg.agentId;
    const db = web.db;
    // A group with a CI project (shared), an unrelated project (not shared), a developer and an outsider.
    const dev = await db.user.create({ data: { email: "dev@example.com", username: "dev", name: "Dev" } });
    const outsider = await db.user.create({ data: { email: "out@example.com", username: "outsider", name: "Out" } });
    const group = await db.group.create({ data: { path: "platform", name: "Platform" } });
    await db.groupMember.create({ data: { groupId: group.id, userId: dev.id, role: "developer" } });
    const ciProject = await db.project.create({
      data: { name: "App", path: "app", fullPath: "platform/app", groupId: group.id },
    });
    const other = await db.project.create({
      data: { name: "Other", path: "other", fullPath: "outsider/other", ownerUserId: outsider.id },
    });
    Object.assign(ids, {
      dev: dev.id,
      outsider: outsider.id,
      ciProject: ciProject.id,
      other: other.id,
      owner: reg.userId,
    });
    // As an admin: the agent's owner is not in group platform, and may name only what they can see.
    await saveAgentConfig(
      db,
      { id: reg.userId, isAdmin: true },
      agentId,
      [
        "ci_access:",
        "  projects:",
        "    - id: platform/app",
        "      default_namespace: ci",
        "      access_as:",
        "        ci_job: {}",
        "user_access:",
        "  access_as:",
        "    user: {}",
        "  groups:",
        "    - id: platform",
        "",
      ].join("\n"),
    );

    // The cluster's RBAC: CI jobs may write ConfigMaps in "ci" only; tether users may view "default".
    await direct("POST", "/api/v1/namespaces", { metadata: { name: "ci" } });
    await direct("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/ci/roles", {
      metadata: { name: "ci-writer" },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["*"] }],
    });
    await direct("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/ci/rolebindings", {
      metadata: { name: "ci-writer" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "ci-writer" },
      subjects: [{ kind: "Group", name: "tether:ci", apiGroup: "rbac.authorization.k8s.io" }],
    });
    await direct("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", {
      metadata: { name: "tether-users-view" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "Group", name: "tether:user", apiGroup: "rbac.authorization.k8s.io" }],
    });

    kas = await startKasProcess(web, { TETHER_KAS_TOKEN_CACHE_MS: "200" });
    agent = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    const client = tunnelClientFor(web, kas);
    await waitForAgent(client, agentId);
    client.close();
  });

  afterAll(async () => {
    await agent?.kill();
    await kas?.kill();
    await web?.close();
    await direct("DELETE", "/api/v1/namespaces/ci").catch(() => undefined);
  });

  const ciToken = async (projectId: string) =>
    (
      await createCiJobToken(
        web.db,
        { id: ids.owner === projectId ? ids.owner : ids.dev!, isAdmin: projectId === ids.other },
        projectId,
        { jobName: "deploy" },
      )
    ).token;

  it("a CI job of a shared project: get, apply, watch, delete and can-i in its namespace; the apiserver forbids the rest", async () => {
    const cfg = kubeconfig("ci", `ci:${agentId}:${await ciToken(ids.ciProject!)}`, "ci");
    expect((await kubectl(cfg, ["auth", "can-i", "create", "configmaps", "-n", "ci"])).out.trim()).toBe("yes");
    expect((await kubectl(cfg, ["auth", "can-i", "create", "configmaps", "-n", "default"])).out.trim()).toBe("no");

    const manifest = (ns: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-ci\n  namespace: ${ns}\ndata:\n  built: "yes"\n`;
    const applied = await kubectl(cfg, ["apply", "-f", "-"], manifest("ci"));
    expect(applied.err).toBe("");
    expect(applied.out).toMatch(/configmap\/from-ci created/);
    const ssa = await kubectl(cfg, ["apply", "--server-side", "--field-manager=ci", "-f", "-"], manifest("ci"));
    expect(ssa.out).toMatch(/configmap\/from-ci serverside-applied/);
    const dry = await kubectl(cfg, ["delete", "configmap", "from-ci", "--dry-run=server"]);
    // kubectl 1.37 names the namespace: `configmap "from-ci" deleted from ci namespace (server dry run)`.
    expect(dry.out).toMatch(/configmap "from-ci" deleted (from \S+ namespace )?\(server dry run\)/);

    const got = await kubectl(cfg, ["get", "configmap", "from-ci", "-o", "jsonpath={.data.built}"]);
    expect(got.out).toBe("yes");
    const viaApi = JSON.parse((await direct("GET", "/api/v1/namespaces/ci/configmaps/from-ci")).body) as {
      metadata: { managedFields: { manager: string }[] };
    };
    expect(viaApi.metadata.managedFields.map((f) => f.manager)).toContain("ci");

    const forbidden = await kubectl(cfg, ["apply", "-f", "-"], manifest("default"));
    expect(forbidden.code).not.toBe(0);
    expect(forbidden.err).toMatch(
      /forbidden: User "tether:ci_job:[a-z0-9]+" cannot (get|create|patch) resource "configmaps"/,
    );
    const created = await kubectl(cfg, ["create", "configmap", "denied", "-n", "default"]);
    expect(created.err).toMatch(
      /forbidden: User "tether:ci_job:[a-z0-9]+" cannot create resource "configmaps" in API group "" in the namespace "default"/,
    );

    // get -w sees a change made directly against the apiserver.
    const watch = execFile(tb.kubectlPath, ["--kubeconfig", cfg, "get", "configmaps", "-w", "-o", "name"]);
    let watched = "";
    watch.stdout!.on("data", (d: Buffer) => (watched += d.toString()));
    await new Promise((r) => setTimeout(r, 1_000));
    await direct("POST", "/api/v1/namespaces/ci/configmaps", { metadata: { name: "seen-by-watch" } });
    const until = Date.now() + 10_000;
    while (!watched.includes("configmap/seen-by-watch") && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    watch.kill();
    expect(watched).toContain("configmap/seen-by-watch");

    const deleted = await kubectl(cfg, ["delete", "configmap", "from-ci"]);
    expect(deleted.out).toMatch(/configmap "from-ci" deleted/);
    expect((await direct("GET", "/api/v1/namespaces/ci/configmaps/from-ci")).status).toBe(404);

    const audit = await web.db.auditEvent.findMany({ where: { action: "k8s_proxy.request", targetId: agentId } });
    const details = audit.map(
      (a) => JSON.parse(a.details) as { verb: string; resource: string; namespace: string; outcome: string },
    );
    expect(details).toContainEqual(
      expect.objectContaining({ verb: "DELETE", resource: "configmaps", namespace: "ci", outcome: "allowed" }),
    );
    expect(details.some((d) => d.namespace === "default" && d.outcome === "refused")).toBe(true);
  });

  it("speaks HTTP/2 (many requests on one connection, bodies without Content-Length) and HTTP/1.1", async () => {
    const credential = `ci:${agentId}:${await ciToken(ids.ciProject!)}`;
    const ca = fs.readFileSync(web.proxyCaFile);
    const session = http2.connect(`https://127.0.0.1:${kas.k8sProxyPort}`, { ca });
    const h2 = (method: string, p: string, body?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const stream = session.request(
          { ":method": method, ":path": p, authorization: `Bearer ${credential}`, "content-type": "application/json" },
          { endStream: body === undefined },
        );
        let status = 0;
        let text = "";
        stream.on("response", (h) => (status = Number(h[":status"])));
        stream.on("data", (d: Buffer) => (text += d.toString()));
        stream.on("end", () => resolve({ status, body: text }));
        stream.on("error", reject);
        // In two DATA frames, with no Content-Length: the body ends with the stream.
        if (body !== undefined) {
          stream.write(body.slice(0, 10));
          setTimeout(() => stream.end(body.slice(10)), 50);
        }
      });
    try {
      const made = await h2(
        "POST",
        "/api/v1/namespaces/ci/configmaps",
        JSON.stringify({ metadata: { name: "over-h2" }, data: { via: "http2" } }),
      );
      expect(made.status).toBe(201);
      const reads = await Promise.all(
        Array.from({ length: 10 }, () => h2("GET", "/api/v1/namespaces/ci/configmaps/over-h2")),
      );
      for (const r of reads)
        expect(JSON.parse(r.body)).toMatchObject({ metadata: { name: "over-h2" }, data: { via: "http2" } });
      expect(JSON.parse((await direct("GET", "/api/v1/namespaces/ci/configmaps/over-h2")).body)).toMatchObject({
        data: { via: "http2" },
      });
    } finally {
      session.close();
    }
    const h1 = await new Promise<{ status: number; version: string; body: string }>((resolve, reject) => {
      https
        .get(
          {
            host: "127.0.0.1",
            port: kas.k8sProxyPort,
            path: "/api/v1/namespaces/ci/configmaps/over-h2",
            ca,
            headers: { authorization: `Bearer ${credential}` },
          },
          (res) => {
            let text = "";
            res.on("data", (d: Buffer) => (text += d.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, version: res.httpVersion, body: text }));
          },
        )
        .on("error", reject);
    });
    expect(h1.version).toBe("1.1");
    expect(JSON.parse(h1.body)).toMatchObject({ data: { via: "http2" } });
    await direct("DELETE", "/api/v1/namespaces/ci/configmaps/over-h2");
  });

  it("a 3 MB request body from kubectl's side crosses kas in large body messages", async () => {
    const credential = `ci:${agentId}:${await ciToken(ids.ciProject!)}`;
    const count = 'tether_kas_tunnel_body_message_bytes_count{direction="request"}';
    const sum = 'tether_kas_tunnel_body_message_bytes_sum{direction="request"}';
    const [count0, sum0] = await scrapeMetrics(kas.observabilityPort, count, sum);
    // Just under the API server's 3 MiB limit on a request body, so it reads it all before refusing a ConfigMap over 1 MiB (422).
    const body = Buffer.from(JSON.stringify({ metadata: { name: "large" }, data: { big: "q".repeat(3_000_000) } }));
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(
        {
          host: "127.0.0.1",
          port: kas.k8sProxyPort,
          method: "POST",
          path: "/api/v1/namespaces/ci/configmaps",
          ca: fs.readFileSync(web.proxyCaFile),
          headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      // As a client streams it: 16 KiB writes, which kas gathers.
      for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
      req.end();
    });
    expect(status).toBe((await direct("POST", "/api/v1/namespaces/ci/configmaps", JSON.parse(body.toString()))).status);
    const [count1, sum1] = await scrapeMetrics(kas.observabilityPort, count, sum);
    const messages = count1! - count0!;
    console.log(
      `3 MB request body: ${messages} body messages from kas to the agent, ${Math.round((sum1! - sum0!) / Math.max(messages, 1) / 1024)} KiB on average`,
    );
    expect(sum1! - sum0!).toBeGreaterThanOrEqual(body.length);
    expect((sum1! - sum0!) / messages).toBeGreaterThanOrEqual(CHUNK_SIZE / 4);
  }, 60_000);

  it("a CI job of a project the agent is not shared with is refused, clearly, and audited", async () => {
    const cfg = kubeconfig("other", `ci:${agentId}:${await ciToken(ids.other!)}`);
    const r = await kubectl(cfg, ["get", "configmaps"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/project outsider\/other is not authorized to use agent "prod"/);
    expect(
      await web.db.auditEvent.count({ where: { action: "k8s_proxy.refused", targetId: agentId } }),
    ).toBeGreaterThan(0);
  });

  it("malformed, revoked and expired credentials and a forged Impersonate-User are refused with clear errors", async () => {
    const malformed = await kubectl(kubeconfig("bad", "not-a-tether-token"), ["get", "configmaps"]);
    expect(malformed.err).toMatch(/malformed credential: use a bearer token of the form pat:<agent-id>:<token>/);

    const pat = await createPersonalAccessToken(web.db, { id: ids.dev!, isAdmin: false }, { name: "laptop" });
    const cfg = kubeconfig("dev", `pat:${agentId}:${pat.token}`);
    expect((await kubectl(cfg, ["get", "configmaps", "-n", "default", "-o", "name"])).code).toBe(0);
    const forged = await kubectl(cfg, ["--as=system:admin", "get", "configmaps", "-n", "default"]);
    expect(forged.code).not.toBe(0);
    expect(forged.err).toMatch(/the impersonate-user header is not allowed/);

    await revokePersonalAccessToken(web.db, { id: ids.dev!, isAdmin: false }, pat.id);
    await new Promise((r) => setTimeout(r, 300)); // kas caches grants for TETHER_KAS_TOKEN_CACHE_MS
    expect((await kubectl(cfg, ["get", "configmaps"])).err).toMatch(/this personal access token was revoked/);

    const expiring = await createCiJobToken(web.db, { id: ids.dev!, isAdmin: false }, ids.ciProject!, {
      jobName: "old",
      ttlMinutes: 1,
    });
    await web.db.ciJobToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(
      (await kubectl(kubeconfig("expired", `ci:${agentId}:${expiring.token}`), ["get", "configmaps"])).err,
    ).toMatch(/this CI job token expired at/);
  });

  it("a personal access token acts as the user: a group developer may view; an outsider may not use the agent", async () => {
    const dev = await createPersonalAccessToken(web.db, { id: ids.dev!, isAdmin: false }, { name: "dev" });
    const devCfg = kubeconfig("dev2", `pat:${agentId}:${dev.token}`);
    const who = await kubectl(devCfg, ["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]);
    expect(who.out).toBe("tether:user:dev");
    expect((await kubectl(devCfg, ["auth", "can-i", "list", "configmaps", "-n", "default"])).out.trim()).toBe("yes");
    expect((await kubectl(devCfg, ["auth", "can-i", "delete", "configmaps", "-n", "default"])).out.trim()).toBe("no");

    const out = await createPersonalAccessToken(web.db, { id: ids.outsider!, isAdmin: false }, { name: "out" });
    const r = await kubectl(kubeconfig("outsider", `pat:${agentId}:${out.token}`), ["get", "configmaps"]);
    expect(r.err).toMatch(/you are not authorized to use agent "prod"/);
  });

  it("a project access token acts as its project's bot: let in by user_access through its project only, as tether:user:<bot>", async () => {
    const admin = { id: ids.owner!, isAdmin: true };
    const made = await createProjectToken(web.db, admin, ids.ciProject!, {
      name: "deploy",
      role: "developer",
      scopes: ["k8s_proxy"],
      expiresInDays: 1,
    });
    const cfg = kubeconfig("project-bot", `pat:${agentId}:${made.token}`);
    // user_access names group platform only, and the bot is in no group: refused, saying why.
    // --raw: no discovery first (a refused discovery reaches kubectl's output as "unknown").
    const configmaps = ["get", "--raw", "/api/v1/namespaces/default/configmaps"];
    const refused = await kubectl(cfg, configmaps);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(
      /project access token "deploy" may not use agent "prod" \(its project platform\/app is not in the agent's user_access\)/,
    );

    const before = (await web.db.agentConfig.findFirstOrThrow({ where: { agentId }, orderBy: { version: "desc" } }))
      .yaml;
    await saveAgentConfig(web.db, admin, agentId, `${before.trimEnd()}\n  projects:\n    - id: platform/app\n`);
    try {
      await new Promise((r) => setTimeout(r, 300)); // kas caches answers for TETHER_KAS_TOKEN_CACHE_MS
      const who = await kubectl(cfg, ["auth", "whoami", "-o", "json"]);
      expect(who.code).toBe(0);
      const info = (JSON.parse(who.out) as { status: { userInfo: { username: string; groups: string[] } } }).status
        .userInfo;
      expect(info.username).toBe(`tether:user:${made.bot}`);
      expect(info.groups).toEqual(expect.arrayContaining(["tether:user", `tether:project:${ids.ciProject}`]));
      expect(info.groups.filter((g) => g.startsWith("tether:group:"))).toEqual([]);
      // The cluster's RBAC decides: tether users view "default"; only CI jobs write in "ci".
      expect((await kubectl(cfg, ["auth", "can-i", "list", "configmaps", "-n", "default"])).out.trim()).toBe("yes");
      expect((await kubectl(cfg, ["auth", "can-i", "create", "configmaps", "-n", "ci"])).out.trim()).toBe("no");
      expect((await web.db.projectAccessToken.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt).not.toBeNull();

      await revokeProjectToken(web.db, admin, ids.ciProject!, made.id);
      await new Promise((r) => setTimeout(r, 300));
      expect((await kubectl(cfg, configmaps)).err).toMatch(/this project access token \(deploy\) was revoked/);
    } finally {
      await saveAgentConfig(web.db, admin, agentId, before);
    }
  });

  describe("the streaming verbs through kas (kwok plays the kubelet)", () => {
    const ns = "sessions";
    const pod = "shell";
    let k: Kubectl;
    let streams: TestbedStreams;

    beforeAll(async () => {
      if (!tb.streams) throw new Error("the integration testbed runs workloads, so it must describe its streams");
      streams = tb.streams;
      await direct("POST", "/api/v1/namespaces", { metadata: { name: ns } });
      // The cluster lets tether users read logs and open sessions on pods in this namespace only.
      const rules = [
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
        { apiGroups: [""], resources: ["pods/exec", "pods/attach", "pods/portforward"], verbs: ["get", "create"] },
      ];
      await direct("POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
        metadata: { name: "sessions" },
        rules,
      });
      await direct("POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
        metadata: { name: "sessions" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "sessions" },
        subjects: [{ kind: "Group", name: "tether:user", apiGroup: "rbac.authorization.k8s.io" }],
      });
      await startPod(tb, ns, pod);
      const dev = await createPersonalAccessToken(web.db, { id: ids.dev!, isAdmin: false }, { name: "sessions" });
      k = kubectlWith(tb.kubectlPath, kubeconfig("sessions", `pat:${agentId}:${dev.token}`, ns));
    });
    afterAll(async () => {
      await direct("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    });

    it("kubectl logs and logs -f", async () => {
      await checkLogs(k, streams, ns, pod);
      await checkFollow(k, streams, ns, pod);
    });

    it("kubectl exec (with stdin) and attach; sessions are audited", async () => {
      await checkExec(k, streams, ns, pod);
      await checkAttach(k, streams, ns, pod);
      // kas records a session when it opens (its call to web may land a moment after kubectl is done).
      const audited = async () =>
        (await web.db.auditEvent.findMany({ where: { action: "k8s_proxy.request", targetId: agentId } })).map(
          (a) => JSON.parse(a.details) as Record<string, unknown>,
        );
      const want = [
        expect.objectContaining({
          actor: "dev",
          verb: "GET",
          resource: "pods/exec",
          namespace: ns,
          name: pod,
          status: 101,
          outcome: "allowed",
        }),
        expect.objectContaining({
          actor: "dev",
          resource: "pods/attach",
          namespace: ns,
          name: pod,
          status: 101,
          outcome: "allowed",
        }),
      ];
      await expect.poll(audited, { timeout: 5_000 }).toEqual(expect.arrayContaining(want));
    });

    it("kubectl port-forward", () => checkPortForward(k, streams, ns, pod));

    it("the cluster's RBAC still decides: no exec where the user has no role", async () => {
      const denied = await k.run(["-n", "default", "exec", "missing", "--", "echo", "hi"]);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toMatch(/forbidden|not found/);
    });
  });
});
