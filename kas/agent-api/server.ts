// The agent-facing gRPC API: register/heartbeat, configuration, and the ReverseTunnel Connect
// streams. Every call carries the agent's token as a bearer credential, checked with web.
import { createHash } from "node:crypto";
import { Metadata, status, type ServerDuplexStream, type ServerUnaryCall, type sendUnaryData } from "@grpc/grpc-js";
import type { Logger } from "pino";
import type { AgentApiServiceServer, AgentInfo, GetConfigurationRequest } from "../../proto/gen/tether/v1/agent_api";
import type { ConnectRequest, ConnectResponse, ReverseTunnelServiceServer } from "../../proto/gen/tether/v1/tunnel";
import type { KasConfig } from "../config";
import type { KasMetrics } from "../metrics";
import { AgentStreamLimitError, TunnelStream, type TunnelRegistry } from "../tunnel";
import { TokenRejectedError, type AgentIdentity, type WebApi } from "../web-api";
import { KAS_VERSION } from "../../lib/common/release";
import { CHANNEL_SECRET_KEY, CHANNEL_STREAM_KEY } from "../../lib/common/data-channel-wire";
import type { DataChannelHub } from "../tunnel/data-channel";
import type { ConfigWait, ConfigWaiters } from "./config-watch";

function bearer(md: Metadata): string | null {
  const v = md.get("authorization")[0];
  if (typeof v !== "string") return null;
  const m = /^Bearer\s+(\S+)$/i.exec(v);
  return m ? m[1]! : null;
}

interface Deps {
  config: KasConfig;
  registry: TunnelRegistry;
  web: WebApi;
  log: Logger;
  metrics: KasMetrics;
}

/** Tokens of connected agents, re-checked periodically so that a revoked token's tunnels close. */
export class ConnectedTokens {
  private readonly tokens = new Map<string, string>(); // token -> agentId

  remember(token: string, agentId: string): void {
    this.tokens.set(token, agentId);
  }

  /**
   * `onlyAgent`: that agent's tokens alone, asked at once (a revocation was published). Otherwise every
   * connected token, a slice at a time so that web gets them in few batched requests; a token the push
   * streams' re-check (kas/flux) confirmed within half an interval is not asked again.
   */
  async recheck(deps: Deps, onlyAgent?: string): Promise<void> {
    const connected = new Set(deps.registry.agents());
    const due: [string, string][] = [];
    for (const [token, agentId] of this.tokens) {
      if (onlyAgent !== undefined && agentId !== onlyAgent) continue;
      if (!connected.has(agentId)) this.tokens.delete(token);
      else due.push([token, agentId]);
    }
    const maxAgeMs = onlyAgent === undefined ? deps.config.TETHER_KAS_TOKEN_RECHECK_MS / 2 : 0;
    await inSlices(due, async ([token, agentId]) => {
      try {
        await deps.web.verifyAgentToken(token, { maxAgeMs });
      } catch (e) {
        if (!(e instanceof TokenRejectedError)) return; // web unreachable: keep tunnels, try again later
        this.tokens.delete(token);
        deps.log.warn({ agentId }, "agent token revoked: closing its tunnels");
        deps.registry.closeAgent(agentId, status.UNAUTHENTICATED, "agent token revoked");
      }
    });
  }
}

/** Runs `fn` on every item, RECHECK_SLICE at a time (one batch of web calls each). */
export async function inSlices<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += RECHECK_SLICE) await Promise.all(items.slice(i, i + RECHECK_SLICE).map(fn));
}
const RECHECK_SLICE = 200;

const refusalLogged = new Map<string, number>();

/** The agent whose token `md` carries; a gRPC-coded error (UNAUTHENTICATED, UNAVAILABLE) otherwise. `tokens` remembers it for the re-check. */
export async function authenticate(
  deps: Pick<Deps, "web" | "log" | "metrics">,
  md: Metadata,
  tokens?: ConnectedTokens,
): Promise<AgentIdentity> {
  const token = bearer(md);
  if (!token)
    throw Object.assign(new Error("missing agent token (send it as 'authorization: Bearer <token>')"), {
      code: status.UNAUTHENTICATED,
    });
  try {
    const identity = await deps.web.verifyAgentToken(token);
    tokens?.remember(token, identity.agentId);
    return identity;
  } catch (e) {
    if (e instanceof TokenRejectedError) {
      deps.metrics.agentAuthFailures.inc();
      // An agent opens many streams at once: log a refused token once a minute, not once a stream.
      const key = createHash("sha256").update(token).digest("hex").slice(0, 12);
      if (Date.now() - (refusalLogged.get(key) ?? 0) > 60_000) {
        if (refusalLogged.size > 1_000) refusalLogged.clear();
        refusalLogged.set(key, Date.now());
        deps.log.warn({ reason: e.message, tokenSha256Prefix: key }, "refused an agent call: bad or revoked token");
      }
      throw Object.assign(new Error(e.message), { code: status.UNAUTHENTICATED });
    }
    deps.log.error({ err: (e as Error).message }, "cannot check an agent token with web");
    throw Object.assign(new Error("kas cannot check the token right now (web unreachable); retry later"), {
      code: status.UNAVAILABLE,
    });
  }
}

