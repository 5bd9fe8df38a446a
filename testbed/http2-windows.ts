// The HTTP/2 receive windows a peer advertises, read from a raw node:http2 session: the per-stream
// window from its SETTINGS frame, the connection window from the WINDOW_UPDATE it sends after.
import http2, { type Http2Session, type ServerHttp2Session } from "node:http2";
import type { AddressInfo } from "node:net";

export interface AdvertisedWindows {
  stream: number;
  connection: number;
}

/** Node's default window (65,535 bytes), the connection window a peer has before any WINDOW_UPDATE. */
const DEFAULT_WINDOW = 65_535;

/** The windows `session`'s peer offers it, once its SETTINGS arrived and its WINDOW_UPDATE (if any, within 2 s). */
export async function windowsOf(session: Http2Session): Promise<AdvertisedWindows> {
  if (!session.remoteSettings || session.remoteSettings.initialWindowSize === undefined)
    await new Promise((resolve) => session.once("remoteSettings", resolve));
  const deadline = Date.now() + 2_000;
  while ((session.state.remoteWindowSize ?? 0) <= DEFAULT_WINDOW && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    stream: session.remoteSettings.initialWindowSize ?? DEFAULT_WINDOW,
    connection: session.state.remoteWindowSize ?? 0,
  };
}

/** A plain-text HTTP/2 server that accepts sessions and answers nothing: a client's connection is all it reads. */
export async function rawHttp2Server(): Promise<{
  port: number;
  nextSession(): Promise<ServerHttp2Session>;
  close(): void;
}> {
  const server = http2.createServer();
  const sessions: ServerHttp2Session[] = [];
  const all: ServerHttp2Session[] = [];
  server.on("session", (s) => {
    sessions.push(s);
    all.push(s);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async nextSession() {
      return sessions.shift() ?? new Promise((resolve) => server.once("session", () => resolve(sessions.shift()!)));
    },
    close() {
      for (const s of all) s.destroy();
      server.close();
    },
  };
}
