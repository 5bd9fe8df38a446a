// Flux: web hands kas a git push (NotifyPush); kas publishes it to every replica and each hands it to the
// push streams (WatchPushes) that the named agents hold there; an agent's answer goes back to web. It must
// not decide which agents a push concerns (web does) nor touch a cluster (the agent does).
import { status, type ServerWritableStream } from "@grpc/grpc-js";
import { Counter, Gauge } from "prom-client";
import { z } from "zod";
import {
  gitPushSchema,
  MAX_OUTCOME_PUSH_IDS,
  PUSH_OUTCOMES,
  type GitPushNotice,
} from "../../lib/common/kas-web-contract";
import {
  FluxAgentServiceService,
  FluxInternalServiceService,
  type FluxAgentServiceServer,
  type FluxInternalServiceServer,
  type WatchPushesRequest,
  type WatchPushesResponse,
} from "../../proto/gen/tether/v1/flux";
import { authenticateAgent, inSlices } from "../agent-api";
import { TokenRejectedError } from "../web-api";
import type { KasCapability, KasContext } from "../capability";
import { checkWebCaller } from "../internal-api";

const TOPIC = "flux_push";

type PushStream = ServerWritableStream<WatchPushesRequest, WatchPushesResponse>;

function grpcError(e: unknown): { code: number; details: string } {
  const err = e as Error & { code?: number };
  return { code: err.code ?? status.INTERNAL, details: err.message };
}

function metricsFor(ctx: KasContext) {
  const registers = [ctx.metrics.registry];
  return {
    streams: new Gauge({
      name: "tether_kas_flux_push_streams",
      help: "Agents' push streams open on this kas",
      registers,
    }),
    delivered: new Counter({
      name: "tether_kas_flux_pushes_delivered_total",
      help: "Pushes written to an agent's push stream on this kas, by kind (new, pending)",
      labelNames: ["kind"] as const,
      registers,
    }),
    notified: new Counter({
      name: "tether_kas_flux_notify_total",
      help: "Pushes web handed to kas, per agent, by whether the agent was connected",
      labelNames: ["connected"] as const,
      registers,
    }),
  };
}

const outcomeSchema = z.object({
  pushIds: z.array(z.string().min(1).max(100)).min(1).max(MAX_OUTCOME_PUSH_IDS),
  outcome: z.enum(PUSH_OUTCOMES),
  objects: z.number().int().min(0),
  message: z.string().max(1000),
});

