// Running an action through the tunnel as the viewer, and asking the cluster (SelfSubjectAccessReview,
// as the viewer) which actions it would allow. Every attempt that reaches the cluster is audited,
// refusals too; what the cluster says when it refuses is passed on as its own words.
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/audit";
import { Forbidden } from "@/lib/errors";
import { HttpError } from "@/lib/http/body";
import { logger } from "@/lib/log/logger";
import { webMetricsRegistry } from "@/lib/metrics";
import { UpstreamStatusError, type TunnelClient } from "@/lib/tunnel-client";
import type { Impersonation } from "@/proto/gen/tether/v1/tunnel";
import { Counter } from "prom-client";
import {
  actionsFor,
  describeAction,
  requestFor,
  resourceOf,
  reviewsFor,
  drainablePods,
  evictionFor,
  podsOnNodePath,
  type ActionName,
  type ActionRequest,
  type ActionTarget,
} from "./actions";
import { objectPath } from "@/lib/cluster-cache/paths";

const log = logger.child({ capability: "cluster-actions" });

const g = globalThis as unknown as { tetherClusterActions?: Counter<"action" | "outcome"> };
export function actionsCounter(): Counter<"action" | "outcome"> {
  g.tetherClusterActions ??= new Counter({
    name: "tether_web_cluster_actions_total",
    help: "Actions on cluster objects sent from the live view, by action and outcome (done, refused, failed)",
    labelNames: ["action", "outcome"],
    registers: [webMetricsRegistry()],
  });
  return g.tetherClusterActions;
}

type Client = Pick<TunnelClient, "agentFetch" | "agentJson">;

/** The cluster's refusal as the page shows it: 403 as Forbidden, anything else a bad gateway, in its words. */
export function refusal(e: UpstreamStatusError): Error {
  return e.status === 403
    ? new Forbidden("cluster", `the cluster refused: ${e.reason}`)
    : new HttpError(
        e.status === 404 ? 404 : e.status === 409 || e.status === 422 ? 409 : 502,
        `the cluster refused: ${e.reason}`,
      );
}

/** Which of the actions that fit this object the cluster would let the viewer send. */
export async function allowedActions(
  client: Client,
  agentId: string,
  target: ActionTarget,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<ActionName[]> {
  const candidates = actionsFor(target.path);
  // Several actions need the same permission (a Flux object's reconcile, suspend and resume are all a
  // patch): each distinct review is asked once.
  const asked = new Map<string, Promise<boolean>>();
  const review = (a: ReturnType<typeof reviewsFor>[number]) => {
    const key = JSON.stringify(a);
    let answer = asked.get(key);
    if (!answer) {
      answer = client
        .agentJson<{ status?: { allowed?: boolean } }>(agentId, {
          method: "POST",
          path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            apiVersion: "authorization.k8s.io/v1",
            kind: "SelfSubjectAccessReview",
            spec: { resourceAttributes: a },
          }),
          impersonation,
          signal,
        })
        .then((r) => r.status?.allowed === true);
      asked.set(key, answer);
    }
    return answer;
  };
  const answers = await Promise.all(
    candidates.map(async (action) =>
      (await Promise.all(reviewsFor(action, target).map(review))).every(Boolean) ? action : null,
    ),
  );
  return answers.filter((a): a is ActionName => a !== null);
}

/**
 * Sends the action as the viewer and audits it (done or refused). Returns what was done, in words.
 * A refusal throws the cluster's own message.
 */
