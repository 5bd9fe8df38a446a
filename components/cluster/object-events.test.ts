import { describe, expect, it } from "vitest";
import { isAbout, objectEvents } from "./object-events";
import type { KubeItem } from "./kinds";

const event = (name: string, about: Record<string, string>, extra: Record<string, unknown> = {}): KubeItem => ({
  metadata: { name, namespace: "shop" },
  involvedObject: about,
  type: "Normal",
  reason: "Pulled",
  message: `${name} happened`,
  ...extra,
});

const pod = { uid: "u-1", kind: "Pod", namespace: "shop", name: "web-1" };

describe("an object's events", () => {
  it("are those about its uid, or its kind, namespace and name when the event has no uid", () => {
    expect(isAbout(event("a", { kind: "Pod", name: "web-1", namespace: "shop", uid: "u-1" }), pod)).toBe(true);
    // The same name made again is another object: its uid differs.
    expect(isAbout(event("b", { kind: "Pod", name: "web-1", namespace: "shop", uid: "u-0" }), pod)).toBe(false);
    expect(isAbout(event("c", { kind: "Pod", name: "web-1", namespace: "shop" }), pod)).toBe(true);
    // The namespace left to the event's own.
    expect(isAbout(event("d", { kind: "Pod", name: "web-1" }), pod)).toBe(true);
    expect(isAbout(event("e", { kind: "ReplicaSet", name: "web-1", namespace: "shop" }), pod)).toBe(false);
    expect(isAbout(event("f", { kind: "Pod", name: "web-2", namespace: "shop" }), pod)).toBe(false);
    expect(isAbout(event("g", { kind: "Pod", name: "web-1", namespace: "other" }), pod)).toBe(false);
    // A summary without its kind still finds its events by name and namespace.
    expect(isAbout(event("h", { kind: "Pod", name: "web-1" }), { name: "web-1", namespace: "shop" })).toBe(true);
    // events.k8s.io names the object in `regarding`.
    expect(
      isAbout({ metadata: { name: "i", namespace: "shop" }, regarding: { kind: "Pod", name: "web-1" } }, pod),
    ).toBe(true);
    expect(isAbout({ metadata: { name: "j", namespace: "shop" } }, pod)).toBe(false);
  });

  it("of a cluster-scoped object (a Node, recorded in default) name no namespace", () => {
    const node = { kind: "Node", name: "node-1" };
    const onNode = { metadata: { name: "n", namespace: "default" }, involvedObject: { kind: "Node", name: "node-1" } };
    expect(isAbout(onNode, node)).toBe(true);
    expect(isAbout(event("p", { kind: "Node", name: "node-1", namespace: "shop" }), node)).toBe(false);
  });

  it("come newest first with type, reason, message, count and when they last happened", () => {
    const about = { kind: "Pod", name: "web-1", uid: "u-1" };
    const events = [
      event("old", about, { lastTimestamp: "2026-01-01T10:00:00Z", count: 3, type: "Warning", reason: "BackOff" }),
      event("new", about, { lastTimestamp: "2026-01-01T10:05:00Z" }),
      // events.k8s.io: series and eventTime, message in `note`.
      {
        metadata: { name: "series", namespace: "shop" },
        regarding: about,
        reason: "Scheduled",
        note: "Assigned",
        eventTime: "2026-01-01T09:00:00.000000Z",
        series: { count: 4, lastObservedTime: "2026-01-01T10:02:00.000000Z" },
      },
      event("elsewhere", { kind: "Pod", name: "web-2", uid: "u-2" }, { lastTimestamp: "2026-01-01T11:00:00Z" }),
    ];
    expect(objectEvents(events, pod)).toEqual([
      {
        key: "shop/new",
        type: "Normal",
        reason: "Pulled",
        message: "new happened",
        count: 1,
        at: "2026-01-01T10:05:00.000Z",
      },
      {
        key: "shop/series",
        type: "",
        reason: "Scheduled",
        message: "Assigned",
        count: 4,
        at: "2026-01-01T10:02:00.000Z",
      },
      {
        key: "shop/old",
        type: "Warning",
        reason: "BackOff",
        message: "old happened",
        count: 3,
        at: "2026-01-01T10:00:00.000Z",
      },
    ]);
    expect(objectEvents([], pod)).toEqual([]);
  });
});
