import { describe, expect, it } from "vitest";
import { AgentNotConnectedError, TunnelTimeoutError, UpstreamStatusError } from "@/lib/tunnel-client";
import { endForError } from "./server";
import { SHELL_CLOSE } from "./protocol";

const status = (code: number, message: string) =>
  new UpstreamStatusError(code, JSON.stringify({ kind: "Status", status: "Failure", message, code }));

describe("why a shell could not open, as the page is told", () => {
  it("passes the cluster's refusal on in its own words, by kind", () => {
    expect(endForError(status(403, 'pods "web" is forbidden: User "u" cannot get resource "pods/exec"'))).toEqual({
      code: SHELL_CLOSE.refused,
      reason: 'the cluster refused: pods "web" is forbidden: User "u" cannot get resource "pods/exec"',
      outcome: "refused",
      status: 403,
    });
    expect(endForError(status(404, 'pods "gone" not found')).code).toBe(SHELL_CLOSE.notFound);
    expect(endForError(status(400, "container main is not valid for pod web"))).toMatchObject({
      code: SHELL_CLOSE.clusterError,
      reason: "the cluster refused: container main is not valid for pod web",
    });
  });

  it("says an agent that is not connected is not connected, and a broken tunnel what broke", () => {
    expect(endForError(new AgentNotConnectedError('agent "prod" is not connected', null))).toEqual({
      code: SHELL_CLOSE.notConnected,
      reason: 'agent "prod" is not connected',
      outcome: "not_connected",
    });
    expect(endForError(new TunnelTimeoutError("agent a did not answer within 20000 ms"))).toEqual({
      code: SHELL_CLOSE.clusterError,
      reason: "agent a did not answer within 20000 ms",
      outcome: "failed",
    });
    expect(endForError(new Error("boom"))).toMatchObject({ code: 1011, outcome: "failed" });
  });
});
