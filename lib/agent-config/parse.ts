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
import type { z } from "zod";
import type { AccessAs } from "@/lib/access";
import { Invalid } from "@/lib/errors";
import { validateAgentConfig, type AgentConfigData, type ciEntry } from "./validate";

export { MAX_CONFIG_BYTES, agentConfigSchema, type AgentConfigData } from "./validate";
export type { AccessAs };

export class ConfigError extends Invalid {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(line ? `line ${line}: ${message}` : message, "yaml");
  }
}

/** Parses and validates; throws ConfigError naming the line of the first problem (validateAgentConfig lists all). */
export function parseAgentConfig(text: string): AgentConfigData {
  const r = validateAgentConfig(text);
  if (r.ok) return r.data;
  const first = r.problems[0]!;
  throw new ConfigError(first.message, first.line);
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
