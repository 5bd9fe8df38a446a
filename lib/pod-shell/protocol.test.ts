import { describe, expect, it } from "vitest";
import {
  SHELL_CLOSE,
  closeReason,
  commandWords,
  describeEnd,
  endOf,
  isNotConnected,
  parseShellQuery,
  shellPath,
} from "./protocol";

describe("the shell's query", () => {
  it("takes the command as Kubernetes does, one word per repeated parameter, and makes the same URL back", () => {
    const path = shellPath("a 1", {
      namespace: "shop",
      pod: "web-1",
      container: "main",
      command: ["sh", "-c", "ls /"],
    });
    expect(path).toBe(
      "/api/agents/a%201/exec?namespace=shop&pod=web-1&container=main&command=sh&command=-c&command=ls+%2F",
    );
    const parsed = parseShellQuery(new URL(path, "http://x").searchParams);
    expect(parsed.success && parsed.data).toEqual({
      namespace: "shop",
      pod: "web-1",
      container: "main",
      command: ["sh", "-c", "ls /"],
    });
  });

  it("refuses a missing command, a bad name or container, saying which", () => {
    const q = (s: string) => parseShellQuery(new URLSearchParams(s));
    const first = (s: string) => {
      const r = q(s);
      return r.success ? null : [r.error.issues[0]?.path[0], r.error.issues[0]?.message];
    };
    expect(first("namespace=shop&pod=web&container=main")).toEqual([
      "command",
      "name the command to run, e.g. command=sh",
    ]);
    expect(first("namespace=Shop&pod=web&container=main&command=sh")).toEqual(["namespace", "not a Kubernetes name"]);
    expect(first("namespace=shop&pod=web&container=a.b&command=sh")).toEqual(["container", "not a container name"]);
    expect(first(`namespace=shop&pod=web&container=main&command=${"x".repeat(1025)}`)?.[0]).toBe("command");
  });

  it("splits a typed command line at spaces", () => {
    expect(commandWords("  /bin/sh  -c   'echo' ")).toEqual(["/bin/sh", "-c", "'echo'"]);
    expect(commandWords("   ")).toEqual([]);
  });
});

describe("a close frame's reason", () => {
  it("fits 123 bytes of UTF-8, cut with an ellipsis", () => {
    expect(closeReason("short")).toBe("short");
    const long = "ä".repeat(100);
    const cut = closeReason(long);
    expect(new TextEncoder().encode(cut).length).toBeLessThanOrEqual(123);
    expect(cut.endsWith("…")).toBe(true);
  });
});

describe("what the page says when the socket closes", () => {
  it("prefers web's end message, which carries the whole reason and the exit code", () => {
    const end = { code: 1000, reason: "the command exited", exitCode: 2 };
    expect(endOf(end, { code: 1000, reason: "the command exited" })).toBe(end);
    expect(describeEnd(end)).toBe("Ended: the command exited (exit code 2)");
  });

  it("falls back to the close frame, and says a dropped connection was dropped", () => {
    expect(endOf(null, { code: SHELL_CLOSE.sessionEnded, reason: "your session ended" })).toEqual({
      code: 4401,
      reason: "your session ended",
      exitCode: null,
    });
    expect(describeEnd(endOf(null, { code: 1006, reason: "" }))).toBe(
      "Ended: the connection to Tether was lost (WebSocket close code 1006)",
    );
    expect(describeEnd(endOf(null, { code: 1000, reason: "" }))).toBe("Ended: session ended");
  });

  it("tells an agent that is not connected apart from an ended session", () => {
    expect(isNotConnected({ code: SHELL_CLOSE.notConnected, reason: "agent x is not connected", exitCode: null })).toBe(
      true,
    );
    expect(isNotConnected({ code: SHELL_CLOSE.refused, reason: "forbidden", exitCode: null })).toBe(false);
  });
});
