// A long-lived response (the live view's event stream) outlives the check made when it started. This
// re-reads the user every few seconds and aborts when the user was blocked or deleted, or their sessions
// were ended (the session version moved), so such a stream stops with everything else.
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

const log = logger.child({ capability: "auth" });

export const SESSION_RECHECK_MS = 10_000;

/** A signal that aborts when `request` does, or when the user's session is no longer valid. */
export async function sessionBoundSignal(
  db: Db,
  userId: string,
  request: AbortSignal,
  intervalMs: number = SESSION_RECHECK_MS,
): Promise<AbortSignal> {
  const state = async () =>
    db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true, blockedAt: true } });
  const start = await state();
  const controller = new AbortController();
  const stop = (reason: string) => {
    clearInterval(timer);
    if (!controller.signal.aborted) controller.abort(new Error(reason));
  };
  const timer = setInterval(() => {
    state().then(
      (now) => {
        if (!now || now.blockedAt || now.sessionVersion !== start?.sessionVersion) {
          log.info({ event: "stream_session_ended", userId }, "session ended: closing the user's stream");
          stop("session ended");
        }
      },
      (e: unknown) => log.warn({ err: e, userId }, "could not re-check a stream's session; will try again"),
    );
  }, intervalMs);
  timer.unref();
  if (!start || start.blockedAt) stop("session ended");
  if (request.aborted) stop("request aborted");
  else request.addEventListener("abort", () => stop("request aborted"), { once: true });
  return controller.signal;
}
