"use client";
// A Flux object's actions on the GitOps tab: Reconcile now, Suspend (confirmed: Git stops reaching the
// cluster) and Resume, offered only when the cluster's RBAC lets the viewer patch the object (asked with
// SelfSubjectAccessReview as the viewer), sent as the viewer through lib/cluster-actions and audited there.
// A refusal shows the cluster's own words beside the object.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useObjectActions } from "@/components/cluster/use-object-actions";
import type { ActionName } from "@/lib/cluster-actions/actions";
import type { FluxObject } from "@/lib/flux-view/flux-status";

type FluxAction = Extract<ActionName, "reconcile" | "suspend" | "resume">;

export function FluxActions({
  agentId,
  path,
  object,
  noun,
  suspended,
}: {
  agentId: string;
  /** The kind's cluster-wide collection path. */
  path: string;
  object: FluxObject;
  noun: string;
  suspended: boolean;
}) {
  const { name, namespace = "" } = object.metadata;
  const { allowed, run } = useObjectActions(agentId, { path, namespace, name }, 60_000);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState("");
  const send = (action: FluxAction) => {
    setDone("");
    run.mutate(
      { action },
      {
        onSuccess: (r) => {
          setDone(r.message);
          setConfirming(false);
        },
      },
    );
  };
  const what = `${noun} ${namespace ? `${namespace}/` : ""}${name}`;
  const may = (a: FluxAction) => allowed.data?.includes(a) ?? false;
  // Flux ignores a reconcile request while the object is suspended: Resume is what it needs.
  const offered: FluxAction[] = suspended
    ? may("resume")
      ? ["resume"]
      : []
    : (["reconcile", "suspend"] as const).filter(may);

  if (allowed.isPending) return <p className="text-xs text-zinc-500">Asking the cluster what you may do…</p>;
  if (allowed.isError)
    return (
      <p role="alert" className="text-xs text-red-700 dark:text-red-300">
        The cluster could not say what you may do: {allowed.error.message}
      </p>
    );
  return (
    <div className="space-y-1" data-testid="flux-actions">
      {offered.length ? (
        <div className="flex flex-wrap gap-2">
          {offered.map((a) => (
            <Button
              key={a}
              type="button"
              variant="secondary"
              className="px-2.5 py-1"
              disabled={run.isPending}
              onClick={() => {
                run.reset();
                if (a === "suspend") setConfirming(true);
                else send(a);
              }}
            >
              {a === "reconcile" ? "Reconcile now" : a === "suspend" ? "Suspend" : "Resume"}
            </Button>
          ))}
        </div>
      ) : (
        <p className="text-xs text-zinc-500">Read only: the cluster&apos;s RBAC does not let you change this {noun}.</p>
      )}
      {done ? (
        <p role="status" className="text-xs text-emerald-700 dark:text-emerald-300">
          {done}.
        </p>
      ) : null}
      {run.error && !confirming ? (
        <p role="alert" className="break-words text-xs text-red-700 dark:text-red-300">
          {run.error.message}
        </p>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Suspend ${what}?`}
        confirmLabel="Suspend"
        pending={run.isPending}
        error={run.error?.message}
        onConfirm={() => send("suspend")}
        onCancel={() => {
          setConfirming(false);
          run.reset();
        }}
      >
        <p>
          Flux stops reconciling {what}: changes pushed to Git no longer reach the cluster, and drift is not corrected,
          until it is resumed.
        </p>
        <p>It is sent as you, and recorded in the project&apos;s audit log.</p>
      </ConfirmDialog>
    </div>
  );
}
