// web's API on kas: MakeRequest carries one HTTP request to an agent and streams the answer back;
// AgentStatus says whether an agent is connected here. Calls carry a JWT signed with the shared secret.
import { Metadata, status, type ServerDuplexStream } from "@grpc/grpc-js";
import type { Logger } from "pino";
import { traceHop, type HopTrace } from "../../lib/common/tunnel-trace";
import { InternalAuthError, verifyInternalJwt } from "../../lib/common/internal-jwt";
import { LAST_SEEN_KEY, TUNNEL_ERROR_KEY, type TunnelErrorCode } from "../../lib/common/tunnel-wire";
import type {
  KasInternalServiceServer,
  MakeRequestRequest,
  MakeRequestResponse,
} from "../../proto/gen/tether/v1/internal_api";
import type { KasConfig } from "../config";
import type { KasMetrics } from "../metrics";
import {
  AgentBusyError,
  AgentStreamLimitError,
  NoAgentTunnelError,
  type AgentStream,
  type TunnelRegistry,
} from "../tunnel";
import { RegistryUnavailableError } from "../routing/errors";
import { AGENT_CONFIG_TOPIC } from "../agent-api";

interface Deps {
  config: KasConfig;
  registry: TunnelRegistry;
  secret: string;
  log: Logger;
  metrics: KasMetrics;
}

/** Resolves when `md` carries web's JWT signed with the shared secret; throws InternalAuthError otherwise. */
export async function checkCaller(secret: string, md: Metadata): Promise<void> {
  const v = md.get("authorization")[0];
  const jwt = typeof v === "string" ? /^Bearer\s+(\S+)$/i.exec(v)?.[1] : undefined;
  if (!jwt) throw new InternalAuthError("missing internal API token");
  await verifyInternalJwt(secret, jwt, "tether-web", "tether-kas");
}

function fail(
  call: ServerDuplexStream<MakeRequestRequest, MakeRequestResponse>,
  code: number,
  tunnelCode: TunnelErrorCode,
  details: string,
  extra: Record<string, string> = {},
) {
  const md = new Metadata();
  md.set(TUNNEL_ERROR_KEY, tunnelCode);
  for (const [k, v] of Object.entries(extra)) md.set(k, v);
  call.emit("error", { code, details, metadata: md });
}

