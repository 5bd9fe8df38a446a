// kas learns of receptive URL changes at once: it long-polls web's internal API with the version it has,
// and web answers as soon as this process's version moves (or when the wait runs out). The version
// starts from a random boot id, so a restarted web never answers "unchanged" to an old version. Kept on
// globalThis: the REST route that saves and the internal route kas polls must share one signal even if
// the bundler gives each route its own copy of this module.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";

interface ChangeSignal {
  boot: string;
  counter: number;
  events: EventEmitter;
}

const g = globalThis as unknown as { tetherReceptiveChanges?: ChangeSignal };
const signal: ChangeSignal = (g.tetherReceptiveChanges ??= {
  boot: randomBytes(4).toString("hex"),
  counter: 0,
  events: new EventEmitter().setMaxListeners(0),
});
const events = signal.events;

export function receptiveVersion(): string {
  return `${signal.boot}-${signal.counter}`;
}

export function noteReceptiveChange(): void {
  signal.counter += 1;
  events.emit("change");
}

/** Resolves when the version differs from `since`, or after `waitMs`. */
export function waitForReceptiveChange(since: string, waitMs: number): Promise<void> {
  if (since !== receptiveVersion() || waitMs <= 0) return Promise.resolve();
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
