// The stall share of a request: the fraction of its wall time in which none of the processes on its
// path (client, kas, agent, API server, …) was running on a core. A path whose processes are all
// waiting (for a timer, a window update, a flush, each other) stalls; a path whose processes are busy
// does not, whatever the machine's speed, so the figure holds on any machine.
//
// A sampler child process (not one of the measured processes, so its own work does not count) looks
// at every thread of the measured processes about once a millisecond while a measurement is open
// (/proc/<pid>/task/<tid>/stat): a sample in which none is running or runnable (state R) is a
// moment the whole path was waiting — for a timer, a window update, a flush, the network, each
// other. The stall share is those samples over all samples. A runnable thread waiting for a core
// that other processes hold is not a stall of the path; how much of that there was is told apart
// (schedstat's run-queue time, summed over threads), to read beside the load average.
//
// Sampling a hundred threads a millisecond keeps most of a core busy (each reading says how much:
// samplerCpuMs), which on a small machine slows every process it watches: the benches therefore take
// the stall share in rounds of their own and never time throughput, latency or CPU while it samples.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import readline from "node:readline";

/** Runs in the sampler child (plain JavaScript, no imports but node's). */
const SAMPLER = String.raw`
const fs = require("node:fs");
const pids = process.argv[1].split(",").map(Number).filter((p) => p > 0);
let tasks = [];
let listedAt = 0;
function list() {
  tasks = [];
  for (const pid of pids) {
    try { for (const tid of fs.readdirSync("/proc/" + pid + "/task")) tasks.push("/proc/" + pid + "/task/" + tid + "/"); } catch {}
  }
  listedAt = Date.now();
}
// [ns on a core, ns runnable but waiting for one], summed over the threads.
function times() {
  let run = 0, wait = 0;
  for (const t of tasks) {
    try { const [r, w] = fs.readFileSync(t + "schedstat", "latin1").split(" ", 2); run += Number(r); wait += Number(w); } catch {}
  }
  return [run, wait];
}
// Is any thread of the path running or runnable right now (state R in its stat)?
function anyRunnable() {
  for (const t of tasks) {
    try { const s = fs.readFileSync(t + "stat", "latin1"); if (s[s.lastIndexOf(")") + 2] === "R") return true; } catch {}
  }
  return false;
}
let timer = null, t0 = 0n, first = [0, 0], samples = 0, idle = 0, cpu0 = null;
function sample() {
  if (Date.now() - listedAt > 100) list();
  samples++;
  if (!anyRunnable()) idle++;
}
require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "start") {
    list();
    samples = 0; idle = 0;
    first = times();
    t0 = process.hrtime.bigint();
    cpu0 = process.cpuUsage();
    timer = setInterval(sample, 1);
    process.stdout.write("started\n");
  } else if (line === "stop") {
    clearInterval(timer);
    sample();
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const now = times();
    const own = process.cpuUsage(cpu0);
    process.stdout.write(JSON.stringify({ wallMs: wall, runMs: (now[0] - first[0]) / 1e6, queuedMs: (now[1] - first[1]) / 1e6, samples, stalled: idle, samplerCpuMs: (own.user + own.system) / 1000 }) + "\n");
  }
});
`;

export interface StallReading {
  /** Wall time of the measured work (ms). */
  wallMs: number;
  /** Run time of the measured processes' threads in that window (ms, summed over threads). */
  runMs: number;
  /** Time those threads spent runnable but waiting for a core (ms, summed over threads): the machine's crowding. */
  queuedMs: number;
  /** Samples taken (about one per millisecond) and those in which no thread of the path was running or runnable. */
  samples: number;
  stalled: number;
  /** CPU the sampler itself spent in that window (ms): work the measured processes did not get done meanwhile. */
  samplerCpuMs: number;
}

export interface StallMeter {
  /** Runs `fn` and tells how much of its wall time no process on the path was running. */
  measure<T>(fn: () => Promise<T>): Promise<{ result: T; stall: StallReading }>;
  stop(): void;
}

/** A sampler over `pids` (the processes on the path, the caller's own included if it is on it). */
export function startStallMeter(pids: number[]): StallMeter {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ["-e", SAMPLER, pids.join(",")], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stderr.on("data", (b: Buffer) => process.stderr.write(`stall sampler: ${b.toString()}`));
  const lines = readline.createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const ask = (cmd: string) =>
    new Promise<string>((resolve) => {
      waiting.push(resolve);
      child.stdin.write(`${cmd}\n`);
    });
  return {
    async measure(fn) {
      await ask("start");
      const result = await fn();
      const stall = JSON.parse(await ask("stop")) as StallReading;
      return { result, stall };
    },
    stop() {
      child.kill();
    },
  };
}

/** The stall share of several readings together: samples in which the whole path waited, over all samples. */
export function stallShare(readings: StallReading[]): number {
  const n = readings.reduce((a, r) => a + r.samples, 0);
  return n > 0 ? readings.reduce((a, r) => a + r.stalled, 0) / n : Number.NaN;
}

/** The sampler's own CPU over the readings' wall time, as a share of one core. */
export function samplerLoad(readings: StallReading[]): number {
  const wall = readings.reduce((a, r) => a + r.wallMs, 0);
  return wall > 0 ? readings.reduce((a, r) => a + r.samplerCpuMs, 0) / wall : Number.NaN;
}
