// The smoke suite of the version matrix: what every supported Kubernetes version must do through the
// tunnel (web's tunnel client → kas process → agent process → kube-apiserver): connect, list, watch and
// apply; and through kas's k8s-proxy with the real kubectl: discovery, impersonation with Tether's
// groups, logs -f, exec and port-forward (kwok plays the kubelet). `npm run test:versions` runs it against a testbed of each version
// (TETHER_TESTBED_KUBERNETES) and records the results in lib/versions/smoke-results.json; the normal
// integration run covers the default version.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { saveAgentConfig } from "@/lib/agent-config";
import { createPersonalAccessToken } from "@/lib/tokens/access-tokens";
import { apiserverRequest, startPod } from "@/testbed/cluster";
import {
  checkExec,
  checkFollow,
  checkLogs,
  checkPortForward,
  kubectlWith,
  writeProxyKubeconfig,
  type Kubectl,
} from "@/testbed/streaming-checks";
import {
  registerTestAgent,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  tunnelClientFor,
  waitForAgent,
  type KasProcess,
  type Proc,
  type WebInternal,
} from "@/testbed/tunnel-stack";

interface ConfigMap {
  metadata: { name: string; resourceVersion: string; managedFields?: { manager: string; operation: string }[] };
  data?: Record<string, string>;
}

