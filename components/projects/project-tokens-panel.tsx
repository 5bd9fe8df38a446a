"use client";
// A project's access tokens on its Settings tab, for its maintainers: create one (name, role, scopes, expiry),
// shown once with a copy button; the list (never the values) with role, scopes, who made it, expiry, last use
// and status; revoke after a confirmation. Loading, empty and error states; a narrow screen scrolls the table.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { formatUtc } from "@/components/agents/format";
import { RelativeTime } from "@/components/agents/relative-time";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { RevokeTokenButton, RevokeTokenDialog } from "@/components/ui/revoke-token-dialog";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { CreatedProjectToken, ProjectTokenRow, ProjectTokensView } from "@/lib/project-tokens";

const keyOf = (projectId: string) => ["project-tokens", projectId] as const;

const SCOPE_HELP: Record<string, string> = {
  api: "Read and write through Tether's REST API, with the token's role in this project only.",
  read_api: "Only read through Tether's REST API (GET requests), in this project only.",
  k8s_proxy: "kubectl through Tether's agent server, with agents whose user_access lists this project.",
};
const ROLE_HELP: Record<string, string> = {
  developer: "Developer: see the project and its agents, run its pipelines (CI job tokens).",
  maintainer:
    "Maintainer: also register agents, make and revoke their tokens, change configuration, read the audit log.",
};

function CreateForm({
  projectId,
  view,
  onCreated,
}: {
  projectId: string;
  view: Pick<ProjectTokensView, "roles" | "scopes" | "maxDays">;
  onCreated: (c: CreatedProjectToken) => void;
}) {
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: { name: string; role: string; scopes: string[]; expiresInDays: number }) =>
      fetchJson<CreatedProjectToken>(`/api/projects/${encodeURIComponent(projectId)}/access-tokens`, {
        method: "POST",
        body: JSON.stringify(body),
      }),
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: keyOf(projectId) });
      onCreated(c);
    },
  });
  const [daysError, setDaysError] = useState<string | undefined>();
  const error = create.error;
  const field = error instanceof ApiError ? error.field : undefined;
  const fieldError = (name: string) =>
    error && field && (field === name || field.startsWith(`${name}.`)) ? error.message : undefined;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const days = String(data.get("expiresInDays") ?? "").trim();
    // The server checks the range again; a number field can still hold "" or "1e3" here.
    if (!/^\d{1,3}$/.test(days)) {
      create.reset();
      setDaysError(`Enter a whole number of days from 1 to ${view.maxDays}`);
      return;
    }
    setDaysError(undefined);
    create.mutate({
      name: String(data.get("name") ?? ""),
      role: String(data.get("role") ?? ""),
      scopes: data.getAll("scopes").map(String),
      expiresInDays: Number(days),
    });
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Create a project access token" className="max-w-lg space-y-4">
      <FormError message={error && !field ? error.message : undefined} />
      <Field
        label="Token name"
        id="prj-token-name"
        name="name"
        required
        maxLength={100}
        error={fieldError("name")}
        hint="What it is for, e.g. the deploy script or the CI system that holds it."
      />
      <div className="space-y-1">
        <label htmlFor="prj-token-role" className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
          Role
        </label>
        <select
          id="prj-token-role"
          name="role"
          defaultValue="developer"
          aria-describedby={fieldError("role") ? "prj-token-role-error" : "prj-token-role-hint"}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          {view.roles.map((r) => (
            <option key={r} value={r}>
              {r[0]!.toUpperCase() + r.slice(1)}
            </option>
          ))}
        </select>
        {fieldError("role") ? (
          <p id="prj-token-role-error" className="text-sm text-red-600 dark:text-red-400">
            {fieldError("role")}
          </p>
        ) : (
          <p id="prj-token-role-hint" className="text-xs text-zinc-500">
            {ROLE_HELP.developer} {ROLE_HELP.maintainer} In this project only.
          </p>
        )}
      </div>
      <fieldset aria-describedby={fieldError("scopes") ? "prj-token-scopes-error" : undefined}>
        <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Scopes</legend>
        {view.scopes.map((s) => (
          <div key={s} className="mt-2 flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              id={`prj-token-scope-${s}`}
              name="scopes"
              value={s}
              defaultChecked={s === "read_api"}
              aria-describedby={SCOPE_HELP[s] ? `prj-token-scope-${s}-help` : undefined}
              className="mt-0.5"
            />
            <span>
              <label htmlFor={`prj-token-scope-${s}`} className="font-mono">
                {s}
              </label>
              {SCOPE_HELP[s] ? (
                <span id={`prj-token-scope-${s}-help`} className="block text-xs text-zinc-500">
                  {SCOPE_HELP[s]}
                </span>
              ) : null}
            </span>
          </div>
        ))}
        {fieldError("scopes") ? (
          <p id="prj-token-scopes-error" className="mt-1 text-sm text-red-600 dark:text-red-400">
            {fieldError("scopes")}
          </p>
        ) : null}
      </fieldset>
      <Field
        label="Expires after (days)"
        id="prj-token-expiry"
        name="expiresInDays"
        type="number"
        inputMode="numeric"
        min={1}
        max={view.maxDays}
        defaultValue={30}
        required
        error={daysError ?? fieldError("expiresInDays")}
        hint={`From 1 to ${view.maxDays} days: a project access token always expires.`}
      />
      <Button type="submit" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create project access token"}
      </Button>
    </form>
  );
}

