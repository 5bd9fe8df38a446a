"use client";
// The agent's Configuration tab: the YAML in force with its version, a CodeMirror editor for maintainers
// (highlighting, Tab indents, every problem listed with its line as you type, checked in the browser with
// the server's own rules), Save makes a new version; a prompt before leaving with unsaved changes; the
// history of versions with a read-only view of any one and a diff between any two.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from "react";
import { fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ErrorState, LoadingState } from "@/components/ui/states";
import {
  DiffView,
  TAB_HINT,
  YamlEditor,
  useLeaveGuard,
  type EditorApi,
  type EditorProblem,
} from "@/components/yaml-editor";
import type { ConfigView } from "@/lib/agent-config";
import { agentKeys, useAgentConfig, useAgentConfigVersion } from "./api";
import { errorLine, formatUtc } from "./format";
import { useSignInWhenExpired } from "@/components/ui/use-sign-in-when-expired";

const EXAMPLE = `# Who may use this agent. For example:
# ci_access:
#   projects:
#     - id: my-group/my-app          # CI jobs of this project
#       default_namespace: my-app
#       access_as: { ci_job: {} }    # agent (default) | ci_job
#   groups:
#     - id: my-group
# user_access:
#   access_as: { user: {} }          # agent (default) | user
#   groups:
#     - id: my-group
`;

type Validate = (typeof import("@/lib/agent-config/validate"))["validateAgentConfig"];

/** The configuration's rules, loaded with the editor (yaml + zod) rather than with every page. */
function useProblems(text: string, enabled: boolean): EditorProblem[] | null {
  const [validate, setValidate] = useState<Validate | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void import("@/lib/agent-config/validate").then((m) => {
      if (live) setValidate(() => m.validateAgentConfig);
    });
    return () => {
      live = false;
    };
  }, [enabled]);
  const deferred = useDeferredValue(text);
  return useMemo(() => {
    if (!validate || !enabled) return null;
    const r = validate(deferred);
    return r.ok ? [] : r.problems;
  }, [validate, deferred, enabled]);
}

const LEAVE_MESSAGE = "Leave this page? Your changes to the configuration are not saved and will be lost.";

