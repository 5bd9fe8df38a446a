// `npm run bench:transport`: what moving bytes costs on Node before any of Tether's code runs. One
// process sends BENCH_MB (512) MB in 256 KiB writes — the tunnel's body message size — to a receiver
// in a child process, over each transport the tunnel could use: a raw TCP socket, a raw TLS socket,
// HTTP/2 without and with TLS (Node's http2, as the agent reads the API server), and a grpc-js
// client stream of 256 KiB messages without and with TLS (the tunnel's hops today, with identity
// serializers: no protobuf work at all). It prints the CPU-seconds per GB of the sender and of the
// receiver, read from the processes themselves, and the receive events per MB (what arrives as one
// 'data' event: TLS records and HTTP/2 frames are ≤ 16 KiB whatever the writes were).
//
// Tether's body bytes cross two such hops inside kas and the agent (the agent reads the API server
// and sends to kas; kas reads and sends to web), so these figures are the floor under bench/tunnel's
// "added CPU-seconds per GB": a hop's transport, not the code around it, decides most of it.
import { fork } from "node:child_process";
import fs from "node:fs";
import http2 from "node:http2";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import * as grpc from "@grpc/grpc-js";
import { ensureSelfSignedCert } from "../../lib/common/self-signed";
import { runBench } from "../common";

const MB = Number(process.env.BENCH_MB ?? 512);
const TOTAL = MB * 1024 * 1024;
const WRITE = 256 * 1024;
const WINDOW = 8 * 1024 * 1024;

const TRANSPORTS = ["tcp", "tls", "h1-tls", "h2c", "h2-tls", "grpc", "grpc-tls"] as const;
type Transport = (typeof TRANSPORTS)[number];
const NAMES: Record<Transport, string> = {
  tcp: "raw TCP socket",
  tls: "raw TLS socket",
  "h1-tls": "HTTP/1.1 over TLS",
  h2c: "HTTP/2, plaintext",
  "h2-tls": "HTTP/2 over TLS",
  grpc: "grpc-js stream, plaintext",
  "grpc-tls": "grpc-js stream over TLS",
};

const identity = (b: Buffer) => b;
const PUMP: grpc.ServiceDefinition = {
  pump: {
    path: "/tether.bench.Transport/Pump",
    requestStream: true,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

interface Received {
  bytes: number;
  events: number;
  cpuMs: number;
}

/** The receiver (child process): listens, counts what arrives, and reports its own CPU when all has come. */
function receiver(kind: Transport, certDir: string): void {
  const cert = fs.readFileSync(path.join(certDir, "kas-proxy.crt"));
  const key = fs.readFileSync(path.join(certDir, "kas-proxy.key"));
  let bytes = 0;
  let events = 0;
  let c0: NodeJS.CpuUsage | null = null;
  const count = (b: Buffer) => {
    c0 ??= process.cpuUsage();
    bytes += b.length;
    events++;
  };
  const report = () => {
    const c = process.cpuUsage(c0 ?? undefined);
    process.send!({ bytes, events, cpuMs: (c.user + c.system) / 1000 } satisfies Received);
  };
  const listening = (port: number) => process.send!({ port });
  if (kind === "tcp" || kind === "tls") {
    const onSocket = (s: net.Socket) =>
      s.on("data", (b: Buffer) => {
        count(b);
        if (bytes >= TOTAL) {
          report();
          s.end();
        }
      });
    const server = kind === "tcp" ? net.createServer(onSocket) : tls.createServer({ cert, key }, onSocket);
    server.listen(0, "127.0.0.1", () => listening((server.address() as net.AddressInfo).port));
  } else if (kind === "h1-tls") {
    const server = https.createServer({ cert, key }, (req, res) => {
      req.on("data", count);
      req.on("end", () => {
        report();
        res.end();
      });
    });
    server.listen(0, "127.0.0.1", () => listening((server.address() as net.AddressInfo).port));
  } else if (kind === "h2c" || kind === "h2-tls") {
    const settings = { initialWindowSize: WINDOW };
    const server =
      kind === "h2c" ? http2.createServer({ settings }) : http2.createSecureServer({ cert, key, settings });
    server.on("session", (s) => s.once("localSettings", () => s.setLocalWindowSize(2 * WINDOW)));
    server.on("stream", (st) => {
      st.on("data", count);
      st.on("end", () => {
        report();
        st.respond({ ":status": 200 });
        st.end();
      });
    });
    server.listen(0, "127.0.0.1", () => listening((server.address() as net.AddressInfo).port));
  } else {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 2 * WRITE });
    server.addService(PUMP, {
      pump: (call: grpc.ServerReadableStream<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
        call.on("data", count);
        call.on("end", () => {
          report();
          cb(null, Buffer.alloc(0));
        });
      },
    });
    const creds =
      kind === "grpc"
        ? grpc.ServerCredentials.createInsecure()
        : grpc.ServerCredentials.createSsl(null, [{ cert_chain: cert, private_key: key }], false);
    server.bindAsync("127.0.0.1:0", creds, (err, port) => {
      if (err) throw err;
      listening(port);
    });
  }
}

