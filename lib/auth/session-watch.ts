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
  streams: Set<Stream>;
  timer: NodeJS.Timeout;
}

// On globalThis: the web server's own WebSocket handler (a shell, loaded beside Next.js rather than in its
// bundle) and the routes that end sessions must see one registry, not a copy each.
const g = globalThis as unknown as {
  tetherSessionWatches?: WeakMap<Db, Map<string, UserWatch>>;
  tetherSessionStreams?: Map<string, Set<Stream>>;
};
/** Per database client (tests use several), per user and re-check interval. */
const watches = (g.tetherSessionWatches ??= new WeakMap<Db, Map<string, UserWatch>>());
/** Every user's streams in this process, for `endUserStreams` (which has no database client at hand). */
const byUser = (g.tetherSessionStreams ??= new Map<string, Set<Stream>>());

function readState(db: Db, userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true, blockedAt: true } });
}

function end(stream: Stream, reason: string): void {
  if (!stream.controller.signal.aborted) stream.controller.abort(new Error(reason));
}

function forget(db: Db, userId: string, key: string, stream: Stream): void {
  const users = watches.get(db);
  const watch = users?.get(key);
  if (watch) {
    watch.streams.delete(stream);
    if (watch.streams.size === 0) {
      clearInterval(watch.timer);
      users?.delete(key);
    }
  }
  const all = byUser.get(userId);
  all?.delete(stream);
  if (all?.size === 0) byUser.delete(userId);
}

function recheck(db: Db, userId: string, streams: Set<Stream>): void {
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
  let users = watches.get(db);
  if (!users) watches.set(db, (users = new Map()));
  const key = `${userId}:${intervalMs}`;
  let watch = users.get(key);
  if (!watch) {
    const streams = new Set<Stream>();
    const timer = setInterval(() => recheck(db, userId, streams), intervalMs);
    timer.unref();
    watch = { streams, timer };
    users.set(key, watch);
  }
  watch.streams.add(stream);
  let all = byUser.get(userId);
  if (!all) byUser.set(userId, (all = new Set()));
  all.add(stream);

  controller.signal.addEventListener("abort", () => forget(db, userId, key, stream), { once: true });
  request.addEventListener("abort", () => end(stream, "request aborted"), { once: true });
  return controller.signal;
}

/**
 * Ends every stream of `userId` in this process now: called right after the user is blocked or their
 * sessions are ended here. Returns how many streams it ended.
 */
export function endUserStreams(userId: string, reason = "session ended"): number {
  const all = byUser.get(userId);
  if (!all) return 0;
  const streams = [...all];
  for (const stream of streams) end(stream, reason);
  if (streams.length)
    log.info({ event: "stream_session_ended", userId, streams: streams.length }, "closing the user's streams");
  return streams.length;
}

/** How many users have their streams re-checked, and how many streams that covers (for tests and metrics). */
export function watchedStreams(): { users: number; streams: number } {
  let streams = 0;
  for (const s of byUser.values()) streams += s.size;
  return { users: byUser.size, streams };
}
