// Agent configuration from flags (--name=value) and environment variables, validated at start.
import { parseArgs } from "node:util";
import { z } from "zod";

export const AGENT_VERSION = "0.1.0";

const file = z.string().min(1).optional();

const schema = z.object({
  /** Where kas listens for agents; unused by a receptive agent (kas dials it). */
  kasAddress: z
    .string()
    .regex(/^grpcs?:\/\/[\w.-]+:\d+$/, "kas address must look like grpc://host:port or grpcs://host:port")
    .optional(),
  /** Listen for kas instead of dialling it (a cluster that cannot reach Tether). */
  receptive: z
    .enum(["true", "false"], { error: "--receptive must be true or false" })
    .default("false")
    .transform((v) => v === "true"),
  receptiveAddress: z
    .string()
    .regex(/^[\w.-]*:\d+$/, "receptive address: expected host:port")
    .default("0.0.0.0:8082"),
  receptiveCertFile: file,
  receptiveKeyFile: file,
  receptiveJwtPublicKeyFile: file,
  receptiveClientCaFile: file,
  tokenFile: z
    .string({ error: "set --token-file (or TETHER_AGENT_TOKEN_FILE) to the file holding the agent token" })
    .min(1),
  kasCaFile: z.string().optional(),
  kubeconfig: z.string().optional(),
  observabilityAddress: z
    .string()
    .regex(/^[\w.-]*:\d+$/, "expected host:port")
    .default("0.0.0.0:8080"),
  minIdleStreams: z.coerce.number().int().min(1).max(100).default(10),
  maxStreams: z.coerce.number().int().min(1).max(100_000).default(500),
  /** Idle streams beyond the minimum that stay unused this long are retired, half of them at a time. */
  idleTrimIntervalMs: z.coerce.number().int().min(100, "idle trim interval must be at least 100 ms").default(30_000),
  /** Ordinary requests share HTTP/2 connections to the API server; "false" keeps to HTTP/1.1. */
  apiserverHttp2: z
    .enum(["true", "false"], { error: "--apiserver-http2 must be true or false" })
    .default("true")
    .transform((v) => v === "true"),
  /**
   * The longest kas holds the agent's configuration call when nothing changed (a long poll: a saved
   * configuration reaches the agent at once and applies without a restart).
   */
  configPollIntervalMs: z.coerce
    .number()
    .int()
    .min(200, "configuration poll interval must be at least 200 ms")
    .max(600_000, "configuration poll interval must be at most 600000 ms (kas holds a call 10 minutes at most)")
    .default(300_000),
  /** Flux: pushes for one repository within this interval after a reconcile request are gathered into the next one. */
  fluxCoalesceMs: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Flux: the namespace of the leader-election Lease (default: the agent's own, else "default"). */
  fluxLeaseNamespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "lease namespace: a namespace name")
    .optional(),
  podName: z.string().default(""),
  podNamespace: z.string().default(""),
});

/** Settings that depend on each other, checked on the raw input so they are listed with every other problem. */
function crossChecks(c: { receptive?: string; kasAddress?: string; [k: string]: string | undefined }): string[] {
  const receptive = c.receptive === "true";
  const out: string[] = [];
  if (!receptive && !c.kasAddress)
    out.push("set --kas-address (or TETHER_KAS_ADDRESS), e.g. grpcs://kas.example.com:443");
  if (receptive && !(c.receptiveCertFile && c.receptiveKeyFile))
    out.push("a receptive agent needs --receptive-cert-file and --receptive-key-file (its TLS certificate and key)");
  if (receptive && !c.receptiveJwtPublicKeyFile && !c.receptiveClientCaFile)
    out.push(
      "a receptive agent needs --receptive-jwt-public-key-file (the key Tether shows) or --receptive-client-ca-file (mTLS)",
    );
  return out;
}

export type AgentConfig = z.infer<typeof schema>;

export function loadAgentConfig(
  argv: string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
): AgentConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      "kas-address": { type: "string" },
      "token-file": { type: "string" },
      "kas-ca-file": { type: "string" },
      kubeconfig: { type: "string" },
      "observability-address": { type: "string" },
      "min-idle-streams": { type: "string" },
      "max-streams": { type: "string" },
      "idle-trim-interval-ms": { type: "string" },
      "apiserver-http2": { type: "string" },
      "config-poll-interval-ms": { type: "string" },
      "flux-coalesce-ms": { type: "string" },
      "flux-lease-namespace": { type: "string" },
      receptive: { type: "boolean" },
      "receptive-address": { type: "string" },
      "receptive-cert-file": { type: "string" },
      "receptive-key-file": { type: "string" },
      "receptive-jwt-public-key-file": { type: "string" },
      "receptive-client-ca-file": { type: "string" },
    },
    strict: true,
  });
  const raw = {
    kasAddress: values["kas-address"] ?? env.TETHER_KAS_ADDRESS,
    tokenFile: values["token-file"] ?? env.TETHER_AGENT_TOKEN_FILE,
    kasCaFile: values["kas-ca-file"] ?? env.TETHER_KAS_CA_FILE,
    kubeconfig: values.kubeconfig ?? env.KUBECONFIG,
    observabilityAddress: values["observability-address"] ?? env.TETHER_AGENT_OBSERVABILITY_ADDRESS,
    minIdleStreams: values["min-idle-streams"] ?? env.TETHER_AGENT_MIN_IDLE_STREAMS,
    maxStreams: values["max-streams"] ?? env.TETHER_AGENT_MAX_STREAMS,
    idleTrimIntervalMs: values["idle-trim-interval-ms"] ?? env.TETHER_AGENT_IDLE_TRIM_INTERVAL_MS,
    apiserverHttp2: values["apiserver-http2"] ?? env.TETHER_AGENT_APISERVER_HTTP2,
    configPollIntervalMs: values["config-poll-interval-ms"] ?? env.TETHER_AGENT_CONFIG_POLL_INTERVAL_MS,
    fluxCoalesceMs: values["flux-coalesce-ms"] ?? env.TETHER_AGENT_FLUX_COALESCE_MS,
    fluxLeaseNamespace: values["flux-lease-namespace"] ?? env.TETHER_AGENT_FLUX_LEASE_NAMESPACE,
    receptive: values.receptive === undefined ? env.TETHER_AGENT_RECEPTIVE : String(values.receptive),
    receptiveAddress: values["receptive-address"] ?? env.TETHER_AGENT_RECEPTIVE_ADDRESS,
    receptiveCertFile: values["receptive-cert-file"] ?? env.TETHER_AGENT_RECEPTIVE_CERT_FILE,
    receptiveKeyFile: values["receptive-key-file"] ?? env.TETHER_AGENT_RECEPTIVE_KEY_FILE,
    receptiveJwtPublicKeyFile:
      values["receptive-jwt-public-key-file"] ?? env.TETHER_AGENT_RECEPTIVE_JWT_PUBLIC_KEY_FILE,
    receptiveClientCaFile: values["receptive-client-ca-file"] ?? env.TETHER_AGENT_RECEPTIVE_CLIENT_CA_FILE,
    podName: env.POD_NAME,
    podNamespace: env.POD_NAMESPACE,
  };
  const r = schema.safeParse(raw);
  const problems = [...(r.success ? [] : r.error.issues.map((i) => i.message)), ...crossChecks(raw)];
  if (!r.success || problems.length > 0)
    throw new Error(`agent: invalid configuration\n${problems.map((m) => `  ${m}`).join("\n")}`);
  return r.data;
}
