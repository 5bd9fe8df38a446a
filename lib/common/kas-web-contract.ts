// The calls kas makes to web's internal API, typed once: each call's path and the zod schemas of its
// request and answer, and the rule for which k8s-proxy requests the audit log keeps. Both sides import
// this module (kas/web-api.ts and lib/kas-bridge), so it imports nothing but zod.
import { z } from "zod";

/** Where web serves the calls (app/api/internal/kas/[action]/route.ts): this prefix and the call's name. */
export const KAS_WEB_PATH_PREFIX = "/api/internal/kas/";

const agentId = z.string().min(1).max(100);

/** What an agent reports at register and heartbeat, and which kas replica heard it. */
export const agentInfoSchema = z.object({
  agentVersion: z.string().max(100),
  kubernetesVersion: z.string().max(100),
  nodeCount: z.number().int().min(0).max(1_000_000),
  podName: z.string().max(253),
  podNamespace: z.string().max(63),
  kasId: z.string().max(200),
});
export type AgentInfo = z.infer<typeof agentInfoSchema>;

export const proxyActorSchema = z.object({
  type: z.enum(["user", "ci_job"]),
  id: z.string().max(100),
  name: z.string().max(300),
});

/** web's yes to a k8s-proxy credential: the agent, who calls, and as whom the agent acts. */
export const proxyGrantSchema = z.object({
  allowed: z.literal(true),
  agentId: z.string(),
  agentName: z.string(),
  actor: proxyActorSchema,
  accessAs: z.enum(["agent", "user", "ci_job"]),
  impersonation: z
    .object({
      user: z.string(),
      groups: z.array(z.string()),
      /** Impersonate-Extra-<key>: values (a CI job's repository and ref); absent means none. */
      extra: z.record(z.string(), z.array(z.string())).optional(),
    })
    .nullable(),
  defaultNamespace: z.string().nullable(),
});
export type ProxyGrant = z.infer<typeof proxyGrantSchema>;

const ok = z.object({ ok: z.literal(true) });

/** A push web recorded from a forge's webhook, as kas hands it to an agent (proto GitPush). */
export const gitPushSchema = z.object({
  pushId: z.string().min(1).max(100),
  repositoryUrls: z.array(z.string().max(2000)).max(20),
  ref: z.string().max(1000),
  after: z.string().max(64),
  receivedMs: z.number().int().min(0),
});
export type GitPushNotice = z.infer<typeof gitPushSchema>;

/** What an agent did about pushes: annotated N GitRepository objects, found none, has Flux off, or failed. */
export const PUSH_OUTCOMES = ["reconciled", "no_match", "disabled", "error"] as const;
/** Push ids in one outcome report (the agent splits a larger coalesced burst). */
export const MAX_OUTCOME_PUSH_IDS = 200;

export const kasWebCalls = {
  /** Whose agent token is this? 401 when unknown or revoked, 429 when too many lookups failed. */
  "verify-agent-token": {
    request: z.object({ token: z.string().max(200) }),
    response: z.object({
      agentId: z.string(),
      agentName: z.string(),
      projectPath: z.string(),
      /** Which of the agent's tokens it is, so contacts can say where it was last used from. */
      tokenId: z.string().max(100).optional(),
    }),
  },
  /** What an agent reported (register or heartbeat), with the token it used and the address kas saw it at. */
  "agent-contact": {
    request: z.object({
      agentId,
      info: agentInfoSchema,
      tokenId: z.string().max(100).optional(),
      /** The agent's connection as kas sees it: "10.0.3.7:41234" (a proxy's address when one is between). */
      peerAddress: z.string().max(200).optional(),
    }),
    response: ok,
  },
  /** The agent's configuration in force (version 0 and empty YAML before the first save). */
  "agent-configuration": {
    request: z.object({ agentId }),
    response: z.object({ yaml: z.string(), version: z.number().int().min(0) }),
  },
  /** May this k8s-proxy credential use its agent, and as whom? A refusal is 401 or 403 with { error }. */
  "authorize-proxy": {
    request: z.object({ credential: z.string().max(400) }),
    response: proxyGrantSchema,
  },
  /** A k8s-proxy request for the audit log (kas sends only what isAuditedProxyRequest keeps). */
  "proxy-audit": {
    request: z.object({
      agentId,
      actor: proxyActorSchema,
      method: z.string().max(10),
      path: z.string().max(2000),
      status: z.number().int(),
    }),
    response: ok,
  },
  /**
   * The receptive agents kas dials, private halves decrypted. web holds the answer up to waitMs while its
   * version still equals `since`, so kas hears of a change at once (long poll).
   */
  "receptive-agents": {
    request: z.object({ since: z.string().max(100), waitMs: z.number().int().min(0).max(30_000) }),
    response: z.object({
      version: z.string(),
      agents: z.array(
        z.object({
          agentId: z.string(),
          url: z.string(),
          caCert: z.string().nullable(),
          tlsServerName: z.string().nullable(),
          auth: z.discriminatedUnion("method", [
            z.object({ method: z.literal("jwt"), privateKeyPem: z.string() }),
            z.object({ method: z.literal("mtls"), clientCertPem: z.string(), clientKeyPem: z.string() }),
          ]),
        }),
      ),
    }),
  },
  /** kas's connection to a receptive agent: connected, or failing with the message the agent page shows. */
  "receptive-state": {
    request: z.object({
      agentId,
      state: z.enum(["connecting", "connected", "failing"]),
      message: z.string().max(1000).nullable(),
    }),
    response: ok,
  },
  /** Pushes the agent has not answered yet that are under 10 minutes old (kas asks when a push stream opens). */
  "flux-pending-pushes": {
    request: z.object({ agentId }),
    response: z.object({ pushes: z.array(gitPushSchema) }),
  },
  /** What the agent did about pushes (the pushes it reconciled in one go), for the project page. */
  "flux-push-outcomes": {
    request: z.object({
      agentId,
      pushIds: z.array(z.string().min(1).max(100)).min(1).max(MAX_OUTCOME_PUSH_IDS),
      outcome: z.enum(PUSH_OUTCOMES),
      objects: z.number().int().min(0).max(1_000_000),
      message: z.string().max(1000).nullable(),
    }),
    response: ok,
  },
} as const;

