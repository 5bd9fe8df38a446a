"use client";
// A project's access tokens on its Settings tab, for its maintainers: create one (name, role, scopes, expiry),
// shown once with a copy button; the list (never the values) with role, scopes, who made it, expiry, last use
// and status; revoke after a confirmation. Loading, empty and error states; a narrow screen scrolls the table.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/providers";
import { CreateTokenForm, useRevealOnce } from "@/components/tokens/create-token-form";
import { LastUsedCell, TokenStatusText } from "@/components/tokens/token-cells";
import { TokenReveal } from "@/components/tokens/token-reveal";
import { useTokenRevocation } from "@/components/tokens/use-token-revocation";
import { DataTable } from "@/components/ui/data-table";
import { SelectField } from "@/components/ui/field";
import { RevokeTokenButton, RevokeTokenDialog } from "@/components/ui/revoke-token-dialog";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useSignInWhenExpired } from "@/components/ui/use-sign-in-when-expired";
import { UtcTime } from "@/components/ui/utc-time";
import { RoleOptions } from "@/components/ui/role-options";
import type { CreatedProjectToken, ProjectTokenRow, ProjectTokensView } from "@/lib/project-tokens";

const keyOf = (projectId: string) => ["project-tokens", projectId] as const;

const SCOPE_HELP: Record<string, string> = {
  api: "Read and write through Tether's REST API, with the token's role in this project only.",
  read_api: "Only read through Tether's REST API (GET requests), in this project only.",
  k8s_proxy: "kubectl through Tether's agent server, with agents whose user_access lists this project.",
};
const DEFAULT_SCOPES = new Set(["read_api"]);
const ROLE_HELP: Record<string, string> = {
  developer: "Developer: see the project and its agents, run its pipelines (CI job tokens).",
  maintainer:
    "Maintainer: also register agents, make and revoke their tokens, change configuration, read the audit log.",
};
/** What the form offers before the list has loaded: the server's own choices, which it checks again. */
const FALLBACK_VIEW: Pick<ProjectTokensView, "roles" | "scopes" | "maxDays"> = {
  roles: ["developer", "maintainer"],
  scopes: ["api", "read_api", "k8s_proxy"],
  maxDays: 365,
};

const td = "px-4 py-3";

