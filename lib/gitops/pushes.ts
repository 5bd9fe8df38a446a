// Pushes through a project's repository webhook: verified, recorded once per delivery id, handed to kas
// for every agent the project may use (its own, and those sharing with it through ci_access), with what
// each agent did recorded per agent. Pushes an agent has not answered stay pending for it for 10 minutes,
// so an agent that connects later still reconciles.
import { Counter } from "prom-client";
import { agentsSharedWithProject } from "@/lib/agent-config";
import { recordAudit } from "@/lib/audit/audit";
import type { GitPushNotice, KasWebRequest } from "@/lib/common/kas-web-contract";
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { webMetricsRegistry } from "@/lib/metrics";
import { checkSignature, deliveryIdOf, eventKind, parsePush, PayloadError, type Forge } from "./delivery";
import { webhookForDelivery } from "./webhook";

const log = logger.child({ capability: "gitops" });

/** A push younger than this is still handed to an agent that connects (or answers) late. */
export const PENDING_PUSH_MS = 10 * 60_000;

/** States that mean "the agent has not answered yet". */
const UNANSWERED = ["pending", "notified", "not_connected"];

/** Hands a push to kas for the agents; resolves to those connected now. Injected in tests. */
export type PushNotifier = (push: GitPushNotice, agentIds: string[]) => Promise<string[]>;

type Result = "accepted" | "duplicate" | "ignored" | "refused" | "malformed" | "unknown_webhook";

const g = globalThis as unknown as { tetherGitopsDeliveries?: Counter<"result"> };
function count(result: Result): void {
  g.tetherGitopsDeliveries ??= new Counter({
    name: "tether_web_gitops_webhook_deliveries_total",
    help: "Repository webhook deliveries by result (accepted, duplicate, ignored, refused, malformed, unknown_webhook)",
    labelNames: ["result"],
    registers: [webMetricsRegistry()],
  });
  g.tetherGitopsDeliveries.inc({ result });
}

