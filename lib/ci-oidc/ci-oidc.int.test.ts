// CI identity by OIDC end to end: a loopback HTTPS issuer signs a GitHub-Actions-shaped and a
// GitLab-CI-shaped ID token; the "Use in CI" panel's shell lines, run by bash with curl, trade each for a
// kubeconfig at web's exchange (served over HTTPS); the built kubectl uses it through the real kas and
// agent against the testbed: `auth whoami` shows the CI job with its repository and ref, the cluster's
// RBAC lets it write in the namespace bound to its project and refuses a write anywhere else.
import { execFile } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { saveAgentConfig } from "@/lib/agent-config";
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
import { kubectlWith } from "@/testbed/streaming-checks";
import { IssuerClient, ciCredentialsResponse, createCiIdentity, exchangeShellLines } from ".";
import { githubClaims, gitlabClaims, startTestIssuer, type TestIssuer } from "./test-issuer";

const AUD = "https://tether.example.com";

function runBash(script: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      "bash",
      ["-e", "-c", script],
      { cwd, env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe("CI jobs trade OIDC ID tokens for cluster access", () => {
  const tb = inject("testbed");
  let web: WebInternal;
  let kas: KasProcess;
  let agent: Proc;
  let issuer: TestIssuer;
  let exchangeServer: https.Server;
  let webUrl = "";
  let project = { id: "", fullPath: "" };
  let contextName = "";
  const suffix = Math.random().toString(36).slice(2, 8);
  const allowedNs = `ci-allowed-${suffix}`;
  const otherNs = `ci-other-${suffix}`;
  const admin = () => kubectlWith(tb.kubectlPath, tb.kubeconfig);

  beforeAll(async () => {
    issuer = await startTestIssuer();
    web = await startWebInternal();
    const reg = await registerTestAgent(web.db, "ci-oidc");
    const owner = { id: reg.userId, isAdmin: false };
    const user = await web.db.user.findUniqueOrThrow({ where: { id: reg.userId } });
    const agentProject = await web.db.project.findFirstOrThrow({ where: { ownerUserId: reg.userId } });
    // The CI project: its jobs reach the agent through the agent's ci_access, impersonated as the job.
    const shop = await web.db.project.create({
      data: { name: "Shop", path: "shop", fullPath: `${user.username}/shop`, ownerUserId: user.id },
    });
    project = { id: shop.id, fullPath: shop.fullPath };
    contextName = `${agentProject.fullPath}:ci-oidc`;
    await saveAgentConfig(
      web.db,
      owner,
      reg.agentId,
      `ci_access:\n  projects:\n    - id: ${shop.fullPath}\n      default_namespace: ${allowedNs}\n      access_as:\n        ci_job: {}\n`,
    );
    for (const [name, iss, conditions] of [
      ["GitHub main", "gh", { repository: "acme/shop", ref: "refs/heads/main" }],
      ["GitLab protected", "gl", { project_path: "acme/shop", ref_protected: "true" }],
    ] as const)
      await createCiIdentity(web.db, owner, shop.id, { name, issuer: issuer.issuer(iss), audience: AUD, conditions });

    // The cluster's RBAC: the CI project's jobs may edit one namespace.
    for (const args of [
      ["create", "namespace", allowedNs],
      ["create", "namespace", otherNs],
      ["create", "rolebinding", "ci-edit", "-n", allowedNs, "--clusterrole=edit", `--group=tether:project:${shop.id}`],
    ]) {
      const r = await admin().run(args);
      expect(r.code, r.stderr).toBe(0);
    }

    kas = await startKasProcess(web);
    agent = await startAgentProcess({
      kasAgentPort: kas.agentPort,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    const client = tunnelClientFor(web, kas);
    // Generous: tsx starts the agent from sources, slow on a loaded machine.
    await waitForAgent(client, reg.agentId, 1, 90_000);
    client.close();

    // web's exchange route, served over HTTPS with the same loopback certificate as the issuer.
    const issuers = new IssuerClient({ extraCa: issuer.caPem });
    const env = {
      TETHER_KAS_K8S_PROXY_ADDRESS: `127.0.0.1:${kas.k8sProxyPort}`,
      TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: web.proxyCaFile,
    };
    exchangeServer = https.createServer({ cert: issuer.caPem, key: issuer.keyPem }, (req, res) => {
      if (req.method !== "POST" || req.url !== "/api/ci/credentials") return res.writeHead(404).end();
      const request = new Request(`https://127.0.0.1${req.url}`, {
        method: "POST",
        headers: req.headers as Record<string, string>,
        body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
        duplex: "half",
      } as RequestInit);
      void ciCredentialsResponse(web.db, request, { issuers, env }).then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => exchangeServer.listen(0, "127.0.0.1", resolve));
    webUrl = `https://127.0.0.1:${(exchangeServer.address() as AddressInfo).port}`;
  }, 180_000);

  afterAll(async () => {
    exchangeServer?.closeAllConnections();
    await new Promise<void>((resolve) => (exchangeServer ? exchangeServer.close(() => resolve()) : resolve()));
    await agent?.kill();
    await kas?.kill();
    await admin().run(["delete", "namespace", allowedNs, otherNs, "--wait=false"]);
    await web?.close();
    await issuer?.close();
  });

  /** Runs the panel's shell lines with this ID token in a fresh directory, as a CI job would. */
  async function runJob(idToken: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-ci-job-"));
    const script = exchangeShellLines({
      webUrl,
      projectPath: project.fullPath,
      projectId: project.id,
      contextName,
    }).join("\n");
    const result = await runBash(script, dir, {
      TETHER_ID_TOKEN: idToken,
      CURL_CA_BUNDLE: issuer.caFile,
      PATH: `${path.dirname(tb.kubectlPath)}:${process.env.PATH ?? ""}`,
    });
    return { ...result, dir, kubeconfig: path.join(dir, "tether.kubeconfig") };
  }

  for (const shape of ["GitHub Actions", "GitLab CI"] as const) {
    it(`a ${shape} job's ID token becomes a kubeconfig; the cluster sees the job and its RBAC decides`, async () => {
      const token =
        shape === "GitHub Actions"
          ? await issuer.sign("gh", githubClaims("acme/shop", "refs/heads/main", AUD))
          : await issuer.sign("gl", gitlabClaims("acme/shop", "main", AUD));
      const job = await runJob(token);
      expect(job.code, job.stderr).toBe(0);
      // kubectl auth whoami, through kas and the agent: the impersonated CI job with what it proved.
      expect(job.stdout).toMatch(/tether:ci_job:\w+/);
      expect(job.stdout).toContain(`tether:project:${project.id}`);
      expect(job.stdout).toMatch(/ci\.tether\.dev\/repository\s+\[acme\/shop\]/);
      expect(job.stdout).toContain(shape === "GitHub Actions" ? "[refs/heads/main]" : "[main]");

      const k = kubectlWith(tb.kubectlPath, job.kubeconfig);
      const name = `from-${shape === "GitHub Actions" ? "github" : "gitlab"}`;
      const inside = await k.run(["--context", contextName, "create", "configmap", name, "-n", allowedNs]);
      expect(inside.code, inside.stderr).toBe(0);
      const outside = await k.run(["--context", contextName, "create", "configmap", name, "-n", otherNs]);
      expect(outside.code).not.toBe(0);
      expect(outside.stderr).toMatch(/forbidden: User "tether:ci_job:\w+" cannot create resource "configmaps"/);
      fs.rmSync(job.dir, { recursive: true, force: true });
    });
  }

  it("a refused token stops the job with Tether's reason (curl --fail-with-body)", async () => {
    const job = await runJob(await issuer.sign("gh", githubClaims("acme/shop", "refs/heads/feature", AUD)));
    expect(job.code).not.toBe(0);
    expect(job.stderr).toContain('ID token refused: its claim ref is \\"refs/heads/feature\\", but must be');
    expect(fs.existsSync(job.kubeconfig)).toBe(false);
    fs.rmSync(job.dir, { recursive: true, force: true });
  });
});
