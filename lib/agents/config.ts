// An agent's configuration: YAML in GitLab's shape (ci_access, user_access), validated with a schema,
// with errors that name the line. Every change is a new version; the newest is in force.
//
//   ci_access:
//     projects:
//       - id: my-group/app            # CI jobs of this project may use the agent
//         default_namespace: ci
//         access_as: { ci_job: {} }   # agent (default) | ci_job
//     groups:
//       - id: my-group
//   user_access:
//     access_as: { user: {} }         # agent (default) | user
//     projects: [{ id: my-group/app }]
//     groups: [{ id: my-group }]
import { LineCounter, parseDocument, isNode } from "yaml";
import { z } from "zod";
import { can, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/client";
import { Forbidden, Invalid } from "@/lib/errors";
import { findVisibleAgent } from "./service";

const empty = z.object({}).strict();
const ciAccessAs = z.union([z.object({ agent: empty }).strict(), z.object({ ci_job: empty }).strict()], { error: "access_as must be { agent: {} } or { ci_job: {} }" });
const userAccessAs = z.union([z.object({ agent: empty }).strict(), z.object({ user: empty }).strict()], { error: "access_as must be { agent: {} } or { user: {} }" });
const namespace = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "default_namespace must be a Kubernetes namespace name").max(63);
const ref = z.string().trim().min(1, "id must name a project (group/project) or a group").max(255);

const ciEntry = z.object({ id: ref, default_namespace: namespace.optional(), access_as: ciAccessAs.optional() }).strict();
const userEntry = z.object({ id: ref }).strict();

export const agentConfigSchema = z
  .object({
    ci_access: z.object({ projects: z.array(ciEntry).max(500).optional(), groups: z.array(ciEntry).max(500).optional() }).strict().optional(),
    user_access: z
      .object({ access_as: userAccessAs.optional(), projects: z.array(userEntry).max(500).optional(), groups: z.array(userEntry).max(500).optional() })
      .strict()
      .optional(),
  })
  .strict();

export type AgentConfigData = z.infer<typeof agentConfigSchema>;
export type AccessAs = "agent" | "ci_job" | "user";

export class ConfigError extends Invalid {
  constructor(message: string, readonly line: number | null) {
    super(line ? `line ${line}: ${message}` : message, "yaml");
  }
}

export const MAX_CONFIG_BYTES = 64 * 1024;

/** Parses and validates; throws ConfigError naming the line of the first problem. */
export function parseAgentConfig(text: string): AgentConfigData {
  if (Buffer.byteLength(text, "utf8") > MAX_CONFIG_BYTES) throw new ConfigError(`configuration is too large (limit ${MAX_CONFIG_BYTES / 1024} KiB)`, null);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw new ConfigError(first.message.split("\n")[0]!, first.linePos?.[0]?.line ?? null);
  const value: unknown = doc.toJS() ?? {};
  const parsed = agentConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // The line of the deepest node that exists on the issue's path.
  let line: number | null = null;
  for (let n = issue.path.length; n >= 0 && line === null; n--) {
    const node = doc.getIn(issue.path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) line = lines.linePos(node.range[0]).line;
  }
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  const message = issue.code === "unrecognized_keys" ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}` : issue.message;
  throw new ConfigError(`${where}${message}`, line);
}

export function accessAsOf(a: { agent?: object; ci_job?: object; user?: object } | undefined): AccessAs {
  if (a && "ci_job" in a) return "ci_job";
  if (a && "user" in a) return "user";
  return "agent";
}

/** Every project and group the configuration names must exist (a specific error otherwise). */
async function checkReferences(db: Db, cfg: AgentConfigData): Promise<void> {
  const projects = [...(cfg.ci_access?.projects ?? []), ...(cfg.user_access?.projects ?? [])].map((p) => p.id.toLowerCase());
  const groups = [...(cfg.ci_access?.groups ?? []), ...(cfg.user_access?.groups ?? [])].map((g) => g.id.toLowerCase());
  for (const p of new Set(projects)) {
    if (!(await db.project.findUnique({ where: { fullPath: p }, select: { id: true } }))) throw new ConfigError(`no project "${p}" (use its full path, e.g. group/project)`, null);
  }
  for (const g of new Set(groups)) {
    if (!(await db.group.findUnique({ where: { path: g }, select: { id: true } }))) throw new ConfigError(`no group "${g}"`, null);
  }
}

export async function currentAgentConfig(db: Db, agentId: string): Promise<{ version: number; yaml: string; data: AgentConfigData }> {
  const row = await db.agentConfig.findFirst({ where: { agentId }, orderBy: { version: "desc" } });
  if (!row) return { version: 0, yaml: "", data: {} };
  return { version: row.version, yaml: row.yaml, data: parseAgentConfig(row.yaml) };
}

/** Saves a new configuration version (maintainers and owners of the agent's project). */
export async function saveAgentConfig(db: Db, actor: Actor, agentId: string, yamlText: unknown): Promise<{ version: number }> {
  if (typeof yamlText !== "string") throw new Invalid("Send the configuration as YAML text", "yaml");
  const { agent, facts } = await findVisibleAgent(db, actor, agentId);
  if (!can.manageProjectAgents(actor, facts)) throw new Forbidden("agent", "You need the maintainer or owner role in this project to change the agent's configuration");
  const data = parseAgentConfig(yamlText);
  await checkReferences(db, data);
  return db.$transaction(async (tx) => {
    const last = await tx.agentConfig.findFirst({ where: { agentId }, orderBy: { version: "desc" }, select: { version: true } });
    const version = (last?.version ?? 0) + 1;
    await tx.agentConfig.create({ data: { agentId, version, yaml: yamlText, createdById: actor.id } });
    await recordAudit(tx, { actorId: actor.id, action: "agent_config.changed", targetType: "agent", targetId: agentId, details: { version, agent: agent.name } });
    return { version };
  });
}

