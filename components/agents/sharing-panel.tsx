"use client";
// The agent's Sharing tab: who may use the agent (its configuration's ci_access and user_access), each
// block with how its grants act shown once above them, a form to share the agent with a project or
// group, a button to stop sharing, and a confirmed step of its own to change how a block's grants act.
// Every change is saved by the server as a new configuration version.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/form-error";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { AccessAs, BlockAccess, ShareEntry, SharingBlock } from "@/lib/agent-config";
import { agentKeys, useAgentSharing } from "./api";
import { useSignInWhenExpired } from "@/components/ui/use-sign-in-when-expired";

const ACCESS_LABEL = { ci_access: "CI access", user_access: "User access" } as const;
const ACCESS_IN_SENTENCE = { ci_access: "CI access", user_access: "user access" } as const;
const ACTS_AS: Record<AccessAs, string> = {
  agent: "The agent's service account",
  ci_job: "The CI job (impersonated)",
  user: "The user (impersonated)",
};
/** The same, inside a sentence. */
const ACTING: Record<AccessAs, string> = {
  agent: "the agent's service account",
  ci_job: "the CI job (impersonated)",
  user: "the user (impersonated)",
};
const CHOICES: Record<SharingBlock, readonly AccessAs[]> = {
  ci_access: ["agent", "ci_job"],
  user_access: ["agent", "user"],
};
/** What each setting means for the people or jobs a block lets in, in one plain sentence. */
const MEANING: Record<SharingBlock, Partial<Record<AccessAs, string>>> = {
  user_access: {
    agent: "Every member acts with the agent's service account: everything the agent can do.",
    user: "Every member acts as themselves: only what the cluster's RBAC allows their own user (tether:user:<username>) and groups.",
  },
  ci_access: {
    agent: "Every CI job acts with the agent's service account: everything the agent can do.",
    ci_job:
      "Every CI job acts as itself: only what the cluster's RBAC allows the CI job's user (tether:ci_job:<id>) and groups (tether:ci, its project and group).",
  },
};
const PER_GRANT = "The CI grants act in different ways, set per grant in the Configuration tab; each row says how.";

function describe(e: Pick<ShareEntry, "access" | "targetType" | "target">): string {
  return `${e.targetType} ${e.target} (${ACCESS_LABEL[e.access]})`;
}

const selectClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-900";

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="text-sm text-red-600 dark:text-red-400">
      {message}
    </p>
  ) : null;
}

