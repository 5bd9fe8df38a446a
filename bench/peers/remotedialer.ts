// The remotedialer peer (bench/peers/remotedialer, github.com/rancher/remotedialer v0.6.2): built once into
// the testbed cache under its lock, then started as two processes — the server on loopback HTTP, proxying
// to the testbed's API server through the client's WebSocket tunnel — for bench/tunnel and bench/proxy.
// remotedialer v0.6.2 needs Go ≥ 1.27.3: the build asks for that toolchain, which the Go module proxy serves.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { progress } from "../../testbed/build";
import { withCacheLock } from "../../testbed/cache-lock";
import { run, type Log } from "../../testbed/run";
import { cacheRoot } from "../../testbed/versions";

export const REMOTEDIALER_VERSION = "0.6.2";
const GO_TOOLCHAIN = "go1.27.3";
const moduleDir = path.join(__dirname, "remotedialer");

/** Cached per version and per source: a change to main.go or go.sum builds a new binary. */
function peerBinary(): string {
  const source = createHash("sha256");
  for (const f of ["main.go", "go.mod", "go.sum"]) source.update(fs.readFileSync(path.join(moduleDir, f)));
  const id = `remotedialer-v${REMOTEDIALER_VERSION}-${source.digest("hex").slice(0, 12)}`;
  return path.join(cacheRoot(), "peers", id, "remotedialer-peer");
}

/** The cached peer binary, built first if it is not there (a minute of CPU; module downloads on first use). */
export async function ensureRemotedialerPeer(log: Log = (m) => console.log(m)): Promise<string> {
  const bin = peerBinary();
  return withCacheLock(
    `remotedialer-v${REMOTEDIALER_VERSION}`,
    () => fs.existsSync(bin),
    async () => {
      const pinned = /github\.com\/rancher\/remotedialer v(\S+)/.exec(
        await fsp.readFile(path.join(moduleDir, "go.mod"), "utf8"),
      )?.[1];
      if (pinned !== REMOTEDIALER_VERSION)
        throw new Error(`bench/peers/remotedialer/go.mod pins ${pinned ?? "(none)"}, expected ${REMOTEDIALER_VERSION}`);
      await fsp.mkdir(path.dirname(bin), { recursive: true });
      log(`bench: building the remotedialer peer v${REMOTEDIALER_VERSION} into ${bin} (first time only)`);
      const partial = `${bin}.partial-${process.pid}`;
      const p = progress("remotedialer", log);
      try {
        await run(
          "build the remotedialer peer",
          "nice",
          ["-n", "10", "go", "build", "-v", "-trimpath", "-ldflags", "-s -w", "-o", partial, "."],
          { cwd: moduleDir, env: { CGO_ENABLED: "0", GOWORK: "off", GOTOOLCHAIN: GO_TOOLCHAIN }, onLine: p.onLine },
        ).finally(p.done);
        await fsp.rename(partial, bin);
      } finally {
        await fsp.rm(partial, { force: true });
      }
      return bin;
    },
    () => bin,
    log,
  );
}

export interface RemotedialerPeer {
  /** Loopback (HTTP, or HTTPS with `tls`): every path goes to the API server through the tunnel. */
  url: string;
  /** With `tls`: the PEM of the server's self-signed certificate, to trust. */
  ca?: Buffer;
  serverPid: number;
  clientPid: number;
  stop(): Promise<void>;
}

/**
 * Starts the peer's server and client against the testbed's API server; resolves once a request crosses it.
 * `tls`: the server speaks HTTPS (HTTP/2 and HTTP/1.1), as kas's k8s-proxy does.
 */
export async function startRemotedialerPeer(
  tb: { server: string; caFile: string; adminToken: string },
  opts: { tls?: boolean } = {},
): Promise<RemotedialerPeer> {
  const bin = await ensureRemotedialerPeer();
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "tether-remotedialer-"));
  const tokenFile = path.join(dir, "token");
  await fsp.writeFile(tokenFile, tb.adminToken, { mode: 0o600 });
  const procs: ChildProcess[] = [];
  const stop = async () => {
    for (const p of procs) if (p.exitCode === null) p.kill("SIGKILL");
    await fsp.rm(dir, { recursive: true, force: true });
  };
  try {
    const server = spawn(
      bin,
      [
        ...["-role", "server", "-listen", "127.0.0.1:0", "-apiserver", tb.server, "-ca", tb.caFile],
        ...["-token-file", tokenFile, ...(opts.tls ? ["-tls-cert-out", path.join(dir, "server.crt")] : [])],
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    procs.push(server);
    let stderr = "";
    server.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const address = await new Promise<string>((resolve, reject) => {
      let out = "";
      server.stdout!.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.on("exit", (code) => reject(new Error(`the remotedialer server exited (${code}): ${stderr}`)));
    });
    const url = `${opts.tls ? "https" : "http"}://${address}`;
    const ca = opts.tls ? await fsp.readFile(path.join(dir, "server.crt")) : undefined;
    const connect = opts.tls
      ? ["-connect", `wss://${address}/connect`, "-server-ca", path.join(dir, "server.crt")]
      : ["-connect", `ws://${address}/connect`];
    const client = spawn(bin, ["-role", "client", "-apiserver", tb.server, ...connect], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    procs.push(client);
    const until = Date.now() + 30_000;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const get = opts.tls ? https.get : http.get;
        get(`${url}/version`, { ca }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        }).on("error", () => resolve(false));
      });
      if (ok) break;
      if (Date.now() > until) throw new Error(`the remotedialer peer did not carry a request within 30 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { url, ca, serverPid: server.pid!, clientPid: client.pid!, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
