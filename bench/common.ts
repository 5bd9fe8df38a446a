// What every benchmark shares: percentiles of a sample, CPU time per process, and running main()
// with a clear failure.
import fs from "node:fs";

/** The p-th percentile (0–100) of a sample, nearest-rank. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** Runs a benchmark's main and exits 0, or prints "<name> failed: …" and exits 1. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(`${name} failed: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}

/** CPU time (user + system, ms) each process has used so far, from /proc (Linux). */
export function cpuMs(pids: Record<string, number>): Record<string, number> {
  const tick = 1000 / 100; // USER_HZ
  const out: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      out[name] = (Number(f[11]) + Number(f[12])) * tick;
    } catch {
      out[name] = Number.NaN;
    }
  }
  return out;
}
