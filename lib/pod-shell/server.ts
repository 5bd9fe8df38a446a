// The shell's server side: web's HTTP server hands it `GET /api/agents/:id/exec` upgrades (Next.js route
// handlers cannot take a WebSocket). Before accepting: the Origin must be ours and the session cookie a
// live session. After: the agent must be visible to the user, the cluster must allow the viewer `create` on
// pods/exec (SelfSubjectAccessReview, impersonated), and then the command runs as the viewer through the
// tunnel. The session ends, with an "end" message and a close frame saying why, when the command exits,
// the page closes it, the user's sessions end or the user is blocked (sessionBoundSignal), or it idles.
// Every session that reached the cluster is audited (`cluster.exec`) when it ends, refusals too.
import type http from "node:http";
import type { Duplex } from "node:stream";
import { Counter, Gauge } from "prom-client";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { recordAudit } from "@/lib/audit/audit";
import { sessionBoundSignal, SESSION_RECHECK_MS } from "@/lib/auth/session-watch";
import { clientAddress } from "@/lib/auth/sign-in";
import { userFromCookie } from "@/lib/auth/upgrade-session";
import type { CurrentUser } from "@/lib/auth/session";
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { webSocketOriginRefusal } from "@/lib/web-security";
import type { Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { logger } from "@/lib/log/logger";
import { webMetricsRegistry } from "@/lib/metrics";
import { AgentNotConnectedError, TunnelError, UpstreamStatusError, type TunnelClient } from "@/lib/tunnel-client";
import type { Impersonation } from "@/proto/gen/tether/v1/tunnel";
import { openExec, type ExecSession } from "./exec";
import {
  SHELL_CLOSE,
  clientMessage,
  closeReason,
  parseShellQuery,
  type ServerMessage,
  type ShellQuery,
} from "./protocol";

const log = logger.child({ capability: "pod-shell" });

export const EXEC_PATH = /^\/api\/agents\/([^/]+)\/exec$/;

export type ShellOutcome =
  "exited" | "closed" | "session_ended" | "idle" | "refused" | "failed" | "not_connected" | "limit" | "invalid";

const g = globalThis as unknown as {
  tetherShellMetrics?: { open: Gauge; total: Counter<"outcome"> };
};
function metrics() {
  g.tetherShellMetrics ??= {
    open: new Gauge({
      name: "tether_web_shell_sessions_open",
      help: "Shells into containers open now (browser WebSockets carried through the tunnel)",
      registers: [webMetricsRegistry()],
    }),
    total: new Counter({
      name: "tether_web_shell_sessions_total",
      help: "Shell sessions by how they ended (exited, closed, session_ended, idle, refused, failed, not_connected, limit, invalid)",
      labelNames: ["outcome"],
      registers: [webMetricsRegistry()],
    }),
  };
  return g.tetherShellMetrics;
}

export interface ShellServerOptions {
  db: Db;
  tunnel: Pick<TunnelClient, "agentSocket" | "agentFetch" | "agentJson" | "agentStatus">;
  /** Origins we are served at besides the Host header's (NEXTAUTH_URL). */
  extraOrigins?: readonly string[];
  /** Shells one user may have open at once in this process. */
  maxPerUser?: number;
  /** A shell with no input and no output this long is closed. */
  idleMs?: number;
  sessionRecheckMs?: number;
}

export const DEFAULT_MAX_SHELLS_PER_USER = 5;
export const DEFAULT_IDLE_MS = 15 * 60_000;

/** Writes a plain HTTP refusal on a socket that was not upgraded, and closes it. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : "Bad Request"}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** What the page is told, and the metric's outcome, when opening the session failed with `e`. */
export function endForError(e: unknown): { code: number; reason: string; outcome: ShellOutcome; status?: number } {
  if (e instanceof UpstreamStatusError) {
    const code =
      e.status === 403 ? SHELL_CLOSE.refused : e.status === 404 ? SHELL_CLOSE.notFound : SHELL_CLOSE.clusterError;
    return { code, reason: `the cluster refused: ${e.reason}`, outcome: "refused", status: e.status };
  }
  if (e instanceof AgentNotConnectedError)
    return { code: SHELL_CLOSE.notConnected, reason: e.message, outcome: "not_connected" };
  if (e instanceof TunnelError) return { code: SHELL_CLOSE.clusterError, reason: e.message, outcome: "failed" };
  return { code: 1011, reason: "the shell could not be opened (see web's log)", outcome: "failed" };
}

export interface ShellServer {
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every open shell (web shutting down). */
  close(): void;
}

export function createShellServer(o: ShellServerOptions): ShellServer {
  const maxPerUser = o.maxPerUser ?? DEFAULT_MAX_SHELLS_PER_USER;
  const idleMs = o.idleMs ?? DEFAULT_IDLE_MS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const openByUser = new Map<string, number>();
  const live = new Set<() => void>();

  async function accept(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://web.invalid");
    const agentId = decodeURIComponent(EXEC_PATH.exec(url.pathname)?.[1] ?? "");
    const refusal = webSocketOriginRefusal(req.headers, o.extraOrigins ?? []);
    if (refusal) {
      log.warn({ event: "shell_origin_refused", origin: req.headers.origin }, refusal);
      return refuseUpgrade(socket, 403, refusal);
    }
    const user = await userFromCookie(o.db, req.headers.cookie);
    if (!user) return refuseUpgrade(socket, 401, "Sign in first (your session may have expired)");
    const ip = clientAddress(req.headers) ?? req.socket.remoteAddress;
    wss.handleUpgrade(req, socket, head, (ws) => void run(ws, user, agentId, url.searchParams, ip));
  }

  async function run(
    ws: WebSocket,
    user: CurrentUser,
    agentId: string,
    params: URLSearchParams,
    ip: string | undefined,
  ): Promise<void> {
    const started = Date.now();
    const closed = new AbortController();
    let done = false;
    let exec: ExecSession | null = null;
    let counted = false;
    let q: ShellQuery | null = null;
    let impersonation: Impersonation | undefined;
    let reachedCluster = false;
    const send = (m: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };

    const finish = (
      code: number,
      reason: string,
      outcome: ShellOutcome,
      extra: { exitCode?: number | null; status?: number } = {},
    ) => {
      if (done) return;
      done = true;
      live.delete(stop);
      clearTimeout(idle);
      exec?.close();
      send({ type: "end", code, reason, exitCode: extra.exitCode ?? null });
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, closeReason(reason));
      // A page that never answers the close frame does not hold the socket.
      setTimeout(() => ws.terminate(), 5_000).unref();
      closed.abort();
      if (counted) {
        counted = false;
        const n = (openByUser.get(user.id) ?? 1) - 1;
        if (n > 0) openByUser.set(user.id, n);
        else openByUser.delete(user.id);
        metrics().open.dec();
      }
      metrics().total.inc({ outcome });
      const durationMs = Date.now() - started;
      log.info(
        {
          event: "shell_ended",
          userId: user.id,
          agentId,
          outcome,
          code,
          durationMs,
          ...(q ? { namespace: q.namespace, pod: q.pod, container: q.container } : {}),
        },
        "shell ended",
      );
      if (reachedCluster && q)
        recordAudit(o.db, {
          actorId: user.id,
          action: "cluster.exec",
          targetType: "agent",
          targetId: agentId,
          ip,
          details: {
            namespace: q.namespace,
            pod: q.pod,
            container: q.container,
            command: q.command.join(" ").slice(0, 500),
            identity: impersonation?.user ?? "the agent's service account",
            outcome,
            ...(extra.status !== undefined ? { status: extra.status } : {}),
            ...(extra.exitCode !== undefined && extra.exitCode !== null ? { exitCode: extra.exitCode } : {}),
            reason: reason.slice(0, 500),
            durationSeconds: Math.round(durationMs / 100) / 10,
          },
        }).catch((e: unknown) => log.error({ err: e, agentId }, "could not record a shell's audit event"));
    };
    const stop = () => finish(SHELL_CLOSE.clusterError, "Tether is shutting down", "closed");
    live.add(stop);
    const idle: NodeJS.Timeout = setTimeout(
      () =>
        finish(SHELL_CLOSE.idle, `closed after ${Math.round(idleMs / 60_000)} minutes without input or output`, "idle"),
      idleMs,
    );
    idle.unref();
    const active = () => idle.refresh();

    ws.on("close", () => finish(1000, "closed by the page", "closed"));
    ws.on("error", (e) => log.warn({ err: e.message, agentId }, "shell WebSocket error"));
    // Keystrokes and resizes that arrive while the session opens are kept, then replayed in order.
    const early: { data: RawData; binary: boolean }[] = [];
    let cols = 80;
    let rows = 24;
    const onMessage = (data: RawData, binary: boolean) => {
      active();
      if (binary) {
        if (exec) exec.write(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]));
        else early.push({ data, binary });
        return;
      }
      let parsed: ReturnType<typeof clientMessage.safeParse>;
      try {
        parsed = clientMessage.safeParse(JSON.parse(data.toString()));
      } catch {
        return finish(SHELL_CLOSE.badRequest, "a control message that is not JSON", "invalid");
      }
      if (!parsed.success)
        return finish(SHELL_CLOSE.badRequest, `a bad control message: ${parsed.error.issues[0]?.message}`, "invalid");
      cols = parsed.data.cols;
      rows = parsed.data.rows;
      exec?.resize(cols, rows);
    };
    ws.on("message", onMessage);

    const parsed = parseShellQuery(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return finish(
        SHELL_CLOSE.badRequest,
        `${String(issue?.path[0] ?? "query")}: ${issue?.message ?? "invalid"}`,
        "invalid",
      );
    }
    q = parsed.data;
    const open = openByUser.get(user.id) ?? 0;
    if (open >= maxPerUser)
      return finish(SHELL_CLOSE.tooMany, `you have ${open} shells open, the most at once; close one first`, "limit");
    openByUser.set(user.id, open + 1);
    counted = true;
    metrics().open.inc();

    try {
      impersonation = (await viewerIdentity(o.db, user, agentId)).impersonation;
    } catch (e) {
      if (e instanceof NotFound) return finish(SHELL_CLOSE.notFound, "agent not found", "invalid");
      throw e;
    }
    if (done) return;
    // The user's sessions ending (here or in another web process) or a block ends the shell too.
    const session = await sessionBoundSignal(o.db, user.id, closed.signal, o.sessionRecheckMs ?? SESSION_RECHECK_MS);
    const onSessionEnd = () => {
      const why = session.reason instanceof Error ? session.reason.message : "";
      if (why === "request aborted" || done) return;
      finish(
        SHELL_CLOSE.sessionEnded,
        why === "blocked" ? "your account was blocked" : "your session ended (signed out everywhere); sign in again",
        "session_ended",
      );
    };
    if (session.aborted) return onSessionEnd();
    session.addEventListener("abort", onSessionEnd, { once: true });

    try {
      // An agent that is not connected would keep the page waiting for kas's wait to run out: say so now.
      const status = await o.tunnel.agentStatus(agentId);
      if (done) return;
      if (!status.connected)
        return finish(
          SHELL_CLOSE.notConnected,
          `the agent is not connected${status.lastSeenMs ? ` (last seen ${new Date(status.lastSeenMs).toISOString()})` : " (it never connected)"}`,
          "not_connected",
        );
      const allowed = await mayExec(o.tunnel, agentId, q, impersonation, closed.signal);
      reachedCluster = true;
      if (done) return;
      if (!allowed.ok)
        return finish(SHELL_CLOSE.refused, `the cluster refused: ${allowed.reason}`, "refused", { status: 403 });
      const opened = await openExec({
        client: o.tunnel,
        agentId,
        impersonation,
        namespace: q.namespace,
        pod: q.pod,
        container: q.container,
        command: q.command,
        cols,
        rows,
        signal: closed.signal,
        onOutput: (data) => {
          active();
          if (ws.readyState === ws.OPEN) ws.send(data, { binary: true });
        },
        onEnd: ({ exit, closeReason: why }) => {
          if (exit && exit.message) finish(SHELL_CLOSE.ended, exit.message, "exited", { exitCode: exit.exitCode });
          else if (exit) finish(SHELL_CLOSE.ended, "the command exited", "exited", { exitCode: exit.exitCode });
          else finish(SHELL_CLOSE.ended, why ? `the cluster closed the session: ${why}` : "session ended", "exited");
        },
      });
      if (done) {
        opened.close();
        return;
      }
      exec = opened;
      log.info(
        {
          event: "shell_opened",
          userId: user.id,
          agentId,
          namespace: q.namespace,
          pod: q.pod,
          container: q.container,
          protocol: opened.protocol,
        },
        "shell opened",
      );
      send({ type: "open", command: q.command.join(" "), container: q.container });
      for (const m of early.splice(0)) onMessage(m.data, m.binary);
    } catch (e) {
      if (done) return;
      const end = endForError(e);
      if (end.outcome === "not_connected" || end.code === 1011) reachedCluster = false;
      if (end.code === 1011) log.error({ err: e, agentId }, "a shell could not be opened");
      finish(end.code, end.reason, end.outcome, end.status !== undefined ? { status: end.status } : {});
    }
  }

  return {
    handleUpgrade(req, socket, head) {
      socket.on("error", () => socket.destroy());
      accept(req, socket, head).catch((e: unknown) => {
        log.error({ err: e }, "a shell upgrade failed");
        if (!socket.destroyed) refuseUpgrade(socket, 400, "the shell could not be opened");
      });
    },
    close() {
      for (const stop of [...live]) stop();
      wss.close();
    },
  };
}

