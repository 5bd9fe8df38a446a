// `npm run demo`: a newcomer's live cluster in minutes. Starts the testbed (a real kube-apiserver on
// loopback; binaries built once from the Go module proxy), Flux with a git server serving the
// demo/gitops repository that Flux applies (TETHER_DEMO_FLUX=0 leaves them out), web + kas (as
// `npm start`), and a real agent registered to a demo project with a fresh token; prints where to sign
// in. Ctrl-C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createAgentToken, registerAgent } from "../lib/agents";
import { hashPassword } from "../lib/auth/password";
import { createDb } from "../lib/db/client";
import { databaseTarget } from "../lib/db/config";
import { migrate } from "../lib/db/migrate";
import { ensureTestbedBinaries } from "../testbed/build";
import { startTestbed, stopTestbedDir } from "../testbed/cluster";
import { DEMO_GITOPS_REPO, type DemoGitOps, startDemoGitOps } from "../testbed/flux";
import { TESTBED_DEFAULT_KUBERNETES } from "../testbed/versions";

const root = path.resolve(__dirname, "..");
const DEMO_EMAIL = "demo@example.com";
const DEMO_PASSWORD = "tether-demo";
const port = Number(process.env.PORT ?? 3000);
const kasAgentAddress = process.env.TETHER_KAS_AGENT_ADDRESS ?? "127.0.0.1:8150";
const gitPort = Number(process.env.TETHER_DEMO_GIT_PORT ?? 8190);
const withFlux = process.env.TETHER_DEMO_FLUX !== "0";
async function demoAgentToken(): Promise<string> {
  const target = databaseTarget();
  await migrate(target);
  const db = createDb(target);
  try {
    let user = await db.user.findUnique({ where: { email: DEMO_EMAIL } });
    user ??= await db.user.create({
      data: {
        email: DEMO_EMAIL,
        username: "demo",
        name: "Demo Admin",
        passwordHash: await hashPassword(DEMO_PASSWORD),
      },
    });
    let project = await db.project.findUnique({ where: { fullPath: "demo/demo-cluster" } });
    project ??= await db.project.create({
      data: {
        name: "Demo cluster",
        path: "demo-cluster",
        fullPath: "demo/demo-cluster",
        ownerUserId: user.id,
        description: "A project with an agent in the testbed cluster",
      },
    });
    const actor = { id: user.id, isAdmin: false };
    const agent =
      (await db.agent.findFirst({ where: { projectId: project.id, name: "testbed" } })) ??
      (await registerAgent(db, actor, project.id, { name: "testbed" }));
    // A fresh token per run; the previous demo tokens are revoked so the two-token limit never bites.
    await db.agentToken.updateMany({ where: { agentId: agent.id, revokedAt: null }, data: { revokedAt: new Date() } });
    return (await createAgentToken(db, actor, agent.id, { name: "demo", description: "created by npm run demo" }))
      .token;
  } finally {
    await db.$disconnect();
  }
}

async function main(): Promise<void> {
  const steps = withFlux ? 5 : 4;
  let step = 0;
  const say = (what: string) => console.log(`demo: ${++step}/${steps} ${what}`);
  say(`testbed binaries for Kubernetes v${TESTBED_DEFAULT_KUBERNETES} (built once, cached)`);
  await ensureTestbedBinaries(TESTBED_DEFAULT_KUBERNETES, (m) => console.log(m));
  say("starting the testbed cluster");
  const tbDir = path.join(root, "data", "demo-testbed");
  await stopTestbedDir(tbDir);
  const tb = await startTestbed({ dir: tbDir, version: TESTBED_DEFAULT_KUBERNETES, log: (m) => console.log(`  ${m}`) });
  let gitops: DemoGitOps | undefined;
  if (withFlux) {
    say("Flux (built once, cached) and the git server with demo/gitops");
    try {
      gitops = await startDemoGitOps(tb, {
        dataDir: path.join(root, "data", "git"),
        port: gitPort,
        log: (m) => console.log(`  ${m}`),
      });
    } catch (e) {
      await tb.stop();
      throw e;
    }
  }
  say("demo user, project and agent token");
  const token = await demoAgentToken();
  const tokenFile = path.join(root, "data", "secrets", "demo-agent-token");
  fs.mkdirSync(path.dirname(tokenFile), { recursive: true, mode: 0o700 });
  fs.writeFileSync(tokenFile, token, { mode: 0o600 });

  say("starting web + kas, then the agent");
  const children: ChildProcess[] = [];
  const web = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start.ts")], {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  });
  children.push(web);
  const agent = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "agent", "main.ts"),
      `--kas-address=grpc://${kasAgentAddress}`,
      `--token-file=${tokenFile}`,
      `--kubeconfig=${tb.kubeconfig}`,
      "--observability-address=127.0.0.1:8180",
    ],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, LOG_LEVEL: "warn" } },
  );
  children.push(agent);
  console.log(`
Tether demo
  open      http://localhost:${port}  and sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}
  project   demo/demo-cluster, agent "testbed" (Kubernetes v${TESTBED_DEFAULT_KUBERNETES})
  kubectl   KUBECONFIG=${tb.kubeconfig} ${tb.kubectlPath} get nodes${
    gitops
      ? `
  gitops    git clone ${gitops.git.repoUrl(DEMO_GITOPS_REPO)}   (push to it; Flux applies deploy/ to the cluster)
            reconcile now: KUBECONFIG=${tb.kubeconfig} ${tb.kubectlPath} -n flux-system annotate --overwrite \\
              gitrepository demo-gitops reconcile.fluxcd.io/requestedAt="$(date +%s)"`
      : ""
  }
Ctrl-C stops the agent, web, kas${gitops ? ", Flux, the git server" : ""} and the testbed.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const c of children) c.kill("SIGTERM");
    await gitops?.stop();
    await tb.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  web.on("exit", () => void stop());
}

main().catch((e: unknown) => {
  console.error(`demo: ${(e as Error).message}`);
  process.exit(1);
});