export function internalHandlers(deps: Deps): KasInternalServiceServer {
  return {
    agentStatus(call, callback) {
      checkCaller(deps.secret, call.metadata).then(
        () =>
          deps.registry.statusEverywhere(call.request.agentId).then((s) =>
            callback(null, {
              connected: s.connected,
              connections: s.connections,
              idleStreams: s.idle,
              activeStreams: s.active,
              lastSeenMs: s.lastSeenMs ?? 0,
              kasReplicas: s.replicas,
            }),
          ),
        (e: Error) => callback({ code: status.UNAUTHENTICATED, details: e.message }),
      );
    },

    closeAgentTunnels(call, callback) {
      const { agentId, all } = call.request;
      checkCaller(deps.secret, call.metadata).then(
        () => {
          if (!agentId) {
            callback({ code: status.INVALID_ARGUMENT, details: "agent_id is required" });
            return;
          }
          deps.registry.publishAgentEvent({ agentId, kind: all ? "deleted" : "token_revoked" }).then(
            () => callback(null, {}),
            (e: Error) => callback({ code: status.UNAVAILABLE, details: e.message }),
          );
        },
        (e: Error) => callback({ code: status.UNAUTHENTICATED, details: e.message }),
      );
    },

    notifyAgentConfig(call, callback) {
      const { agentId } = call.request;
      checkCaller(deps.secret, call.metadata).then(
        () => {
          if (!agentId) {
            callback({ code: status.INVALID_ARGUMENT, details: "agent_id is required" });
            return;
          }
          deps.registry.publishAgentEvent({ agentId, kind: "notice", topic: AGENT_CONFIG_TOPIC, payload: "" }).then(
            () => callback(null, {}),
            (e: Error) => callback({ code: status.UNAVAILABLE, details: e.message }),
          );
        },
        (e: Error) => callback({ code: status.UNAUTHENTICATED, details: e.message }),
      );
    },

    makeRequest(call: ServerDuplexStream<MakeRequestRequest, MakeRequestResponse>) {
      const started = process.hrtime.bigint();
      let outcome = "ok";
      let stream: AgentStream | null = null;
      let finished = false;
      const abort = new AbortController();
      const pending: MakeRequestRequest[] = [];
      let trace: HopTrace | null = null;

      const finish = (o: string) => {
        if (finished) return;
        finished = true;
        outcome = o;
        deps.metrics.requests.inc({ outcome });
        deps.metrics.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      };

      // The caller went away (web cancelled, e.g. a browser closed its watch): stop the agent's work.
      call.on("cancelled", () => {
        abort.abort();
        if (stream && !finished) stream.cancel();
        finish("cancelled");
      });

      const forward = (m: MakeRequestRequest) => {
        if (!stream) {
          pending.push(m);
          return;
        }
        const msg = m.msg;
        if (msg?.$case === "data") {
          deps.metrics.bytes.inc({ direction: "request" }, msg.value.data.length);
          // web sends its bodies in full messages already: each is relayed as received (no gathering, no copy).
          deps.metrics.bodyMessageBytes.observe({ direction: "request" }, msg.value.data.length);
          if (!stream.sendData(msg.value.data)) {
            call.pause();
            stream.onceDrain(() => call.resume());
          }
        } else if (msg?.$case === "end") {
          stream.endRequest();
        }
      };

      call.once("data", (first: MakeRequestRequest) => {
        call.pause();
        call.on("data", forward);
        if (first.msg?.$case !== "header" || !first.msg.value.request || !first.msg.value.agentId) {
          finish("bad_request");
          fail(
            call,
            status.INVALID_ARGUMENT,
            "bad_request",
            "the first message must be a header naming the agent and the request",
          );
          return;
        }
        const { agentId, request, timeoutMs } = first.msg.value;
        trace = traceHop("kas", request.path);
        const wait =
          timeoutMs > 0
            ? Math.min(timeoutMs, deps.config.TETHER_KAS_AGENT_WAIT_MS * 10)
            : deps.config.TETHER_KAS_AGENT_WAIT_MS;
        deps.registry.acquire(agentId, wait, abort.signal).then(
          (s) => {
            if (finished) {
              deps.registry.release(s); // cancelled while waiting: the stream was never used
              return;
            }
            stream = s;
            trace?.mark("to-agent");
            s.start(request, {
              onHeader: (h) => {
                trace?.mark("header");
                call.write({ msg: { $case: "header", value: h } });
              },
              onData: (data, done) => {
                trace?.flow("from-agent", data.length);
                deps.metrics.bytes.inc({ direction: "response" }, data.length);
                deps.metrics.bodyMessageBytes.observe({ direction: "response" }, data.length);
                // kas's server sends the message's own buffer (lib/common/grpc-framing.ts); the write
                // callback runs once it was written, and only then may the buffer serve another message.
                const ok = call.write({ msg: { $case: "data", value: { data } } }, done);
                if (!ok) call.once("drain", () => s.resume());
                return ok;
              },
              onTrailer: (error) => {
                trace?.done();
                finish(error ? "upstream_error" : "ok");
                call.write({ msg: { $case: "trailer", value: { error, keepOpen: false, channelBytes: 0 } } });
                call.end();
              },
              onBroken: (message) => {
                finish("tunnel_broken");
                deps.log.warn({ agentId, requestId: request.requestId }, message);
                fail(call, status.UNAVAILABLE, "tunnel_broken", message);
              },
            });
            for (const m of pending.splice(0)) forward(m);
            call.resume();
          },
          (e: unknown) => {
            if (finished) return;
            if (e instanceof AgentStreamLimitError) {
              finish("stream_limit");
              fail(call, status.RESOURCE_EXHAUSTED, "stream_limit", e.message);
            } else if (e instanceof AgentBusyError) {
              finish("timeout");
              fail(call, status.DEADLINE_EXCEEDED, "timeout", e.message);
            } else if (e instanceof RegistryUnavailableError) {
              finish("registry_unavailable");
              fail(call, status.UNAVAILABLE, "agent_not_connected", e.message);
            } else if (e instanceof NoAgentTunnelError) {
              finish("agent_not_connected");
              fail(
                call,
                status.UNAVAILABLE,
                "agent_not_connected",
                e.message,
                e.lastSeenMs ? { [LAST_SEEN_KEY]: String(e.lastSeenMs) } : {},
              );
            } else {
              finish("error");
              fail(call, status.INTERNAL, "tunnel_broken", (e as Error).message);
            }
          },
        );
        call.resume();
      });

      call.pause();
      checkCaller(deps.secret, call.metadata).then(
        () => call.resume(),
        (e: Error) => {
          finish("unauthenticated");
          fail(call, status.UNAUTHENTICATED, "unauthenticated", e.message);
        },
      );
    },
  };
}
