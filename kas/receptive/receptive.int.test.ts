// A receptive agent against the testbed: web's internal API holds its URL configuration, a real kas process
// dials a real agent process that listens (TLS, Ed25519 handshake), and the ordinary tunnel runs over the
// dialled connection: the tunnel suite's own checks (exact bytes, a 5 MB LIST, a watch of 200 changes, the
// 500-stream cap, the live view's events), kubectl get/apply/logs -f/exec through the k8s-proxy, then key
// rotation.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { saveAgentConfig } from "@/lib/agent-config";
import { getReceptiveUrl, setReceptiveUrl } from "@/lib/receptive";
import { createPersonalAccessToken } from "@/lib/tokens/access-tokens";
import { apiserverRequest, freePort, startPod, type TestbedStreams } from "@/testbed/cluster";
import { checkExec, checkFollow, kubectlWith, writeProxyKubeconfig, type Kubectl } from "@/testbed/streaming-checks";
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
import {
  checkExactBytes,
  checkLargeList,
  checkLiveView,
  checkStreamLimit,
  checkWatchInOrder,
} from "@/testbed/tunnel-checks";
import { makeTestPki } from "./test-pki";

describe("receptive agent: kas dials the agent", { timeout: 240_000 }, () => {
  const tb = inject("testbed");
  const ns = `rcp-${Date.now().toString(36)}`;
  let web: WebInternal;
  let kas: KasProcess;
  let agent: Proc | undefined;
  let agentId: string;
  let token: string;
  let owner: { id: string; isAdmin: boolean };
  let port: number;
  let files: { cert: string; key: string; ca: string };
  let client: ReturnType<typeof tunnelClientFor>;
  let k: Kubectl;

  const state = async () => (await getReceptiveUrl(web.db, owner, agentId))!;
  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end)
        throw new Error(`timed out waiting for ${what}; receptive state: ${JSON.stringify(await state())}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const startReceptiveAgent = (publicKeyPem: string) => {
    const pub = path.join(web.dir, `jwt-${Date.now()}.pub`);
    fs.writeFileSync(pub, publicKeyPem);
    return startAgentProcess({
      kasAgentPort: 1,
      token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
      args: [
        "--receptive",
        `--receptive-address=127.0.0.1:${port}`,
        `--receptive-cert-file=${files.cert}`,
        `--receptive-key-file=${files.key}`,
        `--receptive-jwt-public-key-file=${pub}`,
        // As the tunnel lifecycle suite's agent for the stream cap: 500 watches open in batches of 50.
        "--min-idle-streams=20",
      ],
    });
  };

  beforeAll(async () => {
    process.env.TETHER_RECEPTIVE_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
    web = await startWebInternal();
    const reg = await registerTestAgent(web.db, "behind-vpn");
    ({ agentId, token } = reg);
    owner = { id: reg.userId, isAdmin: false };
    const user = await web.db.user.findUniqueOrThrow({ where: { id: reg.userId } });
    await saveAgentConfig(
      web.db,
      owner,
      agentId,
      ["user_access:", "  access_as:", "    agent: {}", "  projects:", `    - id: ${user.username}/cluster`, ""].join(
        "\n",
      ),
    );
    const pki = await makeTestPki();
    files = {
      cert: path.join(web.dir, "agent.crt"),
      key: path.join(web.dir, "agent.key"),
      ca: path.join(web.dir, "agent-ca.crt"),
    };
    fs.writeFileSync(files.cert, pki.server.cert);
    fs.writeFileSync(files.key, pki.server.key, { mode: 0o600 });
    port = await freePort();
    await setReceptiveUrl(web.db, owner, agentId, {
      url: `grpcs://127.0.0.1:${port}`,
      caCert: pki.serverCa.cert,
      tlsServerName: "localhost",
      auth: { method: "jwt" },
    });
    kas = await startKasProcess(web);
    client = tunnelClientFor(web, kas);
    expect((await apiserverRequest(tb, "POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
    const pat = await createPersonalAccessToken(web.db, owner, { name: "receptive" });
    k = kubectlWith(
      tb.kubectlPath,
      writeProxyKubeconfig({
        dir: web.dir,
        name: "receptive",
        port: kas.k8sProxyPort,
        caFile: web.proxyCaFile,
        credential: `pat:${agentId}:${pat.token}`,
        namespace: ns,
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await apiserverRequest(tb, "DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    client?.close();
    await agent?.kill();
    await kas?.kill();
    await web?.close();
  });

  it("before the agent listens, the page's state says kas cannot reach the URL and when it retries", async () => {
    const s = await until("a failing state", async () => {
      const v = await state();
      return v.state === "failing" && v;
    });
    expect(s.stateMessage).toMatch(
      new RegExp(`^kas cannot reach grpcs://127\\.0\\.0\\.1:${port}: connect ECONNREFUSED \\(retrying in \\d+ s\\)$`),
    );
  });

  it("once the agent listens, kas connects and the tunnel carries requests and kubectl get, apply, logs -f and exec", async () => {
    agent = await startReceptiveAgent((await state()).publicKey!);
    await agent.waitFor(/^receptive connection accepted$/, 90_000);
    await waitForAgent(client, agentId, 1, 30_000);
    await until("kas to report the connection", async () => (await state()).state === "connected");

    const res = await client.agentFetch(agentId, { method: "GET", path: `/api/v1/namespaces/${ns}`, headers: {} });
    expect(res.status).toBe(200);
    expect((JSON.parse(await res.text()) as { metadata: { name: string } }).metadata.name).toBe(ns);

    const manifest = JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "dialled", namespace: ns },
      data: { via: "receptive" },
    });
    const applied = await k.run(["apply", "-f", "-"], manifest);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/configmap\/dialled created/);
    const got = await k.run(["get", "configmap", "dialled", "-o", "jsonpath={.data.via}"]);
    expect(got.stdout).toBe("receptive");

    if (!tb.streams) throw new Error("the integration testbed runs workloads, so it must describe its streams");
    const streams: TestbedStreams = tb.streams;
    await startPod(tb, ns, "shell");
    await checkFollow(k, streams, ns, "shell");
    await checkExec(k, streams, ns, "shell");
  });

  it("over the dialled connection: exact bytes for get/list/create/patch/delete, a 5 MB LIST byte for byte, a watch of 200 changes in order", async () => {
    await checkExactBytes(client, agentId, tb, ns);
    await checkLargeList(client, agentId, tb, ns);
    await checkWatchInOrder(client, agentId, tb, ns, 200);
  });

  it("over the dialled connection: the live view gets its snapshot, then every change in order", async () => {
    await checkLiveView(client, agentId, tb, ns);
  });

  it("over the dialled connection: 500 concurrent watches, the 501st refused with the limit error, then a stream again", async () => {
    await waitForAgent(client, agentId, 20, 30_000);
    await checkStreamLimit(client, agentId, ns, 'agent "behind-vpn"');
  });

  it("key rotation: kas is refused with the old agent's key until the agent restarts with the new public key", async () => {
    const before = (await state()).publicKey;
    const rotated = await setReceptiveUrl(web.db, owner, agentId, {
      url: `grpcs://127.0.0.1:${port}`,
      caCert: (await state()).caCert,
      tlsServerName: "localhost",
      auth: { method: "jwt", rotateKey: true },
    });
    expect(rotated.publicKey).not.toBe(before);
    const refused = await until("the agent to refuse the new key", async () => {
      const v = await state();
      return v.state === "failing" && v;
    });
    expect(refused.stateMessage).toMatch(
      /^agent refused our key: the handshake token is not signed by our key \(retrying in \d+ s\)$/,
    );
    await agent!.waitFor(/^receptive connection refused$/);

    await agent!.kill();
    agent = await startReceptiveAgent(rotated.publicKey!);
    await agent.waitFor(/^receptive connection accepted$/, 90_000);
    await waitForAgent(client, agentId, 1, 30_000);
    await until("kas to report the connection", async () => (await state()).state === "connected");
    const got = await k.run(["get", "configmap", "dialled", "-o", "jsonpath={.data.via}"]);
    expect(got.stdout).toBe("receptive");
  });
});
