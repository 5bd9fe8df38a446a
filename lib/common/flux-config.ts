// The `flux` section of an agent's configuration (the YAML web keeps and the agent fetches through kas):
// web validates it with the rest (lib/agent-config, errors with line numbers), the agent reads it with the
// same schema. The name is GitLab's for the same feature (its agent's `flux:` section); GitLab's `gitops:`
// was the removed pull-based manifest sync, with other keys.
//
//   flux:
//     enabled: true            # default true: a push reconciles the GitRepository objects that follow it
//     namespaces: [flux-system] # where to look for GitRepository objects; absent: every namespace
//     match_branch: true       # default true: a branch-following object only for pushes to its branch
import { z } from "zod";

const namespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "namespaces: each must be a Kubernetes namespace name")
  .max(63);

export const fluxConfigSchema = z
  .object({
    enabled: z.boolean({ error: "enabled must be true or false" }).optional(),
    namespaces: z.array(namespaceName).max(100, "namespaces: at most 100").optional(),
    match_branch: z.boolean({ error: "match_branch must be true or false" }).optional(),
  })
  .strict();

export type FluxConfig = z.infer<typeof fluxConfigSchema>;

/** What the agent acts on, defaults filled in. `namespaces` empty: every namespace. */
export interface FluxSettings {
  enabled: boolean;
  namespaces: string[];
  matchBranch: boolean;
}

export function fluxSettings(c: FluxConfig | undefined): FluxSettings {
  return {
    enabled: c?.enabled ?? true,
    namespaces: [...new Set(c?.namespaces ?? [])].sort(),
    matchBranch: c?.match_branch ?? true,
  };
}