export interface DeliveryAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The agents a push of this project concerns: its own, and those whose configuration in force shares with it through ci_access. */
export async function agentsForProjectPush(db: Db, projectId: string): Promise<{ id: string; name: string }[]> {
  const project = await db.project.findUniqueOrThrow({
    where: { id: projectId },
    select: { id: true, fullPath: true, groupId: true },
  });
  const shared = [...(await agentsSharedWithProject(db, project))]
    .filter(([, access]) => access.includes("ci_access"))
    .map(([id]) => id);
  return db.agent.findMany({
    where: { OR: [{ projectId }, { id: { in: shared } }] },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}

const noticeOf = (p: {
  id: string;
  repositoryUrls: string;
  ref: string;
  afterCommit: string;
  createdAt: Date;
}): GitPushNotice => ({
  pushId: p.id,
  repositoryUrls: JSON.parse(p.repositoryUrls) as string[],
  ref: p.ref,
  after: p.afterCommit,
  receivedMs: p.createdAt.getTime(),
});

/**
 * One delivery to /api/webhooks/git/<webhookId>. The body was read with its size limit already. Order
 * matters: the signature is checked before anything in the body is believed, and a refusal records an
 * audit line and nothing else.
 */
export async function receiveDelivery(
  db: Db,
  webhookId: string,
  headers: Headers,
  body: Buffer,
  notify: PushNotifier,
  ip?: string,
): Promise<DeliveryAnswer> {
  const hook = await webhookForDelivery(db, webhookId);
  if (!hook) {
    count("unknown_webhook");
    return { status: 404, body: { error: "no such repository webhook" } };
  }
  const check = checkSignature(headers, body, hook.secret);
  if (!check.ok) {
    count("refused");
    await recordAudit(db, {
      actorId: null,
      action: "repository_webhook.refused",
      targetType: "project",
      targetId: hook.projectId,
      details: { webhookId: hook.id, forge: check.forge, reason: check.reason },
      ip,
    });
    log.warn({ webhookId: hook.id, forge: check.forge, reason: check.reason }, "refused a repository webhook delivery");
    return { status: 401, body: { error: check.reason } };
  }
  const kind = eventKind(headers);
  if (kind !== "push") {
    count("ignored");
    return {
      status: kind === "ping" ? 200 : 202,
      body: { ok: true, ignored: kind === "ping" ? "ping" : "not a push" },
    };
  }
  let push;
  try {
    push = parsePush(body, headers.get("content-type"));
  } catch (e) {
    if (!(e instanceof PayloadError)) throw e;
    count("malformed");
    return { status: 400, body: { error: e.message, field: e.field } };
  }
  if (push.deleted) {
    count("ignored");
    return { status: 202, body: { ok: true, ignored: "the push deleted the ref" } };
  }
  const deliveryId = deliveryIdOf(headers, body);
  const seen = await db.gitPush.findUnique({
    where: { projectId_deliveryId: { projectId: hook.projectId, deliveryId } },
    select: { id: true },
  });
  if (seen) {
    count("duplicate");
    return { status: 200, body: { ok: true, duplicate: true, pushId: seen.id } };
  }
  const agents = await agentsForProjectPush(db, hook.projectId);
  let row;
  try {
    row = await db.$transaction(async (tx) => {
      const created = await tx.gitPush.create({
        data: {
          projectId: hook.projectId,
          deliveryId,
          forge: check.forge satisfies Forge,
          repositoryUrls: JSON.stringify(push.repositoryUrls),
          ref: push.ref,
          afterCommit: push.after,
        },
      });
      for (const a of agents)
        await tx.gitPushOutcome.create({ data: { pushId: created.id, agentId: a.id, state: "pending" } });
      await tx.repositoryWebhook.update({ where: { id: hook.id }, data: { lastDeliveryAt: created.createdAt } });
      return created;
    });
  } catch (e) {
    // The same delivery arrived twice at once: the unique (project, delivery id) let one in.
    if ((e as { code?: string }).code === "P2002") {
      count("duplicate");
      return { status: 200, body: { ok: true, duplicate: true } };
    }
    throw e;
  }
  count("accepted");
  const states = await notifyAgents(db, noticeOf(row), agents, notify);
  log.info(
    { pushId: row.id, projectId: hook.projectId, ref: push.ref, after: push.after, agents: agents.length },
    "push received",
  );
  return {
    status: 202,
    body: {
      ok: true,
      pushId: row.id,
      agents: agents.map((a) => ({ id: a.id, name: a.name, state: states.get(a.id) })),
    },
  };
}

/** Asks kas to hand the push to the agents and records who was connected; kas unreachable counts as "not connected". */
async function notifyAgents(
  db: Db,
  push: GitPushNotice,
  agents: { id: string }[],
  notify: PushNotifier,
): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  if (agents.length === 0) return states;
  let connected = new Set<string>();
  let message: string | null = null;
  try {
    connected = new Set(
      await notify(
        push,
        agents.map((a) => a.id),
      ),
    );
  } catch (e) {
    message = `kas could not be asked: ${(e as Error).message}`.slice(0, 1000);
    log.warn(
      { pushId: push.pushId, err: (e as Error).message },
      "could not hand a push to kas; agents get it when they connect",
    );
  }
  for (const a of agents) {
    const state = connected.has(a.id) ? "notified" : "not_connected";
    states.set(a.id, state);
    // Only a row still "pending": the agent may have answered already.
    await db.gitPushOutcome.updateMany({
      where: { pushId: push.pushId, agentId: a.id, state: "pending" },
      data: { state, message: state === "not_connected" ? message : null },
    });
  }
  return states;
}

/** Pushes the agent has not answered that are under PENDING_PUSH_MS old, oldest first. */
export async function pendingPushesForAgent(db: Db, agentId: string, now = new Date()): Promise<GitPushNotice[]> {
  const rows = await db.gitPushOutcome.findMany({
    where: {
      agentId,
      state: { in: UNANSWERED },
      push: { createdAt: { gt: new Date(now.getTime() - PENDING_PUSH_MS) } },
    },
    include: { push: true },
    orderBy: { push: { createdAt: "asc" } },
    take: 500,
  });
  return rows.map((r) => noticeOf(r.push));
}

/** The agent's answer for pushes; a push the agent was never asked about is left alone. */
export async function recordPushOutcomes(db: Db, report: KasWebRequest<"flux-push-outcomes">): Promise<void> {
  await db.gitPushOutcome.updateMany({
    where: { agentId: report.agentId, pushId: { in: report.pushIds } },
    data: { state: report.outcome, objects: report.objects, message: report.message },
  });
}
