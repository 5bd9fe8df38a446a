import { afterAll, describe, expect, it } from "vitest";
import { ReverseTunnelClient } from "../lib/common/chunk-codec";
import { RECEIVE_WINDOW_BYTES } from "../lib/common/tunnel-wire";
import { rawHttp2Server, windowsOf } from "../testbed/http2-windows";
import type { AgentConfig } from "./config";
import { connectToKas } from "./kas-connection";

describe("the agent's connection to kas", () => {
  const server = rawHttp2Server();
  afterAll(async () => (await server).close());

  it("offers kas 8 MiB stream and connection windows", async () => {
    const s = await server;
    // connectToKas reads only the address and the CA file.
    const conn = connectToKas({ kasAddress: `grpc://127.0.0.1:${s.port}` } as AgentConfig, "token");
    const client = conn.client(ReverseTunnelClient);
    const call = client.connect(conn.metadata());
    call.on("error", () => undefined);
    try {
      expect(await windowsOf(await s.nextSession())).toEqual({
        stream: RECEIVE_WINDOW_BYTES,
        connection: RECEIVE_WINDOW_BYTES,
      });
    } finally {
      call.cancel();
      client.close();
    }
  });
});
