import http2 from "node:http2";
import { afterAll, describe, expect, it } from "vitest";
import { RECEIVE_WINDOW_BYTES } from "../lib/common/tunnel-wire";
import { windowsOf } from "../testbed/http2-windows";
import type { KasContext } from "./capability";
import { loadKasConfig } from "./config";
import { createAgentServer, createInternalServer, grpcServers } from "./grpc-servers";

describe("kas's gRPC servers", () => {
  const config = loadKasConfig({
    TETHER_KAS_SHARED_SECRET_FILE: "/s",
    TETHER_KAS_AGENT_ADDRESS: "127.0.0.1:0",
    TETHER_KAS_INTERNAL_ADDRESS: "127.0.0.1:0",
  });
  const agentServer = createAgentServer(config);
  const internalServer = createInternalServer(config);
  // grpcServers reads only these three members of the context.
  const started = grpcServers.start({ config, agentServer, internalServer } as unknown as KasContext);
  afterAll(async () => (await started).stop());

  it("offers agents and web 8 MiB stream and connection windows", async () => {
    const { report } = await started;
    for (const port of [report!.agentPort, report!.internalPort]) {
      const session = http2.connect(`http://127.0.0.1:${port}`);
      try {
        expect(await windowsOf(session)).toEqual({ stream: RECEIVE_WINDOW_BYTES, connection: RECEIVE_WINDOW_BYTES });
      } finally {
        session.destroy();
      }
    }
  });
});
