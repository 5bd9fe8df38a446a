import { describe, expect, it } from "vitest";
import { containersOf, defaultContainer, keepNewest, logsQueryString, matchingLines, splitLines } from "./log-lines";
import type { KubeItem } from "./kinds";

const pod = (spec: Record<string, unknown>, annotations?: Record<string, string>): KubeItem => ({
  metadata: { name: "web", namespace: "default", ...(annotations ? { annotations } : {}) } as KubeItem["metadata"],
  spec,
});

describe("containersOf", () => {
  it("lists init containers, then the regular ones, then ephemeral ones, each marked", () => {
    const p = pod({
      initContainers: [{ name: "migrate" }],
      containers: [{ name: "app" }, { name: "sidecar" }],
      ephemeralContainers: [{ name: "debugger" }],
    });
    expect(containersOf(p)).toEqual([
      { name: "migrate", kind: "init" },
      { name: "app", kind: "container" },
      { name: "sidecar", kind: "container" },
      { name: "debugger", kind: "ephemeral" },
    ]);
  });

  it("a summary without a spec's containers has none (the drawer waits for the whole pod)", () => {
    expect(containersOf(pod({ nodeName: "n1" }))).toEqual([]);
  });
});

describe("defaultContainer", () => {
  it("opens the first regular container, not an init container", () => {
    const p = pod({ initContainers: [{ name: "migrate" }], containers: [{ name: "app" }] });
    expect(defaultContainer(p, containersOf(p))).toBe("app");
  });

  it("follows kubectl's default-container annotation when it names one of the pod's containers", () => {
    const p = pod(
      { containers: [{ name: "app" }, { name: "proxy" }] },
      { "kubectl.kubernetes.io/default-container": "proxy" },
    );
    expect(defaultContainer(p, containersOf(p))).toBe("proxy");
    const wrong = pod({ containers: [{ name: "app" }] }, { "kubectl.kubernetes.io/default-container": "gone" });
    expect(defaultContainer(wrong, containersOf(wrong))).toBe("app");
  });
});

describe("splitLines", () => {
  it("keeps a line cut between two chunks whole, and drops CR of CRLF lines", () => {
    let rest = "";
    const seen: string[] = [];
    for (const chunk of ["first li", "ne\r\nsecond\nthi", "rd", "\n"]) {
      const r = splitLines(rest, chunk);
      seen.push(...r.lines);
      rest = r.rest;
    }
    expect(seen).toEqual(["first line", "second", "third"]);
    expect(rest).toBe("");
  });
});

describe("keepNewest", () => {
  it("holds at most the newest lines and says how many old ones went", () => {
    const held = ["1", "2", "3"];
    expect(keepNewest(held, ["4", "5"], 4)).toBe(1);
    expect(held).toEqual(["2", "3", "4", "5"]);
    expect(keepNewest(held, [], 4)).toBe(0);
  });

  it("100,000 lines followed one chunk at a time stay at the cap", () => {
    const held: string[] = [];
    for (let i = 0; i < 120; i++)
      keepNewest(
        held,
        Array.from({ length: 1_000 }, (_, j) => `line ${i * 1000 + j}`),
      );
    expect(held).toHaveLength(100_000);
    expect(held[0]).toBe("line 20000");
    expect(held.at(-1)).toBe("line 119999");
  });
});

describe("matchingLines", () => {
  it("finds lines case-insensitively; an empty query means no search", () => {
    const lines = ["GET /healthz 200", "error: timeout", "ERROR again"];
    expect(matchingLines(lines, "error")).toEqual([1, 2]);
    expect(matchingLines(lines, "  ")).toBeNull();
    expect(matchingLines(lines, "nothing")).toEqual([]);
  });
});

describe("logsQueryString", () => {
  const base = {
    namespace: "default",
    pod: "web",
    container: "app",
    follow: true,
    previous: false,
    timestamps: false,
    tailLines: "500",
    sinceSeconds: "",
  };

  it("asks to follow the current instance with the tail chosen", () => {
    expect(Object.fromEntries(new URLSearchParams(logsQueryString(base)))).toEqual({
      namespace: "default",
      pod: "web",
      container: "app",
      follow: "true",
      tailLines: "500",
    });
  });

  it("never follows the previous instance (it has ended); since and timestamps pass through", () => {
    const q = new URLSearchParams(
      logsQueryString({ ...base, previous: true, timestamps: true, sinceSeconds: "3600", tailLines: "" }),
    );
    expect(q.get("follow")).toBeNull();
    expect(q.get("previous")).toBe("true");
    expect(q.get("timestamps")).toBe("true");
    expect(q.get("sinceSeconds")).toBe("3600");
    expect(q.get("tailLines")).toBeNull();
  });
});