describe("smoke: connect, list, watch and apply through kas", () => {
  const tb = inject("testbed");
  const ns = `smoke-${Date.now().toString(36)}`;
  let web: WebInternal;
  let kas: KasProcess;
  let agent: Proc;
  let agentId: string;
  let ownerId: string;
  let client: ReturnType<typeof tunnelClientFor>;

  const tunnel = async (method: string, p: string, body?: string, contentType = "application/json") => {
    const res = await client.agentFetch(agentId, {
      method,
      path: p,
      body,
      headers: body === undefined ? {} : { "content-type": contentType },
    });
    return { status: res.status, body: await res.text() };
  };

  beforeAll(async () => {
    web = await startWebInternal();
    const reg = await registerTestAgent(web.db, "smoke");
    agentId = reg.agentId;
    ownerId = reg.userId;
    kas = await startKasProcess(web);
    agent = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    client = tunnelClientFor(web, kas);
    // Generous: on a loaded 2-core machine the agent's process can take a while to start.
    await waitForAgent(client, agentId, 1, 60_000).catch((e: Error) => {
      throw new Error(
        `${e.message}\n--- agent ---\n${agent.output().slice(-3000)}\n--- kas ---\n${kas.output().slice(-3000)}`,
      );
    });
    const created = await apiserverRequest(tb, "POST", "/api/v1/namespaces", { metadata: { name: ns } });
    expect(created.status, created.body).toBe(201);
  });

  afterAll(async () => {
    if (tb) await apiserverRequest(tb, "DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    client?.close();
    await agent?.kill();
    await kas?.kill();
    await web?.close();
  });

  it(`connects: the agent registers and the database records the cluster's Kubernetes version`, async () => {
    expect(await client.agentStatus(agentId)).toMatchObject({ connected: true, connections: 1 });
    // The testbed really is the version under test (its binaries carry it), not a default.
    const version = JSON.parse((await apiserverRequest(tb, "GET", "/version")).body) as { gitVersion: string };
    expect(version.gitVersion).toBe(`v${tb.version}`);
    let row = await web.db.agent.findUniqueOrThrow({ where: { id: agentId } });
    for (let i = 0; i < 100 && row.kubernetesVersion === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      row = await web.db.agent.findUniqueOrThrow({ where: { id: agentId } });
    }
    expect(row.kubernetesVersion).toBe(`v${tb.version}`);
    expect(row.firstContactAt).toBeInstanceOf(Date);
    expect(row.nodeCount).toBeGreaterThanOrEqual(1); // kwok's fake node
  });

  it("lists namespaces through the tunnel", async () => {
    const res = await tunnel("GET", "/api/v1/namespaces");
    expect(res.status, res.body).toBe(200);
    const list = JSON.parse(res.body) as { kind: string; items: { metadata: { name: string } }[] };
    expect(list.kind).toBe("NamespaceList");
    expect(list.items.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(["default", "kube-system", ns]));
  });

  it("watches a ConfigMap's ADDED, MODIFIED and DELETED through the tunnel", async () => {
    const listed = await tunnel("GET", `/api/v1/namespaces/${ns}/configmaps`);
    const rv = (JSON.parse(listed.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const abort = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const ev of client.agentWatch<ConfigMap>(
        agentId,
        `/api/v1/namespaces/${ns}/configmaps?fieldSelector=metadata.name%3Dwatched`,
        { resourceVersion: rv, signal: abort.signal },
      )) {
        seen.push(`${ev.type}:${ev.object.data?.step ?? ""}`);
        if (ev.type === "DELETED") break;
      }
    })();
    const timer = setTimeout(() => abort.abort(), 30_000);
    try {
      expect(
        (
          await tunnel(
            "POST",
            `/api/v1/namespaces/${ns}/configmaps`,
            JSON.stringify({ metadata: { name: "watched" }, data: { step: "1" } }),
          )
        ).status,
      ).toBe(201);
      expect(
        (
          await tunnel(
            "PATCH",
            `/api/v1/namespaces/${ns}/configmaps/watched`,
            JSON.stringify({ data: { step: "2" } }),
            "application/merge-patch+json",
          )
        ).status,
      ).toBe(200);
      expect((await tunnel("DELETE", `/api/v1/namespaces/${ns}/configmaps/watched`)).status).toBe(200);
      await watching;
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
    expect(seen).toEqual(["ADDED:1", "MODIFIED:2", "DELETED:2"]);
  });

  it("applies with server-side apply (application/apply-patch+yaml, fieldManager=tether)", async () => {
    const manifest = (color: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: applied
  namespace: ${ns}
  labels:
    app.kubernetes.io/managed-by: tether
data:
  color: ${color}
`;
    const url = `/api/v1/namespaces/${ns}/configmaps/applied?fieldManager=tether`;
    const created = await tunnel("PATCH", url, manifest("blue"), "application/apply-patch+yaml");
    expect(created.status, created.body).toBe(201);
    const updated = await tunnel("PATCH", url, manifest("green"), "application/apply-patch+yaml");
    expect(updated.status, updated.body).toBe(200);
    const cm = JSON.parse(
      (await apiserverRequest(tb, "GET", `/api/v1/namespaces/${ns}/configmaps/applied`)).body,
    ) as ConfigMap;
    expect(cm.data).toEqual({ color: "green" });
    expect(cm.metadata.managedFields?.map((f) => `${f.manager}/${f.operation}`)).toEqual(["tether/Apply"]);

    // Another manager that claims the same field is refused with a conflict, as server-side apply promises.
    const conflict = await tunnel(
      "PATCH",
      `/api/v1/namespaces/${ns}/configmaps/applied?fieldManager=someone-else`,
      manifest("red"),
      "application/apply-patch+yaml",
    );
    expect(conflict.status, conflict.body).toBe(409);
    expect(JSON.parse(conflict.body)).toMatchObject({ kind: "Status", reason: "Conflict" });
  });

  describe("kubectl through kas's k8s-proxy", () => {
    const pod = "smoke-shell";
    let k: Kubectl;
    let username: string;
    let groupId: string;

    beforeAll(async () => {
      if (!tb.streams) throw new Error("the integration testbed runs workloads, so it must describe its streams");
      // A developer of a group the agent serves, impersonated as themselves with Tether's groups.
      const dev = await web.db.user.create({
        data: { email: `${ns}@example.com`, username: `dev-${ns}`, name: "Dev" },
      });
      username = dev.username;
      const group = await web.db.group.create({ data: { path: `g-${ns}`, name: "Smoke" } });
      groupId = group.id;
      await web.db.groupMember.create({ data: { groupId: group.id, userId: dev.id, role: "developer" } });
      await saveAgentConfig(
        web.db,
        { id: ownerId, isAdmin: true },
        agentId,
        ["user_access:", "  access_as:", "    user: {}", "  groups:", `    - id: g-${ns}`, ""].join("\n"),
      );
      // The cluster lets tether users work with pods in this namespace only (and review themselves).
      await apiserverRequest(tb, "POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
        metadata: { name: "smoke" },
        rules: [
          { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] },
          { apiGroups: [""], resources: ["pods/exec", "pods/portforward"], verbs: ["get", "create"] },
        ],
      });
      await apiserverRequest(tb, "POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
        metadata: { name: "smoke" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "smoke" },
        subjects: [{ kind: "Group", name: "tether:user", apiGroup: "rbac.authorization.k8s.io" }],
      });
      await startPod(tb, ns, pod);
      const pat = await createPersonalAccessToken(web.db, { id: dev.id, isAdmin: false }, { name: "smoke" });
      k = kubectlWith(
        tb.kubectlPath,
        writeProxyKubeconfig({
          dir: web.dir,
          name: "smoke",
          port: kas.k8sProxyPort,
          caFile: web.proxyCaFile,
          credential: `pat:${agentId}:${pat.token}`,
          namespace: ns,
        }),
      );
    });

    it("discovery: kubectl api-resources lists the core and apps kinds", async () => {
      const r = await k.run(["api-resources", "-o", "name"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split("\n")).toEqual(expect.arrayContaining(["pods", "configmaps", "deployments.apps"]));
    });

    it("impersonation: the cluster sees the Tether user with the groups that let them in", async () => {
      const r = await k.run(["auth", "whoami", "-o", "json"]);
      expect(r.code, r.stderr).toBe(0);
      const review = JSON.parse(r.stdout) as { status: { userInfo: { username: string; groups: string[] } } };
      expect(review.status.userInfo.username).toBe(`tether:user:${username}`);
      expect(review.status.userInfo.groups).toEqual(
        expect.arrayContaining(["tether:user", `tether:group:${groupId}`, "system:authenticated"]),
      );
      // And the cluster's RBAC decides for that identity: pods here, not Secrets.
      expect((await k.run(["auth", "can-i", "get", "pods"])).stdout.trim()).toBe("yes");
      expect((await k.run(["auth", "can-i", "get", "secrets"])).stdout.trim()).toBe("no");
    });

    it("kubectl logs, logs -f, exec and port-forward", async () => {
      const streams = tb.streams!;
      await checkLogs(k, streams, ns, pod);
      await checkFollow(k, streams, ns, pod);
      await checkExec(k, streams, ns, pod);
      await checkPortForward(k, streams, ns, pod);
    });
  });
});
