// kas-to-kas forwarding. The replica holding an agent's tunnel serves KasPeerService.Forward: a call
// first reserves one idle stream of the agent (Reserve → Reserved), then carries one request over it
// exactly like web's MakeRequest. The replica a request landed on uses PeerClient and RemoteStream,
// which looks to the internal API and the k8s-proxy like a local tunnel stream.
import {
  credentials,
  Metadata,
  status,
  type ClientDuplexStream,
  type ServerDuplexStream,
  type ServiceError,
} from "@grpc/grpc-js";
import type { Logger } from "pino";
import { InternalAuthError, internalJwt, verifyInternalJwt } from "../../lib/common/internal-jwt";
import { RECEIVE_WINDOW_BYTES } from "../../lib/common/tunnel-wire";
import {
  KasPeerServiceClient,
  type ForwardRequest,
  type ForwardResponse,
  type KasPeerServiceServer,
} from "../../proto/gen/tether/v1/kas_peer";
import type { RequestHeader } from "../../proto/gen/tether/v1/tunnel";
import type { KasMetrics } from "../metrics";
import {
  AgentBusyError,
  AgentStreamLimitError,
  NoAgentTunnelError,
  type AgentStream,
  type MemoryTunnelRegistry,
  type ResponseSink,
  type TunnelStream,
} from "../tunnel";

const PEER = "tether-kas-peer" as const;

export async function peerMetadata(peerSecret: string): Promise<Metadata> {
  const md = new Metadata();
  md.set("authorization", `Bearer ${await internalJwt(peerSecret, PEER, PEER)}`);
  return md;
}

async function checkPeer(peerSecret: string, md: Metadata): Promise<void> {
  const v = md.get("authorization")[0];
  const jwt = typeof v === "string" ? /^Bearer\s+(\S+)$/i.exec(v)?.[1] : undefined;
  if (!jwt) throw new InternalAuthError("missing kas peer token");
  await verifyInternalJwt(peerSecret, jwt, PEER, PEER);
}

/** A stream of the agent held by another replica for this request. */
export class RemoteStream implements AgentStream {
  private sink: ResponseSink | null = null;
  private done = false;
  private noBody = false;

  constructor(
    readonly agentId: string,
    readonly agentName: string,
    /** The replica that holds the agent's tunnel. */
    readonly kasId: string,
    private readonly call: ClientDuplexStream<ForwardRequest, ForwardResponse>,
  ) {
    call.on("data", (m: ForwardResponse) => this.onMessage(m));
    call.on("error", (e: ServiceError) =>
      this.broken(`the request to agent "${agentName}" through kas ${kasId} failed: ${e.details || e.message}`),
    );
    call.on("end", () => this.broken(`kas ${kasId} ended the request to agent "${agentName}" before its answer`));
  }

  start(header: RequestHeader, sink: ResponseSink): void {
    this.sink = sink;
    this.noBody = header.noBody;
    this.call.write({ msg: { $case: "header", value: header } });
  }

  sendData(data: Buffer, written?: () => void): boolean {
    if (this.done) {
      written?.();
      return true;
    }
    return this.call.write({ msg: { $case: "data", value: { data } } }, written);
  }

  onceDrain(fn: () => void): void {
    this.call.once("drain", fn);
  }

  endRequest(): void {
    if (!this.done && !this.noBody) this.call.write({ msg: { $case: "end", value: {} } });
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    this.sink = null;
    this.call.cancel();
  }

  /** Never used: the other replica puts its stream back in its idle pool. */
  abandon(): void {
    this.cancel();
  }

  pause(): void {
    this.call.pause();
  }

  resume(): void {
    this.call.resume();
  }

  private onMessage(m: ForwardResponse): void {
    const msg = m.msg;
    if (!msg || this.done) return;
    switch (msg.$case) {
      case "header":
        this.sink?.onHeader(msg.value);
        return;
      case "data":
        if (this.sink && !this.sink.onData(msg.value.data)) this.call.pause();
        return;
      case "trailer": {
        this.done = true;
        const sink = this.sink;
        this.sink = null;
        this.call.end();
        sink?.onTrailer(msg.value.error);
        return;
      }
      case "reserved":
        return;
    }
  }

  private broken(message: string): void {
    if (this.done) return;
    this.done = true;
    const sink = this.sink;
    this.sink = null;
    sink?.onBroken(message);
  }
}

/** One replica's KasPeerService, dialled at its private address. */
export class PeerClient {
  private readonly client: InstanceType<typeof KasPeerServiceClient>;

  constructor(
    readonly kasId: string,
    readonly address: string,
    private readonly peerSecret: string,
    maxMessageBytes: number,
  ) {
    this.client = new KasPeerServiceClient(address, credentials.createInsecure(), {
      "grpc.max_receive_message_length": maxMessageBytes,
      "grpc.max_send_message_length": maxMessageBytes,
      "grpc.keepalive_time_ms": 30_000,
      "grpc-node.flow_control_window": RECEIVE_WINDOW_BYTES,
      // A dead replica fails the reservation at once instead of after grpc's connection backoff.
      "grpc.initial_reconnect_backoff_ms": 200,
      "grpc.max_reconnect_backoff_ms": 1_000,
    });
  }

  close(): void {
    this.client.close();
  }