export function ProjectTokensPanel({
  projectId,
  projectPath,
  canManage,
}: {
  projectId: string;
  projectPath: string;
  canManage: boolean;
}) {
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: keyOf(projectId),
    queryFn: () => fetchJson<ProjectTokensView>(`/api/projects/${encodeURIComponent(projectId)}/access-tokens`),
    enabled: canManage,
    refetchInterval: 30_000,
    staleTime: 0,
  });
  const once = useRevealOnce<CreatedProjectToken>();
  useSignInWhenExpired(q.error);
  const revocation = useTokenRevocation<ProjectTokenRow, unknown>(
    (id) =>
      fetchJson(`/api/projects/${encodeURIComponent(projectId)}/access-tokens/${encodeURIComponent(id)}`, {
        method: "DELETE",
      }),
    () => void queryClient.invalidateQueries({ queryKey: keyOf(projectId) }),
  );
  const { created } = once;
  const view = q.data ?? FALLBACK_VIEW;

  return (
    <section aria-labelledby="project-tokens-heading" className="space-y-6">
      <div className="space-y-1">
        <h2 id="project-tokens-heading" className="text-lg font-semibold">
          Project access tokens
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A token for a script, a CI system or kubectl that acts as its own bot with one role in {projectPath} and
          nothing else: no other project, no group. It cannot make tokens or kubeconfigs.
        </p>
      </div>
      {!canManage ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Only the project&apos;s maintainers and owners can see and make its access tokens.
        </p>
      ) : (
        <>
          <div className="rounded-lg border border-zinc-200 p-4 sm:p-6 dark:border-zinc-800">
            <h3 className="mb-4 text-base font-semibold">{created ? "Your new token" : "Create a token"}</h3>
            {created ? (
              <TokenReveal
                idPrefix="prj-token"
                headingLevel={4}
                title={`Project access token ${created.name} created`}
                valueLabel="Project access token"
                token={created.token}
                onDone={once.done}
              >
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  It acts as the bot <span className="font-mono break-all">{created.bot}</span> with the {created.role}{" "}
                  role in this project only, and expires on <UtcTime iso={created.expiresAt} />. Scripts send it to the
                  REST API as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>; kubectl sends it
                  as <code className="font-mono">pat:&lt;agent-id&gt;:&lt;token&gt;</code> (scope k8s_proxy).
                </p>
              </TokenReveal>
            ) : (
              <CreateTokenForm<CreatedProjectToken>
                key={once.formKey}
                idPrefix="prj-token"
                label="Create a project access token"
                url={`/api/projects/${encodeURIComponent(projectId)}/access-tokens`}
                listKey={keyOf(projectId)}
                nameHint="What it is for, e.g. the deploy script or the CI system that holds it."
                scopes={view.scopes}
                scopeHelp={SCOPE_HELP}
                defaultScopes={DEFAULT_SCOPES}
                maxDays={view.maxDays}
                expiryHint={`From 1 to ${view.maxDays} days: a project access token always expires.`}
                submitLabel="Create project access token"
                fields={(fieldError) => (
                  <SelectField
                    label="Role"
                    id="prj-token-role"
                    name="role"
                    defaultValue="developer"
                    error={fieldError("role")}
                    hint={`${ROLE_HELP.developer} ${ROLE_HELP.maintainer} In this project only.`}
                  >
                    <RoleOptions roles={view.roles} />
                  </SelectField>
                )}
                bodyOf={(data) => ({ role: String(data.get("role") ?? "") })}
                onCreated={once.reveal}
              />
            )}
          </div>

          <div>
            <h3 className="mb-3 text-base font-semibold">Tokens of this project</h3>
            {q.isPending ? (
              <LoadingState label="Loading the project's access tokens…" />
            ) : q.isError && !q.data ? (
              <ErrorState
                title="Could not load the project's access tokens"
                message={q.error.message}
                onRetry={() => void q.refetch()}
              />
            ) : q.data!.tokens.length === 0 ? (
              <EmptyState title="No project access tokens">
                <p>Create one for a script or CI system that works on this project without a person&apos;s token.</p>
              </EmptyState>
            ) : (
              <DataTable
                caption={`Access tokens of ${projectPath}`}
                columns={["Name", "Role", "Scopes", "Created by", "Created", "Expires", "Last used", "Status"]}
                actions
              >
                {q.data!.tokens.map((t) => (
                  <tr key={t.id}>
                    <th scope="row" className={`${td} font-medium`}>
                      {t.name}
                      <span className="block font-mono text-xs font-normal text-zinc-500">{t.bot}</span>
                    </th>
                    <td className={td}>{t.role}</td>
                    <td className={`${td} font-mono text-xs`}>{t.scopes.join(", ")}</td>
                    <td className={td}>{t.createdBy ?? <span className="text-zinc-500">A deleted user</span>}</td>
                    <td className={td}>
                      <UtcTime iso={t.createdAt} />
                    </td>
                    <td className={td}>
                      <UtcTime iso={t.expiresAt} />
                    </td>
                    <td className={td}>
                      <LastUsedCell iso={t.lastUsedAt} />
                    </td>
                    <td className={td}>
                      <TokenStatusText status={t.status} revokedAt={t.revokedAt} revokedBy={t.revokedBy} />
                    </td>
                    <td className={`${td} text-right`}>
                      <RevokeTokenButton token={t} onRevoke={revocation.ask} />
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </div>
          <RevokeTokenDialog token={revocation.token} revoke={revocation.revoke} onCancel={revocation.cancel}>
            <p>Scripts and kubectl using this token lose access within seconds. This cannot be undone.</p>
          </RevokeTokenDialog>
        </>
      )}
    </section>
  );
}
