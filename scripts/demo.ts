// `npm run demo`: a newcomer's live cluster in minutes. Starts the testbed (a real kube-apiserver on
// loopback; binaries built once from the Go module proxy) and seeds workloads in it (testbed/demo-workloads.ts),
// Flux with a git server serving the demo/gitops repository that Flux applies (TETHER_DEMO_FLUX=0 leaves them
// out), web + kas (as `npm start`), and a real agent registered to a demo project with a fresh token and a
// user_access that shows its owner the whole cluster (scripts/demo-setup.ts); prints where to sign in.
// Ctrl-C stops everything; when any part dies, the demo says which (and where its log is) and stops the rest.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createDb } from "../lib/db/client";
import { databaseTarget } from "../lib/db/config";
import { migrate } from "../lib/db/migrate";
import { ensureTestbedBinaries } from "../testbed/build";
import { freePort, startTestbed, stopTestbedDir } from "../testbed/cluster";
import { DEMO_NAMESPACE, seedDemoWorkloads } from "../testbed/demo-workloads";
import { DEMO_GITOPS_REPO, type DemoGitOps, startDemoGitOps } from "../testbed/flux";
import { TESTBED_DEFAULT_KUBERNETES } from "../testbed/versions";
import { DEMO_AGENT, DEMO_EMAIL, DEMO_PASSWORD, DEMO_PROJECT, prepareDemo } from "./demo-setup";

const root = path.resolve(__dirname, "..");
const port = Number(process.env.PORT ?? 3000);
const kasAgentAddress = process.env.TETHER_KAS_AGENT_ADDRESS ?? "127.0.0.1:8150";
const gitPort = Number(process.env.TETHER_DEMO_GIT_PORT ?? 8190);
const withFlux = process.env.TETHER_DEMO_FLUX !== "0";

async function demoAgentToken(): Promise<string> {
  const target = databaseTarget();
  await migrate(target);
  const db = createDb(target);
  try {
    const setup = await prepareDemo(db);
    console.log(
      setup.userAccess === "written"
        ? `  user_access written: members of ${DEMO_PROJECT} use the agent as itself and see the whole cluster`
        : "  user_access kept as it is in the agent's configuration",
    );
    return setup.token;
  } finally {
    await db.$disconnect();
  }
}

/** A part of the demo to watch: the demo stops, saying which and where its log is, when it dies. */
interface Part {
  name: string;
  pid: number;
  log: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const steps = withFlux ? 6 : 5;
  let step = 0;
  const say = (what: string) => console.log(`demo: ${++step}/${steps} ${what}`);
  say(`testbed binaries for Kubernetes v${TESTBED_DEFAULT_KUBERNETES} (built once, cached)`);
  await ensureTestbedBinaries(TESTBED_DEFAULT_KUBERNETES, (m) => console.log(m));
  say("starting the testbed cluster");
  const tbDir = path.join(root, "data", "demo-testbed");
  await stopTestbedDir(tbDir);
  const tb = await startTestbed({ dir: tbDir, version: TESTBED_DEFAULT_KUBERNETES, log: (m) => console.log(`  ${m}`) });
  say(
    `workloads in namespace ${DEMO_NAMESPACE} (a Deployment, a StatefulSet, a CronJob, a crashing pod, a custom resource)`,
  );
  try {
    await seedDemoWorkloads(tb, (m) => console.log(`  ${m}`));
  } catch (e) {
    await tb.stop();
    throw e;
  }
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
  say("demo user, project, agent configuration and token");
  let token: string;
  try {
    token = await demoAgentToken();
  } catch (e) {
    await gitops?.stop();
    await tb.stop();
    throw e;
  }
  const tokenFile = path.join(root, "data", "secrets", "demo-agent-token");
  fs.mkdirSync(path.dirname(tokenFile), { recursive: true, mode: 0o700 });
  fs.writeFileSync(tokenFile, token, { mode: 0o600 });

  say("starting web + kas, then the agent");
  // The agent's metrics and health port: a free one, so a second demo or another service on 8180 does not clash.
  const agentObservability = `127.0.0.1:${await freePort()}`;
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
      `--observability-address=${agentObservability}`,
    ],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, LOG_LEVEL: "warn" } },
  );
  children.push(agent);
  console.log(`
Tether demo
  open      http://localhost:${port}  and sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}
  project   ${DEMO_PROJECT}, agent "${DEMO_AGENT}" (Kubernetes v${TESTBED_DEFAULT_KUBERNETES}; agent metrics at http://${agentObservability}/metrics)
  workloads namespace ${DEMO_NAMESPACE}: storefront, orders-db, nightly-report, payments-worker (crashing), a Backup
  kubectl   KUBECONFIG=${tb.kubeconfig} ${tb.kubectlPath} get nodes${
    gitops
      ? `
  gitops    git clone ${gitops.git.repoUrl(DEMO_GITOPS_REPO)}   (push to it; Flux applies deploy/ to the cluster)
            reconcile now: KUBECONFIG=${tb.kubeconfig} ${tb.kubectlPath} -n flux-system annotate --overwrite \\
              gitrepository demo-gitops reconcile.fluxcd.io/requestedAt="$(date +%s)"`
      : ""
  }
Ctrl-C stops the agent, web, kas${gitops ? ", Flux, the git server" : ""} and the testbed.`);

  // The cluster's processes (etcd, kube-apiserver, controller-manager, scheduler, kwok) and Flux's.
  const parts: Part[] = [
    ...Object.entries(tb.pids).map(([name, pid]) => ({ name, pid, log: path.join(tb.dir, "logs", `${name}.log`) })),
    ...Object.entries(gitops?.flux.controllers ?? {}).flatMap(([name, p]) =>
      p ? [{ name, pid: p.pid, log: p.logFile }] : [],
    ),
  ].filter((p) => p.pid > 0);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    await gitops?.stop();
    await tb.stop();
    process.exit(code);
  };
  const died = (what: string, how: string, log: string) => {
    if (stopping) return;
    console.error(`\ndemo: ${what} ${how}; stopping everything (its log: ${log}).`);
    void stop(1);
  };
  const watch = setInterval(() => {
    const dead = parts.find((p) => !alive(p.pid));
    if (dead) died(`the testbed's ${dead.name} (pid ${dead.pid})`, "died", dead.log);
  }, 2_000);
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  // Ctrl-C reaches the children too: a child ended by SIGINT is the user's stop, not a failure.
  const onExit = (what: string, log: string) => (code: number | null, signal: NodeJS.Signals | null) =>
    signal === "SIGINT" ? void stop(0) : died(what, `exited (${signal ?? `code ${code}`})`, log);
  web.on("exit", onExit("web + kas", "the output above"));
  agent.on("exit", onExit("the agent", "the output above (LOG_LEVEL=warn)"));
}

main().catch((e: unknown) => {
  console.error(`demo: ${(e as Error).message}`);
  process.exit(1);
});
