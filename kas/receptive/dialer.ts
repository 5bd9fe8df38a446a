// One receptive agent's connection, owned by kas: dial, authenticate, then hand the connection to kas's
// own agent gRPC server (through a private Unix socket it also listens on), so that the agent runs its
// ordinary tunnel client over it. When the connection ends or a dial fails, try again with backoff and
// jitter, and tell web each time what happened in words the agent page can show.
import net from "node:net";
import type { Logger } from "pino";
import { backoffDelay } from "../../lib/common/backoff";
import type { KasWebRequest } from "../../lib/common/kas-web-contract";
import { dialReceptiveAgent, ReceptiveDialError, type ReceptiveTarget } from "./dial";

const RECEPTIVE_BACKOFF = { baseMs: 1_000, capMs: 15_000 };
/** How soon a kas that found the agent held by another asks again (take-over within seconds). */
const BUSY_RETRY = { baseMs: 3_000, capMs: 3_000 };

export type ReceptiveState = KasWebRequest<"receptive-state">;

export interface DialerDeps {
  /** kas's agent server, listening on a Unix socket for dialled connections. */
  agentSocketPath: string;
  report(state: ReceptiveState): Promise<void>;
  log: Logger;
  onDialFailure(kind: string): void;
  onConnected(delta: 1 | -1): void;
  /** Retry delays: 1 s doubling to 15 s by default (someone may be watching the page wait for it). */
  backoff?: { baseMs: number; capMs: number };
}

export class ReceptiveDialer {
  private readonly abort = new AbortController();
  private current: net.Socket[] = [];
  readonly done: Promise<void>;

  constructor(
    readonly agentId: string,
    readonly target: ReceptiveTarget,
    private readonly deps: DialerDeps,
  ) {
    this.done = this.run();
  }

  private report(state: ReceptiveState["state"], message: string | null): void {
    this.deps
      .report({ agentId: this.agentId, state, message })
      .catch((e: Error) =>
        this.deps.log.warn({ agentId: this.agentId, err: e.message }, "cannot report receptive state to web"),
      );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.abort.signal.removeEventListener("abort", done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.abort.signal.addEventListener("abort", done, { once: true });
    });
  }

  private async run(): Promise<void> {
    const { log } = this.deps;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      let remote: net.Socket;
      try {
        remote = await dialReceptiveAgent(this.target, { signal: this.abort.signal });
      } catch (e) {
        if (this.abort.signal.aborted) return;
        if (e instanceof ReceptiveDialError && e.kind === "busy") {
          // Another kas holds the agent and reports its state; this one only waits to take over.
          failures = 0;
          log.debug({ agentId: this.agentId }, "receptive agent held by another kas");
          await this.sleep(backoffDelay(1, Math.random, BUSY_RETRY));
          continue;
        }
        failures += 1;
        const delay = backoffDelay(failures, Math.random, this.deps.backoff ?? RECEPTIVE_BACKOFF);
        const kind = e instanceof ReceptiveDialError ? e.kind : "protocol";
        const message = `${(e as Error).message} (retrying in ${Math.max(1, Math.round(delay / 1000))} s)`;
        this.deps.onDialFailure(kind);
        log.warn(
          { agentId: this.agentId, url: this.target.url, kind, err: (e as Error).message, retryInMs: delay },
          "cannot connect to receptive agent",
        );
        this.report("failing", message);
        await this.sleep(delay);
        continue;
      }
      failures = 0;
      log.info({ agentId: this.agentId, url: this.target.url }, "receptive agent connected");
      this.report("connected", null);
      await this.carry(remote);
      if (this.abort.signal.aborted) return;
      log.info({ agentId: this.agentId, url: this.target.url }, "receptive agent connection ended; dialling again");
      // A connection that ends at once (the agent restarting) is not hammered: a short pause first.
      await this.sleep(backoffDelay(1, Math.random, { baseMs: 500, capMs: 500 }));
    }
  }

  /** Joins the dialled connection to kas's agent server until either side closes. */
  private carry(remote: net.Socket): Promise<void> {
    return new Promise((resolve) => {
      const local = net.connect(this.deps.agentSocketPath);
      this.current = [remote, local];
      this.deps.onConnected(1);
      let closed = 0;
      const close = () => {
        remote.destroy();
        local.destroy();
        if (++closed === 2) {
          this.current = [];
          this.deps.onConnected(-1);
          resolve();
        }
      };
      remote.once("close", close).on("error", () => undefined);
      local.once("close", close).on("error", () => undefined);
      remote.pipe(local);
      local.pipe(remote);
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const s of this.current) s.destroy();
    await this.done;
  }
}
