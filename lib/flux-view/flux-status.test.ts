import { describe, expect, it } from "vitest";
import {
  appliedRevision,
  commitUrl,
  countFlux,
  forgeRepo,
  lastReconciled,
  parseRevision,
  pendingReconcile,
  pickFluxVersions,
  sourceUrl,
  summarize,
  warningsByObject,
  type FluxObject,
} from "./flux-status";

const SHA = "0123456789abcdef0123456789abcdef01234567";

const obj = (status: Record<string, unknown>, extra: Partial<FluxObject> = {}): FluxObject => ({
  kind: "Kustomization",
  metadata: { name: "apps", namespace: "flux-system", generation: 2, ...extra.metadata },
  spec: extra.spec ?? {},
  status,
});
const cond = (type: string, status: string, reason = "", message = "", lastTransitionTime?: string) => ({
  type,
  status,
  reason,
  message,
  ...(lastTransitionTime ? { lastTransitionTime } : {}),
});

describe("summarize", () => {
  it("reads Ready, Not ready, Reconciling and Stalled from the conditions, Stalled first", () => {
    expect(summarize(obj({ conditions: [cond("Ready", "True", "ReconciliationSucceeded", "Applied")] }))).toEqual({
      state: "Ready",
      reason: "ReconciliationSucceeded",
      message: "Applied",
      suspended: false,
    });
    expect(
      summarize(obj({ conditions: [cond("Ready", "False", "BuildFailed", "kustomization.yaml not found")] })),
    ).toMatchObject({ state: "Not ready", reason: "BuildFailed", message: "kustomization.yaml not found" });
    expect(
      summarize(
        obj({
          conditions: [cond("Ready", "Unknown", "Progressing"), cond("Reconciling", "True", "Progressing", "Running")],
        }),
      ),
    ).toMatchObject({ state: "Reconciling", message: "Running" });
    expect(summarize(obj({ conditions: [cond("Ready", "Unknown", "Progressing", "waiting")] }))).toMatchObject({
      state: "Reconciling",
      message: "waiting",
    });
    expect(
      summarize(
        obj({
          conditions: [
            cond("Ready", "False", "ArtifactFailed"),
            cond("Reconciling", "True", "Progressing"),
            cond("Stalled", "True", "InvalidURL", "bad URL"),
          ],
        }),
      ),
    ).toMatchObject({ state: "Stalled", reason: "InvalidURL", message: "bad URL" });
  });

  it("says Unknown when the controller has reported nothing, and suspended beside the state", () => {
    expect(summarize(obj({}))).toEqual({ state: "Unknown", reason: "", message: "", suspended: false });
    expect(summarize(obj({ conditions: "nonsense" }))).toMatchObject({ state: "Unknown" });
    expect(summarize(obj({ conditions: [cond("Ready", "True")] }, { spec: { suspend: true } }))).toMatchObject({
      state: "Ready",
      suspended: true,
    });
  });

  it("treats Ready for an older generation as still reconciling, unless suspended", () => {
    const stale = { conditions: [cond("Ready", "True")], observedGeneration: 1 };
    expect(summarize(obj(stale))).toMatchObject({ state: "Reconciling", reason: "NewGeneration" });
    expect(summarize(obj(stale, { spec: { suspend: true } })).state).toBe("Ready");
    expect(summarize(obj({ ...stale, observedGeneration: 2 })).state).toBe("Ready");
  });
});

describe("parseRevision", () => {
  it("reads v1 revisions: branch@sha1, bare sha1, tag@sha256", () => {
    expect(parseRevision(`main@sha1:${SHA}`)).toEqual({
      full: `main@sha1:${SHA}`,
      ref: "main",
      id: SHA,
      algorithm: "sha1",
      short: "main@0123456",
      commit: SHA,
    });
    expect(parseRevision(`sha1:${SHA}`)).toMatchObject({ ref: "", short: "0123456", commit: SHA });
    expect(parseRevision(`refs/heads/feature@sha1:${SHA}`)).toMatchObject({ ref: "refs/heads/feature" });
    const digest = "a".repeat(64);
    expect(parseRevision(`v1.2.0@sha256:${digest}`)).toMatchObject({
      ref: "v1.2.0",
      algorithm: "sha256",
      short: "v1.2.0@aaaaaaaaaaaa",
      commit: "",
    });
  });

  it("reads older branch/sha revisions, bare commits and chart versions", () => {
    expect(parseRevision(`main/${SHA}`)).toMatchObject({ ref: "main", short: "main@0123456", commit: SHA });
    expect(parseRevision(SHA.toUpperCase())).toMatchObject({ commit: SHA, short: "0123456" });
    expect(parseRevision("6.1.0")).toMatchObject({ short: "6.1.0", commit: "", algorithm: "" });
    expect(parseRevision("  ")).toBeNull();
  });
});

