// Flux: a push reported by web through kas makes Flux reconcile at once. The agent fetches its
// configuration from kas (the `flux` section, applied without a restart), elects one leader among its
// processes with a Lease named after the agent, and only the leader watches pushes and merge-patches
// reconcile.fluxcd.io/requestedAt on the matching GitRepository objects (bursts coalesced per repository
// and ref), then reports what it did. It must not serve tunnelled requests nor act on other Flux kinds.
import os from "node:os";
import { randomBytes } from "node:crypto";
import type { ClientReadableStream, ServiceError } from "@grpc/grpc-js";
import { Counter, Gauge } from "prom-client";
import { parse as parseYaml } from "yaml";
import { backoffDelay } from "../../lib/common/backoff";
import { fluxConfigSchema, fluxSettings, type FluxSettings } from "../../lib/common/flux-config";
import { MAX_OUTCOME_PUSH_IDS, type GitPushNotice } from "../../lib/common/kas-web-contract";
import { AgentApiServiceClient } from "../../proto/gen/tether/v1/agent_api";
import { FluxAgentServiceClient, type WatchPushesResponse } from "../../proto/gen/tether/v1/flux";
import type { AgentCapability, AgentContext } from "../capability";
import { Coalescer, type Job } from "./coalesce";
import { LeaseElector } from "./leader";
import { pushKey, requestReconcile } from "./reconcile";

export { REQUESTED_AT } from "./reconcile";

function metricsFor(ctx: AgentContext) {
  const registers = [ctx.metrics.registry];
  return {
    pushes: new Counter({
      name: "tether_agent_flux_pushes_received_total",
      help: "Pushes received from kas (a push seen twice counts once)",
      registers,
    }),
    coalesced: new Counter({
      name: "tether_agent_flux_pushes_coalesced_total",
      help: "Pushes answered by a reconcile request made for a later push of the same repository and ref",
      registers,
    }),
    patches: new Counter({
      name: "tether_agent_flux_patches_total",
      help: "GitRepository objects annotated with reconcile.fluxcd.io/requestedAt",
      registers,
    }),
    errors: new Counter({
      name: "tether_agent_flux_errors_total",
      help: "Flux failures by kind (list, patch, report, config, stream)",
      labelNames: ["kind"] as const,
      registers,
    }),
    leader: new Gauge({
      name: "tether_agent_flux_leader",
      help: "1 while this agent process holds the Flux leader Lease",
      registers,
    }),
  };
}

