// Edit YAML: malformed or foreign YAML is refused with its line before anything is sent; the request is a
// replace carrying the resourceVersion, a dry run when reviewing.
import { describe, expect, it } from "vitest";
import { checkEdited, describeEditProblem, editRequestFor, editableYaml, editable } from "./edit";

const target = { path: "/api/v1/namespaces/shop/configmaps", name: "settings" };
const good = [
  "apiVersion: v1",
  "kind: ConfigMap",
  "metadata:",
  "  name: settings",
  "  namespace: shop",
  '  resourceVersion: "41"',
  "data:",
  "  color: blue",
].join("\n");

const problems = (text: string, t: Parameters<typeof checkEdited>[1] = target) => {
  const r = checkEdited(text, t);
  if (r.ok) throw new Error("accepted");
  return r.problems.map(describeEditProblem);
};

describe("checkEdited", () => {
  it("accepts the same object with changed data", () => {
    const r = checkEdited(good.replace("blue", "green"), target);
    expect(r.ok && r.object.data).toEqual({ color: "green" });
  });

  it("names the line of a syntax error", () => {
    expect(problems(good.replace("  color: blue", "  color: [blue"))).toEqual([
      expect.stringMatching(/^line (8|9): /) as unknown as string,
    ]);
    expect(problems(`${good}\n\tbad: 1`)).toEqual([expect.stringMatching(/^line 9: /) as unknown as string]);
  });

  it("refuses another object, a removed resourceVersion, and anything but a mapping, each with its line", () => {
    expect(problems(good.replace("name: settings", "name: other").replace('  resourceVersion: "41"\n', ""))).toEqual([
      'line 4: metadata.name must stay "settings" (to make another object, use kubectl)',
      // Gone from the metadata mapping: the line where the mapping starts.
      "line 4: metadata.resourceVersion must stay, so that a change made meanwhile is refused, not overwritten",
    ]);
    expect(problems(good.replace("namespace: shop", "namespace: prod"))).toEqual([
      'line 5: metadata.namespace must stay "shop"',
    ]);
    expect(problems("- a\n- b\n")).toEqual(["the object must be a YAML mapping (apiVersion, kind, …)"]);
    expect(problems(good.replace("kind: ConfigMap\n", ""))).toEqual(["line 1: kind is missing"]);
  });

  it("refuses Secrets: their values never reach the browser", () => {
    expect(editable("/api/v1/namespaces/a/secrets")).toBe(false);
    expect(editable("/apis/apps/v1/deployments")).toBe(true);
    expect(problems(good.replace("ConfigMap", "Secret"))).toEqual([
      "line 2: Secrets are not edited here: their values stay on the server",
    ]);
  });

  it("knows cluster-scoped kinds have no namespace", () => {
    const node = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  resourceVersion: "7"\n';
    expect(checkEdited(node, { path: "/api/v1/nodes", name: "n1" }).ok).toBe(true);
    expect(
      problems(node.replace("name: n1", "name: n1\n  namespace: x"), { path: "/api/v1/nodes", name: "n1" }),
    ).toEqual(["line 5: metadata.namespace must not be set: this kind is not namespaced"]);
  });
});

describe("editRequestFor", () => {
  it("replaces the object as the field manager tether, as a dry run when reviewing, without managedFields", () => {
    const r = checkEdited(good, target);
    if (!r.ok) throw new Error("refused");
    const withFields = { ...r.object, metadata: { ...r.object.metadata, managedFields: [{ manager: "kubectl" }] } };
    const dry = editRequestFor(target, withFields, true);
    expect(dry.method).toBe("PUT");
    expect(dry.path).toBe("/api/v1/namespaces/shop/configmaps/settings?fieldManager=tether&dryRun=All");
    expect(JSON.parse(dry.body)).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "shop", resourceVersion: "41" },
      data: { color: "blue" },
    });
    expect(editRequestFor(target, r.object, false).path).toBe(
      "/api/v1/namespaces/shop/configmaps/settings?fieldManager=tether",
    );
  });
});

describe("editableYaml", () => {
  it("drops managedFields and keeps long values on one line", () => {
    const text = editableYaml({
      kind: "ConfigMap",
      metadata: { name: "a", managedFields: [{ manager: "x" }] },
      data: { long: "x ".repeat(80).trim() },
    });
    expect(text).not.toContain("managedFields");
    expect(text.split("\n").filter((l) => l.includes("long:"))).toHaveLength(1);
    expect(text).toContain(`long: ${"x ".repeat(80).trim()}`);
  });
});
