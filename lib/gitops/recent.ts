// The project page's "recent pushes": each push the webhook recorded, and per agent what became of it.
import { findVisibleProject, type Actor } from "@/lib/access";
import type { Db } from "@/lib/db/client";
import { PENDING_PUSH_MS } from "./pushes";

export type PushOutcomeState =
  | "pending"
  | "notified"
  | "not_connected"
  | "reconciled"
  | "no_match"
  | "disabled"
  | "error"
  /** Unanswered and older than the pending window: the agent will not get it any more. */
  | "expired";

export interface RecentPush {
  id: string;
  ref: string;
  after: string;
  repositoryUrl: string;
  forge: string;
  receivedAt: string;
  agents: { agentId: string; agentName: string; state: PushOutcomeState; objects: number; message: string | null }[];
}

const KNOWN = new Set<string>(["pending", "notified", "not_connected", "reconciled", "no_match", "disabled", "error"]);

export async function recentPushes(
  db: Db,
  actor: Actor,
  projectId: string,
  opts: { limit?: number; now?: Date } = {},
): Promise<RecentPush[]> {
  await findVisibleProject(db, actor, { id: projectId });
  const now = opts.now ?? new Date();
  const rows = await db.gitPush.findMany({
    where: { projectId },
    orderBy: { createdAt: "desc" },
    take: opts.limit ?? 20,
    include: { outcomes: { include: { agent: { select: { name: true } } }, orderBy: { agent: { name: "asc" } } } },
  });
  return rows.map((p) => {
    const stale = now.getTime() - p.createdAt.getTime() > PENDING_PUSH_MS;
    return {
      id: p.id,
      ref: p.ref,
      after: p.afterCommit,
      repositoryUrl: (JSON.parse(p.repositoryUrls) as string[])[0] ?? "",
      forge: p.forge,
      receivedAt: p.createdAt.toISOString(),
      agents: p.outcomes.map((o) => {
        const state = (KNOWN.has(o.state) ? o.state : "error") as PushOutcomeState;
        const unanswered = state === "pending" || state === "notified" || state === "not_connected";
        return {
          agentId: o.agentId,
          agentName: o.agent.name,
          state: unanswered && stale ? "expired" : state,
          objects: o.objects,
          message: o.message,
        };
      }),
    };
  });
}
