import { describe, expect, it } from "vitest";
import { KINDS } from "./kinds";
import { liveStreamUrl, overviewStreamPaths, tableNamespaces, tableStreamPaths, viewStreamPaths } from "./live-paths";

const pods = KINDS.find((k) => k.key === "pods")!;
const nodes = KINDS.find((k) => k.key === "nodes")!;

describe("the stream a cluster view opens, from its URL alone", () => {
  it("is the table's: the namespaces, then one collection per namespace chosen, narrowed by the selector", () => {
    expect(viewStreamPaths({ kind: "pods", namespace: "b, a,b", selector: "app = web" })).toEqual([
      "/api/v1/namespaces",
      "/api/v1/namespaces/b/pods?labelSelector=app%3Dweb",
      "/api/v1/namespaces/a/pods?labelSelector=app%3Dweb",
    ]);
    expect(viewStreamPaths({ kind: "pods" })).toEqual(tableStreamPaths(pods, tableNamespaces(pods, ""), ""));
    // A cluster-scoped kind ignores namespace=, as its table does.
    expect(viewStreamPaths({ kind: "nodes", namespace: "a" })).toEqual(["/api/v1/namespaces", "/api/v1/nodes"]);
    expect(tableNamespaces(nodes, "a")).toEqual([]);
  });

  it("leaves a malformed selector out, as the table does (the field says why)", () => {
    expect(viewStreamPaths({ kind: "pods", selector: "app in (" })).toEqual(["/api/v1/namespaces", "/api/v1/pods"]);
  });

  it("is the Overview's when no kind is named, and none for a kind only discovery knows", () => {
    expect(viewStreamPaths({})).toEqual(overviewStreamPaths(""));
    expect(viewStreamPaths({ namespace: "a" })).toContain("/api/v1/namespaces/a/pods");
    expect(viewStreamPaths({ kind: "kustomizations.kustomize.toolkit.fluxcd.io" })).toBeNull();
    expect(viewStreamPaths({ kind: "" })).toBeNull();
  });

  it("has one address for the page and the server, resuming from an event id when given", () => {
    expect(liveStreamUrl("a1", ["/api/v1/namespaces", "/api/v1/pods"])).toBe(
      "/api/agents/a1/live?path=%2Fapi%2Fv1%2Fnamespaces&path=%2Fapi%2Fv1%2Fpods",
    );
    expect(liveStreamUrl("a1", ["/api/v1/pods"], "e:1.2")).toBe(
      "/api/agents/a1/live?path=%2Fapi%2Fv1%2Fpods&lastEventId=e%3A1.2",
    );
  });
});
