import { describe, expect, it } from "vitest";
import { allowedActions } from "./run";

/** A cluster whose RBAC allows the verbs given, recording each SelfSubjectAccessReview it is asked. */
function cluster(allowedVerbs: string[]) {
  const reviews: { verb: string; resource: string }[] = [];
  return {
    reviews,
    agentFetch: () => Promise.reject(new Error("no request but reviews expected")),
    async agentJson<T>(_agent: string, r: { body?: Uint8Array | string }): Promise<T> {
      const a = (JSON.parse(String(r.body)) as { spec: { resourceAttributes: { verb: string; resource: string } } })
        .spec.resourceAttributes;
      reviews.push(a);
      return { status: { allowed: allowedVerbs.includes(a.verb) } } as T;
    },
  };
}

describe("allowedActions", () => {
  const kustomization = {
    path: "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations",
    namespace: "flux-system",
    name: "apps",
  };

  it("offers a Flux object's reconcile, suspend and resume when the viewer may patch it, asking once", async () => {
    const c = cluster(["patch"]);
    expect(await allowedActions(c, "a1", kustomization, undefined)).toEqual(["reconcile", "suspend", "resume"]);
    // One review for the patch the three share, one for Edit YAML's update, one for delete.
    expect(c.reviews.map((r) => r.verb).sort()).toEqual(["delete", "patch", "update"]);
  });

  it("offers nothing when the cluster allows neither", async () => {
    expect(await allowedActions(cluster([]), "a1", kustomization, undefined)).toEqual([]);
  });
});
