// What every benchmark shares: percentiles of a sample, and running main() with a clear failure.

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
