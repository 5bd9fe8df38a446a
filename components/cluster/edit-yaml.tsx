"use client";
// Edit YAML in the object drawer: the object as it is now (fetched fresh, managedFields left out) in the
// YAML editor, checked as you type (malformed YAML or another object's name: listed with lines, nothing
// sent); "Review" asks the cluster for a dry run as the viewer and shows the diff between the live object
// and what it would store; "Apply" sends it for real (audited). Offered only when the cluster's RBAC lets
// the viewer update the object, never for Secrets (their values stay on the server).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue, useId, useMemo, useRef, useState } from "react";
import { fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { DiffView, TAB_HINT, YamlEditor, lineDiff, useLeaveGuard, type EditorApi } from "@/components/yaml-editor";
import { checkEdited, describeEditProblem, editableYaml } from "@/lib/cluster-actions/edit-check";
import type { KubeItem } from "./kinds";

type Review = { dryRun: true; live: string; result: string };
type Applied = { dryRun: false; message: string; resourceVersion: string | null };

export function EditYaml({
  agentId,
  path,
  namespace,
  name,
  what,
  onClose,
  onApplied,
}: {
  agentId: string;
  path: string;
  namespace?: string;
  name: string;
  /** "configmap shop/settings", for headings. */
  what: string;
  onClose: () => void;
  onApplied: (message: string) => void;
}) {
  const target = useMemo(() => ({ path, name, ...(namespace ? { namespace } : {}) }), [path, name, namespace]);
  // The object as it is when editing starts; its resourceVersion makes a change made meanwhile a conflict.
  const start = useQuery({
    queryKey: ["cluster-edit-start", agentId, path, namespace ?? "", name],
    queryFn: async () =>
      editableYaml(
        (
          await fetchJson<{ object: KubeItem & Record<string, unknown> }>(
            `/api/agents/${encodeURIComponent(agentId)}/object?${new URLSearchParams(target)}`,
          )
        ).object,
      ),
    staleTime: Infinity,
    gcTime: 0,
    retry: 1,
  });
  const [text, setText] = useState<string | null>(null);
  const [review, setReview] = useState<Review | null>(null);
  const editor = useRef<EditorApi | null>(null);
  const queryClient = useQueryClient();
  const problemsId = useId();
  const hintId = useId();
  const headingId = useId();
  const current = text ?? start.data ?? "";
  const deferred = useDeferredValue(current);
  const check = useMemo(() => checkEdited(deferred, target), [deferred, target]);
  const problems = check.ok ? [] : check.problems;
  const dirty = text !== null && text !== start.data;
  useLeaveGuard(dirty, `Leave this page? Your edit of ${what} is not applied and will be lost.`);

  const send = useMutation({
    mutationFn: (dryRun: boolean) =>
      fetchJson<Review | Applied>(`/api/agents/${encodeURIComponent(agentId)}/edit`, {
        method: "POST",
        body: JSON.stringify({ ...target, yaml: current, dryRun }),
      }),
    onSuccess: (r) => {
      if (r.dryRun) {
        setReview(r);
        return;
      }
      void queryClient.invalidateQueries({ queryKey: ["cluster-object", agentId, path] });
      onApplied(r.message);
    },
  });
  const changes = review ? lineDiff(review.live, review.result) : null;

  return (
    <section
      aria-labelledby={headingId}
      data-unapplied-edit={dirty ? `Close and discard your edit of ${what}? It is not applied.` : undefined}
      className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 id={headingId} className="text-sm font-medium">
          {review ? `Review the change to ${what}` : `Edit ${what}`}
        </h4>
        <Button
          type="button"
          variant="secondary"
          className="px-2.5 py-1"
          onClick={() => {
            if (!dirty || window.confirm(`Discard your edit of ${what}?`)) onClose();
          }}
        >
          Cancel
        </Button>
      </div>
      {start.isPending ? <LoadingState label="Loading the object…" /> : null}
      {start.isError ? <ErrorState title="The object could not be loaded" message={start.error.message} /> : null}
      {start.isSuccess && !review ? (
        <>
          <p id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
            Change the YAML, then Review: the cluster checks it as you (a dry run, nothing is changed) and shows what it
            would store. {TAB_HINT}
          </p>
          <YamlEditor
            label={`YAML of ${what}`}
            value={current}
            problems={problems}
            describedBy={problems.length ? `${problemsId} ${hintId}` : hintId}
            maxLines={20}
            onEditor={(api) => {
              editor.current = api;
            }}
            onChange={(v) => {
              setText(v);
              send.reset();
            }}
          />
          <div id={problemsId} aria-live="polite">
            {problems.length ? (
              <ul
                aria-label="Problems"
                className="space-y-1 rounded-md bg-red-50 px-3 py-2 font-mono text-xs text-red-700 dark:bg-red-950 dark:text-red-300"
              >
                {problems.map((p, i) => (
                  <li key={i} className="flex flex-wrap gap-x-3">
                    <span>{describeEditProblem(p)}</span>
                    {p.line ? (
                      <button
                        type="button"
                        className="font-sans underline underline-offset-2"
                        onClick={() => editor.current?.goToLine(p.line!)}
                      >
                        Go to line {p.line}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <Button
              type="button"
              className="px-2.5 py-1"
              disabled={!dirty || problems.length > 0 || send.isPending}
              onClick={() => send.mutate(true)}
            >
              {send.isPending ? "Asking the cluster…" : "Review"}
            </Button>
            {!dirty ? <span className="text-xs text-zinc-500">No change yet.</span> : null}
          </div>
        </>
      ) : null}
      {review && changes ? (
        <>
          <DiffView
            before={review.live}
            after={review.result}
            caption={`Live ${what} → what the cluster would store`}
          />
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            The cluster accepted this in a dry run as you. Apply sends it for real and records it in the project&apos;s
            audit log; if {what} changes meanwhile, the cluster refuses it as a conflict.
          </p>
          <div className="flex flex-wrap gap-2">
            <Button
              type="button"
              className="px-2.5 py-1"
              disabled={send.isPending || (changes.added === 0 && changes.removed === 0)}
              onClick={() => send.mutate(false)}
            >
              {send.isPending ? "Applying…" : "Apply"}
            </Button>
            <Button
              type="button"
              variant="secondary"
              className="px-2.5 py-1"
              disabled={send.isPending}
              onClick={() => {
                setReview(null);
                send.reset();
              }}
            >
              Back to editing
            </Button>
          </div>
        </>
      ) : null}
      {send.error ? (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300"
        >
          {send.error.message}
        </p>
      ) : null}
    </section>
  );
}
