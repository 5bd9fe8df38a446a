// As whom an agent acts in its cluster for a caller: itself (access_as agent: no impersonation), or
// the caller (user or CI job), with groups naming the projects and groups that let them in. The
// cluster's RBAC decides what that identity may do; these names are what its bindings refer to.

/** How an agent's configuration says it acts: as itself, or as the user or CI job that calls. */
export type AccessAs = "agent" | "user" | "ci_job";

/** The Impersonate-User and Impersonate-Group headers the agent adds. */
export interface Impersonation {
  user: string;
  groups: string[];
  /** Impersonate-Extra-<key> values: a CI job's repository and ref when it proved them with an OIDC ID token. */
  extra?: Record<string, string[]>;
}

export type ImpersonatedCaller =
  /** A user, let in through these projects and groups (ids). */
  | { type: "user"; username: string; projectIds: readonly string[]; groupIds: readonly string[] }
  /** A CI job of a project (in a group, or a user's own project). */
  | {
      type: "ci_job";
      jobId: string;
      projectId: string;
      groupId: string | null;
      /** What the job proved about itself (lib/ci-oidc: repository, ref), passed on as Impersonate-Extra. */
      extra?: Record<string, string[]>;
    };

/** The impersonation for `caller` under an access_as rule; null when the agent acts as itself. */
export function impersonationFor(accessAs: "user" | "ci_job", caller: ImpersonatedCaller): Impersonation;
export function impersonationFor(accessAs: AccessAs, caller: ImpersonatedCaller): Impersonation | null;
export function impersonationFor(accessAs: AccessAs, caller: ImpersonatedCaller): Impersonation | null {
  if (accessAs === "agent") return null;
  if (accessAs !== caller.type)
    throw new Error(`access_as ${accessAs} cannot impersonate a ${caller.type === "ci_job" ? "CI job" : "user"}`);
  if (caller.type === "ci_job") {
    return {
      user: `tether:ci_job:${caller.jobId}`,
      groups: [
        "tether:ci",
        `tether:project:${caller.projectId}`,
        ...(caller.groupId ? [`tether:group:${caller.groupId}`] : []),
      ],
      ...(caller.extra && Object.keys(caller.extra).length ? { extra: caller.extra } : {}),
    };
  }
  return {
    user: `tether:user:${caller.username}`,
    groups: [
      "tether:user",
      ...caller.projectIds.map((id) => `tether:project:${id}`),
      ...caller.groupIds.map((id) => `tether:group:${id}`),
    ],
  };
}