/** Writes TOTAL bytes in WRITE-sized pieces, waiting for drain when the writer is full. */
function pump(w: { write(b: Buffer): boolean; once(e: "drain", fn: () => void): unknown }, end: () => void): void {
  const piece = Buffer.alloc(WRITE, 7);
  let sent = 0;
  const go = () => {
    while (sent < TOTAL) {
      sent += WRITE;
      if (!w.write(piece)) {
        w.once("drain", go);
        return;
      }
    }
    end();
  };
  go();
}

async function measure(kind: Transport, certDir: string): Promise<{ send: number; recv: number; events: number }> {
  const ca = fs.readFileSync(path.join(certDir, "kas-proxy.crt"));
  const child = fork(__filename, ["receiver", kind, certDir], { execArgv: process.execArgv });
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  child.on("message", (m) => (waiters.length ? waiters.shift()!(m) : messages.push(m)));
  const next = () => new Promise<unknown>((r) => (messages.length ? r(messages.shift()) : waiters.push(r)));
  const { port } = (await next()) as { port: number };
  const c0 = process.cpuUsage();
  const done = next() as Promise<Received>;
  const cleanup: (() => void)[] = [];
  if (kind === "tcp" || kind === "tls") {
    const s =
      kind === "tcp"
        ? net.connect(port, "127.0.0.1")
        : tls.connect({ port, host: "127.0.0.1", ca, servername: "localhost" });
    s.on("error", () => undefined);
    pump(s, () => undefined);
    cleanup.push(() => s.destroy());
  } else if (kind === "h1-tls") {
    const req = https.request({ port, host: "127.0.0.1", ca, servername: "localhost", method: "POST", path: "/" });
    req.on("error", () => undefined); // the receiver goes away once it has reported
    req.on("response", (res) => res.resume());
    pump(req, () => req.end());
    cleanup.push(() => req.destroy());
  } else if (kind === "h2c" || kind === "h2-tls") {
    const session = http2.connect(`${kind === "h2c" ? "http" : "https"}://localhost:${port}`, {
      ca,
      settings: { initialWindowSize: WINDOW },
    });
    session.on("error", () => undefined); // the receiver goes away once it has reported
    const req = session.request({ ":method": "POST", ":path": "/" });
    req.on("error", () => undefined);
    req.on("response", () => undefined);
    req.resume();
    pump(req, () => req.end());
    cleanup.push(() => session.close());
  } else {
    const Client = grpc.makeGenericClientConstructor(PUMP, "Transport");
    const creds = kind === "grpc" ? grpc.credentials.createInsecure() : grpc.credentials.createSsl(ca);
    const client = new Client(`localhost:${port}`, creds, { "grpc-node.flow_control_window": WINDOW });
    const call = (client.pump as (cb: (e: Error | null) => void) => grpc.ClientWritableStream<Buffer>)(() => undefined);
    call.on("error", () => undefined);
    pump(call, () => call.end());
    cleanup.push(() => client.close());
  }
  const got = await done;
  const c = process.cpuUsage(c0);
  for (const fn of cleanup) fn();
  child.kill();
  if (got.bytes < TOTAL) throw new Error(`${NAMES[kind]}: the receiver got ${got.bytes} of ${TOTAL} bytes`);
  const gb = TOTAL / 1e9;
  return { send: (c.user + c.system) / 1e6 / gb, recv: got.cpuMs / 1000 / gb, events: got.events / (TOTAL / 1e6) };
}

