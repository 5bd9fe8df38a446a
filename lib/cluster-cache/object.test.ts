// readObject with a scripted tunnel: the object as viewers may see it, and a 404 is the object gone.
import { describe, expect, it } from "vitest";
import { NotFound } from "@/lib/errors";
import { UpstreamStatusError } from "@/lib/tunnel-client";
import type { KubeObject } from "./wire";
import { readObject } from "./object";

const answering = (answer: () => KubeObject) => {
  const asked: string[] = [];
  return {
    asked,
    async agentJson<T>(_agent: string, r: { path: string }): Promise<T> {
      asked.push(r.path);
      return answer() as T;
    },
  };
};

describe("readObject", () => {
  it("reads the object at its path and sends a Secret with its key names only", async () => {
    const client = answering(() => ({
      kind: "Secret",
      metadata: { name: "db", namespace: "apps", managedFields: [] },
      data: { password: "c2VjcmV0" },
    }));
    const o = await readObject(client, "7", { path: "/api/v1/secrets", namespace: "apps", name: "db" }, undefined);
    expect(client.asked).toEqual(["/api/v1/namespaces/apps/secrets/db"]);
    expect(o.data).toEqual({ password: "" });
    expect(o.metadata.managedFields).toBeUndefined();
  });

  it("an object the cluster no longer has is NotFound, saying it is gone; other refusals pass through", async () => {
    const gone = answering(() => {
      throw new UpstreamStatusError(404, 'configmaps "x" not found');
    });
    const err = await readObject(gone, "7", { path: "/api/v1/namespaces/apps/configmaps", name: "x" }, undefined).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotFound);
    expect((err as Error).message).toBe("the object is gone");
    const refused = answering(() => {
      throw new UpstreamStatusError(403, "forbidden");
    });
    await expect(
      readObject(refused, "7", { path: "/api/v1/namespaces/apps/configmaps", name: "x" }, undefined),
    ).rejects.toBeInstanceOf(UpstreamStatusError);
  });
});