function AddShareForm({
  agentId,
  blocks,
  suggestions,
  onShared,
}: {
  agentId: string;
  blocks: Record<SharingBlock, BlockAccess>;
  suggestions: { groups: string[]; projects: string[] };
  onShared: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [access, setAccess] = useState<SharingBlock>("ci_access");
  const [targetType, setTargetType] = useState<"project" | "group">("project");
  const share = useMutation({
    mutationFn: (body: Record<string, string>) =>
      fetchJson<{ version: number; entry: ShareEntry }>(`/api/agents/${encodeURIComponent(agentId)}/sharing`, {
        method: "POST",
        body: JSON.stringify(body),
      }),
    onSuccess: async (r) => {
      form.current?.reset();
      setAccess("ci_access");
      setTargetType("project");
      onShared(
        `Shared with ${describe(r.entry)}, acting as ${ACTING[r.entry.accessAs]}. Saved as configuration version ${r.version}.`,
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: agentKeys.sharing(agentId) }),
        queryClient.invalidateQueries({ queryKey: agentKeys.config(agentId) }),
      ]);
    },
  });
  const error = share.error;
  const field = error instanceof ApiError ? error.field : undefined;
  const fieldError = (name: string) => (error && field === name ? error.message : undefined);
  const formError =
    error && !["target", "accessAs", "defaultNamespace"].includes(field ?? "") ? error.message : undefined;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body: Record<string, string> = {};
    new FormData(e.currentTarget).forEach((v, k) => (body[k] = String(v)));
    share.mutate(body);
  };
  const list = targetType === "project" ? suggestions.projects : suggestions.groups;
  const block = blocks[access];
  // The grant takes how its block acts; it is chosen here only when no other grant depends on it.
  const fixed = block.grants > 0 && block.accessAs !== "per grant" ? block.accessAs : null;

  return (
    <form
      ref={form}
      onSubmit={onSubmit}
      aria-labelledby={`${id}-title`}
      className="space-y-4 rounded-lg border border-zinc-200 p-6 dark:border-zinc-800"
      noValidate
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Share this agent
      </h2>
      <FormError message={formError} />
      <fieldset>
        <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Access</legend>
        <div className="mt-2 space-y-2">
          {(["ci_access", "user_access"] as const).map((a) => (
            <label key={a} className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name="access"
                value={a}
                checked={access === a}
                onChange={() => setAccess(a)}
                className="mt-0.5"
              />
              <span>
                <span className="font-medium">{ACCESS_LABEL[a]}</span>
                <span className="block text-zinc-500">
                  {a === "ci_access"
                    ? "CI jobs of the project (or of the group's projects) may use the cluster."
                    : "Members (developer and up) may use the cluster with kubectl."}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="space-y-1">
          <label htmlFor={`${id}-type`} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
            Share with
          </label>
          <select
            id={`${id}-type`}
            name="targetType"
            value={targetType}
            onChange={(e) => setTargetType(e.target.value as "project" | "group")}
            className={selectClass}
          >
            <option value="project">A project</option>
            <option value="group">A group</option>
          </select>
        </div>
        <div className="space-y-1 sm:col-span-2">
          <label htmlFor={`${id}-target`} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
            {targetType === "project" ? "Project (full path)" : "Group (path)"}
          </label>
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
            {list.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
          {fieldError("target") ? (
            <FieldError id={`${id}-target-error`} message={fieldError("target")} />
          ) : (
            <p id={`${id}-target-hint`} className="text-xs text-zinc-500">
              A {targetType} you can see; suggestions are the ones you belong to.
            </p>
          )}
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1">
          {fixed === null ? (
            <>
              <label htmlFor={`${id}-as`} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
                Acts as
              </label>
              <select
                key={access}
                id={`${id}-as`}
                name="accessAs"
                defaultValue="agent"
                aria-describedby={`${id}-as-hint`}
                aria-invalid={fieldError("accessAs") ? true : undefined}
                className={selectClass}
              >
                {CHOICES[access].map((o) => (
                  <option key={o} value={o}>
                    {ACTS_AS[o]}
                  </option>
                ))}
              </select>
              <FieldError id={`${id}-as-error`} message={fieldError("accessAs")} />
              <p id={`${id}-as-hint`} className="text-xs text-zinc-500">
                {block.grants === 0
                  ? `The first ${ACCESS_IN_SENTENCE[access]} grant: later ones act the same way.`
                  : "Applies to this grant only."}
              </p>
            </>
          ) : (
            <>
              <p className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Acts as</p>
              <p className="text-sm">
                {ACTS_AS[fixed]}, like every {ACCESS_IN_SENTENCE[access]} grant
              </p>
              <FieldError id={`${id}-as-error`} message={fieldError("accessAs")} />
              <p className="text-xs text-zinc-500">Change it for all of them with &quot;Change&quot; above.</p>
            </>
          )}
        </div>
        {access === "ci_access" ? (
          <div className="space-y-1">
            <label htmlFor={`${id}-ns`} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
              Default namespace (optional)
            </label>
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
      <Button type="submit" disabled={share.isPending}>
        {share.isPending ? "Sharing…" : "Share"}
      </Button>
    </form>
  );
}

/** One block (CI access or user access): how its grants act, once, then the grants. */
function BlockSection({
  agentName,
  block,
  access,
  entries,
  canManage,
  onChange,
  onRemove,
}: {
  agentName: string;
  block: SharingBlock;
  access: BlockAccess;
  entries: ShareEntry[];
  canManage: boolean;
  onChange: () => void;
  onRemove: (e: ShareEntry) => void;
}) {
  const id = useId();
  const as = access.accessAs === "per grant" ? null : access.accessAs;
  const perGrant = as === null;
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-3">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {ACCESS_LABEL[block]}
      </h2>
      <div
        className="flex flex-wrap items-start justify-between gap-3 rounded-md border border-zinc-200 bg-zinc-50 px-4 py-3 text-sm dark:border-zinc-800 dark:bg-zinc-900"
        role="group"
        aria-label={`How ${ACCESS_IN_SENTENCE[block]} grants act`}
      >
        <div>
          <p>
            <span className="font-medium">Acts as: </span>
            {as === null ? "Set per grant" : ACTS_AS[as]}
          </p>
          <p className="text-zinc-600 dark:text-zinc-400">
            {as === null
              ? PER_GRANT
              : access.grants === 0
                ? `Chosen with the first ${ACCESS_IN_SENTENCE[block]} grant.`
                : MEANING[block][as]}
          </p>
        </div>
        {canManage && access.grants > 0 ? (
          <Button
            type="button"
            variant="secondary"
            aria-label={`Change how ${ACCESS_IN_SENTENCE[block]} grants act`}
            onClick={onChange}
          >
            Change
          </Button>
        ) : null}
      </div>
      {entries.length === 0 ? (
        <p className="text-sm text-zinc-500">No {ACCESS_IN_SENTENCE[block]} grants.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">
              {ACCESS_LABEL[block]} grants of agent {agentName}
            </caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Shared with
                </th>
                {perGrant ? (
                  <th scope="col" className="px-4 py-2 font-medium">
                    Acts as
                  </th>
                ) : null}
                {block === "ci_access" ? (
                  <th scope="col" className="px-4 py-2 font-medium">
                    Default namespace
                  </th>
                ) : null}
                {canManage ? (
                  <th scope="col" className="px-4 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
              {entries.map((e) => (
                <tr key={`${e.access}:${e.targetType}:${e.target}`}>
                  <th scope="row" className="px-4 py-3 font-normal">
                    <span className="mr-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
                      {e.targetType === "project" ? "Project" : "Group"}
                    </span>
                    <span className="font-mono">{e.target}</span>
                  </th>
                  {perGrant ? <td className="px-4 py-3">{ACTS_AS[e.accessAs]}</td> : null}
                  {block === "ci_access" ? (
                    <td className="px-4 py-3">
                      {e.defaultNamespace ? (
                        <span className="font-mono">{e.defaultNamespace}</span>
                      ) : (
                        <span className="text-zinc-500">—</span>
                      )}
                    </td>
                  ) : null}
                  {canManage ? (
                    <td className="px-4 py-3 text-right">
                      <Button
                        type="button"
                        variant="secondary"
                        aria-label={`Stop sharing with ${describe(e)}`}
                        onClick={() => onRemove(e)}
                      >
                        Remove
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Choosing how every grant of a block acts, then confirming it: what changes and for how many grants. */
function ChangeAccessAsDialog({
  agentId,
  block,
  access,
  onDone,
  onCancel,
}: {
  agentId: string;
  block: SharingBlock | null;
  access: BlockAccess | null;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const id = useId();
  const choices = block ? CHOICES[block].filter((c) => c !== access?.accessAs) : [];
  const [choice, setChoice] = useState<AccessAs | null>(null);
  const to = choice && choices.includes(choice) ? choice : (choices[0] ?? null);
  const change = useMutation({
    mutationFn: (body: { block: SharingBlock; accessAs: AccessAs }) =>
      fetchJson<{ version: number; grants: number }>(`/api/agents/${encodeURIComponent(agentId)}/sharing`, {
        method: "PUT",
        body: JSON.stringify(body),
      }),
    onSuccess: async (r, body) => {
      setChoice(null);
      onDone(
        `Every ${ACCESS_IN_SENTENCE[body.block]} grant (${r.grants}) now acts as ${ACTING[body.accessAs]}. Saved as configuration version ${r.version}.`,
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: agentKeys.sharing(agentId) }),
        queryClient.invalidateQueries({ queryKey: agentKeys.config(agentId) }),
      ]);
    },
  });
  const label = block ? ACCESS_IN_SENTENCE[block] : "";
  return (
    <ConfirmDialog
      open={block !== null}
      title={block ? `Change how ${label} grants act?` : ""}
      confirmLabel={to ? `Act as ${ACTING[to]}` : "Change"}
      pending={change.isPending}
      error={change.error?.message}
      onConfirm={() => block && to && change.mutate({ block, accessAs: to })}
      onCancel={() => {
        change.reset();
        setChoice(null);
        onCancel();
      }}
    >
      {block && access && to ? (
        <>
          <p>
            Now: {access.accessAs === "per grant" ? "set per grant" : ACTING[access.accessAs]}. This applies to all{" "}
            {access.grants} {label} {access.grants === 1 ? "grant" : "grants"} of the agent.
          </p>
          {choices.length > 1 ? (
            <div className="space-y-1">
              <label htmlFor={`${id}-to`} className="block font-medium text-zinc-700 dark:text-zinc-300">
                Act as
              </label>
              <select
                id={`${id}-to`}
                value={to}
                onChange={(e) => setChoice(e.target.value as AccessAs)}
                className={selectClass}
              >
                {choices.map((c) => (
                  <option key={c} value={c}>
                    {ACTS_AS[c]}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <p className="font-medium text-zinc-900 dark:text-zinc-100">{MEANING[block][to]}</p>
        </>
      ) : null}
    </ConfirmDialog>
  );
}

export function SharingPanel({
  agentId,
  agentName,
  callbackUrl,
  configurationHref,
}: {
  agentId: string;
  agentName: string;
  callbackUrl: string;
  configurationHref: string;
}) {
  const queryClient = useQueryClient();
  const q = useAgentSharing(agentId);
  const [removing, setRemoving] = useState<ShareEntry | null>(null);
  // What the block looked like when "Change" was pressed: the dialog offers a change from that, even if a refetch lands meanwhile.
  const [changing, setChanging] = useState<{ block: SharingBlock; access: BlockAccess } | null>(null);
  const [message, setMessage] = useState("");
  useSignInWhenExpired(q.error, callbackUrl);

  const remove = useMutation({
    mutationFn: (e: ShareEntry) =>
      fetchJson<{ version: number }>(`/api/agents/${encodeURIComponent(agentId)}/sharing`, {
        method: "DELETE",
        body: JSON.stringify({ access: e.access, targetType: e.targetType, target: e.target }),
      }),
    onSuccess: async (r, e) => {
      setRemoving(null);
      setMessage(`Stopped sharing with ${describe(e)}. Saved as configuration version ${r.version}.`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: agentKeys.sharing(agentId) }),
        queryClient.invalidateQueries({ queryKey: agentKeys.config(agentId) }),
      ]);
    },
  });

  if (q.isPending) return <LoadingState label="Loading sharing…" />;
  if (q.isError && !q.data)
    return <ErrorState title="Could not load the sharing" message={q.error.message} onRetry={() => void q.refetch()} />;
  const { entries, canManage, version, blocks, suggestions } = q.data!;

  return (
    <div className="max-w-4xl space-y-6">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Projects and groups that may use agent {agentName}, from configuration version {version}. Its own project&apos;s
        CI jobs may always use it. The same entries are in the{" "}
        <a href={configurationHref} className="text-indigo-600 underline dark:text-indigo-400">
          Configuration
        </a>{" "}
        tab as YAML.
      </p>
      <p
        role="status"
        aria-live="polite"
        className={
          message
            ? "rounded-md bg-green-50 px-3 py-2 text-sm text-green-800 dark:bg-green-950 dark:text-green-200"
            : "sr-only"
        }
      >
        {message}
      </p>
      {entries.length === 0 ? (
        <EmptyState title="Not shared yet">
          <p>
            {canManage
              ? "Share the agent with a project or group below: their CI jobs, or their members, can then use this cluster."
              : "A maintainer of this project can share the agent with other projects and groups."}
          </p>
        </EmptyState>
      ) : null}

      {(["ci_access", "user_access"] as const).map((b) => (
        <BlockSection
          key={b}
          agentName={agentName}
          block={b}
          access={blocks[b]}
          entries={entries.filter((e) => e.access === b)}
          canManage={canManage}
          onChange={() => setChanging({ block: b, access: blocks[b] })}
          onRemove={(e) => {
            remove.reset();
            setRemoving(e);
          }}
        />
      ))}

      {canManage ? (
        <AddShareForm agentId={agentId} blocks={blocks} suggestions={suggestions} onShared={setMessage} />
      ) : null}

      <ChangeAccessAsDialog
        agentId={agentId}
        block={changing?.block ?? null}
        access={changing?.access ?? null}
        onDone={(m) => {
          setChanging(null);
          setMessage(m);
        }}
        onCancel={() => setChanging(null)}
      />

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
          {removing?.access === "ci_access" ? "Its CI jobs" : "Its members"} can no longer use this cluster through
          Tether. This saves a new configuration version; you can share again at any time.
        </p>
      </ConfirmDialog>
    </div>
  );
}
