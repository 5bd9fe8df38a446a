// The data channel on kas's agent port, beside gRPC: a channel with the secret kas gave a connection
// is bound to that connection's streams, and one with any other secret is refused with a reason and
// reaches nothing. Real sockets, plain and TLS; the agent's side is played by raw frames here (the
// agent's own code meets kas in kas/tunnel/tunnel.int.test.ts).
import fs from "node:fs";
import http2 from "node:http2";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import {
  DATA_CHANNEL_MAGIC,
  FrameReader,
  FrameType,
  controlFrame,
  frameHeader,
} from "../../lib/common/data-channel-wire";
import { ensureSelfSignedCert } from "../../lib/common/self-signed";
import { RECEIVE_WINDOW_BYTES } from "../../lib/common/tunnel-wire";
import { windowsOf } from "../../testbed/http2-windows";
import type { KasContext } from "../capability";
import { loadKasConfig } from "../config";
import { createAgentServer, createInternalServer, grpcServers } from "../grpc-servers";
import { createKasMetrics } from "../metrics";
import { DataChannelHub, type ChannelLink, type ChannelStream } from "./data-channel";

class FakeStream implements ChannelStream {
  readonly got: Buffer[] = [];
  lost: string | null = null;
  link: ChannelLink | null = null;
  private closers: (() => void)[] = [];
  constructor(
    readonly agentId: string,
    readonly connectionId: string,
  ) {}
  attachChannel(link: ChannelLink): void {
    this.link = link;
  }
  onChannelData(data: Buffer): void {
    this.got.push(Buffer.from(data));
  }
  channelLost(reason: string): void {
    this.lost = reason;
  }
  onClose(fn: () => void): void {
    this.closers.push(fn);
  }
  close(): void {
    for (const fn of this.closers.splice(0)) fn();
  }
}

