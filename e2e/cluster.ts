// A real cluster for a spec: the testbed (kube-apiserver, etcd, kwok) started before its tests and
// stopped after, and real agent processes dialling the product's kas with a token from the UI or API.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { test } from "./test";
import { ensureTestbedBinaries } from "../testbed/build";
import { startTestbed, type Testbed } from "../testbed/cluster";
import { TESTBED_DEFAULT_KUBERNETES } from "../testbed/versions";
import { e2eServer } from "./product-server";

const run = promisify(execFile);
const root = path.resolve(__dirname, "..");
/** As playwright.config.ts: kas's ports and the data dir follow the web port. */
export const KAS_AGENT_ADDRESS = e2eServer.kasAgentAddress;
export const KAS_PID_FILE = e2eServer.kasPidFile;

export interface SpecCluster {
  readonly testbed: Testbed;
  readonly workDir: string;
  /**
   * Starts a real agent with `token` dialling `kasAddress` (the product's kas by default), with `args` added
   * (e.g. a receptive agent's listener, which kas dials instead); its log is `<name>-agent.log` in workDir.
   * Stopped after the spec.
   */
  startAgent(token: string, name?: string, kasAddress?: string, args?: string[]): ChildProcess;
  kubectl(...args: string[]): Promise<{ stdout: string; stderr: string }>;
}

/** Registers beforeAll/afterAll hooks in the calling spec and returns the cluster they manage. */
export function specCluster(prefix: string): SpecCluster {
  let testbed: Testbed | undefined;
  let workDir = "";
  const agents: ChildProcess[] = [];

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), `tether-e2e-${prefix}-`));
    // Traversable, not listable: as root, kwok runs an exec'd command as nobody in a folder of the testbed
    // (which makes its own folder so), and nobody must be able to pass through this one to reach it.
    fs.chmodSync(workDir, 0o711);
    await ensureTestbedBinaries(TESTBED_DEFAULT_KUBERNETES, () => {});
    testbed = await startTestbed({ dir: path.join(workDir, "testbed"), version: TESTBED_DEFAULT_KUBERNETES });
  });

  test.afterAll(async () => {
    test.setTimeout(60_000);
    for (const agent of agents) {
      if (agent.exitCode !== null) continue;
      agent.kill("SIGTERM");
      await new Promise((r) => agent.once("exit", r));
    }
    await testbed?.stop();
    if (workDir) {
      // The agents' logs outlive the spec: log-scan.spec.ts reads them with the product's.
      fs.mkdirSync(e2eServer.agentLogDir, { recursive: true });
      for (const f of fs.readdirSync(workDir).filter((n) => n.endsWith("-agent.log")))
        fs.copyFileSync(path.join(workDir, f), path.join(e2eServer.agentLogDir, `${prefix}-${f}`));
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  });

  return {
    get testbed() {
      if (!testbed) throw new Error("the testbed starts in beforeAll; use it inside a test");
      return testbed;
    },
    get workDir() {
      return workDir;
    },
    startAgent(token: string, name = "agent", kasAddress = KAS_AGENT_ADDRESS, args: string[] = []) {
      const tokenFile = path.join(workDir, `${name}-token`);
      fs.writeFileSync(tokenFile, token, { mode: 0o600 });
      const log = fs.openSync(path.join(workDir, `${name}-agent.log`), "a");
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "agent/main.ts",
          `--kas-address=${kasAddress}`,
          `--token-file=${tokenFile}`,
          `--kubeconfig=${this.testbed.kubeconfig}`,
          "--observability-address=127.0.0.1:0",
          ...args,
        ],
        { cwd: root, stdio: ["ignore", log, log], env: { ...process.env, LOG_LEVEL: "info" } },
      );
      agents.push(child);
      return child;
    },
    kubectl(...args: string[]) {
      return run(this.testbed.kubectlPath, ["--kubeconfig", this.testbed.kubeconfig, ...args]);
    },
  };
}
