// `npm run bench:agent`: the agent's footprint as its image runs it (`npm run build:agent`'s single
// JavaScript file) and as the sources run under tsx: CPU time and memory (RSS) to start and connect,
// memory after a load (bursts of small requests and LISTs of 1,000 ConfigMaps), and CPU per large
// LIST, each variant in its own tunnel stack against the same testbed. The Deployment gives the agent
// 500m of CPU and 256 MiB of memory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureTestbedBinaries } from "../../testbed/build";
import { apiserverRequest, startTestbed } from "../../testbed/cluster";
import { TESTBED_DEFAULT_KUBERNETES } from "../../testbed/versions";
import { buildAgentBundle, startTunnelStack } from "../../testbed/tunnel-stack";
import { cpuMs, percentile, runBench } from "../common";

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

interface Footprint {
  startCpuMs: number;
  startRssMb: number;
  loadedRssMb: number;
  listCpuMs: number;
}

async function measure(kubeconfig: string, bundle: string | undefined): Promise<Footprint> {
  const rig = await startTunnelStack(kubeconfig, { agentBundle: bundle });
  try {
    const pid = rig.agent.child.pid!;
    // Connected (waitForAgent saw its idle streams): what starting cost.
    const startCpuMs = cpuMs({ agent: pid }).agent!;
    const startRssMb = rssMb(pid);
    const list = (p: string) => rig.client.agentFetch(rig.agentId, { path: p }).then((r) => r.arrayBuffer());
    for (let k = 0; k < 20; k++) await Promise.all(Array.from({ length: 40 }, () => list("/api")));
    for (let k = 0; k < 80; k++) await list("/api/v1/namespaces/bench/configmaps");
    const per: number[] = [];
    for (let k = 0; k < 7; k++) {
      const before = cpuMs({ agent: pid }).agent!;
      await list("/api/v1/namespaces/bench-big/configmaps");
      per.push(cpuMs({ agent: pid }).agent! - before);
    }
    return { startCpuMs, startRssMb, loadedRssMb: rssMb(pid), listCpuMs: percentile(per, 50) };
  } finally {
    await rig.stop();
  }
}

async function main(): Promise<void> {
  const version = TESTBED_DEFAULT_KUBERNETES;
  await ensureTestbedBinaries(version, (m) => console.log(m));
  const bundle = await buildAgentBundle();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-bench-agent-"));
  const tb = await startTestbed({ dir, version, workloads: false });
  try {
    console.log("bench: creating 1,000 ConfigMaps and 40 large ones…");
    for (const ns of ["bench", "bench-big"])
      await apiserverRequest(tb, "POST", "/api/v1/namespaces", { metadata: { name: ns } });
    for (let i = 0; i < 1000; i += 50)
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          apiserverRequest(tb, "POST", "/api/v1/namespaces/bench/configmaps", {
            metadata: { name: `cm-${i + j}` },
            data: { text: "lorem ipsum ".repeat(20) },
          }),
        ),
      );
    const big = "y".repeat(900_000);
    for (let i = 0; i < 40; i += 10)
      await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          apiserverRequest(tb, "POST", "/api/v1/namespaces/bench-big/configmaps", {
            metadata: { name: `big-${i + j}` },
            data: { big },
          }),
        ),
      );

    console.log("bench: the agent from its sources (tsx)…");
    const sources = await measure(tb.kubeconfig, undefined);
    console.log("bench: the agent as its image runs it (one bundled file)…");
    const bundled = await measure(tb.kubeconfig, bundle.file);

    const row = (name: string, s: number, b: number, unit: string) =>
      console.log(
        `${name.padEnd(52)} ${s.toFixed(0).padStart(8)} ${b.toFixed(0).padStart(8)} ${unit.padEnd(4)} ${(b / s).toFixed(2).padStart(6)}×`,
      );
    console.log(
      `\nbench/agent — Kubernetes ${version}, ${os.cpus().length} CPUs (load average ${os.loadavg()[0]!.toFixed(1)})`,
    );
    console.log(
      `${"measure".padEnd(52)} ${"sources".padStart(8)} ${"bundle".padStart(8)} ${"unit".padEnd(4)} ${"ratio".padStart(7)}`,
    );
    row("CPU to start and connect to kas", sources.startCpuMs, bundled.startCpuMs, "ms");
    row("memory (RSS) when connected", sources.startRssMb, bundled.startRssMb, "MB");
    row("memory (RSS) after 800 small requests and 80 LISTs", sources.loadedRssMb, bundled.loadedRssMb, "MB");
    row("CPU per 36 MB LIST, median of 7", sources.listCpuMs, bundled.listCpuMs, "ms");
    console.log("the Deployment's limits: 500m CPU, 256 MiB memory");
  } finally {
    await tb.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(bundle.dir, { recursive: true, force: true });
  }
}

runBench("bench/agent", main);
