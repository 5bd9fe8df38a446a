// kas configuration from the environment, validated at start. Durations are milliseconds so tests can
// run connection rotation in seconds.
import os from "node:os";
import { z } from "zod";
import { joinHostPort, splitHostPort } from "../lib/common/listen";
import { CHUNK_SIZE } from "../lib/common/tunnel-wire";

const ms = (def: number) => z.coerce.number().int().positive().default(def);
/** host:port, an IPv6 host in brackets: "0.0.0.0:8150", "[::]:8150" (every interface, IPv4 too on Linux), "[fd00::1]:8153". */
const HOST_PORT = /^(?:[\w.-]+|\[[\da-fA-F:.]+\]):\d+$/;
const hostPort = () => z.string().regex(HOST_PORT, "expected host:port (an IPv6 host in brackets: [fd00::1]:8153)");
const address = (def: string) => hostPort().default(def);

export const kasConfigSchema = z.object({
  TETHER_KAS_ID: z.string().min(1).default(`${os.hostname()}-${process.pid}`),
  TETHER_KAS_AGENT_ADDRESS: address("127.0.0.1:8150"),
  TETHER_KAS_INTERNAL_ADDRESS: address("127.0.0.1:8153"),
  TETHER_KAS_OBSERVABILITY_ADDRESS: address("127.0.0.1:8151"),
  /** kubectl and CI jobs: the Kubernetes API through the tunnel (TLS with the same certificate when configured). */
  TETHER_KAS_K8S_PROXY_ADDRESS: address("127.0.0.1:8154"),
  /** The proxy's certificate (kubectl sends tokens only over HTTPS); npm start generates a self-signed one. */
  TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: z.string().optional(),
  TETHER_KAS_K8S_PROXY_TLS_KEY_FILE: z.string().optional(),
  TETHER_WEB_URL: z.url().default("http://127.0.0.1:3000"),
  TETHER_KAS_SHARED_SECRET_FILE: z
    .string()
    .min(1, "set TETHER_KAS_SHARED_SECRET_FILE to the file holding the web/kas shared secret"),
  TETHER_KAS_TLS_CERT_FILE: z.string().optional(),
  TETHER_KAS_TLS_KEY_FILE: z.string().optional(),
  TETHER_KAS_MAX_CONNECTION_AGE_MS: ms(2 * 3600_000),
  TETHER_KAS_MAX_CONNECTION_AGE_GRACE_MS: ms(3600_000),
  TETHER_KAS_KEEPALIVE_MS: ms(20_000),
  TETHER_KAS_MAX_STREAMS_PER_AGENT: z.coerce.number().int().min(1).max(100_000).default(500),
  TETHER_KAS_TOKEN_CACHE_MS: ms(10_000),
  TETHER_KAS_TOKEN_RECHECK_MS: ms(30_000),
  /** Token checks, heartbeats and configuration polls wait this long (ms) to go to web together in one request; 0: each alone. */
  TETHER_KAS_WEB_BATCH_MS: z.coerce.number().int().min(0).max(5_000).default(100),
  TETHER_KAS_HEARTBEAT_MS: ms(30_000),
  TETHER_KAS_AGENT_WAIT_MS: ms(20_000),
  /** Several kas replicas: the tunnel registry in Redis and kas-to-kas forwarding (kas/routing). Unset: one kas, in memory. */
  TETHER_REDIS_URL: z.url({ protocol: /^rediss?$/, error: "expected a redis:// or rediss:// URL" }).optional(),
  /** Where the other replicas reach this kas's internal server (host:port); default: its internal address and port. */
  TETHER_KAS_PRIVATE_ADDRESS: hostPort().optional(),
  /**
   * This replica's pod IP (the downward API's status.podIP), IPv4 or IPv6: unless TETHER_KAS_PRIVATE_ADDRESS is set,
   * the other replicas reach it there on its internal port (an IPv6 address in brackets).
   */
  TETHER_KAS_POD_IP: z.union([z.ipv4(), z.ipv6()], { error: "expected an IPv4 or IPv6 address" }).optional(),
  /** The secret only kas replicas share (kas-to-kas JWTs); required with TETHER_REDIS_URL. */
  TETHER_KAS_PEER_SECRET_FILE: z.string().min(1).optional(),
  /** How long a replica's registry entries live without a refresh (a crashed kas's entries expire then). */
  TETHER_KAS_REGISTRY_TTL_MS: z.coerce.number().int().min(1_000).default(30_000),
  // A body message (CHUNK_SIZE) and its framing must fit.
  TETHER_KAS_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(CHUNK_SIZE + 64 * 1024)
    .default(4 * 1024 * 1024),
});

export type KasConfig = z.infer<typeof kasConfigSchema>;

export function loadKasConfig(env: Record<string, string | undefined> = process.env): KasConfig {
  const r = kasConfigSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`kas: invalid configuration\n${lines.join("\n")}`);
  }
  if (Boolean(r.data.TETHER_KAS_TLS_CERT_FILE) !== Boolean(r.data.TETHER_KAS_TLS_KEY_FILE)) {
    throw new Error(
      "kas: invalid configuration\n  set both TETHER_KAS_TLS_CERT_FILE and TETHER_KAS_TLS_KEY_FILE, or neither",
    );
  }
  if (r.data.TETHER_REDIS_URL && !r.data.TETHER_KAS_PEER_SECRET_FILE) {
    throw new Error(
      "kas: invalid configuration\n  set TETHER_KAS_PEER_SECRET_FILE (the secret kas replicas share) when TETHER_REDIS_URL is set",
    );
  }
  return r.data;
}

/**
 * The internal server's address as the other replicas dial it: TETHER_KAS_PRIVATE_ADDRESS, else the pod IP
 * (TETHER_KAS_POD_IP), else the internal address's host (this machine's name when it listens on every
 * interface); with the bound internal port, an IPv6 host in brackets.
 */
export function privateAddressOf(config: KasConfig, internalPort: number): string {
  if (config.TETHER_KAS_PRIVATE_ADDRESS) return config.TETHER_KAS_PRIVATE_ADDRESS;
  if (config.TETHER_KAS_POD_IP) return joinHostPort(config.TETHER_KAS_POD_IP, internalPort);
  const [host] = splitHostPort(config.TETHER_KAS_INTERNAL_ADDRESS);
  return joinHostPort(host === "0.0.0.0" || host === "::" || host === "" ? os.hostname() : host, internalPort);
}