describe("appliedRevision", () => {
  it("takes the applied revision, a source's artifact, a release's history, else the attempted one", () => {
    expect(appliedRevision(obj({ lastAppliedRevision: `main@sha1:${SHA}` }))?.revision.commit).toBe(SHA);
    expect(appliedRevision(obj({ artifact: { revision: `main@sha1:${SHA}` } }))).toMatchObject({ attempted: false });
    expect(appliedRevision(obj({ history: [{ chartVersion: "1.4.2" }] }))?.revision.short).toBe("1.4.2");
    expect(appliedRevision(obj({ lastAttemptedRevision: `sha1:${SHA}` }))).toMatchObject({ attempted: true });
    expect(appliedRevision(obj({}))).toBeNull();
  });
});

describe("forge links", () => {
  it("links commits on GitHub, GitLab (nested groups), Gitea/Forgejo and Bitbucket https URLs", () => {
    expect(commitUrl("https://github.com/acme/web.git", SHA)).toBe(`https://github.com/acme/web/commit/${SHA}`);
    expect(commitUrl("https://gitlab.com/acme/platform/web", SHA)).toBe(
      `https://gitlab.com/acme/platform/web/-/commit/${SHA}`,
    );
    expect(commitUrl("https://gitlab.example.com/ops/fleet.git/", SHA)).toBe(
      `https://gitlab.example.com/ops/fleet/-/commit/${SHA}`,
    );
    expect(commitUrl("https://codeberg.org/acme/web", SHA)).toBe(`https://codeberg.org/acme/web/commit/${SHA}`);
    expect(commitUrl("https://gitea.internal:3000/acme/web.git", SHA)).toBe(
      `https://gitea.internal:3000/acme/web/commit/${SHA}`,
    );
    expect(commitUrl("https://bitbucket.org/acme/web.git", SHA)).toBe(`https://bitbucket.org/acme/web/commits/${SHA}`);
  });

  it("links ssh and scp-style URLs of the public forges only", () => {
    expect(commitUrl("ssh://git@github.com/acme/web.git", SHA)).toBe(`https://github.com/acme/web/commit/${SHA}`);
    expect(commitUrl("git@gitlab.com:acme/web.git", SHA)).toBe(`https://gitlab.com/acme/web/-/commit/${SHA}`);
    // A self-hosted forge's ssh host may not be its web host: no guess.
    expect(commitUrl("git@gitlab.example.com:acme/web.git", SHA)).toBeNull();
  });

  it("gives no link for unknown hosts, plain http, odd paths or anything but a full sha1", () => {
    expect(commitUrl("https://git.example.com/acme/web.git", SHA)).toBeNull();
    expect(commitUrl("http://github.com/acme/web", SHA)).toBeNull();
    expect(commitUrl("https://github.com/acme", SHA)).toBeNull();
    expect(commitUrl("https://github.com/acme/web/tree/main", SHA)).toBeNull();
    expect(commitUrl("javascript:alert(1)//github.com/a/b", SHA)).toBeNull();
    expect(commitUrl("https://github.com/acme/web", "abc123")).toBeNull();
    expect(forgeRepo("not a url")).toBeNull();
  });
});

describe("sourceUrl", () => {
  const repo: FluxObject = {
    kind: "GitRepository",
    metadata: { name: "fleet", namespace: "flux-system" },
    spec: { url: "https://github.com/acme/fleet" },
  };
  it("finds a Kustomization's GitRepository in its namespace or the one it names", () => {
    const k = (sourceRef: Record<string, string>): FluxObject => ({
      kind: "Kustomization",
      metadata: { name: "apps", namespace: "flux-system" },
      spec: { sourceRef },
    });
    expect(sourceUrl(repo, [])).toBe("https://github.com/acme/fleet");
    expect(sourceUrl(k({ kind: "GitRepository", name: "fleet" }), [repo])).toBe("https://github.com/acme/fleet");
    expect(sourceUrl(k({ kind: "GitRepository", name: "fleet", namespace: "other" }), [repo])).toBe("");
    expect(sourceUrl(k({ kind: "OCIRepository", name: "fleet" }), [repo])).toBe("");
  });
});

