import { describe, expect, it } from "vitest";
import { podsOf, prefixColour, prefixedLine, readEvents, shownEntries, type LogEntry } from "./workload-log-lines";

const sources = [
  { pod: "web-1", container: "main" },
  { pod: "web-2", container: "main" },
  { pod: "web-2", container: "sidecar" },
];
const entries: LogEntry[] = [
  { source: 1, text: "GET /healthz 200" },
  { source: 0, text: "GET /cart 500" },
  { source: 2, text: "proxy ready" },
  { source: 0, text: "GET /healthz 200" },
];

describe("a workload's logs in the page", () => {
  it("reads NDJSON events cut anywhere, keeping an unfinished one for the next piece", () => {
    const first = readEvents("", '{"type":"lines","source":1,"lines":["a","b"]}\n{"type":"end",');
    expect(first.events).toEqual([{ type: "lines", source: 1, lines: ["a", "b"] }]);
    const second = readEvents(first.rest, '"source":1}\n');
    expect(second).toEqual({ events: [{ type: "end", source: 1 }], rest: "" });
    expect(() => readEvents("", '{"type":"surprise"}\n')).toThrow(/unexpected event/);
  });

  it("prefixes each line with its pod and container and keeps the order the lines arrived in", () => {
    expect(entries.map((e) => prefixedLine(sources, e))).toEqual([
      "[web-2/main] GET /healthz 200",
      "[web-1/main] GET /cart 500",
      "[web-2/sidecar] proxy ready",
      "[web-1/main] GET /healthz 200",
    ]);
  });

  it("filters by pod (every container of it) and by text, prefix included; neither shows every line", () => {
    expect(shownEntries(entries, sources, "", "")).toBeNull();
    expect(shownEntries(entries, sources, "web-2", "")).toEqual([0, 2]);
    expect(shownEntries(entries, sources, "", "HEALTHZ")).toEqual([0, 3]);
    expect(shownEntries(entries, sources, "web-1", "healthz")).toEqual([3]);
    expect(shownEntries(entries, sources, "", "web-2/sidecar")).toEqual([2]);
    expect(shownEntries(entries, sources, "web-3", "")).toEqual([]);
  });

  it("lists each pod once and gives each log its own colour, reused past the palette", () => {
    expect(podsOf(sources)).toEqual(["web-1", "web-2"]);
    expect(prefixColour(0)).not.toBe(prefixColour(1));
    expect(prefixColour(8)).toBe(prefixColour(0));
  });
});
