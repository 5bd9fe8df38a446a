// An agent's configuration: YAML in GitLab's shape (ci_access, user_access), validated with a schema,
// with errors that name the line, and the sharing entries it holds. Pure: saving is versions.ts.
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
//   flux:                             # pushes → Flux reconciles (lib/common/flux-config.ts)
//     namespaces: [flux-system]
import { LineCounter, isMap, isNode, isScalar, parseDocument } from "yaml";
import { z } from "zod";
import type { AccessAs } from "@/lib/access";
import { fluxConfigSchema } from "@/lib/common/flux-config";
import { Invalid } from "@/lib/errors";

const empty = z.object({}).strict();
const ciAccessAs = z.union([z.object({ agent: empty }).strict(), z.object({ ci_job: empty }).strict()], {
  error: "access_as must be { agent: {} } or { ci_job: {} }",
});
const userAccessAs = z.union([z.object({ agent: empty }).strict(), z.object({ user: empty }).strict()], {
  error: "access_as must be { agent: {} } or { user: {} }",
});
const namespace = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "default_namespace must be a Kubernetes namespace name")
  .max(63);
const ref = z.string().trim().min(1, "id must name a project (group/project) or a group").max(255);

const ciEntry = z
  .object({ id: ref, default_namespace: namespace.optional(), access_as: ciAccessAs.optional() })
  .strict();
const userEntry = z.object({ id: ref }).strict();

export const agentConfigSchema = z
  .object({
    ci_access: z
      .object({ projects: z.array(ciEntry).max(500).optional(), groups: z.array(ciEntry).max(500).optional() })
      .strict()
      .optional(),
    user_access: z
      .object({
        access_as: userAccessAs.optional(),
        projects: z.array(userEntry).max(500).optional(),
        groups: z.array(userEntry).max(500).optional(),
      })
      .strict()
      .optional(),
    flux: fluxConfigSchema.optional(),
  })
  .strict();

export type AgentConfigData = z.infer<typeof agentConfigSchema>;
export type { AccessAs };

export class ConfigError extends Invalid {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(line ? `line ${line}: ${message}` : message, "yaml");
  }
}

export const MAX_CONFIG_BYTES = 64 * 1024;

/** Parses and validates; throws ConfigError naming the line of the first problem. */
export function parseAgentConfig(text: string): AgentConfigData {
  if (Buffer.byteLength(text, "utf8") > MAX_CONFIG_BYTES)
    throw new ConfigError(`configuration is too large (limit ${MAX_CONFIG_BYTES / 1024} KiB)`, null);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const first = doc.errors[0];
  // The yaml library ends its messages with " at line N, column M"; the line goes in front instead.
  if (first)
    throw new ConfigError(
      first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""),
      first.linePos?.[0]?.line ?? null,
    );
  const value: unknown = doc.toJS() ?? {};
  const parsed = agentConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // The line of the deepest node that exists on the issue's path.
  let line: number | null = null;
  if (issue.code === "unrecognized_keys") {
    // The line of the first unknown key itself, not of the map that holds it.
    const map = issue.path.length ? doc.getIn(issue.path as (string | number)[], true) : doc.contents;
    const pair = isMap(map)
      ? map.items.find((p) => isScalar(p.key) && issue.keys.includes(String(p.key.value)))
      : undefined;
    if (pair && isNode(pair.key) && pair.key.range) line = lines.linePos(pair.key.range[0]).line;
  }
  for (let n = issue.path.length; n >= 0 && line === null; n--) {
    const node = doc.getIn(issue.path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) line = lines.linePos(node.range[0]).line;
  }
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  const message =
    issue.code === "unrecognized_keys" ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}` : issue.message;
  throw new ConfigError(`${where}${message}`, line);
}

export function accessAsOf(a: { agent?: object; ci_job?: object; user?: object } | undefined): AccessAs {
  if (a && "ci_job" in a) return "ci_job";
  if (a && "user" in a) return "user";
  return "agent";
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
  const ciRow =
    (targetType: "project" | "group") =>
    (e: z.infer<typeof ciEntry>): ShareEntry => ({
      access: "ci_access",
      targetType,
      target: e.id.toLowerCase(),
      accessAs: accessAsOf(e.access_as),
      defaultNamespace: e.default_namespace ?? null,
    });
  const uaRow =
    (targetType: "project" | "group") =>
    (e: { id: string }): ShareEntry => ({
      access: "user_access",
      targetType,
      target: e.id.toLowerCase(),
      accessAs: accessAsOf(ua?.access_as),
      defaultNamespace: null,
    });
  return [
    ...(ci?.projects ?? []).map(ciRow("project")),
    ...(ci?.groups ?? []).map(ciRow("group")),
    ...(ua?.projects ?? []).map(uaRow("project")),
    ...(ua?.groups ?? []).map(uaRow("group")),
  ];
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
