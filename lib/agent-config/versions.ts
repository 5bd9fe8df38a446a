// An agent's configuration versions: every change is a new version (maintainers and owners), the
// newest is in force, and two saves at once cannot both win.
import { z } from "zod";
import { findManageableAgent, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import { isUniqueViolation, type Db } from "@/lib/db/client";
import { Conflict, Invalid } from "@/lib/errors";
import { lenientData } from "./in-force";
import { ConfigError, parseAgentConfig, sharingDiff } from "./parse";
import { unknownReference } from "./references";

/** A save's request body: the whole YAML and the version it was edited on (a stale one is refused). */
export const configSaveSchema = z.object({
  yaml: z.string({ error: 'Send the configuration as YAML text in "yaml"' }),
  baseVersion: z.number().int().min(0).optional(),
});

export interface SaveOptions {
  /** The version the change was made on: if another was saved since, nothing is written (Conflict). */
  expectedVersion?: number;
  /** The audit action to record instead of agent_config.changed, with extra details. */
  audit?: { action: string; details: Record<string, string | number | boolean | null> };
}

/** Saves a new configuration version (maintainers and owners of the agent's project). */
export async function saveAgentConfig(
  db: Db,
  actor: Actor,
  agentId: string,
  yamlText: unknown,
  opts: SaveOptions = {},
): Promise<{ version: number }> {
  if (typeof yamlText !== "string") throw new Invalid("Send the configuration as YAML text", "yaml");
  const { agent } = await findManageableAgent(
    db,
    actor,
    agentId,
    "You need the maintainer or owner role in this project to change the agent's configuration",
  );
  const data = parseAgentConfig(yamlText);
  const newest = await db.agentConfig.findFirst({
    where: { agentId },
    orderBy: { version: "desc" },
    select: { version: true, yaml: true },
  });
  const unknown = await unknownReference(
    db,
    actor,
    data,
    newest ? lenientData(agentId, newest.version, newest.yaml) : {},
  );
  if (unknown)
    throw new ConfigError(
      unknown.targetType === "project"
        ? `no project "${unknown.path}" (use its full path, e.g. group/project)`
        : `no group "${unknown.path}"`,
      null,
    );
  try {
    return await db.$transaction(async (tx) => {
      const last = await tx.agentConfig.findFirst({
        where: { agentId },
        orderBy: { version: "desc" },
        select: { version: true, yaml: true },
      });
      const current = last?.version ?? 0;
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== current) throw staleVersion(current);
      const version = current + 1;
      // An older version that no longer validates: every entry of the new one counts as added.
      const before = last ? lenientData(agentId, last.version, last.yaml) : {};
      const diff = sharingDiff(before, data);
      await tx.agentConfig.create({ data: { agentId, version, yaml: yamlText, createdById: actor.id } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: opts.audit?.action ?? "agent_config.changed",
        targetType: "agent",
        targetId: agentId,
        details: {
          version,
          agent: agent.name,
          ...(diff.added ? { added: diff.added } : {}),
          ...(diff.removed ? { removed: diff.removed } : {}),
          ...opts.audit?.details,
        },
      });
      return { version };
    });
  } catch (e) {
    // Two saves at once: the unique (agent, version) lets one win; the other is told to reload.
    if (isUniqueViolation(e)) throw staleVersion(null);
    throw e;
  }
}

/** Another version was saved since the one the change was made on. */
export class StaleConfig extends Conflict {}

function staleVersion(current: number | null): StaleConfig {
  return new StaleConfig(
    `The configuration was changed by someone else${current !== null ? ` (it is now at version ${current})` : ""}. Reload to see the latest version, then make your change again.`,
    "yaml",
  );
}
