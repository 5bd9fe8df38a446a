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
import { LineCounter, isMap, isNode, isScalar, parseDocument } from "yaml";
import { z } from "zod";
import { findManageableAgent, type Actor } from "@/lib/access";
import { recordAudit } from "@/lib/audit/audit";
import { isUniqueViolation, type Db } from "@/lib/db/client";
import { Conflict, Invalid } from "@/lib/errors";

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
  // The yaml library ends its messages with " at line N, column M"; the line goes in front instead.
  if (first) throw new ConfigError(first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""), first.linePos?.[0]?.line ?? null);
  const value: unknown = doc.toJS() ?? {};
  const parsed = agentConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // The line of the deepest node that exists on the issue's path.
  let line: number | null = null;
  if (issue.code === "unrecognized_keys") {
    // The line of the first unknown key itself, not of the map that holds it.
    const map = issue.path.length ? doc.getIn(issue.path as (string | number)[], true) : doc.contents;
    const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && issue.keys.includes(String(p.key.value))) : undefined;
    if (pair && isNode(pair.key) && pair.key.range) line = lines.linePos(pair.key.range[0]).line;
  }
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

/** One project or group an agent is shared with, as the Sharing tab lists it. */
export interface ShareEntry {
  access: "ci_access" | "user_access";
  targetType: "project" | "group";
  /** The project's full path or the group's path, lower case. */
  target: string;
  accessAs: AccessAs;
  /** ci_access only. */
  defaultNamespace: string | null;
}

/** The configuration's ci_access and user_access entries, flattened (user_access's access_as applies to each). */
export function shareEntries(cfg: AgentConfigData): ShareEntry[] {
  const ci = cfg.ci_access;
  const ua = cfg.user_access;
  const ciRow = (targetType: "project" | "group") => (e: z.infer<typeof ciEntry>): ShareEntry => ({ access: "ci_access", targetType, target: e.id.toLowerCase(), accessAs: accessAsOf(e.access_as), defaultNamespace: e.default_namespace ?? null });
  const uaRow = (targetType: "project" | "group") => (e: { id: string }): ShareEntry => ({ access: "user_access", targetType, target: e.id.toLowerCase(), accessAs: accessAsOf(ua?.access_as), defaultNamespace: null });
  return [...(ci?.projects ?? []).map(ciRow("project")), ...(ci?.groups ?? []).map(ciRow("group")), ...(ua?.projects ?? []).map(uaRow("project")), ...(ua?.groups ?? []).map(uaRow("group"))];
}

export function describeShareEntry(e: ShareEntry): string {
  const ns = e.defaultNamespace ? `, default namespace ${e.defaultNamespace}` : "";
  return `${e.access} ${e.targetType} ${e.target} as ${e.accessAs}${ns}`;
}

/** What changed in sharing between two configurations, for the audit log ("" when nothing did). */
export function sharingDiff(before: AgentConfigData, after: AgentConfigData): { added: string; removed: string } {
  const a = new Set(shareEntries(before).map(describeShareEntry));
  const b = new Set(shareEntries(after).map(describeShareEntry));
  return { added: [...b].filter((x) => !a.has(x)).join("; "), removed: [...a].filter((x) => !b.has(x)).join("; ") };
}

export interface SaveOptions {
  /** The version the change was made on: if another was saved since, nothing is written (Conflict). */
  expectedVersion?: number;
  /** The audit action to record instead of agent_config.changed, with extra details. */
  audit?: { action: string; details: Record<string, string | number | boolean | null> };
}

/** Saves a new configuration version (maintainers and owners of the agent's project). */
export async function saveAgentConfig(db: Db, actor: Actor, agentId: string, yamlText: unknown, opts: SaveOptions = {}): Promise<{ version: number }> {
  if (typeof yamlText !== "string") throw new Invalid("Send the configuration as YAML text", "yaml");
  const { agent } = await findManageableAgent(db, actor, agentId, "You need the maintainer or owner role in this project to change the agent's configuration");
  const data = parseAgentConfig(yamlText);
  await checkReferences(db, data);
  try {
    return await db.$transaction(async (tx) => {
      const last = await tx.agentConfig.findFirst({ where: { agentId }, orderBy: { version: "desc" }, select: { version: true, yaml: true } });
      const current = last?.version ?? 0;
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== current) throw staleVersion(current);
      const version = current + 1;
      let before: AgentConfigData = {};
      try {
        before = last ? parseAgentConfig(last.yaml) : {};
      } catch {
        // An older version that no longer validates: every entry of the new one counts as added.
      }
      const diff = sharingDiff(before, data);
      await tx.agentConfig.create({ data: { agentId, version, yaml: yamlText, createdById: actor.id } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: opts.audit?.action ?? "agent_config.changed",
        targetType: "agent",
        targetId: agentId,
        details: { version, agent: agent.name, ...(diff.added ? { added: diff.added } : {}), ...(diff.removed ? { removed: diff.removed } : {}), ...opts.audit?.details },
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
  return new StaleConfig(`The configuration was changed by someone else${current !== null ? ` (it is now at version ${current})` : ""}. Reload to see the latest version, then make your change again.`, "yaml");
}
