// What a route answers when the tunnel fails: the same statuses and messages the live view's three
// routes gave when each mapped these errors itself.
import { describe, expect, it } from "vitest";
import { NotFound, Unavailable } from "@/lib/errors";
import {
  AgentNotConnectedError,
  StreamLimitError,
  TunnelError,
  TunnelTimeoutError,
  UpstreamStatusError,
} from "@/lib/tunnel-client";
import { toResponse } from "./errors";

const answer = async (e: unknown) => {
  const res = toResponse(e);
  return { status: res.status, error: ((await res.json()) as { error: string }).error };
};

describe("toResponse for tunnel errors", () => {
  it("the cluster's RBAC refusal is a 403 that says so; any other answer of the cluster is a bad gateway", async () => {
    const forbidden = new UpstreamStatusError(403, "pods is forbidden");
    expect(await answer(forbidden)).toEqual({ status: 403, error: `the cluster refused: ${forbidden.message}` });
    const gone = new UpstreamStatusError(404, "not found");
    expect(await answer(gone)).toEqual({ status: 502, error: `the cluster refused: ${gone.message}` });
    expect((await answer(new UpstreamStatusError(500, "etcd"))).status).toBe(502);
  });

  it("an agent not connected, the stream limit, a timeout or kas unreachable is 503 with the tunnel's own message", async () => {
    for (const e of [
      new AgentNotConnectedError("agent 7 is not connected", new Date(0)),
      new StreamLimitError("agent 7 has 500 streams"),
      new TunnelTimeoutError("agent 7 did not answer within 20000 ms"),
      new TunnelError("kas is unreachable: connect ECONNREFUSED"),
    ]) {
      expect(await answer(e)).toEqual({ status: 503, error: e.message });
    }
  });

  it("Unavailable is 503 with its reason; the other domain errors are untouched", async () => {
    expect(await answer(new Unavailable("kas is restarting", new Date()))).toEqual({
      status: 503,
      error: "kas is restarting",
    });
    expect(await answer(new NotFound("Agent"))).toEqual({ status: 404, error: "Agent not found" });
  });
});
