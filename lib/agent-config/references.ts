// The projects and groups a configuration names: each must exist, and a newly named one must be one the
// actor can see. A path the actor cannot see gets the same answer as a missing one, so that sharing an
// agent tells a maintainer nothing about other people's private groups and projects.
import { findVisibleProject, type Actor } from "@/lib/access";
import type { Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { findVisibleGroup } from "@/lib/groups";
import type { AgentConfigData } from "./parse";

export type TargetType = "project" | "group";

/** Whether the project (full path) or group (path) exists and the actor may see it. */
export async function isVisibleTarget(db: Db, actor: Actor, targetType: TargetType, path: string): Promise<boolean> {
  try {
    if (targetType === "project") await findVisibleProject(db, actor, path);
    else await findVisibleGroup(db, actor, path);
    return true;
  } catch (e) {
    if (e instanceof NotFound) return false;
    throw e;
  }
}

async function exists(db: Db, targetType: TargetType, path: string): Promise<boolean> {
  const found =
    targetType === "project"
      ? await db.project.findUnique({ where: { fullPath: path }, select: { id: true } })
      : await db.group.findUnique({ where: { path }, select: { id: true } });
  return found !== null;
}

function referenced(cfg: AgentConfigData): { project: Set<string>; group: Set<string> } {
  const ids = (list: { id: string }[] | undefined) => (list ?? []).map((e) => e.id.toLowerCase());
  return {
    project: new Set([...ids(cfg.ci_access?.projects), ...ids(cfg.user_access?.projects)]),
    group: new Set([...ids(cfg.ci_access?.groups), ...ids(cfg.user_access?.groups)]),
  };
}

/**
 * The first project or group of `cfg` that is missing, or that is new since `before` and hidden from the
 * actor; null when there is none. Ones already named before are kept even when the actor cannot see them
 * (another maintainer or an admin added them), so that the actor can still edit the rest.
 */
export async function unknownReference(
  db: Db,
  actor: Actor,
  cfg: AgentConfigData,
  before: AgentConfigData,
): Promise<{ targetType: TargetType; path: string } | null> {
  const now = referenced(cfg);
  const old = referenced(before);
  for (const targetType of ["project", "group"] as const) {
    for (const path of now[targetType]) {
      const ok = old[targetType].has(path)
        ? await exists(db, targetType, path)
        : await isVisibleTarget(db, actor, targetType, path);
      if (!ok) return { targetType, path };
    }
  }
  return null;
}
