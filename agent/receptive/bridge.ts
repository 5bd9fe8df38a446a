// Joins the agent's ordinary gRPC client to connections kas dialled in: the client dials a private Unix
// socket, and each of its connections is paired with the newest authenticated connection from kas. A
// newer connection from kas replaces the one in use (kas reconnected; the old one is dead or dying),
// and the client's reconnect logic does the rest, exactly as when it dials kas itself. While one is in
// use, the listener tells other callers BUSY (agent/receptive/listener.ts), so only one kas holds it.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Logger } from "pino";

export interface ReceptiveBridge {
  /** The gRPC target the agent's client dials (unix:...). */
  target: string;
  /** Hands over an authenticated connection from kas. */
  offer(remote: net.Socket): void;
  /** A kas connection is in use or waiting for the client. */
  busy(): boolean;
  close(): Promise<void>;
}

export async function startReceptiveBridge(log: Logger): Promise<ReceptiveBridge> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-agent-receptive-"));
  fs.chmodSync(dir, 0o700);
  const socketPath = path.join(dir, "kas.sock");
  let waitingLocal: net.Socket | null = null;
  let waitingRemote: net.Socket | null = null;
  let pair: [net.Socket, net.Socket] | null = null;

  const join = (local: net.Socket, remote: net.Socket) => {
    pair?.forEach((s) => s.destroy());
    const joined: [net.Socket, net.Socket] = [local, remote];
    pair = joined;
    const close = () => {
      local.destroy();
      remote.destroy();
      if (pair === joined) pair = null;
    };
    local.once("close", close).on("error", () => undefined);
    remote.once("close", close).on("error", () => undefined);
    local.pipe(remote);
    remote.pipe(local);
    local.resume();
    log.info("tunnel client joined to kas's connection");
  };

  const server = net.createServer((local) => {
    // Held (paused, its bytes buffered) until kas dials in.
    local.pause();
    local.on("error", () => undefined);
    if (waitingRemote) {
      const remote = waitingRemote;
      waitingRemote = null;
      join(local, remote);
      return;
    }
    waitingLocal?.destroy();
    waitingLocal = local;
    local.once("close", () => {
      if (waitingLocal === local) waitingLocal = null;
    });
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(socketPath, resolve));

  return {
    target: `unix:${socketPath}`,
    offer(remote) {
      remote.on("error", () => undefined);
      if (waitingLocal) {
        const local = waitingLocal;
        waitingLocal = null;
        join(local, remote);
        return;
      }
      // No client connection waiting: the one in use (if any) is replaced, so the client reconnects.
      waitingRemote?.destroy();
      waitingRemote = remote;
      remote.once("close", () => {
        if (waitingRemote === remote) waitingRemote = null;
      });
      if (pair) {
        const old = pair;
        pair = null;
        old.forEach((s) => s.destroy());
      }
    },
    busy: () => pair !== null || waitingRemote !== null,
    async close() {
      waitingLocal?.destroy();
      waitingRemote?.destroy();
      pair?.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
