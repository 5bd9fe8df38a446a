// The seam between a process (kas, the agent) and its capabilities: each capability is a folder whose
// index.ts exports one Capability; the process starts its list in order and stops it in reverse.
import type { Logger } from "pino";

/** What a started capability hands back: how to stop it, and what it adds to the process's startup line. */
export interface RunningCapability<Report> {
  stop(): void | Promise<void>;
  /** Facts for the "listening"/"starting" log line (ports, addresses). */
  report?: Partial<Report>;
}

/**
 * One capability. `start` gets the process's context with its own child logger (`capability` field
 * set) and must not wait on a network peer: the process logs that it started only after every
 * capability has.
 */
export interface Capability<Context extends { log: Logger }, Report = Record<string, never>> {
  readonly name: string;
  start(ctx: Context): RunningCapability<Report> | Promise<RunningCapability<Report>>;
}

export interface RunningCapabilities<Report> {
  /** Every capability's report, merged in list order. */
  report: Partial<Report>;
  /** Stops the capabilities in reverse order, each after the one started after it has stopped. */
  stop(): Promise<void>;
}

/** Starts `list` in order. If one fails to start, those already started are stopped (in reverse) and the error is thrown. */
export async function startCapabilities<Context extends { log: Logger }, Report>(
  list: readonly Capability<Context, Report>[],
  ctx: Context,
): Promise<RunningCapabilities<Report>> {
  const started: RunningCapability<Report>[] = [];
  const stopAll = async () => {
    for (const running of started.splice(0).reverse()) await running.stop();
  };
  const report: Partial<Report> = {};
  try {
    for (const capability of list) {
      const running = await capability.start({ ...ctx, log: ctx.log.child({ capability: capability.name }) });
      started.push(running);
      Object.assign(report, running.report);
    }
  } catch (e) {
    await stopAll().catch(() => undefined);
    throw e;
  }
  return { report, stop: stopAll };
}
