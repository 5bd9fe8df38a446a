"use client";
// The agent's Sharing tab: who may use the agent (its configuration's ci_access and user_access), with
// a form to share it with a project or group and a button to stop sharing. Every change is saved by the
// server as a new configuration version.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/form-error";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { AccessAs, ShareEntry } from "@/lib/agent-config";
import { agentKeys, useAgentSharing } from "./api";

const ACCESS_LABEL = { ci_access: "CI access", user_access: "User access" } as const;
const ACTS_AS: Record<AccessAs, string> = { agent: "The agent's service account", ci_job: "The CI job (impersonated)", user: "The user (impersonated)" };

function describe(e: Pick<ShareEntry, "access" | "targetType" | "target">): string {
  return `${e.targetType} ${e.target} (${ACCESS_LABEL[e.access]})`;
}

const selectClass = "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-900";

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? <p id={id} className="text-sm text-red-600 dark:text-red-400">{message}</p> : null;
}

function AddShareForm({ agentId, userAccessAs, suggestions, onShared }: { agentId: string; userAccessAs: AccessAs; suggestions: { groups: string[]; projects: string[] }; onShared: (message: string) => void }) {
  const queryClient = useQueryClient();
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [access, setAccess] = useState<"ci_access" | "user_access">("ci_access");
  const [targetType, setTargetType] = useState<"project" | "group">("project");
  const share = useMutation({
    mutationFn: (body: Record<string, string>) => fetchJson<{ version: number; entry: ShareEntry }>(`/api/agents/${encodeURIComponent(agentId)}/sharing`, { method: "POST", body: JSON.stringify(body) }),
    onSuccess: async (r) => {
      form.current?.reset();
      setAccess("ci_access");
      setTargetType("project");
      onShared(`Shared with ${describe(r.entry)}. Saved as configuration version ${r.version}.`);
      await Promise.all([queryClient.invalidateQueries({ queryKey: agentKeys.sharing(agentId) }), queryClient.invalidateQueries({ queryKey: agentKeys.config(agentId) })]);
    },
  });
  const error = share.error;
  const field = error instanceof ApiError ? error.field : undefined;
  const fieldError = (name: string) => (error && field === name ? error.message : undefined);
  const formError = error && !["target", "accessAs", "defaultNamespace"].includes(field ?? "") ? error.message : undefined;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body: Record<string, string> = {};
    new FormData(e.currentTarget).forEach((v, k) => (body[k] = String(v)));
    share.mutate(body);
  };
  const options = access === "ci_access" ? (["agent", "ci_job"] as const) : (["agent", "user"] as const);
  const list = targetType === "project" ? suggestions.projects : suggestions.groups;

  return (
    <form ref={form} onSubmit={onSubmit} aria-labelledby={`${id}-title`} className="space-y-4 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800" noValidate>
      <h2 id={`${id}-title`} className="text-lg font-semibold">Share this agent</h2>
      <FormError message={formError} />
      <fieldset>
        <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Access</legend>
        <div className="mt-2 space-y-2">
          {(["ci_access", "user_access"] as const).map((a) => (
            <label key={a} className="flex items-start gap-2 text-sm">
              <input type="radio" name="access" value={a} checked={access === a} onChange={() => setAccess(a)} className="mt-0.5" />
              <span>
                <span className="font-medium">{ACCESS_LABEL[a]}</span>
                <span className="block text-zinc-500">{a === "ci_access" ? "CI jobs of the project (or of the group's projects) may use the cluster." : "Members (developer and up) may use the cluster with kubectl."}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="space-y-1">
          <label htmlFor={`${id}-type`} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">Share with</label>
          <select id={`${id}-type`} name="targetType" value={targetType} onChange={(e) => setTargetType(e.target.value as "project" | "group")} className={selectClass}>
            <option value="project">A project</option>
            <option value="group">A group</option>
          </select>
        </div>
        <div className="space-y-1 sm:col-span-2">
          <label htmlFor={`${id}-target`} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">{targetType === "project" ? "Project (full path)" : "Group (path)"}</label>
          <input
            id={`${id}-target`}
            name="target"
            list={`${id}-suggestions`}
            required
            autoComplete="off"
            placeholder={targetType === "project" ? "group/project" : "group"}
            aria-invalid={fieldError("target") ? true : undefined}
            aria-describedby={fieldError("target") ? `${id}-target-error` : `${id}-target-hint`}
            className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:bg-zinc-900 ${fieldError("target") ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
          />
          <datalist id={`${id}-suggestions`}>
            {list.map((p) => <option key={p} value={p} />)}
          </datalist>
          {fieldError("target") ? <FieldError id={`${id}-target-error`} message={fieldError("target")} /> : <p id={`${id}-target-hint`} className="text-xs text-zinc-500">Any existing {targetType}; suggestions are the ones you belong to.</p>}
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor={`${id}-as`} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">Acts as</label>
          <select
            key={access}
            id={`${id}-as`}
            name="accessAs"
            defaultValue={access === "user_access" ? userAccessAs : "agent"}
            aria-describedby={`${id}-as-hint`}
            aria-invalid={fieldError("accessAs") ? true : undefined}
            className={selectClass}
          >
            {options.map((o) => <option key={o} value={o}>{ACTS_AS[o]}</option>)}
          </select>
          <FieldError id={`${id}-as-error`} message={fieldError("accessAs")} />
          <p id={`${id}-as-hint`} className="text-xs text-zinc-500">
            {access === "user_access"
              ? "Applies to every user access entry of this agent (user_access has one access_as)."
              : "Impersonating lets the cluster's RBAC decide per job; the agent's own account is the default."}
          </p>
        </div>
        {access === "ci_access" ? (
          <div className="space-y-1">
            <label htmlFor={`${id}-ns`} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">Default namespace (optional)</label>
            <input
              id={`${id}-ns`}
              name="defaultNamespace"
              autoComplete="off"
              aria-invalid={fieldError("defaultNamespace") ? true : undefined}
              aria-describedby={fieldError("defaultNamespace") ? `${id}-ns-error` : undefined}
              className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:bg-zinc-900 ${fieldError("defaultNamespace") ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
            />
            <FieldError id={`${id}-ns-error`} message={fieldError("defaultNamespace")} />
          </div>
        ) : null}
      </div>
      <Button type="submit" disabled={share.isPending}>{share.isPending ? "Sharing…" : "Share"}</Button>
    </form>
  );
}

export function SharingPanel({ agentId, agentName, callbackUrl, configurationHref }: { agentId: string; agentName: string; callbackUrl: string; configurationHref: string }) {
  const queryClient = useQueryClient();
  const q = useAgentSharing(agentId);
  const [removing, setRemoving] = useState<ShareEntry | null>(null);
  const [message, setMessage] = useState("");
  const expired = q.error instanceof ApiError && q.error.status === 401;
  useEffect(() => {
    if (expired) void signIn(undefined, { callbackUrl });
  }, [expired, callbackUrl]);

  const remove = useMutation({
    mutationFn: (e: ShareEntry) =>
      fetchJson<{ version: number }>(`/api/agents/${encodeURIComponent(agentId)}/sharing`, { method: "DELETE", body: JSON.stringify({ access: e.access, targetType: e.targetType, target: e.target }) }),
    onSuccess: async (r, e) => {
      setRemoving(null);
      setMessage(`Stopped sharing with ${describe(e)}. Saved as configuration version ${r.version}.`);
      await Promise.all([queryClient.invalidateQueries({ queryKey: agentKeys.sharing(agentId) }), queryClient.invalidateQueries({ queryKey: agentKeys.config(agentId) })]);
    },
  });

  if (q.isPending) return <LoadingState label="Loading sharing…" />;
  if (q.isError && !q.data) return <ErrorState title="Could not load the sharing" message={q.error.message} onRetry={() => void q.refetch()} />;
  const { entries, canManage, version, userAccessAs, suggestions } = q.data!;

  return (
    <div className="max-w-4xl space-y-6">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Projects and groups that may use agent {agentName}, from configuration version {version}. Its own project&apos;s CI jobs may always use it.
        {" "}The same entries are in the <a href={configurationHref} className="text-indigo-600 underline dark:text-indigo-400">Configuration</a> tab as YAML.
      </p>
      <p role="status" aria-live="polite" className={message ? "rounded-md bg-green-50 px-3 py-2 text-sm text-green-800 dark:bg-green-950 dark:text-green-200" : "sr-only"}>{message}</p>

      {entries.length === 0 ? (
        <EmptyState title="Not shared yet">
          <p>{canManage ? "Share the agent with a project or group below: their CI jobs, or their members, can then use this cluster." : "A maintainer of this project can share the agent with other projects and groups."}</p>
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Projects and groups agent {agentName} is shared with</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Shared with</th>
                <th scope="col" className="px-4 py-2 font-medium">Access</th>
                <th scope="col" className="px-4 py-2 font-medium">Acts as</th>
                <th scope="col" className="px-4 py-2 font-medium">Default namespace</th>
                {canManage ? <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
              {entries.map((e) => (
                <tr key={`${e.access}:${e.targetType}:${e.target}`}>
                  <th scope="row" className="px-4 py-3 font-normal">
                    <span className="mr-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">{e.targetType === "project" ? "Project" : "Group"}</span>
                    <span className="font-mono">{e.target}</span>
                  </th>
                  <td className="px-4 py-3">{ACCESS_LABEL[e.access]}</td>
                  <td className="px-4 py-3">{ACTS_AS[e.accessAs]}</td>
                  <td className="px-4 py-3">{e.defaultNamespace ? <span className="font-mono">{e.defaultNamespace}</span> : <span className="text-zinc-500">—</span>}</td>
                  {canManage ? (
                    <td className="px-4 py-3 text-right">
                      <Button type="button" variant="secondary" aria-label={`Stop sharing with ${describe(e)}`} onClick={() => { remove.reset(); setRemoving(e); }}>Remove</Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {canManage ? <AddShareForm agentId={agentId} userAccessAs={userAccessAs} suggestions={suggestions} onShared={setMessage} /> : null}

      <ConfirmDialog
        open={removing !== null}
        title={removing ? `Stop sharing with ${removing.targetType} ${removing.target}?` : ""}
        confirmLabel="Stop sharing"
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => removing && remove.mutate(removing)}
        onCancel={() => setRemoving(null)}
      >
        <p>
          {removing?.access === "ci_access" ? "Its CI jobs" : "Its members"} can no longer use this cluster through Tether. This saves a new configuration version; you can share again at any time.
        </p>
      </ConfirmDialog>
    </div>
  );
}
