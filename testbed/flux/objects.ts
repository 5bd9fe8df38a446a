// Flux objects for tests and the demo: a GitRepository and the Kustomization that applies a folder of
// it, created or updated by server-side apply, and the reconcile request Flux honours (the annotation
// reconcile.fluxcd.io/requestedAt, set by merge patch so it works when the annotation is absent).
import { apiserverRequest, type TestbedState } from "../cluster";
import { TestbedStepError } from "../run";
import { FLUX_NAMESPACE } from "./versions";

type Api = Pick<TestbedState, "server" | "caFile" | "adminToken">;

const FIELD_MANAGER = "tether-testbed";
export const GIT_REPOSITORIES = "/apis/source.toolkit.fluxcd.io/v1";
export const KUSTOMIZATIONS = "/apis/kustomize.toolkit.fluxcd.io/v1";

export interface GitOpsSource {
  name: string;
  /** Namespace of both objects (default flux-system). */
  namespace?: string;
  url: string;
  branch?: string;
  /** Flux duration, e.g. "10m" (the default: only a requested reconcile makes a push arrive quickly). */
  interval?: string;
  /** Folder of the repository the Kustomization applies (default ./deploy). */
  path?: string;
  /** Secret with username/password for a private repository. */
  secretName?: string;
  prune?: boolean;
}

async function apply(tb: Api, url: string, body: unknown): Promise<void> {
  const res = await apiserverRequest(
    tb,
    "PATCH",
    `${url}?fieldManager=${FIELD_MANAGER}&force=true`,
    body,
    "application/apply-patch+yaml",
  );
  if (res.status !== 200 && res.status !== 201)
    throw new TestbedStepError(`apply ${url}`, `apiserver answered ${res.status}`, res.body.slice(0, 2000));
}

/** Applies a GitRepository and a Kustomization (same name) that applies `path` of its artifact. */
export async function applyGitOpsSource(tb: Api, s: GitOpsSource): Promise<void> {
  const namespace = s.namespace ?? FLUX_NAMESPACE;
  const interval = s.interval ?? "10m";
  await apply(tb, `${GIT_REPOSITORIES}/namespaces/${namespace}/gitrepositories/${s.name}`, {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name: s.name, namespace },
    spec: {
      url: s.url,
      interval,
      ref: { branch: s.branch ?? "main" },
      ...(s.secretName ? { secretRef: { name: s.secretName } } : {}),
    },
  });
  await apply(tb, `${KUSTOMIZATIONS}/namespaces/${namespace}/kustomizations/${s.name}`, {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: s.name, namespace },
    spec: {
      interval,
      path: s.path ?? "./deploy",
      prune: s.prune ?? true,
      sourceRef: { kind: "GitRepository", name: s.name },
    },
  });
}

/** Asks Flux to reconcile a GitRepository now; returns the requestedAt value it will echo back. */
export async function requestReconcile(
  tb: Api,
  name: string,
  namespace: string = FLUX_NAMESPACE,
  kind: "gitrepositories" | "kustomizations" = "gitrepositories",
): Promise<string> {
  const requestedAt = new Date().toISOString();
  const base = kind === "gitrepositories" ? GIT_REPOSITORIES : KUSTOMIZATIONS;
  const res = await apiserverRequest(tb, "PATCH", `${base}/namespaces/${namespace}/${kind}/${name}`, {
    metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": requestedAt } },
  });
  if (res.status !== 200)
    throw new TestbedStepError(
      `reconcile ${kind}/${name}`,
      `apiserver answered ${res.status}`,
      res.body.slice(0, 2000),
    );
  return requestedAt;
}