/** The frames kas sends on a channel, as they arrive. */
function framesOf(socket: Duplex): { frames: [number, number, Buffer][]; next(): Promise<[number, number, Buffer]> } {
  const frames: [number, number, Buffer][] = [];
  let wake: (() => void) | null = null;
  const reader = new FrameReader((t, s, p) => {
    frames.push([t, s, Buffer.from(p)]);
    wake?.();
  });
  socket.on("data", (b: Buffer) => reader.push(b));
  let read = 0;
  return {
    frames,
    async next() {
      const deadline = Date.now() + 5_000;
      while (frames.length <= read) {
        if (Date.now() > deadline) throw new Error("no frame from kas within 5 s");
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return frames[read++]!;
    },
  };
}

async function kasOnPort(tlsFiles?: { cert: string; key: string }) {
  const config = loadKasConfig({
    TETHER_KAS_SHARED_SECRET_FILE: "/s",
    TETHER_KAS_AGENT_ADDRESS: "127.0.0.1:0",
    TETHER_KAS_INTERNAL_ADDRESS: "127.0.0.1:0",
    ...(tlsFiles ? { TETHER_KAS_TLS_CERT_FILE: tlsFiles.cert, TETHER_KAS_TLS_KEY_FILE: tlsFiles.key } : {}),
  });
  const metrics = createKasMetrics();
  const hub = new DataChannelHub(pino({ level: "silent" }), metrics);
  const running = await grpcServers.start({
    config,
    agentServer: createAgentServer(config),
    internalServer: createInternalServer(config),
    dataChannels: hub,
  } as unknown as KasContext); // grpcServers reads only these members of the context
  return { hub, metrics, port: running.report!.agentPort!, stop: () => running.stop?.() };
}

describe.each([
  ["plain TCP", false],
  ["TLS", true],
])("kas's agent port: gRPC and data channels on one port (%s)", (_name, useTls) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-channel-"));
  const started = (async () => kasOnPort(useTls ? await ensureSelfSignedCert(dir) : undefined))();
  afterAll(async () => {
    await (await started).stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const dial = async (): Promise<Duplex> => {
    const { port } = await started;
    const socket: Duplex = useTls
      ? tls.connect({ host: "127.0.0.1", port, ca: fs.readFileSync(path.join(dir, "kas-proxy.crt")) })
      : net.connect({ host: "127.0.0.1", port });
    await new Promise((resolve, reject) =>
      socket.once(useTls ? "secureConnect" : "connect", resolve).once("error", reject),
    );
    return socket;
  };

  it("gRPC's HTTP/2 still gets kas's 8 MiB windows on the port", async () => {
    const { port } = await started;
    const session = useTls
      ? http2.connect(`https://localhost:${port}`, { ca: fs.readFileSync(path.join(dir, "kas-proxy.crt")) })
      : http2.connect(`http://127.0.0.1:${port}`);
    try {
      expect(await windowsOf(session)).toEqual({ stream: RECEIVE_WINDOW_BYTES, connection: RECEIVE_WINDOW_BYTES });
    } finally {
      session.destroy();
    }
  });

  it("a channel with its connection's secret gets its streams' bytes, and credit back for what they took", async () => {
    const { hub, metrics } = await started;
    const a = new FakeStream("agent-1", "conn-1");
    const b = new FakeStream("agent-1", "conn-1");
    const other = new FakeStream("agent-2", "conn-9");
    const offerA = hub.offer(a);
    const offerB = hub.offer(b);
    hub.offer(other);
    expect(offerB.secret).toBe(offerA.secret); // one channel per connection
    const socket = await dial();
    const kas = framesOf(socket);
    socket.write(Buffer.concat([DATA_CHANNEL_MAGIC, controlFrame(FrameType.Hello, 0, Buffer.from(offerA.secret))]));
    expect((await kas.next())[0]).toBe(FrameType.Ready);
    const body = Buffer.alloc(300_000 - 44_144, 7);
    // Split mid-frame on purpose: frames do not follow the socket's reads.
    const wire = Buffer.concat([frameHeader(FrameType.Data, offerB.number, body.length), body]);
    socket.write(wire.subarray(0, 1_000));
    socket.write(
      Buffer.concat([wire.subarray(1_000), frameHeader(FrameType.Data, offerA.number, 3), Buffer.from("abc")]),
    );
    const deadline = Date.now() + 5_000;
    while ((b.got.length === 0 || a.got.length === 0) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Buffer.concat(b.got).equals(body)).toBe(true);
    expect(Buffer.concat(a.got).toString()).toBe("abc");
    expect(other.got).toEqual([]);
    b.link!.credit(body.length);
    const credit = await kas.next();
    expect([credit[0], credit[1], credit[2].readUInt32BE(0)]).toEqual([FrameType.Credit, offerB.number, body.length]);
    expect((await metrics.dataChannelBytes.get()).values[0]?.value).toBe(body.length + 3);
    // The channel goes when its connection's last stream ends, and its streams hear it.
    a.close();
    expect(socket.destroyed).toBe(false);
    const closed = new Promise((resolve) => socket.once("close", resolve));
    b.close();
    await closed;
    // kas says why, so the agent does not dial again for a connection that is gone.
    const last = kas.frames.at(-1)!;
    expect([last[0], last[2].toString()]).toEqual([FrameType.Refused, "the connection's last stream ended"]);
    other.close();
  });

  it("a forged or stale secret is refused with the reason, and reaches no stream", async () => {
    const { hub, metrics } = await started;
    const victim = new FakeStream("agent-3", "conn-3");
    hub.offer(victim);
    const refusedBefore = (await metrics.dataChannelRefusals.get()).values[0]?.value ?? 0;
    const socket = await dial();
    const kas = framesOf(socket);
    socket.write(
      Buffer.concat([
        DATA_CHANNEL_MAGIC,
        controlFrame(FrameType.Hello, 0, Buffer.from("not-the-secret")),
        frameHeader(FrameType.Data, 1, 4),
        Buffer.from("evil"),
      ]),
    );
    const [type, , reason] = await kas.next();
    expect(type).toBe(FrameType.Refused);
    expect(reason.toString()).toMatch(/no connection of this kas has that data channel secret/);
    await new Promise((resolve) => socket.once("close", resolve));
    expect(victim.got).toEqual([]);
    expect((await metrics.dataChannelRefusals.get()).values[0]?.value).toBe(refusedBefore + 1);
    victim.close();
  });

  it("body bytes before a hello are refused", async () => {
    const socket = await dial();
    const kas = framesOf(socket);
    socket.write(Buffer.concat([DATA_CHANNEL_MAGIC, frameHeader(FrameType.Data, 1, 1), Buffer.from("x")]));
    const [type, , reason] = await kas.next();
    expect(type).toBe(FrameType.Refused);
    expect(reason.toString()).toBe("the first frame on a data channel must be hello");
  });
});
