"use client";
// The actions the cluster lets the viewer take on an object (asked with SelfSubjectAccessReview as the
// viewer when the drawer opens): each confirmed in a dialog, sent as the viewer, audited by the server. A
// refusal shows the cluster's own words in the dialog.
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Button } from "@/components/ui/button";
import type { ActionName } from "@/lib/cluster-actions/actions";
import { resourceOf } from "@/lib/cluster-actions/resource";
import { FLUX_GROUP } from "@/lib/flux-view/flux-status";
import { inputClass } from "./controls";
import { EditYaml } from "./edit-yaml";
import { num, type KubeItem } from "./kinds";
import { useObjectActions } from "./use-object-actions";

const LABELS: Record<ActionName, string> = {
  delete: "Delete",
  reconcile: "Reconcile now",
  restart: "Restart rollout",
  scale: "Scale",
  suspend: "Suspend",
  resume: "Resume",
  trigger: "Run a Job now",
  cordon: "Cordon",
  uncordon: "Uncordon",
  drain: "Drain",
  edit: "Edit YAML",
};

/** What each confirmation says will happen. */
function consequence(action: ActionName, what: string, flux: boolean): string {
  switch (action) {
    case "reconcile":
      return `Flux reconciles ${what} now, without waiting for its interval.`;
    case "delete":
      return `${what} will be deleted from the cluster. Objects it owns go too; a controller may make a new one.`;
    case "restart":
      return `Every pod of ${what} is replaced, a few at a time, as its rollout strategy says.`;
    case "scale":
      return `${what} will run the number of replicas you choose.`;
    case "suspend":
      if (flux)
        return `Flux stops reconciling ${what}: changes in its source no longer reach the cluster until resumed.`;
      return `${what} stops starting Jobs on its schedule until resumed; running Jobs go on.`;
    case "resume":
      if (flux) return `Flux reconciles ${what} again.`;
      return `${what} starts Jobs on its schedule again.`;
    case "trigger":
      return `A Job is created now from ${what}'s template, as its schedule would.`;
    case "cordon":
      return `No new pods are scheduled on ${what}; the pods on it keep running.`;
    case "uncordon":
      return `New pods may be scheduled on ${what} again.`;
    case "drain":
      return `${what} is cordoned and its pods are evicted (not DaemonSet pods), one by one, honouring PodDisruptionBudgets; controllers start them elsewhere.`;
    case "edit":
      return `${what} is replaced by the YAML you edit, after a dry run and a diff.`;
  }
}

/** Suspend only what runs, resume only what is suspended; likewise cordon and uncordon. */
function fitsState(action: ActionName, o: KubeItem): boolean {
  if (action === "suspend") return o.spec?.suspend !== true;
  if (action === "resume") return o.spec?.suspend === true;
  if (action === "cordon") return o.spec?.unschedulable !== true;
  if (action === "uncordon") return o.spec?.unschedulable === true;
  return true;
}

export function ObjectActions({
  agentId,
  path,
  object,
  noun,
}: {
  agentId: string;
  path: string;
  object: KubeItem;
  noun: string;
}) {
  const { name, namespace = "" } = object.metadata;
  const { allowed, run } = useObjectActions(agentId, { path, namespace, name }, 30_000);
  const [open, setOpen] = useState<ActionName | null>(null);
  const [replicas, setReplicas] = useState("");
  const [done, setDone] = useState("");
  const [editing, setEditing] = useState(false);
  const send = (action: ActionName) =>
    run.mutate(
      { action, replicas: replicas.trim() === "" ? NaN : Number(replicas) },
      {
        onSuccess: (r) => {
          setDone(r.message);
          setOpen(null);
        },
      },
    );
  const what = `${noun} ${namespace ? `${namespace}/` : ""}${name}`;
  const offered = (allowed.data ?? []).filter((a) => fitsState(a, object));
  const buttons = offered.filter((a) => a !== "edit");
  const canEdit = offered.includes("edit");

  return (
    <section aria-label="Actions" className="space-y-2">
      <h4 className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Actions</h4>
      {allowed.isPending ? <p className="text-xs text-zinc-500">Asking the cluster what you may do…</p> : null}
      {allowed.isError ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-300">
          The cluster could not say what you may do: {allowed.error.message}
        </p>
      ) : null}
      {allowed.isSuccess && offered.length === 0 ? (
        <p className="text-xs text-zinc-500">The cluster&apos;s RBAC lets you take no action on this {noun}.</p>
      ) : null}
      {offered.length ? (
        <div className="flex flex-wrap gap-2">
          {canEdit ? (
            <Button
              type="button"
              variant="secondary"
              className="px-2.5 py-1"
              aria-expanded={editing}
              disabled={editing}
              onClick={() => {
                setDone("");
                setEditing(true);
              }}
            >
              {LABELS.edit}
            </Button>
          ) : null}
          {buttons.map((a) => (
            <Button
              key={a}
              type="button"
              variant={a === "delete" ? "danger" : "secondary"}
              className="px-2.5 py-1"
              onClick={() => {
                run.reset();
                setDone("");
                if (a === "scale") setReplicas(String(num(object.spec?.replicas)));
                setOpen(a);
              }}
            >
              {LABELS[a]}
            </Button>
          ))}
        </div>
      ) : null}
      {editing ? (
        <EditYaml
          agentId={agentId}
          path={path}
          namespace={namespace || undefined}
          name={name}
          what={what}
          onClose={() => setEditing(false)}
          onApplied={(message) => {
            setEditing(false);
            setDone(message);
          }}
        />
      ) : null}
      {done ? (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
          {done}.
        </p>
      ) : null}
      <ConfirmDialog
        open={open !== null}
        title={open ? `${LABELS[open]} ${what}?` : ""}
        confirmLabel={open ? LABELS[open] : ""}
        pending={run.isPending}
        error={run.error?.message}
        onConfirm={() => open && send(open)}
        onCancel={() => {
          setOpen(null);
          run.reset();
        }}
      >
        <p>{open ? consequence(open, what, FLUX_GROUP.test(resourceOf(path).group)) : null}</p>
        {open === "scale" ? (
          <label className="block text-sm">
            <span className="block text-zinc-600 dark:text-zinc-400">Replicas</span>
            <input
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={replicas}
              onChange={(e) => setReplicas(e.target.value)}
              className={inputClass}
            />
          </label>
        ) : null}
        <p>It is sent as you, and recorded in the project&apos;s audit log.</p>
      </ConfirmDialog>
    </section>
  );
}
