// web's tunnel client: carry an HTTP request to an agent through kas (MakeRequest) and stream the
// answer back as a fetch Response. Errors are typed so that pages can say what went wrong.
import { randomUUID } from "node:crypto";
import { Duplex } from "node:stream";
import { credentials, Metadata, status, type ClientDuplexStream, type ServiceError } from "@grpc/grpc-js";
import { internalJwt } from "@/lib/common/internal-jwt";
import { chunks, LAST_SEEN_KEY, RECEIVE_WINDOW_BYTES, TUNNEL_ERROR_KEY } from "@/lib/common/tunnel-wire";
import { InternalClient } from "@/lib/common/chunk-codec";
import {
  type AgentStatusResponse,
  type MakeRequestRequest,
  type MakeRequestResponse,
} from "@/proto/gen/tether/v1/internal_api";
import type { HeaderField, Impersonation } from "@/proto/gen/tether/v1/tunnel";
import { traceHop } from "@/lib/common/tunnel-trace";

export class TunnelError extends Error {}
export class AgentNotConnectedError extends TunnelError {
  constructor(
    message: string,
    readonly lastSeen: Date | null,
  ) {
    super(message);
  }
}
export class StreamLimitError extends TunnelError {}
export class TunnelTimeoutError extends TunnelError {}
export class UpstreamStatusError extends TunnelError {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`the Kubernetes API answered ${status}: ${body.slice(0, 300)}`);
  }

  /** What the cluster said: its Status object's message when the body is one, else the body's start. */
  get reason(): string {
    try {
      const s = JSON.parse(this.body) as { kind?: unknown; message?: unknown };
      if (s.kind === "Status" && typeof s.message === "string" && s.message) return s.message;
    } catch {
      /* not JSON: the body as it came */
    }
    return this.body.trim().slice(0, 300) || `HTTP ${this.status}`;
  }
}

export interface TunnelClientOptions {
  /** kas's internal API address, host:port. */
  kasAddress: string;
  secret: string;
}

export interface AgentRequest {
  method?: string;
  /** Path and query on the API server, e.g. /api/v1/namespaces/default/configmaps */
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  signal?: AbortSignal;
  /** How long to wait for the agent's answer to start. */
  timeoutMs?: number;
  /** Absent: the agent's own service account. */
  impersonation?: Impersonation;
}

function errorFromStatus(e: ServiceError): TunnelError {
  const code = e.metadata?.get(TUNNEL_ERROR_KEY)[0];
  if (code === "agent_not_connected") {
    const seen = Number(e.metadata.get(LAST_SEEN_KEY)[0] ?? 0);
    return new AgentNotConnectedError(e.details, seen ? new Date(seen) : null);
  }
  if (code === "stream_limit" || e.code === status.RESOURCE_EXHAUSTED) return new StreamLimitError(e.details);
  if (e.code === status.DEADLINE_EXCEEDED) return new TunnelTimeoutError(e.details);
  if (e.code === status.UNAVAILABLE && !code) return new TunnelError(`kas is unreachable: ${e.details}`);
  return new TunnelError(e.details || e.message);
}

const NULL_BODY = new Set([101, 204, 205, 304]);

export class TunnelClient {
  private readonly client: InstanceType<typeof InternalClient>;

  constructor(private readonly o: TunnelClientOptions) {
    this.client = new InternalClient(o.kasAddress, credentials.createInsecure(), {
      "grpc.max_receive_message_length": 8 * 1024 * 1024,
      "grpc.keepalive_time_ms": 30_000,
      "grpc-node.flow_control_window": RECEIVE_WINDOW_BYTES,
    });
  }

  close(): void {
    this.client.close();
  }

  private async metadata(): Promise<Metadata> {
    const md = new Metadata();
    md.set("authorization", `Bearer ${await internalJwt(this.o.secret, "tether-web", "tether-kas")}`);
    return md;
  }

