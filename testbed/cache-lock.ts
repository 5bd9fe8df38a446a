// One build at a time per cached artifact: concurrent callers (the integration global setup, e2e's
// cluster, `npm run testbed:build`, a second checkout's tests) wait for the build that is under way
// instead of starting their own, then reuse what it left in the cache.
import fsp from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import type { Log } from "./run";
import { cacheRoot } from "./versions";

/** A lock whose holder stopped refreshing it for this long (killed, crashed) is taken over. */
const STALE_MS = 120_000;

/**
 * Runs `build` while holding the cache lock `name`, unless `ready()` says the artifact is there (checked
 * before and again after the lock is taken, since the previous holder may have just built it).
 */
export async function withCacheLock<T>(
  name: string,
  ready: () => boolean,
  build: () => Promise<T>,
  done: () => T,
  log: Log,
): Promise<T> {
  if (ready()) return done();
  const root = cacheRoot();
  await fsp.mkdir(root, { recursive: true });
  const lockPath = path.join(root, `${name}.lock`);
  let waitingSince = 0;
  let release: (() => Promise<void>) | undefined;
  while (!release) {
    try {
      release = await lockfile.lock(path.join(root, name), {
        realpath: false,
        lockfilePath: lockPath,
        stale: STALE_MS,
        update: STALE_MS / 4,
        // A build under a loaded machine may miss a refresh; it keeps going rather than throwing.
        onCompromised: (err) => log(`testbed: the lock ${lockPath} was taken over (${err.message}); building on`),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ELOCKED") throw err;
      if (!waitingSince) {
        waitingSince = Date.now();
        log(`testbed: another process is building ${name} (lock ${lockPath}); waiting for it`);
      } else if (Date.now() - waitingSince > 60_000 && (Date.now() - waitingSince) % 60_000 < 5_000) {
        log(`testbed: still waiting for ${name} (${Math.round((Date.now() - waitingSince) / 1000)}s)`);
      }
      await new Promise((r) => setTimeout(r, 5_000));
    }
  }
  try {
    if (ready()) return done();
    return await build();
  } finally {
    await release().catch(() => {});
  }
}
