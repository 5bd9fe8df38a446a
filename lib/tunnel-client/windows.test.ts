import { afterAll, describe, expect, it } from "vitest";
import { RECEIVE_WINDOW_BYTES } from "@/lib/common/tunnel-wire";
import { rawHttp2Server, windowsOf } from "@/testbed/http2-windows";
import { TunnelClient } from ".";

describe("web's tunnel client", () => {
  const server = rawHttp2Server();
  afterAll(async () => (await server).close());

  it("offers kas 8 MiB stream and connection windows", async () => {
    const s = await server;
    const client = new TunnelClient({
      kasAddress: `127.0.0.1:${s.port}`,
      secret: "a-shared-secret-that-is-long-enough-0000",
    });
    // The call only opens the connection: the server never answers it, and closing the server ends it.
    void client.agentStatus("agent").catch(() => undefined);
    try {
      expect(await windowsOf(await s.nextSession())).toEqual({
        stream: RECEIVE_WINDOW_BYTES,
        connection: RECEIVE_WINDOW_BYTES,
      });
    } finally {
      client.close();
    }
  });
});