/**
 * Whether the cluster lets the viewer open a session (`create` on pods/exec, as a kubectl exec needs).
 * When it does not, a SelfSubjectAccessReview says no without words; the cluster's own sentence comes
 * from asking for the exec without an upgrade (POST, which authorization refuses before anything runs).
 */
async function mayExec(
  tunnel: Pick<TunnelClient, "agentFetch" | "agentJson">,
  agentId: string,
  q: ShellQuery,
  impersonation: Impersonation | undefined,
  signal: AbortSignal,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const review = await tunnel.agentJson<{ status?: { allowed?: boolean; reason?: string } }>(agentId, {
    method: "POST",
    path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: {
        resourceAttributes: {
          verb: "create",
          resource: "pods",
          subresource: "exec",
          namespace: q.namespace,
          name: q.pod,
        },
      },
    }),
    impersonation,
    signal,
  });
  if (review.status?.allowed === true) return { ok: true };
  const probe = await tunnel.agentFetch(agentId, {
    method: "POST",
    path: `/api/v1/namespaces/${q.namespace}/pods/${q.pod}/exec?${new URLSearchParams({ container: q.container, command: "true", stdout: "true" })}`,
    impersonation,
    signal,
  });
  const text = await probe.text();
  if (probe.status === 403) return { ok: false, reason: new UpstreamStatusError(403, text).reason };
  return {
    ok: false,
    reason:
      review.status?.reason ||
      `${impersonation?.user ?? "the agent's service account"} may not create pods/exec in namespace ${q.namespace}`,
  };
}
