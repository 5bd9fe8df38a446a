// Certificates for the receptive tests: a CA, the agent's server certificate signed by it, a client CA
// with a client certificate (mTLS), and Ed25519 key pairs, all generated fresh in memory.
import { generateKeyPairSync } from "node:crypto";
import { generate } from "selfsigned";

export interface Pem {
  cert: string;
  key: string;
}

async function ca(name: string): Promise<Pem> {
  const r = await generate([{ name: "commonName", value: name }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: r.cert, key: r.private };
}

async function leaf(name: string, signer: Pem, usage: "server" | "client", hosts: string[] = []): Promise<Pem> {
  const r = await generate([{ name: "commonName", value: name }], {
    keyType: "ec",
    algorithm: "sha256",
    ca: { cert: signer.cert, key: signer.key },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: usage === "server", clientAuth: usage === "client" },
      ...(hosts.length
        ? [
            {
              name: "subjectAltName" as const,
              altNames: hosts.map((h) =>
                /^[\d.]+$/.test(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h },
              ),
            },
          ]
        : []),
    ],
  });
  return { cert: r.cert, key: r.private };
}

export interface TestPki {
  serverCa: Pem;
  server: Pem;
  otherCa: Pem;
  clientCa: Pem;
  client: Pem;
  /** A client certificate from a CA the agent does not trust. */
  strangerClient: Pem;
}

export async function makeTestPki(hosts = ["localhost", "127.0.0.1"]): Promise<TestPki> {
  const [serverCa, otherCa, clientCa] = await Promise.all([ca("agent-ca"), ca("other-ca"), ca("kas-client-ca")]);
  const [server, client, strangerClient] = await Promise.all([
    leaf("agent", serverCa, "server", hosts),
    leaf("kas", clientCa, "client"),
    leaf("kas", otherCa, "client"),
  ]);
  return { serverCa, server, otherCa, clientCa, client, strangerClient };
}

export function ed25519Pair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return {
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
