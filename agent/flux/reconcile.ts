// Asking Flux to reconcile the GitRepository objects (source.toolkit.fluxcd.io/v1) that follow a pushed
// repository: a JSON merge patch of the reconcile.fluxcd.io/requestedAt annotation, which works whether or
// not the object has annotations, and touches nothing else.
import { refConcerns, repositoryKey, type GitRepositoryRef } from "../../lib/common/git-url";
import type { FluxSettings } from "../../lib/common/flux-config";
import type { GitPushNotice } from "../../lib/common/kas-web-contract";
import type { KubeApi } from "../kube-proxy";
import { kubeJson, statusMessage } from "./kube-json";

export const REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";
const GROUP_VERSION = "/apis/source.toolkit.fluxcd.io/v1";

interface GitRepository {
  metadata: { name: string; namespace: string };
  spec?: { url?: string; ref?: GitRepositoryRef; suspend?: boolean };
}

/** Which repository and ref a push is about: pushes with the same key are coalesced. */
export function pushKey(push: GitPushNotice): string {
  const keys = [...new Set(push.repositoryUrls.map(repositoryKey).filter((k): k is string => k !== null))].sort();
  return `${keys.join(",")}@${push.ref}`;
}

export async function listGitRepositories(kube: KubeApi, namespaces: string[]): Promise<GitRepository[]> {
  const paths = namespaces.length
    ? namespaces.map((ns) => `${GROUP_VERSION}/namespaces/${encodeURIComponent(ns)}/gitrepositories`)
    : [`${GROUP_VERSION}/gitrepositories`];
  const out: GitRepository[] = [];
  for (const path of paths) {
    const a = await kubeJson(kube, "GET", path);
    if (a.status === 404 && !namespaces.length)
      throw new Error("Flux's GitRepository kind (source.toolkit.fluxcd.io/v1) is not installed in this cluster");
    if (a.status === 404) continue; // a namespace that does not exist holds none
    if (a.status !== 200) throw new Error(`cannot list GitRepository objects (${path}): ${statusMessage(a)}`);
    out.push(...((a.body as { items?: GitRepository[] }).items ?? []));
  }
  return out;
}

/** The GitRepository objects a push concerns: same repository (any URL form), and the pushed branch or tag when they follow one. */
export function matching(repos: GitRepository[], push: GitPushNotice, matchBranch: boolean): GitRepository[] {
  const pushed = new Set(push.repositoryUrls.map(repositoryKey).filter((k) => k !== null));
  return repos.filter((r) => {
    const key = r.spec?.url ? repositoryKey(r.spec.url) : null;
    return key !== null && pushed.has(key) && (!matchBranch || refConcerns(r.spec?.ref, push.ref));
  });
}

/** Annotates every matching GitRepository: the ones patched, and the ones the API server refused, with its words. */
export async function requestReconcile(
  kube: KubeApi,
  settings: FluxSettings,
  push: GitPushNotice,
  now = new Date(),
): Promise<{ patched: string[]; failures: string[] }> {
  const targets = matching(await listGitRepositories(kube, settings.namespaces), push, settings.matchBranch);
  const patched: string[] = [];
  const failures: string[] = [];
  for (const r of targets) {
    const { namespace, name } = r.metadata;
    const a = await kubeJson(
      kube,
      "PATCH",
      `${GROUP_VERSION}/namespaces/${encodeURIComponent(namespace)}/gitrepositories/${encodeURIComponent(name)}`,
      { metadata: { annotations: { [REQUESTED_AT]: now.toISOString() } } },
      "application/merge-patch+json",
    );
    if (a.status === 200) patched.push(`${namespace}/${name}`);
    else if (a.status !== 404) failures.push(`${namespace}/${name}: ${statusMessage(a)}`);
  }
  return { patched, failures };
}
