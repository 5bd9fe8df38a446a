// A self-signed certificate for kas's Kubernetes API proxy in the embedded default: kubectl never sends
// a bearer token to a plain-HTTP server, so the proxy speaks HTTPS even on loopback. Kept beside the
// other generated secrets and reused; production sets its own certificate.
import fs from "node:fs";
import path from "node:path";
import { generate } from "selfsigned";

export interface CertFiles {
  cert: string;
  key: string;
}

export async function ensureSelfSignedCert(
  dir: string,
  hosts: string[] = ["localhost", "127.0.0.1"],
): Promise<CertFiles> {
  const files = { cert: path.join(dir, "kas-proxy.crt"), key: path.join(dir, "kas-proxy.key") };
  if (fs.existsSync(files.cert) && fs.existsSync(files.key)) return files;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pems = await generate([{ name: "commonName", value: "tether-kas" }], {
    keyType: "ec",
    curve: "P-256",
    notAfterDate: new Date(Date.now() + 825 * 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: hosts.map((h) => (/^[\d.]+$/.test(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h })),
      },
    ],
  });
  fs.writeFileSync(files.key, pems.private, { mode: 0o600 });
  fs.writeFileSync(files.cert, pems.cert, { mode: 0o644 });
  return files;
}