export const flux: KasCapability = {
  name: "flux",
  start(ctx) {
    const { log, registry } = ctx;
    const metrics = metricsFor(ctx);
    /** Push streams on this kas, by agent. */
    const streams = new Map<string, Set<PushStream>>();
    /** The token each stream was opened with, re-checked like the tunnels' (a revoked token ends its stream). */
    const tokens = new WeakMap<PushStream, string>();
    const endStream = (s: PushStream, why: string) => s.emit("error", { code: status.UNAUTHENTICATED, details: why });
    // Like the tunnels' re-check (kas/agent-api), which usually asked web about the same tokens moments ago.
    const recheck = async (onlyAgent?: string) => {
      const due: [PushStream, string][] = [];
      for (const [agentId, set] of streams) {
        if (onlyAgent !== undefined && agentId !== onlyAgent) continue;
        for (const s of set) {
          const token = tokens.get(s);
          if (token) due.push([s, token]);
        }
      }
      const maxAgeMs = onlyAgent === undefined ? ctx.config.TETHER_KAS_TOKEN_RECHECK_MS / 2 : 0;
      await inSlices(due, async ([s, token]) => {
        try {
          await ctx.web.verifyAgentToken(token, { maxAgeMs });
        } catch (e) {
          if (e instanceof TokenRejectedError) endStream(s, "agent token revoked");
        }
      });
    };
    const recheckTimer = setInterval(
      () => void recheck().catch((e: Error) => log.error({ err: e.message }, "push stream token re-check failed")),
      ctx.config.TETHER_KAS_TOKEN_RECHECK_MS,
    );
    const send = (agentId: string, push: GitPushNotice, kind: "new" | "pending") => {
      for (const s of streams.get(agentId) ?? []) {
        s.write({ push });
        metrics.delivered.inc({ kind });
      }
    };

    registry.onAgentEvent((event) => {
      if (event.kind === "deleted") {
        for (const s of streams.get(event.agentId) ?? []) endStream(s, "agent deleted");
        return;
      }
      if (event.kind === "token_revoked") {
        void recheck(event.agentId).catch((e: Error) =>
          log.error({ err: e.message }, "push stream token re-check failed"),
        );
        return;
      }
      if (event.kind !== "notice" || event.topic !== TOPIC) return;
      let parsed;
      try {
        parsed = gitPushSchema.safeParse(JSON.parse(event.payload));
      } catch {
        return;
      }
      if (parsed.success) send(event.agentId, parsed.data, "new");
    });

    const internal: FluxInternalServiceServer = {
      notifyPush(call, callback) {
        void (async () => {
          await checkWebCaller(ctx.secret, call.metadata).catch((e: Error) => {
            throw Object.assign(e, { code: status.UNAUTHENTICATED });
          });
          const push = gitPushSchema.safeParse(call.request.push);
          if (!push.success || call.request.agentIds.length === 0)
            throw Object.assign(new Error("notify needs a push and at least one agent id"), {
              code: status.INVALID_ARGUMENT,
            });
          const payload = JSON.stringify(push.data);
          const connected: string[] = [];
          for (const agentId of new Set(call.request.agentIds)) {
            const here = (streams.get(agentId)?.size ?? 0) > 0;
            const anywhere = here || (await registry.statusEverywhere(agentId).catch(() => null))?.connected === true;
            metrics.notified.inc({ connected: String(anywhere) });
            if (anywhere) connected.push(agentId);
            // This replica delivers at once; the others hear it from Redis. A Redis failure leaves the push
            // pending in web, so the agent still gets it when its stream (re)opens.
            await registry.publishAgentEvent({ agentId, kind: "notice", topic: TOPIC, payload }).catch((e: Error) => {
              log.warn({ agentId, pushId: push.data.pushId, err: e.message }, "could not publish a push to every kas");
            });
          }
          return { connectedAgentIds: connected };
        })().then(
          (answer) => callback(null, answer),
          (e) => callback(grpcError(e)),
        );
      },
    };

    const agentFacing: FluxAgentServiceServer = {
      watchPushes(call: PushStream) {
        authenticateAgent(ctx, call.metadata).then(
          async (identity) => {
            const { agentId } = identity;
            let set = streams.get(agentId);
            if (!set) streams.set(agentId, (set = new Set()));
            set.add(call);
            const bearer = /^Bearer\s+(\S+)$/i.exec(String(call.metadata.get("authorization")[0] ?? ""))?.[1];
            if (bearer) tokens.set(call, bearer);
            metrics.streams.inc();
            const done = () => {
              if (!set.delete(call)) return;
              if (set.size === 0 && streams.get(agentId) === set) streams.delete(agentId);
              metrics.streams.dec();
            };
            call.on("cancelled", done);
            call.on("close", done);
            call.on("error", done);
            log.info({ agentId, agent: identity.agentName }, "agent opened its push stream");
            // Registered first, then the backlog: a push arriving meanwhile may come twice, never not at all
            // (the agent ignores a push id it has seen).
            try {
              const { pushes } = await ctx.web.fluxPendingPushes(agentId);
              for (const push of pushes) {
                call.write({ push });
                metrics.delivered.inc({ kind: "pending" });
              }
            } catch (e) {
              log.warn({ agentId, err: (e as Error).message }, "could not fetch the agent's pending pushes from web");
            }
          },
          (e) => call.emit("error", grpcError(e)),
        );
      },
      reportPushOutcomes(call, callback) {
        authenticateAgent(ctx, call.metadata)
          .then(async (identity) => {
            const r = outcomeSchema.safeParse(call.request);
            if (!r.success)
              throw Object.assign(new Error(`bad outcome report: ${r.error.issues[0]?.message ?? "invalid"}`), {
                code: status.INVALID_ARGUMENT,
              });
            await ctx.web.reportPushOutcomes({
              agentId: identity.agentId,
              ...r.data,
              message: r.data.message || null,
            });
            return {};
          })
          .then(
            (answer) => callback(null, answer),
            (e) => callback(grpcError(e)),
          );
      },
    };

    ctx.internalServer.addService(FluxInternalServiceService, internal);
    ctx.agentServer.addService(FluxAgentServiceService, agentFacing);
    return {
      stop() {
        clearInterval(recheckTimer);
        for (const set of streams.values()) for (const s of set) s.end();
        streams.clear();
      },
    };
  },
};