export async function runAction(
  client: Client,
  db: Db,
  who: { userId: string; ip?: string },
  agentId: string,
  r: ActionRequest,
  impersonation: Impersonation | undefined,
  now = new Date(),
): Promise<{ message: string }> {
  if (!actionsFor(r.path).includes(r.action))
    throw new HttpError(400, `${r.action} does not apply to ${resourceOf(r.path).resource}`, "action");
  const { resource } = resourceOf(r.path);
  let evicted = 0;
  const namespace = r.namespace ?? resourceOf(r.path).namespace ?? null;
  const audited = { db, who, agentId, impersonation, verb: r.action, resource, namespace, name: r.name };
  const details = () => ({
    ...(r.action === "scale" ? { replicas: r.replicas } : {}),
    ...(r.action === "drain" ? { evicted } : {}),
  });
  return auditedAction({ ...audited, details }, async () => {
    const cronJob =
      r.action === "trigger"
        ? await client.agentJson<Parameters<typeof requestFor>[2] & object>(agentId, {
            path: objectPath(r.path, r.namespace, r.name),
            impersonation,
          })
        : undefined;
    const req = requestFor(r, now, cronJob);
    const res = await client.agentFetch(agentId, { ...req, impersonation });
    const text = await res.text();
    if (res.status >= 400) throw new UpstreamStatusError(res.status, text);
    if (r.action === "drain") evicted = await evictPods(client, agentId, r.name, impersonation);
    const message = r.action === "drain" ? `${describeAction(r)}: ${evictedText(evicted)}` : describeAction(r);
    return { status: res.status, value: { message } };
  });
}

/** Who changed what in which cluster, for the audit log, the actions counter and the log line. */
export interface AuditedAction {
  db: Db;
  who: { userId: string; ip?: string };
  agentId: string;
  impersonation: Impersonation | undefined;
  verb: string;
  resource: string;
  namespace: string | null;
  name: string;
  /** More of the audit entry's details, read when it is written (after `send`, or at its refusal). */
  details?: () => Record<string, unknown>;
}

/**
 * Sends a change to the cluster as the viewer (`send` throws `UpstreamStatusError` with the cluster's answer
 * when it refuses) and audits it, done or refused, counts it and logs it. A refusal throws the cluster's own
 * message; any other failure is counted and thrown as it is, unaudited (nothing reached the cluster's answer).
 */
export async function auditedAction<T>(
  a: AuditedAction,
  send: () => Promise<{ status: number; value: T }>,
): Promise<T> {
  const audit = (outcome: "done" | "refused", status: number, reason?: string) =>
    recordAudit(a.db, {
      actorId: a.who.userId,
      action: "cluster.action",
      targetType: "agent",
      targetId: a.agentId,
      ip: a.who.ip,
      details: {
        verb: a.verb,
        resource: a.resource,
        namespace: a.namespace,
        name: a.name,
        ...a.details?.(),
        identity: a.impersonation?.user ?? "the agent's service account",
        outcome,
        status,
        ...(reason ? { reason: reason.slice(0, 500) } : {}),
      },
    });
  const line = { agentId: a.agentId, action: a.verb, resource: a.resource, name: a.name };
  try {
    const { status, value } = await send();
    await audit("done", status);
    actionsCounter().inc({ action: a.verb, outcome: "done" });
    log.info({ ...line, status }, "cluster action done");
    return value;
  } catch (e) {
    if (!(e instanceof UpstreamStatusError)) {
      actionsCounter().inc({ action: a.verb, outcome: "failed" });
      throw e;
    }
    await audit("refused", e.status, e.reason);
    actionsCounter().inc({ action: a.verb, outcome: "refused" });
    log.info({ ...line, status: e.status }, "cluster action refused");
    throw refusal(e);
  }
}

const evictedText = (n: number) => (n === 1 ? "1 pod evicted" : `${n} pods evicted`);

/**
 * Evicts the node's pods one by one, as `kubectl drain --ignore-daemonsets`; stops at the first refusal
 * (a PodDisruptionBudget answers 429), throwing it with how many went before it.
 */
async function evictPods(
  client: Client,
  agentId: string,
  node: string,
  impersonation: Impersonation | undefined,
): Promise<number> {
  const pods = await client.agentJson<{ items: Parameters<typeof drainablePods>[0] }>(agentId, {
    path: podsOnNodePath(node),
    impersonation,
  });
  let evicted = 0;
  for (const pod of drainablePods(pods.items)) {
    const res = await client.agentFetch(agentId, { ...evictionFor(pod), impersonation });
    const text = await res.text();
    // 404: the pod went by itself meanwhile, which is what a drain wants.
    if (res.status >= 400 && res.status !== 404)
      throw new UpstreamStatusError(
        res.status,
        JSON.stringify({
          kind: "Status",
          message: `${evictedText(evicted)}, then ${pod.metadata.namespace}/${pod.metadata.name} was not: ${new UpstreamStatusError(res.status, text).reason}`,
        }),
      );
    evicted++;
  }
  return evicted;
}
