// Private halves of receptive URL configurations are kept encrypted at rest: AES-256-GCM with a key from
// TETHER_RECEPTIVE_ENCRYPTION_KEY (32 bytes, base64 or hex) or, when unset, a key generated once into
// data/secrets/receptive-encryption-key (mode 0600) beside the other generated secrets. The agent's id is
// the additional data, so a ciphertext copied onto another agent's row does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const VERSION = "v1";

function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32) throw new Error(`${where} must hold 32 bytes (base64 or 64 hex digits), not ${key.length}`);
  return key;
}

let cached: { source: string; key: Buffer } | null = null;

export function encryptionKey(env: Record<string, string | undefined> = process.env): Buffer {
  const fromEnv = env.TETHER_RECEPTIVE_ENCRYPTION_KEY;
  const source = fromEnv ? "env" : path.join(process.cwd(), "data", "secrets", "receptive-encryption-key");
  if (cached?.source === source) return cached.key;
  let key: Buffer;
  if (fromEnv) key = parseKey(fromEnv, "TETHER_RECEPTIVE_ENCRYPTION_KEY");
  else {
    if (!fs.existsSync(source)) {
      fs.mkdirSync(path.dirname(source), { recursive: true, mode: 0o700 });
      fs.writeFileSync(source, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    }
    key = parseKey(fs.readFileSync(source, "utf8"), source);
  }
  cached = { source, key };
  return key;
}

export function encryptSecret(plain: string, agentId: string, key: Buffer = encryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(agentId));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

export function decryptSecret(sealed: string, agentId: string, key: Buffer = encryptionKey()): string {
  const [version, data] = sealed.split(":");
  if (version !== VERSION || !data) throw new Error("not a sealed receptive secret");
  const raw = Buffer.from(data, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(agentId));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("the receptive secret does not decrypt with this key (was the encryption key changed?)");
  }
}
