// The collection's own logic, with a scripted source in place of the tunnel: a 410 Gone relists and
// viewers get only the difference; the event ring resumes or asks for a snapshot.
import { describe, expect, it } from "vitest";
import type { WatchEvent } from "@/lib/tunnel-client";
import { WatchedCollection, type CollectionEvent } from "./collection";
import type { KubeObject } from "./wire";
import { cm, scripted } from "./scripted-source";

async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe("WatchedCollection", () => {
  it("on 410 Gone relists and sends only the difference", async () => {
    const src = scripted(
      [
        [cm("a", "1"), cm("b", "1")],
        [cm("b", "2"), cm("c", "1")],
      ],
      ["gone", []],
    );
    // The scripted source has just the two methods the collection calls.
    const c = new WatchedCollection(src as never, { agentId: "x", path: "/api/v1/configmaps" });
    const seen: CollectionEvent[] = [];
    c.subscribe((e) => seen.push(e));
    await c.start();
    await until(() => seen.length >= 3);
    expect(seen.map((e) => `${e.seq} ${e.type} ${e.object.metadata.name}`)).toEqual([
      "1 DELETED a",
      "2 MODIFIED b",
      "3 ADDED c",
    ]);
    expect([...c.objects.keys()].sort()).toEqual(["ns/b", "ns/c"]);
    expect([...c.objects.values()].every((o) => o.metadata.managedFields === undefined)).toBe(true);
    // The first LIST may come from the API server's watch cache, as informers start; the relist after
    // 410 reads the latest state.
    expect(src.listed).toEqual(["/api/v1/configmaps?limit=500&resourceVersion=0", "/api/v1/configmaps?limit=500"]);
    c.stop();
  });

  it("resumes a viewer from its last event, or asks for a snapshot when the ring has moved on", async () => {
    const events: WatchEvent<KubeObject>[] = Array.from({ length: 12 }, (_, i) => ({
      type: "MODIFIED",
      object: cm("a", String(10 + i)),
    }));
    // The scripted source has just the two methods the collection calls.
    const c = new WatchedCollection(scripted([[cm("a", "1")]], [events]) as never, { agentId: "x", path: "/p" }, 5);
    await c.start();
    await until(() => c.lastSeq === 12);
    expect(c.since(12)).toEqual([]);
    expect(c.since(9)?.map((e) => e.seq)).toEqual([10, 11, 12]);
    expect(c.since(7)?.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(c.since(3)).toBeNull();
    expect(c.snapshot()).toMatchObject({ seq: 12, items: [{ metadata: { name: "a", resourceVersion: "21" } }] });
    c.stop();
  });
});

describe("Secrets in the cache", () => {
  it("keep key names and sizes only: values and the last-applied annotation never leave the server", async () => {
    const secret: KubeObject = {
      metadata: {
        name: "db",
        namespace: "ns",
        resourceVersion: "1",
        annotations: {
          "kubectl.kubernetes.io/last-applied-configuration": '{"data":{"password":"c2VjcmV0"}}',
          team: "a",
        },
      } as KubeObject["metadata"],
      data: { password: "c2VjcmV0", user: "YWRtaW4=" },
    };
    // The scripted source has just the two methods the collection calls.
    const c = new WatchedCollection(scripted([[secret]], [[]]) as never, {
      agentId: "x",
      path: "/api/v1/namespaces/ns/secrets",
    });
    await c.start();
    const [cached] = c.snapshot().items;
    expect(cached!.data).toEqual({ password: "", user: "" });
    // Their sizes, as kubectl describe shows them: "secret" is 6 bytes, "admin" 5.
    expect(cached!.tetherDataBytes).toEqual({ password: 6, user: 5 });
    expect(JSON.stringify(cached)).not.toContain("c2VjcmV0");
    expect((cached!.metadata as { annotations?: Record<string, string> }).annotations).toEqual({ team: "a" });
    c.stop();
  });
});
