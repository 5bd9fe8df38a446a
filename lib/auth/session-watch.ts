// A long-lived response (the live view's event stream, a pod's log) outlives the check made when it
// started. This re-reads the user every few seconds and aborts when the user was blocked or deleted, or
// their sessions were ended (the session version moved), so such a stream stops with everything else.
// One re-check per user serves all of that user's streams in this process (a user with ten tabs costs
// one query per interval, not ten), and `endUserStreams` ends them at once when this process is the one
// that blocked the user or ended their sessions; other web processes notice at their next re-check.
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

const log = logger.child({ capability: "auth" });

export const SESSION_RECHECK_MS = 10_000;

interface Stream {
  controller: AbortController;
  /** The session version when the stream started. */
  version: number;
}

interface UserWatch {
  /** The database the user lives in (tests run several side by side; a user id belongs to one). */
  db: Db;
  streams: Set<Stream>;
  timer: NodeJS.Timeout;
}

/**
 * Every user with an open stream in this process; one re-check timer each, at the first stream's interval.
 * On globalThis: web's own WebSocket handler (a shell, loaded beside Next.js rather than in its bundle) and
 * the routes that end sessions must see one registry, not a copy each.
 */
const g = globalThis as unknown as { tetherSessionWatches?: Map<string, UserWatch> };
const watches = (g.tetherSessionWatches ??= new Map<string, UserWatch>());

function readState(db: Db, userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true, blockedAt: true } });
}

function end(stream: Stream, reason: string): void {
  if (!stream.controller.signal.aborted) stream.controller.abort(new Error(reason));
}

function forget(userId: string, stream: Stream): void {
  const watch = watches.get(userId);
  if (!watch) return;
  watch.streams.delete(stream);
  if (watch.streams.size === 0) {
    clearInterval(watch.timer);
    watches.delete(userId);
  }
}

function recheck(userId: string, { db, streams }: UserWatch): void {
  readState(db, userId).then(
    (now) => {
      for (const stream of [...streams]) {
        if (!now || now.blockedAt || now.sessionVersion !== stream.version) {
          log.info({ event: "stream_session_ended", userId }, "session ended: closing the user's stream");
          end(stream, "session ended");
        }
      }
    },
    (e: unknown) => log.warn({ err: e, userId }, "could not re-check a stream's session; will try again"),
  );
}

/** A signal that aborts when `request` does, or when the user's session is no longer valid. */
export async function sessionBoundSignal(
  db: Db,
  userId: string,
  request: AbortSignal,
  intervalMs: number = SESSION_RECHECK_MS,
): Promise<AbortSignal> {
  const start = await readState(db, userId);
  const controller = new AbortController();
  if (!start || start.blockedAt) {
    controller.abort(new Error("session ended"));
    return controller.signal;
  }
  if (request.aborted) {
    controller.abort(new Error("request aborted"));
    return controller.signal;
  }
  const stream: Stream = { controller, version: start.sessionVersion };
  let watch = watches.get(userId);
  if (!watch) {
    const w: UserWatch = { db, streams: new Set(), timer: setInterval(() => recheck(userId, w), intervalMs) };
    w.timer.unref();
    watches.set(userId, (watch = w));
  }
  watch.streams.add(stream);

  controller.signal.addEventListener("abort", () => forget(userId, stream), { once: true });
  request.addEventListener("abort", () => end(stream, "request aborted"), { once: true });
  return controller.signal;
}

/**
 * Ends every stream of `userId` in this process now: called right after the user is blocked or their
 * sessions are ended here. Returns how many streams it ended.
 */
export function endUserStreams(userId: string, reason = "session ended"): number {
  const watch = watches.get(userId);
  if (!watch) return 0;
  const streams = [...watch.streams];
  for (const stream of streams) end(stream, reason);
  if (streams.length)
    log.info({ event: "stream_session_ended", userId, streams: streams.length }, "closing the user's streams");
  return streams.length;
}

/** How many users have their streams re-checked, and how many streams that covers (for tests and metrics). */
export function watchedStreams(): { users: number; streams: number } {
  let streams = 0;
  for (const w of watches.values()) streams += w.streams.size;
  return { users: watches.size, streams };
}
