// A command in a container, through the agent's tunnel, as the viewer: @kubernetes/client-node's Exec
// speaks the Kubernetes streaming protocol (v5.channel.k8s.io, else v4: a channel byte per message;
// stdin 0, stdout 1, stderr 2, the exit status 3, terminal size 4, stream close 255) over a ws WebSocket
// whose connection is a TunnelConnection. Only the transport is Tether's.
import { Readable, PassThrough, Writable } from "node:stream";
import { Exec, KubeConfig, type V1Status } from "@kubernetes/client-node";
// The package's index leaves its WebSocket handler out; Exec takes one, and ours must bring a socket factory.
import { WebSocketHandler } from "@kubernetes/client-node/dist/web-socket-handler.js";
import WebSocket from "ws";
import type { TunnelClient } from "@/lib/tunnel-client";
import type { Impersonation } from "@/proto/gen/tether/v1/tunnel";
import { TunnelConnection, type TunnelRequest } from "./tunnel-connection";

/** How the command ended, from its status message (channel 3). */
export interface ExecExit {
  exitCode: number | null;
  /** The cluster's words: "" for a clean exit, else its Status message. */
  message: string;
}

/** Reads the exit status Kubernetes sends when the command ends (kubectl's way: ExitCode in the causes). */
export function exitOf(status: V1Status): ExecExit {
  if (status.status === "Success") return { exitCode: 0, message: "" };
  const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
  const code = cause?.message !== undefined ? Number(cause.message) : NaN;
  if (status.reason === "NonZeroExitCode" && Number.isInteger(code)) return { exitCode: code, message: "" };
  return { exitCode: null, message: status.message || status.reason || "the command failed" };
}

/** A terminal's output side as client-node's Exec knows one: columns, rows and a resize event. */
class TerminalOutput extends Writable {
  columns = 80;
  rows = 24;
  constructor(private readonly sink: (data: Buffer) => void) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.sink(chunk);
    done();
  }
  resize(cols: number, rows: number): void {
    this.columns = cols;
    this.rows = rows;
    this.emit("resize");
  }
}

export interface ExecOptions {
  client: Pick<TunnelClient, "agentSocket">;
  agentId: string;
  impersonation: Impersonation | undefined;
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  /** The terminal's size when it opens. */
  cols: number;
  rows: number;
  onOutput(data: Buffer): void;
  /** Once, when the command ends or the connection to the API server closes. */
  onEnd(end: { exit: ExecExit | null; closeReason: string }): void;
  signal?: AbortSignal;
}

export interface ExecSession {
  /** The subprotocol the API server chose (v5.channel.k8s.io or an older one). */
  protocol: string;
  write(data: Buffer): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

/**
 * A kubeconfig whose one cluster is the tunnel: Exec needs a server to build its URL, and the connection
 * ignores it. client-node takes a plain-HTTP server only with skipTLSVerify; there is no TLS on this hop
 * (the tunnel is kas's gRPC; the agent's own connection to the API server verifies its certificate).
 */
function tunnelConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "tunnel", server: "http://agent.tunnel.invalid", skipTLSVerify: true }],
    users: [{ name: "viewer" }],
    contexts: [{ name: "tunnel", cluster: "tunnel", user: "viewer" }],
    currentContext: "tunnel",
  });
  return kc;
}

/**
 * Starts the command with a terminal (stdin, stdout, tty; stderr is the terminal's too). Rejects with the
 * cluster's refusal (UpstreamStatusError) or the tunnel's error when the session cannot start.
 */
export async function openExec(o: ExecOptions): Promise<ExecSession> {
  let connection: TunnelConnection | null = null;
  const open = (req: TunnelRequest) =>
    o.client.agentSocket(o.agentId, {
      method: req.method,
      path: req.path,
      headers: req.headers,
      impersonation: o.impersonation,
      signal: o.signal,
    });
  const stdin = new PassThrough();
  const stdout = new TerminalOutput(o.onOutput);
  stdout.resize(o.cols, o.rows);
  // client-node acts on these when the server closes a stream (v5): never on this process's own stdio.
  const streams = { stdin: stdin as Readable, stdout: stdout as Writable, stderr: new PassThrough() as Writable };
  const handler = new WebSocketHandler(
    tunnelConfig(),
    (uri, protocols, opts) => {
      connection = new TunnelConnection(open);
      const conn = connection;
      return new WebSocket(uri, protocols, {
        ...opts,
        agent: undefined,
        perMessageDeflate: false,
        // ws calls this instead of net.connect; our connection is a Duplex, which is all http.request uses.
        createConnection: (() => conn) as unknown as NonNullable<WebSocket.ClientOptions["createConnection"]>,
      });
    },
    streams,
  );
  let exit: ExecExit | null = null;
  let ended = false;
  let ws: WebSocket;
  try {
    ws = (await new Exec(tunnelConfig(), handler).exec(
      o.namespace,
      o.pod,
      o.container,
      o.command,
      stdout,
      null,
      stdin,
      true,
      (status) => {
        exit = exitOf(status);
      },
    )) as unknown as WebSocket;
  } catch (e) {
    const failure = (connection as TunnelConnection | null)?.failure;
    if (failure) throw failure;
    const err = (e as { error?: unknown }).error;
    throw err instanceof Error
      ? err
      : new Error((e as { message?: string }).message ?? "the WebSocket to the API server failed");
  }
  ws.on("close", (_code: number, reason: Buffer) => {
    if (ended) return;
    ended = true;
    o.onEnd({ exit, closeReason: reason.toString("utf8") });
  });
  return {
    protocol: ws.protocol,
    write: (data) => {
      if (ws.readyState === WebSocket.OPEN) stdin.write(data);
    },
    resize: (cols, rows) => stdout.resize(cols, rows),
    close: () => {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
      // A peer that never answers the close frame: ws gives up after its own 30 s; the tunnel goes with it.
      setTimeout(() => ws.terminate(), 5_000).unref();
    },
  };
}
