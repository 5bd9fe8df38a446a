// The agent as its image runs it: `npm run build:agent` bundles it into one JavaScript file, and the
// image holds that file alone (deploy/agent/Dockerfile). Here the file is copied to a folder with no
// node_modules anywhere above it, started with plain node, and must register with kas and serve
// requests through the tunnel against the testbed.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  buildAgentBundle,
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

describe("the agent image's single-file build", () => {
  const tb = inject("testbed");
  let dir: string;
  let web: WebInternal;
  let kas: KasProcess;
  let agent: Proc;
  let agentId: string;
  let client: ReturnType<typeof tunnelClientFor>;

  beforeAll(async () => {
    const bundle = await buildAgentBundle();
    dir = bundle.dir;
    web = await startWebInternal();
    const reg = await registerTestAgent(web.db, "bundled");
    agentId = reg.agentId;
    kas = await startKasProcess(web);
    agent = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
      bundle: bundle.file,
    });
    client = tunnelClientFor(web, kas);
    await waitForAgent(client, agentId, 1, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- agent ---\n${agent.output().slice(-3000)}`);
    });
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await agent?.kill();
    await kas?.kill();
    await web?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is what the image runs: the bundle alone, started with node", () => {
    const dockerfile = fs.readFileSync(path.join(__dirname, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/RUN npm run build:agent/);
    expect(dockerfile).toMatch(/COPY --from=build \/src\/dist\/agent\/ \.\//);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "--enable-source-maps", "main.js"\]/);
    expect(fs.readdirSync(dir).sort()).toEqual(["main.js", "main.js.map"]);
  });

  it("registers with kas and serves requests through the tunnel, over HTTP/2 to the API server", async () => {
    const started = agent.output();
    expect(started).toMatch(/"apiServerProtocol":"HTTP\/2"/);
    expect(await client.agentStatus(agentId)).toMatchObject({ connected: true });
    const res = await client.agentFetch(agentId, { path: "/api/v1/namespaces/kube-system" });
    expect(res.status).toBe(200);
    expect(JSON.parse(await res.text())).toMatchObject({ kind: "Namespace", metadata: { name: "kube-system" } });
    for (let i = 0; i < 150 && !agent.output().includes("registered with kas"); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(agent.output()).toMatch(/"msg":"registered with kas"/);
  });
});