export type KasWebCall = keyof typeof kasWebCalls;
export type KasWebRequest<C extends KasWebCall> = z.infer<(typeof kasWebCalls)[C]["request"]>;
export type KasWebResponse<C extends KasWebCall> = z.infer<(typeof kasWebCalls)[C]["response"]>;

/**
 * Several calls in one request (POST KAS_WEB_PATH_PREFIX + "batch"): kas gathers the calls nobody waits on
 * interactively (token checks, heartbeats, configuration polls) for a moment and sends them together, so a
 * kas serving a thousand agents makes a few requests a second instead of hundreds. Each call's body and
 * answer are checked with that call's own schemas; each answer carries the status the call alone would
 * have had. The batch itself is refused (401) only when its token is.
 */
export const KAS_WEB_BATCH_MAX = 500;
export const kasWebBatchSchema = {
  request: z.object({
    calls: z
      .array(z.object({ call: z.string().max(100), body: z.unknown() }))
      .min(1)
      .max(KAS_WEB_BATCH_MAX),
  }),
  response: z.object({ answers: z.array(z.object({ status: z.number().int(), body: z.unknown() })) }),
};
export const KAS_WEB_BATCH_PATH = `${KAS_WEB_PATH_PREFIX}batch`;

/** The body of every refusal web sends kas. */
export const kasWebErrorSchema = z.object({ error: z.string() });

export function kasWebPath(call: KasWebCall): string {
  return KAS_WEB_PATH_PREFIX + call;
}

export function isKasWebCall(name: string): name is KasWebCall {
  return Object.hasOwn(kasWebCalls, name);
}

/** "/apis/apps/v1/namespaces/ci/deployments/web" → resource "deployments", namespace "ci", name "web". */
export function describeApiPath(p: string): { resource: string; namespace: string | null; name: string | null } {
  const parts = p.split("?")[0]!.split("/").filter(Boolean);
  const rest = parts[0] === "api" ? parts.slice(2) : parts.slice(3);
  let namespace: string | null = null;
  if (rest[0] === "namespaces" && rest.length > 2) {
    namespace = rest[1]!;
    rest.splice(0, 2);
  }
  // A subresource is named with its resource, as RBAC names it: pods/exec, deployments/scale.
  return { resource: rest[2] ? `${rest[0]}/${rest[2]}` : (rest[0] ?? ""), namespace, name: rest[1] ?? null };
}

/**
 * The k8s-proxy requests the audit log keeps: writes, refusals (a refused read too: someone tried), and
 * sessions on a pod (exec, attach, port-forward), which kubectl opens with a GET. kas asks this before
 * it calls proxy-audit, and web again before it writes.
 */
export function isAuditedProxyRequest(method: string, path: string, status: number): boolean {
  if (status >= 400 || WRITE_METHODS.has(method)) return true;
  // kas asks this once per proxied request: most paths are told apart without splitting them.
  return POD_SESSION_WORD.test(path) && /^pods\/(exec|attach|portforward)$/.test(describeApiPath(path).resource);
}

const WRITE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Every pod session's path has one of these words as a whole segment (not every such path is one). */
const POD_SESSION_WORD = /\/(?:exec|attach|portforward)(?:[/?]|$)/;