export const flux: AgentCapability = {
  name: "flux",
  start(ctx) {
    const { log, kas, config } = ctx;
    const metrics = metricsFor(ctx);
    const api = kas.client(AgentApiServiceClient);
    const client = kas.client(FluxAgentServiceClient);
    const identity = `${config.podName || os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
    let settings: FluxSettings = fluxSettings(undefined);
    let configVersion = -1;
    let agentId: string | null = null;
    let elector: LeaseElector | null = null;
    let stream: ClientReadableStream<WatchPushesResponse> | null = null;
    let streamRetry: NodeJS.Timeout | null = null;
    let pollTimer: NodeJS.Timeout | null = null;
    let stopped = false;
    const seen = new Set<string>();

    const report = async (pushIds: string[], outcome: string, objects: number, message: string) => {
      for (let i = 0; i < pushIds.length; i += MAX_OUTCOME_PUSH_IDS) {
        const ids = pushIds.slice(i, i + MAX_OUTCOME_PUSH_IDS);
        await new Promise<void>((resolve) =>
          client.reportPushOutcomes(
            { pushIds: ids, outcome, objects, message },
            kas.metadata(),
            { deadline: Date.now() + 15_000 },
            (err) => {
              if (err) {
                metrics.errors.inc({ kind: "report" });
                log.warn({ err: err.details || err.message }, "could not report a push outcome to kas");
              }
              resolve();
            },
          ),
        );
      }
    };

    const reconcile = async (_key: string, job: Job<GitPushNotice>) => {
      const ids = job.all.map((p) => p.pushId);
      if (!settings.enabled) {
        await report(ids, "disabled", 0, "flux.enabled is false in the agent's configuration");
        return;
      }
      try {
        const { patched, failures } = await requestReconcile(ctx.kube, settings, job.latest);
        metrics.patches.inc(patched.length);
        if (failures.length) metrics.errors.inc({ kind: "patch" }, failures.length);
        log.info(
          { pushes: ids.length, ref: job.latest.ref, after: job.latest.after, patched, failures },
          patched.length ? "asked Flux to reconcile" : "no GitRepository follows the pushed repository",
        );
        if (failures.length)
          await report(ids, "error", patched.length, `could not annotate ${failures.join("; ")}`.slice(0, 1000));
        else await report(ids, patched.length ? "reconciled" : "no_match", patched.length, "");
      } catch (e) {
        metrics.errors.inc({ kind: "list" });
        log.warn({ err: (e as Error).message }, "could not look for GitRepository objects");
        await report(ids, "error", 0, (e as Error).message.slice(0, 1000));
      }
    };
    const coalescer = new Coalescer<GitPushNotice>(reconcile, config.fluxCoalesceMs, () => metrics.coalesced.inc());

    const onPush = (push: GitPushNotice) => {
      if (seen.has(push.pushId)) return;
      if (seen.size > 5_000) seen.clear();
      seen.add(push.pushId);
      metrics.pushes.inc();
      coalescer.add(pushKey(push), push);
    };

    const closeStream = () => {
      if (streamRetry) clearTimeout(streamRetry);
      streamRetry = null;
      stream?.cancel();
      stream = null;
    };
    const openStream = (attempt = 1) => {
      if (stopped || !elector?.isLeader || stream) return;
      const s = client.watchPushes({}, kas.metadata());
      stream = s;
      let got = false;
      s.on("data", (m: WatchPushesResponse) => {
        got = true;
        if (m.push) onPush(m.push);
      });
      const again = (why: string) => {
        if (stream !== s) return; // closed on purpose
        stream = null;
        metrics.errors.inc({ kind: "stream" });
        const delay = backoffDelay(got ? 1 : attempt);
        log.warn({ err: why, retryInMs: delay }, "push stream from kas ended; opening it again");
        streamRetry = setTimeout(() => openStream(got ? 1 : attempt + 1), delay);
      };
      s.on("error", (e: ServiceError) => again(e.details || e.message));
      s.on("end", () => again("kas ended the stream"));
    };

    const ensureElector = () => {
      if (elector || !agentId || stopped) return;
      const namespace = config.fluxLeaseNamespace ?? (config.podNamespace || "default");
      elector = new LeaseElector({
        kube: ctx.kube,
        namespace,
        name: `tether-agent-${agentId}`,
        identity,
        log,
        onChange: (leader) => {
          metrics.leader.set(leader ? 1 : 0);
          if (leader) openStream();
          else closeStream();
        },
      });
      elector.start();
    };

    const applyConfig = (yaml: string, version: number) => {
      if (version === configVersion) return;
      let section: unknown;
      try {
        section = (parseYaml(yaml) as { flux?: unknown } | null)?.flux;
      } catch (e) {
        metrics.errors.inc({ kind: "config" });
        log.warn({ version, err: (e as Error).message }, "configuration is not YAML; keeping the previous one");
        return;
      }
      const parsed = fluxConfigSchema.optional().safeParse(section ?? undefined);
      if (!parsed.success) {
        metrics.errors.inc({ kind: "config" });
        log.warn(
          { version, err: parsed.error.issues[0]?.message },
          "flux configuration is invalid; keeping the previous one",
        );
        return;
      }
      configVersion = version;
      settings = fluxSettings(parsed.data);
      log.info({ version, ...settings }, "flux configuration applied");
    };

    /** The newest version kas has shown us (applied or not), which the next call asks kas to wait past. */
    let seenVersion: number | null = null;
    let pollCall: { cancel(): void } | null = null;
    const poll = async (attempt = 1) => {
      if (stopped) return;
      let next = 0;
      // The first call answers at once (it names the agent); later ones are held by kas until the
      // configuration changes or the wait runs out, so a save reaches the agent at once.
      const waitMs = seenVersion === null ? 0 : config.configPollIntervalMs;
      const started = Date.now();
      try {
        const res = await new Promise<{ yaml: string; version: number; agentId: string }>((resolve, reject) => {
          pollCall = api.getConfiguration(
            { knownVersion: seenVersion ?? 0, waitMs },
            kas.metadata(),
            { deadline: Date.now() + waitMs + 15_000 },
            (err, r) => (err ? reject(err) : resolve(r!)),
          );
        });
        const unchanged = res.version === seenVersion;
        seenVersion = res.version;
        applyConfig(res.yaml, res.version);
        if (res.agentId) agentId = res.agentId;
        ensureElector();
        // A kas that does not hold calls (an older one) answers at once: then wait here instead.
        if (waitMs > 0 && unchanged && Date.now() - started < waitMs / 2) next = Math.min(waitMs, 15_000);
      } catch (e) {
        if (stopped) return;
        next = backoffDelay(attempt);
        log.warn(
          { err: (e as ServiceError).details ?? (e as Error).message },
          "could not fetch the configuration from kas",
        );
        attempt++;
      } finally {
        pollCall = null;
      }
      if (!stopped) pollTimer = setTimeout(() => void poll(agentId ? 1 : attempt), next);
    };
    void poll();

    return {
      async stop() {
        stopped = true;
        if (pollTimer) clearTimeout(pollTimer);
        pollCall?.cancel();
        closeStream();
        coalescer.stop();
        await elector?.stop().catch(() => undefined);
      },
    };
  },
};
