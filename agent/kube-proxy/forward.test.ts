import { describe, expect, it } from "vitest";
import { upstreamHeaders } from "./forward";

describe("upstreamHeaders", () => {
  it("drops a caller's Impersonate-*, Authorization, Cookie and hop-by-hop headers", () => {
    const h = upstreamHeaders(
      [
        { name: "Impersonate-User", values: ["system:admin"] },
        { name: "impersonate-group", values: ["system:masters"] },
        { name: "Authorization", values: ["Bearer stolen"] },
        { name: "Cookie", values: ["a=b"] },
        { name: "Connection", values: ["upgrade"] },
        { name: "Accept", values: ["application/json"] },
      ],
      undefined,
    );
    expect(h).toEqual({ accept: "application/json" });
  });

  it("adds exactly the impersonation kas asked for", () => {
    const h = upstreamHeaders([{ name: "Impersonate-User", values: ["system:admin"] }], { user: "tether:user:alice", groups: ["tether:user", "tether:project:7"], uid: "", extra: { scope: { values: ["ci"] } } });
    expect(h).toEqual({ "impersonate-user": "tether:user:alice", "impersonate-group": ["tether:user", "tether:project:7"], "impersonate-extra-scope": ["ci"] });
  });

  it("passes a connection upgrade on with its own Connection header", () => {
    const h = upstreamHeaders([{ name: "Upgrade", values: ["websocket"] }, { name: "Connection", values: ["keep-alive, Upgrade"] }, { name: "Sec-WebSocket-Protocol", values: ["v5.channel.k8s.io"] }], undefined);
    expect(h).toEqual({ upgrade: "websocket", connection: "Upgrade", "sec-websocket-protocol": "v5.channel.k8s.io" });
  });
});
