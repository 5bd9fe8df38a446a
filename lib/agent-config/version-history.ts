// What the Configuration tab shows: the version in force with its YAML, and the history of versions
// (who saved each, when). Anyone who may see the agent may read them; maintainers and owners may save.
import { can, findVisibleAgent, type Actor } from "@/lib/access";
import type { Db } from "@/lib/db/client";
import { Invalid, NotFound } from "@/lib/errors";

export const CONFIG_HISTORY_LIMIT = 100;

export interface ConfigVersionRow {
  version: number;
  createdBy: string | null;
  createdAt: string;
}

export interface ConfigVersion extends ConfigVersionRow {
  yaml: string;
}

export interface ConfigView {
  canManage: boolean;
  /** 0 (and empty YAML) before the first save. */
  current: ConfigVersion;
  /** Newest first, at most CONFIG_HISTORY_LIMIT. */
  history: ConfigVersionRow[];
  totalVersions: number;
}

const row = (r: { version: number; createdAt: Date; createdBy: { username: string } | null }): ConfigVersionRow => ({
  version: r.version,
  createdBy: r.createdBy?.username ?? null,
  createdAt: r.createdAt.toISOString(),
});

export async function agentConfigView(db: Db, actor: Actor, agentId: string): Promise<ConfigView> {
  const { agent, facts } = await findVisibleAgent(db, actor, agentId);
  const [history, totalVersions, newest] = await Promise.all([
    db.agentConfig.findMany({
      where: { agentId },
      orderBy: { version: "desc" },
      take: CONFIG_HISTORY_LIMIT,
      select: { version: true, createdAt: true, createdBy: { select: { username: true } } },
    }),
    db.agentConfig.count({ where: { agentId } }),
    db.agentConfig.findFirst({
      where: { agentId },
      orderBy: { version: "desc" },
      select: { version: true, yaml: true, createdAt: true, createdBy: { select: { username: true } } },
    }),
  ]);
  return {
    canManage: can.manageProjectAgents(actor, facts),
    current: newest
      ? { ...row(newest), yaml: newest.yaml }
      : { version: 0, yaml: "", createdBy: null, createdAt: agent.createdAt.toISOString() },
    history: history.map(row),
    totalVersions,
  };
}

export async function agentConfigVersion(
  db: Db,
  actor: Actor,
  agentId: string,
  version: string | number,
): Promise<ConfigVersion> {
  await findVisibleAgent(db, actor, agentId);
  const n = typeof version === "number" ? version : /^[0-9]{1,9}$/.test(version) ? Number(version) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new Invalid("A configuration version is a whole number from 1", "version");
  const r = await db.agentConfig.findUnique({
    where: { agentId_version: { agentId, version: n } },
    select: { version: true, yaml: true, createdAt: true, createdBy: { select: { username: true } } },
  });
  if (!r) throw new NotFound(`Configuration version ${n}`);
  return { ...row(r), yaml: r.yaml };
}
