// kas learns of receptive URL changes at once: it long-polls web's internal API with the version it has,
// and web answers as soon as this process's version moves (or when the wait runs out). The version
// starts from a random boot id, so a restarted web never answers "unchanged" to an old version.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";

const boot = randomBytes(4).toString("hex");
let counter = 0;
const events = new EventEmitter();
events.setMaxListeners(0);

export function receptiveVersion(): string {
  return `${boot}-${counter}`;
}

export function noteReceptiveChange(): void {
  counter += 1;
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
