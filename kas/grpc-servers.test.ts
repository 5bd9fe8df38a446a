import http2 from "node:http2";
import { credentials, Metadata, type ServerDuplexStream } from "@grpc/grpc-js";
import { afterAll, describe, expect, it } from "vitest";
import { gatherChunk, InternalClient, InternalService, releaseChunk } from "../lib/common/chunk-codec";
import { CHUNK_SIZE, RECEIVE_WINDOW_BYTES } from "../lib/common/tunnel-wire";
import type { MakeRequestRequest, MakeRequestResponse } from "../proto/gen/tether/v1/internal_api";
import { windowsOf } from "../testbed/http2-windows";
import type { KasContext } from "./capability";
import { loadKasConfig } from "./config";
import { createAgentServer, createInternalServer, frameServerMessagesInPlace, grpcServers } from "./grpc-servers";

const MESSAGES = 40;

describe("kas's gRPC servers", () => {
  const config = loadKasConfig({
    TETHER_KAS_SHARED_SECRET_FILE: "/s",
    TETHER_KAS_AGENT_ADDRESS: "127.0.0.1:0",
    TETHER_KAS_INTERNAL_ADDRESS: "127.0.0.1:0",
  });
  const agentServer = createAgentServer(config);
  const internalServer = createInternalServer(config);
  // Body messages as kas relays them: gathered into reused buffers, each given back once written.
  const buffersUsed = new Set<ArrayBufferLike>();
  internalServer.addService(InternalService, {
    makeRequest: (call: ServerDuplexStream<MakeRequestRequest, MakeRequestResponse>) => {
      // Two messages in flight at a time, as a relay whose source keeps up.
      let next = 0;
      let inFlight = 0;
      const send = () => {
        while (inFlight < 2 && next < MESSAGES) {
          const data = gatherChunk([Buffer.alloc(CHUNK_SIZE, next++)], CHUNK_SIZE);
          buffersUsed.add(data.buffer);
          inFlight++;
          call.write({ msg: { $case: "data", value: { data } } }, () => {
            releaseChunk(data);
            inFlight--;
            if (next === MESSAGES && inFlight === 0) call.end();
            else send();
          });
        }
      };
      call.once("data", (m: MakeRequestRequest) => {
        if (m.msg?.$case !== "header") return send();
        // The message's own buffer goes to the socket: changed before it was written, the change is what arrives.
        const data = gatherChunk([Buffer.from("as gathered")], 11);
        call.write({ msg: { $case: "data", value: { data } } });
        data.write("then change");
        call.end();
      });
    },
  });
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

  it("sends a body message's own buffer, not a copy of it", async () => {
    const { report } = await started;
    const client = new InternalClient(`127.0.0.1:${report!.internalPort}`, credentials.createInsecure());
    try {
      const call = client.makeRequest(new Metadata());
      const got = await new Promise<string>((resolve, reject) => {
        call.on("data", (m: MakeRequestResponse) => {
          if (m.msg?.$case === "data") resolve(Buffer.from(m.msg.value.data).toString());
        });
        call.on("error", reject);
        call.write({ msg: { $case: "header", value: { agentId: "a", timeoutMs: 1_000 } } });
      });
      expect(got).toBe("then change");
    } finally {
      client.close();
    }
  });

  it("sends body messages framed where they were gathered, each intact although its buffer serves the next once written", async () => {
    expect(frameServerMessagesInPlace()).toBe(true); // grpc-js still has what kas replaces
    const { report } = await started;
    const client = new InternalClient(`127.0.0.1:${report!.internalPort}`, credentials.createInsecure());
    try {
      const got: Buffer[] = [];
      const call = client.makeRequest(new Metadata());
      await new Promise<void>((resolve, reject) => {
        call.on("data", (m: MakeRequestResponse) => {
          if (m.msg?.$case === "data") got.push(Buffer.from(m.msg.value.data));
        });
        call.on("end", resolve);
        call.on("error", reject);
        call.write({ msg: { $case: "end", value: {} } });
      });
      expect(got.map((b) => b.length)).toEqual(Array(MESSAGES).fill(CHUNK_SIZE));
      // Message i is all i: a buffer reused before its message was written would show the next one's bytes.
      expect(got.map((b, i) => b.equals(Buffer.alloc(CHUNK_SIZE, i)))).toEqual(Array(MESSAGES).fill(true));
      expect(buffersUsed.size).toBeLessThan(MESSAGES);
    } finally {
      client.close();
    }
  });
});