  /** Resolves once the replica holds a stream of the agent for this request; rejects with its ServiceError otherwise. */
  async reserve(agentId: string, waitMs: number, signal?: AbortSignal): Promise<RemoteStream> {
    const md = await peerMetadata(this.peerSecret);
    // No deadline: after the reservation the call carries the request, and a watch may last hours.
    const call = this.client.forward(md);
    return new Promise<RemoteStream>((resolve, reject) => {
      const onAbort = () => call.cancel();
      signal?.addEventListener("abort", onAbort, { once: true });
      const cleanup = () => {
        signal?.removeEventListener("abort", onAbort);
        call.off("data", onData);
        call.off("error", onError);
        call.off("end", onEnd);
      };
      const onData = (m: ForwardResponse) => {
        if (m.msg?.$case !== "reserved") return;
        cleanup();
        // Listeners move to the stream in this same turn: no message or error is missed.
        const s = new RemoteStream(agentId, m.msg.value.agentName, this.kasId, call);
        resolve(s);
      };
      const onError = (e: ServiceError) => {
        cleanup();
        reject(e);
      };
      const onEnd = () => {
        cleanup();
        reject(Object.assign(new Error(`kas ${this.kasId} ended the call without a stream`), { code: status.UNKNOWN }));
      };
      call.on("data", onData);
      call.on("error", onError);
      call.on("end", onEnd);
      call.write({ msg: { $case: "reserve", value: { agentId, waitMs } } });
    });
  }
}

interface PeerDeps {
  kasId: string;
  local: MemoryTunnelRegistry;
  peerSecret: string;
  log: Logger;
  metrics: KasMetrics;
}

function fail(call: ServerDuplexStream<ForwardRequest, ForwardResponse>, code: number, details: string): void {
  call.emit("error", { code, details });
}

/** The replica side: serves requests for agents whose tunnels are on this kas. */
export function peerHandlers(deps: PeerDeps): KasPeerServiceServer {
  return {
    forward(call: ServerDuplexStream<ForwardRequest, ForwardResponse>) {
      let stream: TunnelStream | null = null;
      let started = false;
      let finished = false;
      const abort = new AbortController();

      call.on("cancelled", () => {
        abort.abort();
        if (stream && started && !finished) stream.cancel();
        else if (stream && !started) deps.local.release(stream);
        finished = true;
      });

      const reserve = (agentId: string, waitMs: number) => {
        if (!deps.local.status(agentId).connected) {
          finished = true;
          fail(call, status.NOT_FOUND, `agent ${agentId} has no tunnel on kas ${deps.kasId}`);
          return;
        }
        deps.local.acquire(agentId, Math.max(1, Math.min(waitMs, 60_000)), abort.signal).then(
          (s) => {
            if (finished) {
              deps.local.release(s);
              return;
            }
            stream = s;
            call.write({ msg: { $case: "reserved", value: { agentName: s.agentName } } });
          },
          (e: unknown) => {
            if (finished) return;
            finished = true;
            if (e instanceof AgentStreamLimitError) fail(call, status.RESOURCE_EXHAUSTED, e.message);
            else if (e instanceof AgentBusyError) fail(call, status.DEADLINE_EXCEEDED, e.message);
            else if (e instanceof NoAgentTunnelError) fail(call, status.NOT_FOUND, e.message);
            else fail(call, status.INTERNAL, (e as Error).message);
          },
        );
      };

      const sink = (s: TunnelStream): ResponseSink => ({
        onHeader: (h) => call.write({ msg: { $case: "header", value: h } }),
        onData: (data, done) => {
          const ok = call.write({ msg: { $case: "data", value: { data } } }, done);
          if (!ok) call.once("drain", () => s.resume());
          return ok;
        },
        onTrailer: (error) => {
          finished = true;
          deps.metrics.forwarded.inc({ side: "served", outcome: error ? "upstream_error" : "ok" });
          call.write({ msg: { $case: "trailer", value: { error, keepOpen: false, channelBytes: 0 } } });
          call.end();
        },
        onBroken: (message) => {
          finished = true;
          deps.metrics.forwarded.inc({ side: "served", outcome: "tunnel_broken" });
          fail(call, status.UNAVAILABLE, message);
        },
      });

      const onMessage = (m: ForwardRequest) => {
        const msg = m.msg;
        if (!msg || finished) return;
        switch (msg.$case) {
          case "reserve":
            if (stream) return fail(call, status.INVALID_ARGUMENT, "a call reserves one stream");
            return reserve(msg.value.agentId, msg.value.waitMs);
          case "header":
            if (!stream || started) return fail(call, status.INVALID_ARGUMENT, "the header comes once, after Reserved");
            started = true;
            stream.start(msg.value, sink(stream));
            return;
          case "data":
            if (!stream || !started) return;
            if (!stream.sendData(msg.value.data)) {
              call.pause();
              stream.onceDrain(() => call.resume());
            }
            return;
          case "end":
            if (stream && started) stream.endRequest();
            return;
        }
      };

      call.pause();
      checkPeer(deps.peerSecret, call.metadata).then(
        () => {
          call.on("data", onMessage);
          call.resume();
        },
        (e: Error) => {
          finished = true;
          deps.log.warn({ err: e.message }, "refused a kas peer call");
          fail(call, status.UNAUTHENTICATED, e.message);
        },
      );
    },
  };
}