export function ConfigEditor({
  agentId,
  agentName,
  callbackUrl,
  sharingHref,
}: {
  agentId: string;
  agentName: string;
  callbackUrl: string;
  sharingHref: string;
}) {
  const queryClient = useQueryClient();
  const q = useAgentConfig(agentId);
  // What the maintainer is editing, and the version it started from; null while untouched.
  const [draft, setDraft] = useState<{ text: string; base: number } | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  const old = useAgentConfigVersion(agentId, viewing);
  const editor = useRef<EditorApi | null>(null);
  const viewHeading = useRef<HTMLHeadingElement>(null);
  const errorId = useId();
  const problemsId = useId();
  const editorId = useId();
  useSignInWhenExpired(q.error, callbackUrl);
  useEffect(() => {
    if (viewing !== null && old.data) viewHeading.current?.focus();
  }, [viewing, old.data]);

  const canManage = q.data?.canManage ?? false;
  const currentYaml = q.data?.current.yaml ?? "";
  const text = draft?.text ?? currentYaml;
  const dirty = draft !== null && draft.text !== currentYaml;
  const problems = useProblems(text, canManage);
  useLeaveGuard(dirty, LEAVE_MESSAGE);

  const save = useMutation({
    mutationFn: (d: { text: string; base: number }) =>
      fetchJson<{ version: number }>(`/api/agents/${encodeURIComponent(agentId)}/config`, {
        method: "PUT",
        body: JSON.stringify({ yaml: d.text, baseVersion: d.base }),
      }),
    onSuccess: async (r) => {
      setSaved(r.version);
      await queryClient.invalidateQueries({ queryKey: agentKeys.config(agentId) });
      void queryClient.invalidateQueries({ queryKey: agentKeys.sharing(agentId) });
      setDraft(null);
    },
  });

  if (q.isPending) return <LoadingState label="Loading the configuration…" />;
  if (q.isError && !q.data)
    return (
      <ErrorState title="Could not load the configuration" message={q.error.message} onRetry={() => void q.refetch()} />
    );
  const { current, history, totalVersions } = q.data!;
  const error = save.error?.message;
  const line = errorLine(error);
  const outdated = draft !== null && draft.base !== current.version;
  const listed = problems ?? [];
  const blocked = listed.length > 0;

  return (
    <div className="max-w-4xl space-y-8">
      <section aria-labelledby={`${editorId}-heading`}>
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id={`${editorId}-heading`} className="text-lg font-semibold">
            {current.version === 0 ? "No configuration yet" : `Version ${current.version}`}
          </h2>
          {current.version > 0 ? (
            <p className="text-sm text-zinc-500">
              Saved by {current.createdBy ? `@${current.createdBy}` : "a deleted user"} on{" "}
              <time dateTime={current.createdAt}>{formatUtc(current.createdAt)}</time>
            </p>
          ) : null}
        </div>
        <p id={`${editorId}-hint`} className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
          {canManage ? (
            <>
              <code>ci_access</code> and <code>user_access</code> say which projects and groups may use agent{" "}
              {agentName}, and as whom. Saving creates a new version; the newest is in force. The{" "}
              <a href={sharingHref} className="text-indigo-600 underline dark:text-indigo-400">
                Sharing
              </a>{" "}
              tab edits the same entries without YAML. {TAB_HINT}
            </>
          ) : (
            "Read-only: a maintainer of this project can change the configuration."
          )}
        </p>
        {canManage && text === "" ? (
          <details className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
            <summary className="cursor-pointer">An example</summary>
            <pre className="mt-1 overflow-x-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-900">{EXAMPLE}</pre>
          </details>
        ) : null}
        <YamlEditor
          label="Configuration (YAML)"
          value={text}
          readOnly={!canManage}
          problems={listed}
          describedBy={[blocked ? problemsId : "", error ? errorId : "", `${editorId}-hint`].filter(Boolean).join(" ")}
          onEditor={(api) => {
            editor.current = api;
          }}
          onChange={(v) => {
            setSaved(null);
            setDraft((d) => ({ text: v, base: d?.base ?? current.version }));
          }}
        />
        <div id={problemsId} aria-live="polite">
          {blocked ? (
            <div className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
              <p className="font-medium">
                {listed.length === 1 ? "1 problem" : `${listed.length} problems`} to fix before saving:
              </p>
              <ul aria-label="Problems" className="mt-1 space-y-1">
                {listed.map((p, i) => (
                  <li key={i} className="flex flex-wrap items-baseline gap-x-3 font-mono">
                    <span>{p.line ? `line ${p.line}: ${p.message}` : p.message}</span>
                    {p.line ? (
                      <button
                        type="button"
                        onClick={() => editor.current?.goToLine(p.line!)}
                        className="font-sans underline underline-offset-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-500"
                      >
                        Go to line {p.line}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <div id={errorId} aria-live="assertive">
          {error ? (
            <div
              role="alert"
              className="mt-2 flex flex-wrap items-center gap-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300"
            >
              <span className="font-mono">{error}</span>
              {line ? (
                <button
                  type="button"
                  onClick={() => editor.current?.goToLine(line)}
                  className="underline underline-offset-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-500"
                >
                  Go to line {line}
                </button>
              ) : null}
            </div>
          ) : null}
        </div>
        {outdated && !error ? (
          <p
            role="status"
            className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
          >
            Version {current.version} was saved while you were editing. Saving now will be refused; discard your changes
            to see it.
          </p>
        ) : null}
        {canManage ? (
          <div className="mt-3 flex flex-wrap items-center gap-3">
            <Button
              type="button"
              disabled={!dirty || blocked || save.isPending}
              onClick={() => draft && save.mutate(draft)}
            >
              {save.isPending ? "Saving…" : "Save configuration"}
            </Button>
            <Button
              type="button"
              variant="secondary"
              disabled={draft === null || save.isPending}
              onClick={() => {
                setDraft(null);
                save.reset();
              }}
            >
              Discard changes
            </Button>
            <span role="status" className="text-sm text-green-700 dark:text-green-400">
              {saved !== null && !dirty ? `Saved as version ${saved}.` : dirty ? "Unsaved changes." : ""}
            </span>
          </div>
        ) : null}
      </section>

      <section aria-labelledby={`${editorId}-history`}>
        <h2 id={`${editorId}-history`} className="mb-3 text-lg font-semibold">
          History
        </h2>
        {history.length === 0 ? (
          <p className="text-sm text-zinc-500">No versions yet.</p>
        ) : (
          <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Configuration versions of agent {agentName}, newest first</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Version
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Saved by
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Saved
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    <span className="sr-only">View</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
                {history.map((h) => (
                  <tr
                    key={h.version}
                    aria-current={viewing === h.version ? "true" : undefined}
                    className={viewing === h.version ? "bg-indigo-50 dark:bg-indigo-950" : undefined}
                  >
                    <th scope="row" className="px-4 py-2 font-normal">
                      Version {h.version}
                      {h.version === current.version ? (
                        <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-800 dark:bg-green-900 dark:text-green-200">
                          In force
                        </span>
                      ) : null}
                    </th>
                    <td className="px-4 py-2">
                      {h.createdBy ? `@${h.createdBy}` : <span className="text-zinc-500">Deleted user</span>}
                    </td>
                    <td className="px-4 py-2">
                      <time dateTime={h.createdAt}>{formatUtc(h.createdAt)}</time>
                    </td>
                    <td className="px-4 py-2 text-right">
                      {h.version !== current.version ? (
                        <Button
                          type="button"
                          variant="secondary"
                          aria-label={`View version ${h.version}`}
                          onClick={() => setViewing(h.version)}
                        >
                          View
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {totalVersions > history.length ? (
          <p className="mt-2 text-sm text-zinc-500">
            Showing the newest {history.length} of {totalVersions} versions.
          </p>
        ) : null}
      </section>

      {viewing !== null ? (
        <section
          aria-labelledby={`${editorId}-old`}
          className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
        >
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <h2
              id={`${editorId}-old`}
              ref={viewHeading}
              tabIndex={-1}
              className="text-lg font-semibold focus:outline-none"
            >
              Version {viewing} (read-only)
            </h2>
            <div className="flex gap-2">
              {canManage && old.data ? (
                <Button
                  type="button"
                  variant="secondary"
                  onClick={() => {
                    setDraft({ text: old.data.yaml, base: current.version });
                    setSaved(null);
                    save.reset();
                    requestAnimationFrame(() => editor.current?.focus());
                  }}
                >
                  Copy into the editor
                </Button>
              ) : null}
              <Button type="button" variant="secondary" onClick={() => setViewing(null)}>
                Close
              </Button>
            </div>
          </div>
          {old.isPending ? (
            <LoadingState label={`Loading version ${viewing}…`} />
          ) : old.isError ? (
            <ErrorState
              title={`Could not load version ${viewing}`}
              message={old.error.message}
              onRetry={() => void old.refetch()}
            />
          ) : (
            <>
              <p className="mb-2 text-sm text-zinc-500">
                Saved by {old.data.createdBy ? `@${old.data.createdBy}` : "a deleted user"} on{" "}
                <time dateTime={old.data.createdAt}>{formatUtc(old.data.createdAt)}</time>.
                {canManage ? " Copying it into the editor and saving makes it the newest version again." : ""}
              </p>
              <YamlEditor label={`Configuration version ${viewing} (read-only)`} value={old.data.yaml} readOnly />
            </>
          )}
        </section>
      ) : null}

      <CompareVersions
        agentId={agentId}
        history={history}
        current={current}
        draft={dirty ? text : null}
        headingId={`${editorId}-compare`}
      />
    </div>
  );
}

const DRAFT = "draft";

/** A diff between any two versions, or between the version in force and the unsaved edit. */
function CompareVersions({
  agentId,
  history,
  current,
  draft,
  headingId,
}: {
  agentId: string;
  history: ConfigView["history"];
  current: { version: number; yaml: string };
  draft: string | null;
  headingId: string;
}) {
  const [picked, setPicked] = useState<{ from: string; to: string } | null>(null);
  const fallback = {
    from: String(history[1]?.version ?? history[0]?.version ?? ""),
    to: draft !== null ? DRAFT : String(history[0]?.version ?? ""),
  };
  const from = picked?.from ?? fallback.from;
  const to = picked?.to === DRAFT && draft === null ? fallback.to : (picked?.to ?? fallback.to);
  const fetchable = (v: string) => (v && v !== DRAFT && Number(v) !== current.version ? Number(v) : null);
  const a = useAgentConfigVersion(agentId, fetchable(from));
  const b = useAgentConfigVersion(agentId, fetchable(to));
  const textOf = (v: string, q: typeof a): string | undefined =>
    v === DRAFT ? (draft ?? undefined) : Number(v) === current.version ? current.yaml : q.data?.yaml;
  const before = textOf(from, a);
  const after = textOf(to, b);
  const name = (v: string) => (v === DRAFT ? "your unsaved changes" : `version ${v}`);
  if (history.length < 2 && draft === null) return null;
  const select = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950";
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} className="mb-3 text-lg font-semibold">
        Compare
      </h2>
      <div className="mb-3 flex flex-wrap items-end gap-3 text-sm">
        <label className="space-y-1">
          <span className="block text-zinc-600 dark:text-zinc-400">From</span>
          <select className={select} value={from} onChange={(e) => setPicked({ from: e.target.value, to })}>
            {history.map((h) => (
              <option key={h.version} value={String(h.version)}>
                Version {h.version}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="block text-zinc-600 dark:text-zinc-400">To</span>
          <select className={select} value={to} onChange={(e) => setPicked({ from, to: e.target.value })}>
            {draft !== null ? <option value={DRAFT}>Your unsaved changes</option> : null}
            {history.map((h) => (
              <option key={h.version} value={String(h.version)}>
                Version {h.version}
              </option>
            ))}
          </select>
        </label>
      </div>
      {a.isError || b.isError ? (
        <ErrorState title="Could not load a version" message={(a.error ?? b.error)!.message} />
      ) : before === undefined || after === undefined ? (
        <LoadingState label="Loading the versions…" />
      ) : (
        <DiffView before={before} after={after} caption={`Changes from ${name(from)} to ${name(to)}`} />
      )}
    </section>
  );
}