describe("times", () => {
  it("last reconciled is the newest condition, artifact or handled request time", () => {
    const o = obj({
      conditions: [
        cond("Ready", "True", "", "", "2026-11-30T10:00:00Z"),
        cond("Healthy", "True", "", "", "2026-11-30T11:00:00Z"),
      ],
      lastHandledReconcileAt: "2026-11-30T12:00:00.123456789Z",
    });
    expect(lastReconciled(o)).toBe("2026-11-30T12:00:00.123Z");
    expect(lastReconciled(obj({ lastHandledReconcileAt: "by hand" }))).toBeNull();
  });

  it("a reconcile request waits until the controller echoes its value", () => {
    const at = "2026-11-30T12:00:00Z";
    const asked = { metadata: { name: "a", annotations: { "reconcile.fluxcd.io/requestedAt": at } } };
    expect(pendingReconcile({ ...asked, status: {} })).toBe(at);
    expect(pendingReconcile({ ...asked, status: { lastHandledReconcileAt: at } })).toBeNull();
    expect(pendingReconcile({ metadata: { name: "a" } })).toBeNull();
  });
});

describe("warningsByObject", () => {
  it("keeps each object's newest Warning events, not Normal ones, not other objects'", () => {
    const ev = (name: string, type: string, about: string, at: string, reason = name) => ({
      metadata: { name, namespace: "flux-system" },
      type,
      reason,
      message: `${name} happened`,
      involvedObject: { kind: "Kustomization", name: about, namespace: "flux-system" },
      lastTimestamp: at,
    });
    const w = warningsByObject(
      [
        ev("old", "Warning", "apps", "2026-11-30T10:00:00Z"),
        ev("new", "Warning", "apps", "2026-11-30T12:00:00Z"),
        ev("mid", "Warning", "apps", "2026-11-30T11:00:00Z"),
        ev("fine", "Normal", "apps", "2026-11-30T13:00:00Z"),
        ev("elsewhere", "Warning", "infra", "2026-11-30T13:00:00Z"),
      ],
      2,
    );
    expect(w.get("Kustomization\u0000flux-system\u0000apps")?.map((e) => e.reason)).toEqual(["new", "mid"]);
    expect(w.get("Kustomization\u0000flux-system\u0000infra")).toHaveLength(1);
  });
});

describe("countFlux", () => {
  it("counts everything not Ready as not ready, suspended ones by their state", () => {
    expect(
      countFlux([
        obj({ conditions: [cond("Ready", "True")] }),
        obj({ conditions: [cond("Ready", "False")] }),
        obj({}),
        obj({ conditions: [cond("Ready", "True")] }, { spec: { suspend: true } }),
      ]),
    ).toEqual({ objects: 4, notReady: 2, suspended: 1 });
  });
});

describe("pickFluxVersions", () => {
  it("takes each kind from the most preferred version that serves it; absent kinds are missing", () => {
    const groups = new Map([
      ["source.toolkit.fluxcd.io", ["v1", "v1beta2"]],
      ["kustomize.toolkit.fluxcd.io", ["v1"]],
    ]);
    const resources = new Map([
      ["source.toolkit.fluxcd.io/v1", ["gitrepositories", "helmrepositories"]],
      ["source.toolkit.fluxcd.io/v1beta2", ["gitrepositories", "ocirepositories", "helmrepositories"]],
      ["kustomize.toolkit.fluxcd.io/v1", ["kustomizations"]],
    ]);
    const { served, missing } = pickFluxVersions(groups, resources);
    expect(served.map((s) => s.path)).toEqual([
      "/apis/source.toolkit.fluxcd.io/v1/gitrepositories",
      "/apis/source.toolkit.fluxcd.io/v1beta2/ocirepositories",
      "/apis/source.toolkit.fluxcd.io/v1/helmrepositories",
      "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations",
    ]);
    expect(missing).toEqual(["HelmRelease"]);
    expect(pickFluxVersions(new Map(), new Map()).served).toEqual([]);
  });
});