function grpcError(e: unknown): { code: number; details: string } {
  const err = e as Error & { code?: number };
  return { code: err.code ?? status.INTERNAL, details: err.message };
}

function reported(info: AgentInfo | undefined) {
  return {
    agentVersion: info?.agentVersion ?? "",
    kubernetesVersion: info?.kubernetesVersion ?? "",
    nodeCount: info?.nodeCount ?? 0,
    podName: info?.podName ?? "",
    podNamespace: info?.podNamespace ?? "",
  };
}

/** `waiters`: configuration calls that wait for a change (without it, every call answers at once). */
export function agentApiHandlers(deps: Deps, tokens: ConnectedTokens, waiters?: ConfigWaiters): AgentApiServiceServer {
  const contact = async (call: ServerUnaryCall<{ info?: AgentInfo }, unknown>) => {
    const identity = await authenticate(deps, call.metadata, tokens);
    deps.registry.touch(identity.agentId);
    await deps.web.recordContact(identity.agentId, reported(call.request.info), {
      tokenId: identity.tokenId,
      peerAddress: call.getPeer(),
    });
    return identity;
  };
  return {
    register(call, callback) {
      contact(call).then(
        (id) => {
          deps.log.info(
            { agentId: id.agentId, agent: id.agentName, version: call.request.info?.agentVersion },
            "agent registered",
          );
          callback(null, {
            agentId: id.agentId,
            agentName: id.agentName,
            projectPath: id.projectPath,
            heartbeatIntervalMs: deps.config.TETHER_KAS_HEARTBEAT_MS,
            kasVersion: KAS_VERSION,
          });
        },
        (e) => callback(grpcError(e)),
      );
    },
    heartbeat(call, callback) {
      contact(call).then(
        () => callback(null, {}),
        (e) => callback(grpcError(e)),
      );
    },
    getConfiguration(
      call: ServerUnaryCall<GetConfigurationRequest, unknown>,
      callback: sendUnaryData<{ yaml: string; version: number; agentId: string }>,
    ) {
      const { knownVersion, waitMs } = call.request;
      let wait: ConfigWait | null = null;
      call.on("cancelled", () => wait?.cancel());
      authenticate(deps, call.metadata, tokens)
        .then(async (id) => {
          // Waiting starts before the read, so that a save between the two still wakes this call.
          if (waitMs > 0 && waiters) wait = waiters.wait(id.agentId, waitMs);
          let c = await deps.web.agentConfiguration(id.agentId);
          if (wait && c.version === knownVersion) {
            if (await wait.changed) c = await deps.web.agentConfiguration(id.agentId);
          }
          return { ...c, agentId: id.agentId };
        })
        .finally(() => wait?.cancel())
        .then(
          (c) => callback(null, c),
          (e) => callback(grpcError(e)),
        );
    },
  };
}

export function tunnelHandlers(
  deps: Deps & { dataChannels: DataChannelHub },
  tokens: ConnectedTokens,
): ReverseTunnelServiceServer {
  return {
    connect(call: ServerDuplexStream<ConnectRequest, ConnectResponse>) {
      call.pause();
      authenticate(deps, call.metadata, tokens).then(
        (identity) => {
          call.once("data", (first: ConnectRequest) => {
            call.pause();
            if (first.msg?.$case !== "hello" || !first.msg.value.connectionId) {
              call.emit("error", {
                code: status.INVALID_ARGUMENT,
                details: "the first message on a tunnel stream must be hello with a connection id",
              });
              return;
            }
            const stream = new TunnelStream(identity.agentId, identity.agentName, first.msg.value.connectionId, call);
            try {
              deps.registry.add(stream);
            } catch (e) {
              if (e instanceof AgentStreamLimitError) {
                call.emit("error", { code: status.RESOURCE_EXHAUSTED, details: e.message });
                return;
              }
              throw e;
            }
            // Metadata tells the agent the stream is accepted, and where its response bodies may go instead of gRPC.
            const offer = deps.dataChannels.offer(stream);
            const md = new Metadata();
            md.set(CHANNEL_SECRET_KEY, offer.secret);
            md.set(CHANNEL_STREAM_KEY, String(offer.number));
            call.sendMetadata(md);
            call.resume();
          });
          call.resume();
        },
        (e) => call.emit("error", grpcError(e)),
      );
    },
  };
}
