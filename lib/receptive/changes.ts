// kas learns of receptive URL changes within moments: it long-polls web's internal API with the version it
// has, and web answers as soon as the version differs (urls.ts, receptiveAgentsForKas). The version is a hash
// of what kas dials, read from the database, so every web replica computes the same one: a poll that reaches
// another replica than the last waits as it should (a per-process version answered every poll at once when a
// load balancer alternated), and a restarted web never answers "changed" for nothing. A change saved in this
// process wakes its held polls at once through this signal; one saved by another replica is read at the held
// poll's next re-read (RECEPTIVE_RECHECK_MS). Kept on globalThis: the REST route that saves and the internal
// route kas polls must share one signal even if the bundler gives each route its own copy of this module.
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";

/** How often a held poll re-reads the configurations, for changes saved by another web replica. */
export const RECEPTIVE_RECHECK_MS = 2_000;

interface ChangeSignal {
  counter: number;
  events: EventEmitter;
}

const g = globalThis as unknown as { tetherReceptiveChanges?: ChangeSignal };
const signal: ChangeSignal = (g.tetherReceptiveChanges ??= {
  counter: 0,
  events: new EventEmitter().setMaxListeners(0),
});
const events = signal.events;

/** The configurations' version: the same on every replica for the same rows (only what kas dials counts). */
export function receptiveVersionOf(
  rows: {
    agentId: string;
    url: string;
    caCert: string | null;
    tlsServerName: string | null;
    authMethod: string;
    clientCert: string | null;
    privateKeyEncrypted: string;
  }[],
): string {
  const fields = rows.map((r) => [
    r.agentId,
    r.url,
    r.caCert,
    r.tlsServerName,
    r.authMethod,
    r.clientCert,
    r.privateKeyEncrypted,
  ]);
  return createHash("sha256").update(JSON.stringify(fields)).digest("base64url").slice(0, 22);
}

/** How many changes this process saved: read before the database, so a change in between is not waited for. */
export function localReceptiveChanges(): number {
  return signal.counter;
}

export function noteReceptiveChange(): void {
  signal.counter += 1;
  events.emit("change");
}

/** Resolves when this process saved a change after `seen` (localReceptiveChanges), or after `waitMs`. */
export function receptiveChangeHere(seen: number, waitMs: number): Promise<void> {
  if (seen !== signal.counter || waitMs <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      events.off("change", done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    events.on("change", done);
  });
}
