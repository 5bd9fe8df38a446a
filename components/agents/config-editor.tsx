"use client";
// The agent's Configuration tab: the YAML in force with its version, an editor for maintainers (a
// monospace textarea with line numbers; Save makes a new version), errors shown under it with the line
// they name, and the history of versions with a read-only view of any older one.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useEffect, useId, useRef, useState } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { agentKeys, useAgentConfig, useAgentConfigVersion } from "./api";
import { errorLine, formatUtc } from "./format";

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

const LINE_PX = 24; // leading-6

function YamlArea({
  id,
  value,
  onChange,
  readOnly,
  errorLine: bad,
  describedBy,
  label,
  textareaRef,
}: {
  id: string;
  value: string;
  onChange?: (v: string) => void;
  readOnly: boolean;
  errorLine?: number | null;
  describedBy?: string;
  label: string;
  textareaRef?: React.RefObject<HTMLTextAreaElement | null>;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = Math.max(value.split("\n").length, 12);
  return (
    <div
      className={`flex overflow-hidden rounded-md border bg-white font-mono text-sm dark:bg-zinc-950 ${bad ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
    >
      <div
        ref={gutter}
        aria-hidden
        className="select-none overflow-hidden border-r border-zinc-200 bg-zinc-50 px-2 py-2 text-right leading-6 text-zinc-400 dark:border-zinc-800 dark:bg-zinc-900"
        style={{ height: `${Math.min(lines, 24) * LINE_PX + 16}px` }}
      >
        {Array.from({ length: lines }, (_, i) => (
          <div key={i} className={i + 1 === bad ? "font-bold text-red-600 dark:text-red-400" : undefined}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        ref={textareaRef}
        id={id}
        aria-label={label}
        aria-describedby={describedBy}
        aria-invalid={bad ? true : undefined}
        value={value}
        readOnly={readOnly}
        onChange={(e) => onChange?.(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        placeholder={readOnly ? undefined : EXAMPLE}
        className="block min-w-0 flex-1 resize-none bg-transparent px-3 py-2 leading-6 focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-500 read-only:text-zinc-700 dark:read-only:text-zinc-300"
        style={{ height: `${Math.min(lines, 24) * LINE_PX + 16}px` }}
      />
    </div>
  );
}

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
  const area = useRef<HTMLTextAreaElement>(null);
  const viewHeading = useRef<HTMLHeadingElement>(null);
  const errorId = useId();
  const editorId = useId();
  const expired = q.error instanceof ApiError && q.error.status === 401;
  useEffect(() => {
    if (expired) void signIn(undefined, { callbackUrl });
  }, [expired, callbackUrl]);
  useEffect(() => {
    if (viewing !== null && old.data) viewHeading.current?.focus();
  }, [viewing, old.data]);

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
  const { current, history, totalVersions, canManage } = q.data!;
  const text = draft?.text ?? current.yaml;
  const dirty = draft !== null && draft.text !== current.yaml;
  const error = save.error?.message;
  const line = errorLine(error);
  const outdated = draft !== null && draft.base !== current.version;

  const goToLine = (n: number) => {
    const el = area.current;
    if (!el) return;
    const starts = [0];
    for (let i = 0; i < el.value.length; i++) if (el.value[i] === "\n") starts.push(i + 1);
    const start = starts[n - 1] ?? el.value.length;
    const end = (starts[n] ?? el.value.length + 1) - 1;
    el.focus();
    el.setSelectionRange(start, Math.max(start, end));
    el.scrollTop = Math.max(0, (n - 4) * LINE_PX);
  };

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
              tab edits the same entries without YAML.
            </>
          ) : (
            "Read-only: a maintainer of this project can change the configuration."
          )}
        </p>
        <YamlArea
          id={editorId}
          label="Configuration (YAML)"
          textareaRef={area}
          value={text}
          readOnly={!canManage}
          errorLine={line}
          describedBy={error ? `${errorId} ${editorId}-hint` : `${editorId}-hint`}
          onChange={(v) => {
            setSaved(null);
            setDraft({ text: v, base: draft?.base ?? current.version });
          }}
        />
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
                  onClick={() => goToLine(line)}
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
          <div className="mt-3 flex items-center gap-3">
            <Button type="button" disabled={!dirty || save.isPending} onClick={() => draft && save.mutate(draft)}>
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
              {saved !== null && !dirty ? `Saved as version ${saved}.` : ""}
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
                    requestAnimationFrame(() => area.current?.focus());
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
              <YamlArea
                id={`${editorId}-v${viewing}`}
                label={`Configuration version ${viewing} (read-only)`}
                value={old.data.yaml}
                readOnly
              />
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}