  async agentStatus(agentId: string): Promise<AgentStatusResponse> {
    const md = await this.metadata();
    return new Promise((resolve, reject) =>
      this.client.agentStatus({ agentId }, md, { deadline: Date.now() + 10_000 }, (err, res) =>
        err ? reject(errorFromStatus(err)) : resolve(res!),
      ),
    );
  }

  /**
   * Tells kas that a token of the agent was revoked (`all` false: every kas replica re-checks the tokens
   * of the agent's tunnels at once and closes the revoked ones) or that the agent was deleted (`all`
   * true: every replica closes all its tunnels). Resolves once kas has published it.
   */
  async closeAgentTunnels(agentId: string, all: boolean): Promise<void> {
    const md = await this.metadata();
    await new Promise<void>((resolve, reject) =>
      this.client.closeAgentTunnels({ agentId, all }, md, { deadline: Date.now() + 5_000 }, (err) =>
        err ? reject(errorFromStatus(err)) : resolve(),
      ),
    );
  }

  /** Tells every kas replica that the agent's configuration was saved: its configuration long poll answers now. */
  async notifyAgentConfig(agentId: string): Promise<void> {
    const md = await this.metadata();
    await new Promise<void>((resolve, reject) =>
      this.client.notifyAgentConfig({ agentId }, md, { deadline: Date.now() + 5_000 }, (err) =>
        err ? reject(errorFromStatus(err)) : resolve(),
      ),
    );
  }

  /** Sends a request to the cluster of agent `agentId`; resolves when the response headers arrive. */
  async agentFetch(agentId: string, r: AgentRequest): Promise<Response> {
    const trace = traceHop("web", r.path);
    const md = await this.metadata();
    const call: ClientDuplexStream<MakeRequestRequest, MakeRequestResponse> = this.client.makeRequest(md);
    const headers: HeaderField[] = Object.entries(r.headers ?? {}).map(([name, v]) => ({ name, values: [v] }));
    const timeoutMs = r.timeoutMs ?? 20_000;
    const noBody = r.body === undefined;
    call.write({
      msg: {
        $case: "header",
        value: {
          agentId,
          timeoutMs,
          request: {
            requestId: randomUUID(),
            method: r.method ?? "GET",
            path: r.path,
            headers,
            impersonation: r.impersonation,
            noBody,
          },
        },
      },
    });
    if (r.body !== undefined) {
      const body =
        typeof r.body === "string"
          ? Buffer.from(r.body)
          : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
      for (const data of chunks(body)) call.write({ msg: { $case: "data", value: { data } } });
      call.write({ msg: { $case: "end", value: {} } });
    }
    call.end();

    return new Promise<Response>((resolve, reject) => {
      let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
      let settled = false;
      let bodyDone = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        call.cancel();
        reject(new TunnelTimeoutError(`agent ${agentId} did not answer within ${timeoutMs} ms`));
      }, timeoutMs + 1_000);
      const onAbort = () => {
        call.cancel();
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          reject(new TunnelError("request cancelled"));
        } else if (!bodyDone) {
          bodyDone = true;
          try {
            controller?.error(new TunnelError("request cancelled"));
          } catch {
            /* already closed */
          }
        }
      };
      r.signal?.addEventListener("abort", onAbort, { once: true });

