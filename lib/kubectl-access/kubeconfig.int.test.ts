// The kubeconfigs Tether hands out work with the real kubectl, as written: the one made on the agent
// page (a personal access token) and the one the CI job token mint API answers, each used by its
// context name <project-path>:<agent-name> against kas's k8s-proxy, the tunnel and the testbed.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
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
import { saveAgentConfig } from "@/lib/agent-config";
import { createPersonalKubeconfig, mintCiJobCredentials } from "./credentials";

const run = promisify(execFile);

describe("kubeconfigs from Tether with the real kubectl", () => {
  const tb = inject("testbed");
  let web: WebInternal;
  let kas: KasProcess;
  let agent: Proc;
  let agentId = "";
  let owner = { id: "", isAdmin: false };
  let project = { id: "", fullPath: "" };
  let env: Record<string, string> = {};

  beforeAll(async () => {
    web = await startWebInternal();
    const reg = await registerTestAgent(web.db, "edge");
    agentId = reg.agentId;
    owner = { id: reg.userId, isAdmin: false };
    project = await web.db.project.findFirstOrThrow({
      where: { ownerUserId: reg.userId },
      select: { id: true, fullPath: true },
    });
    await saveAgentConfig(web.db, owner, agentId, `user_access:\n  projects:\n    - id: ${project.fullPath}\n`);
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
    env = {
      TETHER_KAS_K8S_PROXY_ADDRESS: `127.0.0.1:${kas.k8sProxyPort}`,
      TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: web.proxyCaFile,
    };
  });

  afterAll(async () => {
    await agent?.kill();
    await kas?.kill();
    await web?.close();
  });

  const kubectl = async (text: string, name: string, args: string[]) => {
    const file = path.join(web.dir, `${name}.kubeconfig`);
    fs.writeFileSync(file, text, { mode: 0o600 });
    const { stdout } = await run(tb.kubectlPath, ["--kubeconfig", file, ...args], { timeout: 30_000 });
    return stdout.trim();
  };

  it("the agent page's kubeconfig: kubectl verifies kas with the embedded CA and reaches the cluster by context name", async () => {
    const k = await createPersonalKubeconfig(web.db, owner, agentId, env);
    expect(k.contextName).toBe(`${project.fullPath}:edge`);
    expect(await kubectl(k.kubeconfig, "personal", ["config", "current-context"])).toBe(k.contextName);
    expect(
      await kubectl(k.kubeconfig, "personal", [
        "--context",
        k.contextName,
        "get",
        "namespace",
        "default",
        "-o",
        "name",
      ]),
    ).toBe("namespace/default");
  });

  it("the mint API's kubeconfig for a CI job: one context per usable agent", async () => {
    const minted = await mintCiJobCredentials(web.db, owner, project.id, { jobName: "deploy", ttlMinutes: 5 }, env);
    expect(minted.credentialsFor.map((c) => c.contextName)).toEqual([`${project.fullPath}:edge`]);
    expect(await kubectl(minted.kubeconfig!, "ci", ["config", "get-contexts", "-o", "name"])).toBe(
      `${project.fullPath}:edge`,
    );
    expect(
      await kubectl(minted.kubeconfig!, "ci", [
        "--context",
        `${project.fullPath}:edge`,
        "get",
        "namespace",
        "default",
        "-o",
        "name",
      ]),
    ).toBe("namespace/default");
  });
});
