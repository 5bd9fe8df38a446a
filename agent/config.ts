// Agent configuration from flags (--name=value) and environment variables, validated at start.
import { parseArgs } from "node:util";
import { z } from "zod";

export const AGENT_VERSION = "0.1.0";

const schema = z.object({
  kasAddress: z
    .string({ error: "set --kas-address (or TETHER_KAS_ADDRESS), e.g. grpcs://kas.example.com:443" })
    .regex(/^grpcs?:\/\/[\w.-]+:\d+$/, "kas address must look like grpc://host:port or grpcs://host:port"),
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
  podName: z.string().default(""),
  podNamespace: z.string().default(""),
});

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
    },
    strict: true,
  });
  const r = schema.safeParse({
    kasAddress: values["kas-address"] ?? env.TETHER_KAS_ADDRESS,
    tokenFile: values["token-file"] ?? env.TETHER_AGENT_TOKEN_FILE,
    kasCaFile: values["kas-ca-file"] ?? env.TETHER_KAS_CA_FILE,
    kubeconfig: values.kubeconfig ?? env.KUBECONFIG,
    observabilityAddress: values["observability-address"] ?? env.TETHER_AGENT_OBSERVABILITY_ADDRESS,
    minIdleStreams: values["min-idle-streams"] ?? env.TETHER_AGENT_MIN_IDLE_STREAMS,
    maxStreams: values["max-streams"] ?? env.TETHER_AGENT_MAX_STREAMS,
    idleTrimIntervalMs: values["idle-trim-interval-ms"] ?? env.TETHER_AGENT_IDLE_TRIM_INTERVAL_MS,
    apiserverHttp2: values["apiserver-http2"] ?? env.TETHER_AGENT_APISERVER_HTTP2,
    podName: env.POD_NAME,
    podNamespace: env.POD_NAMESPACE,
  });
  if (!r.success)
    throw new Error(`agent: invalid configuration\n${r.error.issues.map((i) => `  ${i.message}`).join("\n")}`);
  return r.data;
}