      call.on("data", (m: MakeRequestResponse) => {
        const msg = m.msg;
        if (!msg) return;
        if (msg.$case === "header" && !settled) {
          trace?.mark("header");
          settled = true;
          clearTimeout(timer);
          const h = new Headers();
          for (const f of msg.value.headers) for (const v of f.values) h.append(f.name, v);
          const nullBody = NULL_BODY.has(msg.value.status);
          const body = nullBody
            ? null
            : new ReadableStream<Uint8Array>(
                {
                  start(c) {
                    controller = c;
                  },
                  pull() {
                    call.resume();
                  },
                  cancel() {
                    bodyDone = true;
                    call.cancel();
                  },
                },
                { highWaterMark: 64 },
              );
          resolve(new Response(body, { status: msg.value.status, headers: h }));
        } else if (msg.$case === "data" && controller && !bodyDone) {
          const d = msg.value.data;
          trace?.flow("from-kas", d.byteLength);
          controller.enqueue(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) call.pause();
        } else if (msg.$case === "trailer") {
          trace?.done();
          r.signal?.removeEventListener("abort", onAbort);
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            reject(new TunnelError(msg.value.error || "the agent answered without a response"));
            return;
          }
          if (bodyDone) return;
          bodyDone = true;
          if (msg.value.error) controller?.error(new TunnelError(msg.value.error));
          else controller?.close();
        }
      });
      call.on("error", (e: ServiceError) => {
        r.signal?.removeEventListener("abort", onAbort);
        if (e.code === status.CANCELLED) return;
        const err = errorFromStatus(e);
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          reject(err);
        } else if (!bodyDone) {
          bodyDone = true;
          controller?.error(err);
        }
      });
      call.on("end", () => {
        if (!bodyDone && settled && controller) {
          bodyDone = true;
          controller.error(new TunnelError("the tunnel ended before the response was complete"));
        }
      });
    });
  }

  /**
   * A connection upgrade through the tunnel (exec, attach, port-forward): sends the request with its
   * `upgrade` header, and resolves when the API server switches protocols, with a raw two-way stream:
   * what is written goes to the API server's socket, what it sends is read. Ending the writable side
   * ends the request (the agent half-closes its socket); destroying the stream cancels the call. Any
   * answer but 101 rejects with UpstreamStatusError carrying the cluster's body (its own words).
   * `agentFetch` cannot do this: a 101 has no body to read, and a Response has no writable side.
   */
  async agentSocket(
    agentId: string,
    r: Omit<AgentRequest, "body">,
  ): Promise<{ status: 101; headers: Headers; socket: Duplex }> {
    const md = await this.metadata();
    const call: ClientDuplexStream<MakeRequestRequest, MakeRequestResponse> = this.client.makeRequest(md);
    const headers: HeaderField[] = Object.entries(r.headers ?? {}).map(([name, v]) => ({ name, values: [v] }));
    const timeoutMs = r.timeoutMs ?? 20_000;
    call.write({
      msg: {
        $case: "header",
        value: {
          agentId,
          timeoutMs,
          request: {
            requestId: randomUUID(),
            method: r.method ?? "GET",
            path: r.path,
            headers,
            impersonation: r.impersonation,
            noBody: false,
          },
        },
      },
    });

    let socket: Duplex | null = null;
    let ended = false;
    const open = () =>
      new Duplex({
        // Small writes (keystrokes) go at once; gRPC's own flow control pushes back through write().
        write(chunk: Buffer, _enc, done) {
          if (call.write({ msg: { $case: "data", value: { data: chunk } } })) done();
          else call.once("drain", () => done());
        },
        final(done) {
          if (!ended) call.write({ msg: { $case: "end", value: {} } });
          ended = true;
          call.end();
          done();
        },
        read() {
          call.resume();
        },
        destroy(err, done) {
          call.cancel();
          done(err);
        },
      });

    return new Promise((resolve, reject) => {
      let settled = false;
      let plain: { status: number; parts: Buffer[] } | null = null;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        call.cancel();
        reject(new TunnelTimeoutError(`agent ${agentId} did not answer within ${timeoutMs} ms`));
      }, timeoutMs + 1_000);
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        r.signal?.removeEventListener("abort", onAbort);
        fn();
      };
      const onAbort = () => {
        call.cancel();
        settle(() => reject(new TunnelError("request cancelled")));
      };
      if (r.signal?.aborted) return onAbort();
      r.signal?.addEventListener("abort", onAbort, { once: true });

      call.on("data", (m: MakeRequestResponse) => {
        const msg = m.msg;
        if (!msg) return;
        if (msg.$case === "header" && !socket && !plain) {
          if (msg.value.status === 101) {
            const h = new Headers();
            for (const f of msg.value.headers) for (const v of f.values) h.append(f.name, v);
            socket = open();
            settle(() => resolve({ status: 101, headers: h, socket: socket! }));
          } else {
            // kas passes a whole answer on as header, body and trailer, like any other.
            plain = { status: msg.value.status, parts: [] };
          }
        } else if (msg.$case === "data") {
          const d = msg.value.data;
          if (plain) plain.parts.push(Buffer.from(d.buffer, d.byteOffset, d.byteLength));
          else if (socket && !socket.push(Buffer.from(d.buffer, d.byteOffset, d.byteLength))) call.pause();
        } else if (msg.$case === "trailer") {
          if (plain) {
            const p = plain;
            settle(() => reject(new UpstreamStatusError(p.status, Buffer.concat(p.parts).toString("utf8"))));
          } else if (socket) {
            if (msg.value.error) socket.destroy(new TunnelError(msg.value.error));
            else socket.push(null);
          } else {
            settle(() => reject(new TunnelError(msg.value.error || "the agent answered without a response")));
          }
        }
      });
      call.on("error", (e: ServiceError) => {
        if (e.code === status.CANCELLED && (settled || r.signal?.aborted)) return;
        const err = errorFromStatus(e);
        if (socket) socket.destroy(err);
        else settle(() => reject(err));
      });
      call.on("end", () => {
        if (socket && !socket.readableEnded) socket.push(null);
        settle(() => reject(new TunnelError("the tunnel ended before the agent answered")));
      });
    });
  }

  /** GET and parse JSON; a status ≥ 400 becomes UpstreamStatusError. */
  async agentJson<T>(agentId: string, r: AgentRequest): Promise<T> {
    const res = await this.agentFetch(agentId, { ...r, headers: { accept: "application/json", ...r.headers } });
    const text = await res.text();
    if (res.status >= 400) throw new UpstreamStatusError(res.status, text);
    return JSON.parse(text) as T;
  }

  /**
   * Watches a collection through the tunnel and yields its events. When the tunnel's stream ends (a
   * kas connection rotation, a server-side watch timeout), it resumes from the last resourceVersion,
   * so no event is lost; a 410 Gone from the API server is thrown as UpstreamStatusError(410).
   */
  async *agentWatch<T = unknown>(
    agentId: string,
    path: string,
    opts: {
      resourceVersion: string;
      signal?: AbortSignal;
      impersonation?: Impersonation;
      onState?: (state: "live" | "reconnecting") => void;
    },
  ): AsyncGenerator<WatchEvent<T>> {
    let rv = opts.resourceVersion;
    for (;;) {
      if (opts.signal?.aborted) return;
      const sep = path.includes("?") ? "&" : "?";
      let res: Response;
      try {
        res = await this.agentFetch(agentId, {
          path: `${path}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(rv)}`,
          signal: opts.signal,
          impersonation: opts.impersonation,
        });
      } catch (e) {
        if (opts.signal?.aborted) return;
        opts.onState?.("reconnecting");
        if (e instanceof AgentNotConnectedError || e instanceof StreamLimitError) throw e;
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (res.status >= 400) throw new UpstreamStatusError(res.status, await res.text());
      opts.onState?.("live");
      try {
        for await (const event of parseWatchStream<T>(res.body!)) {
          if (event.type === "ERROR") {
            const s = event.object as { code?: number; message?: string };
            throw new UpstreamStatusError(s.code ?? 500, s.message ?? "watch error");
          }
          const meta = (event.object as { metadata?: { resourceVersion?: string } }).metadata;
          if (meta?.resourceVersion) rv = meta.resourceVersion;
          if (event.type !== "BOOKMARK") yield event;
        }
      } catch (e) {
        if (e instanceof UpstreamStatusError) throw e;
        if (opts.signal?.aborted) return;
        // The stream broke (connection rotation, kas restart): resume from the last event seen.
        opts.onState?.("reconnecting");
      }
    }
  }
}

export interface WatchEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T;
}

/** Splits a watch response (one JSON object per line) into events. */
export async function* parseWatchStream<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<WatchEvent<T>> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) yield JSON.parse(line) as WatchEvent<T>;
    }
  }
}
