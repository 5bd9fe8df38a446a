// web's health for Kubernetes probes, like kas's and the agent's /healthz and /readyz: alive as long as the
// process answers; ready when the database answers a query within the probe's time.
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

const log = logger.child({ capability: "health" });

/** How long the database may take to answer before web calls itself not ready (the probe waits 3 s). */
export const READINESS_DB_TIMEOUT_MS = 2_000;

const plain = (status: number, body: string) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

export function livenessResponse(): Response {
  return plain(200, "ok\n");
}

/** A short reason for the log: the message's first line, else the driver's kind (never the database URL). */
function describeFailure(e: unknown): string {
  const message = e instanceof Error ? e.message.split("\n")[0]?.trim() : "";
  if (message) return message;
  const kind = (e as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } }).meta?.driverAdapterError?.cause
    ?.kind;
  return typeof kind === "string" ? kind : e instanceof Error ? e.name : "unknown error";
}

/** 200 "ok" when the database answers `SELECT 1`, else 503 saying why (the reason is logged, not the URL). */
export async function readinessResponse(db: Db, timeoutMs: number = READINESS_DB_TIMEOUT_MS): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return plain(200, "ok\n");
  } catch (e) {
    const reason = describeFailure(e);
    log.warn({ reason }, "not ready: the database does not answer");
    return plain(503, "not ready: the database does not answer\n");
  } finally {
    clearTimeout(timer);
  }
}
