// Both ends of the receptive handshake over real TLS on loopback: the agent's listener and kas's dialer.
import net from "node:net";
import tls from "node:tls";
import { importPKCS8, SignJWT } from "jose";
import pino from "pino";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startReceptiveListener, type ReceptiveListener } from "../../agent/receptive/listener";
import { RECEPTIVE_JWT_AUDIENCE, RECEPTIVE_JWT_ISSUER, readLine } from "../../lib/common/receptive-wire";
import { dialReceptiveAgent, ReceptiveDialError, type ReceptiveAuth } from "./dial";
import { ed25519Pair, makeTestPki, type TestPki } from "./test-pki";

let pki: TestPki;
const keys = ed25519Pair();
const otherKeys = ed25519Pair();
beforeAll(async () => {
  pki = await makeTestPki();
}, 60_000);

const open: ReceptiveListener[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(open.splice(0).map((l) => l.close()));
});

interface Agent {
  url: string;
  logs: { msg: string; reason?: string; via?: string }[];
  accepted: tls.TLSSocket[];
  refusal(): Promise<string>;
}

async function agent(
  opts: { jwt?: boolean; mtls?: boolean; now?: () => number; busy?: boolean } = { jwt: true },
): Promise<Agent> {
  const logs: Agent["logs"] = [];
  const waiters: (() => void)[] = [];
  const log = pino(
    { level: "info" },
    {
      write(s: string) {
        logs.push(JSON.parse(s) as Agent["logs"][number]);
        for (const w of waiters.splice(0)) w();
      },
    },
  );
  const accepted: tls.TLSSocket[] = [];
  const l = await startReceptiveListener({
    address: "127.0.0.1:0",
    certPem: pki.server.cert,
    keyPem: pki.server.key,
    jwtPublicKeyPem: opts.jwt ? keys.publicKeyPem : undefined,
    clientCaPem: opts.mtls ? pki.clientCa.cert : undefined,
    log,
    now: opts.now,
    isBusy: () => Boolean(opts.busy),
    onAccepted(socket) {
      accepted.push(socket);
      sockets.push(socket);
      socket.write("from-agent");
    },
  });
  open.push(l);
  return {
    url: `grpcs://127.0.0.1:${l.port}`,
    logs,
    accepted,
    async refusal() {
      for (;;) {
        const r = logs.find((x) => x.msg === "receptive connection refused");
        if (r) return r.reason!;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

const jwt: ReceptiveAuth = { method: "jwt", privateKeyPem: keys.privateKeyPem };

async function dialError(p: Promise<unknown>): Promise<ReceptiveDialError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReceptiveDialError);
  return e as ReceptiveDialError;
}

async function token(claims: { iat?: number; exp?: number; jti?: string; aud?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA" })
    .setIssuer(RECEPTIVE_JWT_ISSUER)
    .setAudience(claims.aud ?? RECEPTIVE_JWT_AUDIENCE)
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + 20)
    .setJti(claims.jti ?? "one-time")
    .sign(await importPKCS8(keys.privateKeyPem, "EdDSA"));
}

/** A handshake line sent by hand over TLS; resolves with the agent's answer. */
async function rawHandshake(url: string, line: string): Promise<string> {
  const port = Number(url.split(":").pop());
  const s = tls.connect({ host: "127.0.0.1", port, ca: pki.serverCa.cert, servername: "localhost" });
  await new Promise<void>((resolve, reject) => s.once("secureConnect", resolve).once("error", reject));
  s.write(`${line}\n`);
  try {
    return await readLine(s, 5_000);
  } finally {
    s.destroy();
  }
}

describe("receptive handshake", { timeout: 30_000 }, () => {
  it("a caller holding the key is accepted and the connection then carries bytes both ways", async () => {
    const a = await agent();
    const socket = await dialReceptiveAgent({ url: a.url, caCertPem: pki.serverCa.cert, auth: jwt });
    const first = await new Promise<string>((resolve) =>
      socket.once("data", (b: Buffer) => resolve(b.toString())).resume(),
    );
    expect(first).toBe("from-agent");
    socket.write("from-kas");
    const echoed = await new Promise<string>((resolve) =>
      a.accepted[0]!.once("data", (b: Buffer) => resolve(b.toString())).resume(),
    );
    expect(echoed).toBe("from-kas");
    expect(a.logs.find((l) => l.msg === "receptive connection accepted")?.via).toBe("jwt");
    socket.destroy();
  });

  it("a JWT signed with another key is refused: kas reports that the agent refused our key", async () => {
    const a = await agent();
    const e = await dialError(
      dialReceptiveAgent({
        url: a.url,
        caCertPem: pki.serverCa.cert,
        auth: { method: "jwt", privateKeyPem: otherKeys.privateKeyPem },
      }),
    );
    expect(e.kind).toBe("refused");
    expect(e.message).toMatch(/^agent refused our key: the handshake token is not signed by our key$/);
    expect(await a.refusal()).toBe("the handshake token is not signed by our key");
    expect(a.accepted).toHaveLength(0);
  });

  it("an agent certificate from a CA kas was not given is reported as signed by unknown authority", async () => {
    const a = await agent();
    const e = await dialError(dialReceptiveAgent({ url: a.url, caCertPem: pki.otherCa.cert, auth: jwt }));
    expect(e.kind).toBe("tls");
    expect(e.message).toBe("certificate signed by unknown authority");
    expect(await a.refusal()).toMatch(/^TLS handshake failed/);
    expect(a.accepted).toHaveLength(0);
  });

  it("a certificate for another name is refused with the name in the message", async () => {
    const a = await agent();
    const e = await dialError(
      dialReceptiveAgent({ url: a.url, caCertPem: pki.serverCa.cert, tlsServerName: "agent.example.com", auth: jwt }),
    );
    expect(e.kind).toBe("tls");
    expect(e.message).toMatch(/certificate is not valid for this name.*agent\.example\.com/);
  });

  it("an expired JWT is refused", async () => {
    // The agent's clock runs a minute ahead of kas's: every token kas signs has expired for it.
    const a = await agent({ jwt: true, now: () => Date.now() + 60_000 });
    const e = await dialError(dialReceptiveAgent({ url: a.url, caCertPem: pki.serverCa.cert, auth: jwt }));
    expect(e.message).toBe("agent refused our key: the handshake token has expired");
    expect(await a.refusal()).toBe("the handshake token has expired");
  });

  it("a JWT claiming a life longer than 30 s, or for another audience, is refused", async () => {
    const a = await agent();
    const now = Math.floor(Date.now() / 1000);
    expect(await rawHandshake(a.url, `TETHER-RECEPTIVE/1 ${await token({ exp: now + 300, jti: "long" })}`)).toBe(
      "ERR the handshake token lives longer than 30 s",
    );
    expect(await rawHandshake(a.url, `TETHER-RECEPTIVE/1 ${await token({ aud: "someone-else", jti: "aud" })}`)).toBe(
      "ERR the handshake token's aud claim is wrong",
    );
    expect(a.accepted).toHaveLength(0);
  });

  it("a replayed JWT is refused the second time", async () => {
    const a = await agent();
    const t = await token({ jti: "captured" });
    expect(await rawHandshake(a.url, `TETHER-RECEPTIVE/1 ${t}`)).toBe("OK");
    expect(await rawHandshake(a.url, `TETHER-RECEPTIVE/1 ${t}`)).toBe("ERR the handshake token was replayed");
    expect(a.accepted).toHaveLength(1);
  });

  it("a plain-TCP caller is refused and served nothing", async () => {
    const a = await agent();
    const port = Number(a.url.split(":").pop());
    const s = net.connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve) => s.once("connect", resolve));
    s.write(`TETHER-RECEPTIVE/1 ${await token({ jti: "plain" })}\n`);
    let received = "";
    s.on("data", (b: Buffer) => (received += b.toString("latin1")));
    await new Promise<void>((resolve) => s.once("close", () => resolve()));
    expect(received).not.toContain("OK");
    expect(await a.refusal()).toMatch(/^TLS handshake failed/);
    expect(a.accepted).toHaveLength(0);
  });

  it("a caller that never sends the handshake is dropped after the timeout with a log line", async () => {
    const logs: string[] = [];
    const l = await startReceptiveListener({
      address: "127.0.0.1:0",
      certPem: pki.server.cert,
      keyPem: pki.server.key,
      jwtPublicKeyPem: keys.publicKeyPem,
      log: pino({}, { write: (s: string) => void logs.push(s) }),
      handshakeTimeoutMs: 300,
      onAccepted: () => undefined,
    });
    open.push(l);
    const s = tls.connect({ host: "127.0.0.1", port: l.port, ca: pki.serverCa.cert, servername: "localhost" });
    await new Promise<void>((resolve) =>
      s
        .once("close", () => resolve())
        .on("error", () => undefined)
        .resume(),
    );
    expect(logs.join("")).toContain("handshake failed: no handshake within 300 ms");
  });

  it("an agent already held by another kas answers BUSY to a caller that proved the key, and serves it nothing", async () => {
    const a = await agent({ jwt: true, busy: true });
    const e = await dialError(dialReceptiveAgent({ url: a.url, caCertPem: pki.serverCa.cert, auth: jwt }));
    expect(e.kind).toBe("busy");
    expect(e.message).toBe("the agent is busy: another kas holds this agent's connection");
    expect(a.accepted).toHaveLength(0);
  });

  it("an unreachable URL is reported with the URL and the socket error", async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const e = await dialError(dialReceptiveAgent({ url: `grpcs://127.0.0.1:${port}`, auth: jwt }));
    expect(e.kind).toBe("unreachable");
    expect(e.message).toBe(`kas cannot reach grpcs://127.0.0.1:${port}: connect ECONNREFUSED`);
  });

  describe("mTLS", () => {
    it("the client certificate from the agent's client CA is accepted", async () => {
      const a = await agent({ mtls: true });
      const socket = await dialReceptiveAgent({
        url: a.url,
        caCertPem: pki.serverCa.cert,
        auth: { method: "mtls", clientCertPem: pki.client.cert, clientKeyPem: pki.client.key },
      });
      expect(a.logs.find((l) => l.msg === "receptive connection accepted")?.via).toBe("mtls");
      socket.destroy();
    });

    it("a client certificate from another CA is refused", async () => {
      const a = await agent({ mtls: true });
      const e = await dialError(
        dialReceptiveAgent({
          url: a.url,
          caCertPem: pki.serverCa.cert,
          auth: { method: "mtls", clientCertPem: pki.strangerClient.cert, clientKeyPem: pki.strangerClient.key },
        }),
      );
      expect(e.message).toMatch(/^agent refused our client certificate: the client certificate was refused/);
      expect(await a.refusal()).toMatch(/^the client certificate was refused: /);
      expect(a.accepted).toHaveLength(0);
    });

    it("a caller with no client certificate and no token is refused", async () => {
      const a = await agent({ mtls: true });
      expect(await rawHandshake(a.url, "TETHER-RECEPTIVE/1 -")).toBe("ERR the caller presented no client certificate");
      expect(a.accepted).toHaveLength(0);
    });
  });
});
