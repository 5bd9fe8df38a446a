// The configuration in force: an agent's newest version, parsed. The one reader of it, for one agent
// (kas's configuration call, proxy authorization, the Sharing and Connect tabs) and for every agent at
// once (which agents a project or its CI jobs may use). Versions never change, so parses are cached.
import type { Db } from "@/lib/db/client";
import { parseAgentConfig, type AgentConfigData } from "./parse";

export interface ConfigInForce {
  /** 0 (with empty YAML) before the first save. */
  version: number;
  yaml: string;
  data: AgentConfigData;
}

const NONE: ConfigInForce = { version: 0, yaml: "", data: {} };

/** Parsed versions by `agentId:version`; null for a stored version that no longer validates. */
const parsed = new Map<string, AgentConfigData | null>();
const PARSED_MAX = 10_000;

function parsedVersion(agentId: string, version: number, yaml: string): AgentConfigData | null {
  const key = `${agentId}:${version}`;
  const hit = parsed.get(key);
  if (hit !== undefined) return hit;
  let data: AgentConfigData | null;
  try {
    data = parseAgentConfig(yaml);
  } catch {
    data = null;
  }
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, data);
  return data;
}

/** A stored version that no longer validates (the schema grew stricter): empty, so it grants and shares nothing. */
export function lenientData(agentId: string, version: number, yaml: string): AgentConfigData {
  return parsedVersion(agentId, version, yaml) ?? {};
}

/**
 * The agent's configuration in force. A stored version that no longer validates throws its ConfigError
 * (what kas and the editors must see), or with `ifInvalid: "empty"` counts as empty.
 */
export async function currentAgentConfig(
  db: Db,
  agentId: string,
  opts: { ifInvalid?: "throw" | "empty" } = {},
): Promise<ConfigInForce> {
  const row = await db.agentConfig.findFirst({
    where: { agentId },
    orderBy: { version: "desc" },
    select: { version: true, yaml: true },
  });
  if (!row) return NONE;
  const data = parsedVersion(agentId, row.version, row.yaml);
  if (data !== null) return { version: row.version, yaml: row.yaml, data };
  if (opts.ifInvalid === "empty") return { version: row.version, yaml: row.yaml, data: {} };
  return { version: row.version, yaml: row.yaml, data: parseAgentConfig(row.yaml) };
}

/**
 * Every agent's configuration in force (agents never configured are left out), optionally only for
 * agents of other projects than `excludeProjectId`. Versions that no longer validate count as empty.
 * One query finds the newest versions; YAML is read, in batches, only for versions not parsed before.
 */
export async function currentAgentConfigs(
  db: Db,
  opts: { excludeProjectId?: string } = {},
): Promise<Map<string, AgentConfigData>> {
  const where = opts.excludeProjectId ? { agent: { projectId: { not: opts.excludeProjectId } } } : {};
  const newest = (await db.agentConfig.groupBy({ by: ["agentId"], _max: { version: true }, where }))
    .filter((n) => n._max.version !== null)
    .map((n) => ({ agentId: n.agentId, version: n._max.version! }));
  const out = new Map<string, AgentConfigData>();
  const missing: typeof newest = [];
  for (const n of newest) {
    const hit = parsed.get(`${n.agentId}:${n.version}`);
    if (hit === undefined) missing.push(n);
    else out.set(n.agentId, hit ?? {});
  }
  for (let i = 0; i < missing.length; i += 200) {
    const batch = missing.slice(i, i + 200);
    const rows = await db.agentConfig.findMany({
      where: { OR: batch.map((n) => ({ agentId: n.agentId, version: n.version })) },
      select: { agentId: true, version: true, yaml: true },
    });
    for (const r of rows) out.set(r.agentId, lenientData(r.agentId, r.version, r.yaml));
  }
  return out;
}
