import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SECRET_BYTES_FIELD } from "@/lib/cluster-cache/wire";
import { objectYaml, secretKeys, yamlFileName } from "./object-yaml";
import type { KubeItem } from "./kinds";

describe("the drawer's YAML", () => {
  it("is the object as YAML", () => {
    const cm: KubeItem = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "shop" },
      data: { color: "blue" },
    };
    expect(parse(objectYaml(cm))).toEqual(cm);
    expect(objectYaml(cm)).toContain("name: settings");
  });

  it("of a Secret names its keys as hidden with their sizes, and carries no value whatever reached the page", () => {
    const secret: KubeItem = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "shop" },
      type: "Opaque",
      // As the server sends it: values emptied, sizes beside.
      data: { password: "", user: "" },
      [SECRET_BYTES_FIELD]: { password: 14, user: 1 },
    };
    const text = objectYaml(secret);
    expect(parse(text)).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "shop" },
      type: "Opaque",
      data: { password: "hidden (14 bytes)", user: "hidden (1 byte)" },
    });
    expect(text).not.toContain(SECRET_BYTES_FIELD);
    // Had a value slipped through, the text still would not hold it.
    const leaked = { ...secret, data: { password: "aHVudGVyMg==" }, stringData: { token: "plain" } };
    const leakedText = objectYaml(leaked, "secrets");
    expect(leakedText).not.toContain("aHVudGVyMg==");
    expect(leakedText).not.toContain("plain");
    expect(parse(leakedText).data).toEqual({ password: "hidden (14 bytes)" });
    // A summary from the table (no kind) is known as a Secret by its table; no sizes known: "hidden".
    expect(secretKeys({ metadata: { name: "s" }, data: { a: "" } }, "secrets")).toEqual([
      { key: "a", shown: "hidden" },
    ]);
    expect(secretKeys({ metadata: { name: "c" }, data: { a: "x" } }, "configmaps")).toEqual([]);
  });

  it("downloads as <kind>-<namespace>-<name>.yaml", () => {
    expect(yamlFileName({ kind: "Deployment", metadata: { name: "web", namespace: "shop" } }, "deployment")).toBe(
      "deployment-shop-web.yaml",
    );
    expect(yamlFileName({ metadata: { name: "node-1" } }, "node")).toBe("node-node-1.yaml");
  });
});