function Reveal({ created, onDone }: { created: CreatedProjectToken; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="prj-token-reveal-heading" className="space-y-4">
      <h4
        id="prj-token-reveal-heading"
        ref={heading}
        tabIndex={-1}
        className="text-base font-semibold focus:outline-none"
      >
        Project access token {created.name} created
      </h4>
      <p
        role="note"
        className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
      >
        Copy the token now: it is shown only this once. Tether keeps only its hash; if you lose it, create another one.
      </p>
      <div className="space-y-1">
        <label htmlFor="prj-token-value" className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
          Project access token
        </label>
        <div className="flex flex-wrap items-center gap-3">
          <input
            id="prj-token-value"
            readOnly
            value={created.token}
            onFocus={(e) => e.currentTarget.select()}
            className="block min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          <CopyButton text={created.token} label="Copy token" />
        </div>
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        It acts as the bot <span className="font-mono break-all">{created.bot}</span> with the {created.role} role in
        this project only, and expires on <time dateTime={created.expiresAt}>{formatUtc(created.expiresAt)}</time>.
        Scripts send it to the REST API as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>;
        kubectl sends it as <code className="font-mono">pat:&lt;agent-id&gt;:&lt;token&gt;</code> (scope k8s_proxy).
      </p>
      <Button type="button" onClick={onDone}>
        I have copied the token
      </Button>
    </section>
  );
}

function StatusText({ t }: { t: ProjectTokenRow }) {
  if (t.status === "active") return <span className="font-medium text-green-700 dark:text-green-400">Active</span>;
  if (t.status === "expired") return <span className="text-zinc-500">Expired</span>;
  return (
    <span className="text-zinc-500" title={t.revokedAt ? formatUtc(t.revokedAt) : undefined}>
      Revoked{t.revokedBy ? ` by ${t.revokedBy}` : ""}
    </span>
  );
}

const th = "px-4 py-2 font-medium";
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
  const [created, setCreated] = useState<CreatedProjectToken | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [revoking, setRevoking] = useState<ProjectTokenRow | null>(null);
  const expired = q.error instanceof ApiError && q.error.status === 401;
  useEffect(() => {
    if (expired) void signIn(undefined, { callbackUrl: window.location.pathname });
  }, [expired]);
  const revoke = useMutation({
    mutationFn: (id: string) =>
      fetchJson(`/api/projects/${encodeURIComponent(projectId)}/access-tokens/${encodeURIComponent(id)}`, {
        method: "DELETE",
      }),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: keyOf(projectId) });
    },
  });

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
              <Reveal
                created={created}
                onDone={() => {
                  setCreated(null);
                  setFormKey((k) => k + 1);
                }}
              />
            ) : (
              <CreateForm
                key={formKey}
                projectId={projectId}
                view={
                  q.data ?? {
                    roles: ["developer", "maintainer"],
                    scopes: ["api", "read_api", "k8s_proxy"],
                    maxDays: 365,
                  }
                }
                onCreated={setCreated}
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
              <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
                <table className="w-full text-left text-sm">
                  <caption className="sr-only">Access tokens of {projectPath}</caption>
                  <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
                    <tr>
                      <th scope="col" className={th}>
                        Name
                      </th>
                      <th scope="col" className={th}>
                        Role
                      </th>
                      <th scope="col" className={th}>
                        Scopes
                      </th>
                      <th scope="col" className={th}>
                        Created by
                      </th>
                      <th scope="col" className={th}>
                        Created
                      </th>
                      <th scope="col" className={th}>
                        Expires
                      </th>
                      <th scope="col" className={th}>
                        Last used
                      </th>
                      <th scope="col" className={th}>
                        Status
                      </th>
                      <th scope="col" className={th}>
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
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
                          <time dateTime={t.createdAt}>{formatUtc(t.createdAt)}</time>
                        </td>
                        <td className={td}>
                          <time dateTime={t.expiresAt}>{formatUtc(t.expiresAt)}</time>
                        </td>
                        <td className={td}>
                          <RelativeTime iso={t.lastUsedAt} never="Never used" />
                        </td>
                        <td className={td}>
                          <StatusText t={t} />
                        </td>
                        <td className={`${td} text-right`}>
                          <RevokeTokenButton
                            token={t}
                            onRevoke={(token) => {
                              revoke.reset();
                              setRevoking(token);
                            }}
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          <RevokeTokenDialog token={revoking} revoke={revoke} onCancel={() => setRevoking(null)}>
            <p>Scripts and kubectl using this token lose access within seconds. This cannot be undone.</p>
          </RevokeTokenDialog>
        </>
      )}
    </section>
  );
}