async function main(): Promise<void> {
  const certDir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-bench-transport-"));
  try {
    await ensureSelfSignedCert(certDir);
    const rows: [Transport, Awaited<ReturnType<typeof measure>>][] = [];
    // BENCH_TRANSPORTS=tcp,grpc measures only those (raw TCP, the yardstick, is always measured).
    const only = process.env.BENCH_TRANSPORTS?.split(",");
    for (const kind of TRANSPORTS)
      if (kind === "tcp" || !only || only.includes(kind)) rows.push([kind, await measure(kind, certDir)]);
    const tcp = rows[0]![1];
    const base = tcp.send + tcp.recv;
    console.log(
      `\nbench/transport — ${MB} MB in 256 KiB writes, one hop, ${os.cpus().length} CPUs (load average ${os.loadavg()[0]!.toFixed(1)})`,
    );
    console.log(
      `${"transport".padEnd(28)} ${"sender".padStart(8)} ${"receiver".padStart(8)} ${"both".padStart(8)}  CPU-s/GB ${"× raw TCP".padStart(9)}  receive events/MB`,
    );
    for (const [kind, r] of rows)
      console.log(
        `${NAMES[kind].padEnd(28)} ${r.send.toFixed(2).padStart(8)} ${r.recv.toFixed(2).padStart(8)} ${(r.send + r.recv).toFixed(2).padStart(8)}           ${`${((r.send + r.recv) / base).toFixed(2)}×`.padStart(9)}  ${r.events.toFixed(1).padStart(8)}`,
      );
    if (rows.length < TRANSPORTS.length) return;
    const g = Object.fromEntries(rows) as Record<Transport, Awaited<ReturnType<typeof measure>>>;
    // The tunnel's bytes, inside kas and the agent: the agent receives HTTP/2 over TLS and sends a grpc-js
    // stream, kas receives one and sends another (to web). Today's floor, and a raw channel's.
    const today = g["h2-tls"].recv + g.grpc.send + g.grpc.recv + g.grpc.send;
    const raw = g["h2-tls"].recv + g.tcp.send + g.tcp.recv + g.tcp.send;
    const rawTls = g["h2-tls"].recv + g.tls.send + g.tls.recv + g.tcp.send;
    // The same with the agent reading the API server's answer over HTTP/1.1 instead of HTTP/2.
    const rawTlsH1 = g["h1-tls"].recv + g.tls.send + g.tls.recv + g.tcp.send;
    console.log(
      `transport floor of kas + agent per GB (agent: HTTP/2-TLS receive + send; kas: receive + send): ` +
        `grpc-js hops ${today.toFixed(2)}, raw TCP hops ${raw.toFixed(2)}, raw TLS agent↔kas + raw TCP to web ${rawTls.toFixed(2)}, ` +
        `the same with the agent reading HTTP/1.1 ${rawTlsH1.toFixed(2)} CPU-s/GB`,
    );
  } finally {
    fs.rmSync(certDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "receiver") receiver(process.argv[3] as Transport, process.argv[4]!);
else runBench("bench/transport", main);
