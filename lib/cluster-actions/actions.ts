// What each action on a cluster object is: which kinds it applies to, the request it sends (as the viewer),
// and the access review that says whether the viewer may send it. Pure: no tunnel, no database.
import { z } from "zod";
import { collectionPath, objectName, objectPath } from "@/lib/cluster-cache/paths";
import { RECONCILE_ANNOTATION } from "@/lib/flux-view/flux-status";
import { resourceOf } from "./resource";

export { resourceOf };

/** Flux's API groups: every Flux object reconciles on request and can be suspended (spec.suspend). */
export const FLUX_GROUP = /\.toolkit\.fluxcd\.io$/;

/** What `flux reconcile` sets; the controller reconciles at once and echoes it in status.lastHandledReconcileAt. */
export const FLUX_RECONCILE_ANNOTATION = RECONCILE_ANNOTATION;

export const ACTION_NAMES = [
  "delete",
  "reconcile",
  "restart",
  "scale",
  "suspend",
  "resume",
  "trigger",
  "cordon",
  "uncordon",
  "drain",
  "edit",
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** The object an action is about: the live view's collection path, namespace and name. */
export const actionTarget = z.object({
  path: collectionPath,
  namespace: objectName.optional(),
  name: objectName,
});
export type ActionTarget = z.infer<typeof actionTarget>;

export const MAX_REPLICAS = 10_000;

export const actionRequest = z.discriminatedUnion("action", [
  actionTarget.extend({
    action: z.literal("scale"),
    replicas: z
      .number({ error: "replicas must be a whole number" })
      .int("replicas must be a whole number")
      .min(0, "replicas cannot be negative")
      .max(MAX_REPLICAS, `at most ${MAX_REPLICAS} replicas`),
  }),
  ...(["delete", "reconcile", "restart", "suspend", "resume", "trigger", "cordon", "uncordon", "drain"] as const).map(
    (action) => actionTarget.extend({ action: z.literal(action) }),
  ),
]);
export type ActionRequest = z.infer<typeof actionRequest>;

const WORKLOADS = new Set(["apps/deployments", "apps/statefulsets", "apps/daemonsets"]);
const SCALABLE = new Set(["apps/deployments", "apps/statefulsets", "apps/replicasets"]);

/** The actions that make sense for objects of a collection (whether the viewer may is the cluster's say). */
export function actionsFor(path: string): ActionName[] {
  const { group, resource } = resourceOf(path);
  const gr = `${group}/${resource}`;
  const out: ActionName[] = [];
  if (WORKLOADS.has(gr)) out.push("restart");
  if (SCALABLE.has(gr)) out.push("scale");
  if (gr === "batch/cronjobs") out.push("suspend", "resume", "trigger");
  if (FLUX_GROUP.test(group)) out.push("reconcile", "suspend", "resume");
  if (gr === "/nodes") out.push("cordon", "uncordon", "drain");
  // Edit YAML (edit.ts): not Secrets, whose values never reach the browser.
  if (gr !== "/secrets") out.push("edit");
  // Namespaces are left out: deleting one takes everything in it, a step for kubectl, not a button.
  if (gr !== "/namespaces") out.push("delete");
  return out;
}

type Review = ReturnType<typeof reviewFor>;

/**
 * Every SelfSubjectAccessReview an action needs allowed. A drain cordons the node, lists the pods on it and
 * evicts them, in every namespace.
 */
export function reviewsFor(action: ActionName, t: ActionTarget): Review[] {
  if (action !== "drain") return [reviewFor(action, t)];
  return [
    { group: "", resource: "nodes", verb: "patch", name: t.name },
    { group: "", resource: "pods", verb: "list" },
    { group: "", resource: "pods", subresource: "eviction", verb: "create" },
  ];
}

/** The SelfSubjectAccessReview attributes the request of `action` needs (a drain's first: the cordon). */
export function reviewFor(
  action: ActionName,
  t: ActionTarget,
): { group: string; resource: string; subresource?: string; verb: string; namespace?: string; name?: string } {
  const { group, resource, namespace } = resourceOf(t.path);
  const ns = t.namespace ?? namespace;
  const on = { group, resource, namespace: ns, name: t.name };
  switch (action) {
    case "delete":
      return { ...on, verb: "delete" };
    case "scale":
      return { ...on, subresource: "scale", verb: "patch" };
    case "edit":
      // The edit is a replace (PUT) carrying the resourceVersion it started from.
      return { ...on, verb: "update" };
    case "trigger":
      // A Job made from the CronJob's template, in its namespace.
      return { group: "batch", resource: "jobs", namespace: ns, verb: "create" };
    default:
      return { ...on, verb: "patch" };
  }
}

export interface ClusterRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const MERGE_PATCH = { "content-type": "application/merge-patch+json", accept: "application/json" };

/**
 * The request an action sends. `trigger` needs the CronJob itself (its job template); `now` names the
 * restart and the triggered Job, as kubectl does.
 */
export function requestFor(
  r: ActionRequest,
  now: Date,
  cronJob?: { metadata: { name: string; uid?: string }; spec?: { jobTemplate?: { metadata?: object; spec?: object } } },
): ClusterRequest {
  const self = objectPath(r.path, r.namespace, r.name);
  const patch = (body: object, path = self): ClusterRequest => ({
    method: "PATCH",
    path,
    headers: MERGE_PATCH,
    body: JSON.stringify(body),
  });
  switch (r.action) {
    case "delete":
      return {
        method: "DELETE",
        path: self,
        headers: { "content-type": "application/json", accept: "application/json" },
        // As kubectl: dependents go in the background (a Deployment's ReplicaSets and Pods).
        body: JSON.stringify({ kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" }),
      };
    case "restart":
      return patch({
        spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": now.toISOString() } } } },
      });
    case "scale":
      return patch({ spec: { replicas: r.replicas } }, `${self}/scale`);
    case "reconcile":
      // As `flux reconcile`: a merge patch adds the annotation whether or not the object has annotations.
      return patch({ metadata: { annotations: { [FLUX_RECONCILE_ANNOTATION]: now.toISOString() } } });
    case "suspend":
    case "resume":
      return patch({ spec: { suspend: r.action === "suspend" } });
    case "cordon":
    case "uncordon":
    case "drain":
      // A drain starts as a cordon; the evictions follow (drainablePods, evictionFor).
      return patch({ spec: { unschedulable: r.action !== "uncordon" } });
    case "trigger": {
      if (!cronJob) throw new Error("trigger needs the CronJob");
      const { namespace } = resourceOf(r.path);
      const ns = r.namespace ?? namespace;
      // kubectl create job --from=cronjob/<name>: the template's spec, a name with a time stamp, an owner link.
      const template = cronJob.spec?.jobTemplate ?? {};
      const stamp = Math.floor(now.getTime() / 1000).toString(36);
      const base = r.name.slice(0, 63 - 8 - stamp.length);
      const meta = (template.metadata ?? {}) as {
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      return {
        method: "POST",
        path: `/apis/batch/v1/namespaces/${ns}/jobs`,
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          apiVersion: "batch/v1",
          kind: "Job",
          metadata: {
            name: `${base}-manual-${stamp}`,
            namespace: ns,
            labels: meta.labels,
            annotations: { ...meta.annotations, "cronjob.kubernetes.io/instantiate": "manual" },
            ownerReferences: cronJob.metadata.uid
              ? [
                  {
                    apiVersion: "batch/v1",
                    kind: "CronJob",
                    name: cronJob.metadata.name,
                    uid: cronJob.metadata.uid,
                    controller: true,
                  },
                ]
              : undefined,
          },
          spec: template.spec,
        }),
      };
    }
  }
}

/** A resource's plural as one object's noun: deployments → deployment, gitrepositories → gitrepository. */
export function singular(resource: string): string {
  if (resource.endsWith("ies")) return `${resource.slice(0, -3)}y`;
  if (/(ss|ch|sh|x)es$/.test(resource)) return resource.slice(0, -2);
  return resource.replace(/s$/, "");
}

/** What the audit log and the page say an action did: "Deleted pod default/web", "Scaled … to 3". */
export function describeAction(r: ActionRequest): string {
  const { resource, namespace } = resourceOf(r.path);
  const ns = r.namespace ?? namespace;
  const what = `${singular(resource)} ${ns ? `${ns}/` : ""}${r.name}`;
  switch (r.action) {
    case "delete":
      return `Deleted ${what}`;
    case "reconcile":
      return `Asked Flux to reconcile ${what}`;
    case "restart":
      return `Restarted the rollout of ${what}`;
    case "scale":
      return `Scaled ${what} to ${r.replicas}`;
    case "suspend":
      return `Suspended ${what}`;
    case "resume":
      return `Resumed ${what}`;
    case "trigger":
      return `Started a Job from ${what}`;
    case "cordon":
      return `Cordoned ${what}`;
    case "uncordon":
      return `Uncordoned ${what}`;
    case "drain":
      return `Drained ${what}`;
  }
}

interface PodOnNode {
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    ownerReferences?: { kind?: string; controller?: boolean }[];
  };
}

/** The pods a drain evicts, as `kubectl drain --ignore-daemonsets` does: not DaemonSet pods, not mirror pods. */
export function drainablePods<P extends PodOnNode>(pods: P[]): P[] {
  return pods.filter(
    (p) =>
      !p.metadata.annotations?.["kubernetes.io/config.mirror"] &&
      !(p.metadata.ownerReferences ?? []).some((o) => o.controller && o.kind === "DaemonSet"),
  );
}

/** The pods on a node, as the viewer may list them. */
export function podsOnNodePath(node: string): string {
  return `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`;
}

/** One pod's eviction (policy/v1): the API server honours its PodDisruptionBudgets, answering 429 when one forbids it. */
export function evictionFor(pod: PodOnNode): ClusterRequest {
  const ns = pod.metadata.namespace ?? "default";
  return {
    method: "POST",
    path: `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/eviction`,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({
      apiVersion: "policy/v1",
      kind: "Eviction",
      metadata: { name: pod.metadata.name, namespace: ns },
    }),
  };
}
