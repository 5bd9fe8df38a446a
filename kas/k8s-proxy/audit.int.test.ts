// The k8s-proxy's audit rule end to end, with the real kubectl, kas, agent and testbed: kas sends web
// what the contract's rule keeps, so a read the cluster refuses lands in the audit log as refused, and
// a successful read does not.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { saveAgentConfig } from "@/lib/agent-config";
import { createPersonalKubeconfig } from "@/lib/kubectl-access";
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
import { kubectlWith, type Kubectl } from "@/testbed/streaming-checks";

describe("the k8s-proxy's audit log", () => {
  const tb = inject("testbed");
  let web: WebInternal;
  let kas: KasProcess;
  let agent: Proc;
  let agentId = "";
  let k: Kubectl;

  beforeAll(async () => {
    web = await startWebInternal();
    const reg = await registerTestAgent(web.db, "audited");
    agentId = reg.agentId;
    const owner = { id: reg.userId, isAdmin: false };
    const project = await web.db.project.findFirstOrThrow({
      where: { ownerUserId: reg.userId },
      select: { fullPath: true },
    });
    // The owner acts as themselves in the cluster, where no binding names them: the cluster refuses their reads.
    await saveAgentConfig(
      web.db,
      owner,
      agentId,
      `user_access:\n  access_as:\n    user: {}\n  projects:\n    - id: ${project.fullPath}\n`,
    );
    kas = await startKasProcess(web);
    agent = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    const client = tunnelClientFor(web, kas);
    await waitForAgent(client, agentId);
    client.close();
    const made = await createPersonalKubeconfig(web.db, owner, agentId, {
      TETHER_KAS_K8S_PROXY_ADDRESS: `127.0.0.1:${kas.k8sProxyPort}`,
      TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: web.proxyCaFile,
    });
    const file = path.join(web.dir, "owner.kubeconfig");
    fs.writeFileSync(file, made.kubeconfig, { mode: 0o600 });
    k = kubectlWith(tb.kubectlPath, file);
  });

  afterAll(async () => {
    await agent?.kill();
    await kas?.kill();
    await web?.close();
  });

  const proxyAudits = async () =>
    (await web.db.auditEvent.findMany({ where: { action: "k8s_proxy.request", targetId: agentId } })).map(
      (e) => JSON.parse(e.details) as Record<string, unknown>,
    );

  it("a GET the cluster refuses is audited as refused; a successful read is not", async () => {
    const read = await k.run(["get", "--raw", "/version"]);
    expect(read.code).toBe(0);
    const refused = await k.run(["get", "secrets", "-n", "kube-system"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      /forbidden: User "tether:user:[^"]+" cannot list resource "secrets" in API group "" in the namespace "kube-system"/,
    );
    // kas records after the answer has gone to kubectl.
    await expect.poll(proxyAudits, { timeout: 5_000 }).toContainEqual(
      expect.objectContaining({
        verb: "GET",
        resource: "secrets",
        namespace: "kube-system",
        status: 403,
        outcome: "refused",
      }),
    );
    expect((await proxyAudits()).filter((d) => d.outcome === "allowed")).toEqual([]);
  });
});
