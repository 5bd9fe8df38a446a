// kas's calls to web's internal API: whose token is this, and what did the agent report. Each call
// carries a fresh short-lived JWT signed with the shared secret. Token answers are cached briefly so
// that an agent opening many streams does not mean many lookups.
import { signInternalJwt } from "../lib/common/internal-jwt";

export interface AgentIdentity {
  agentId: string;
  agentName: string;
  projectPath: string;
}

export interface ReportedInfo {
  agentVersion: string;
  kubernetesVersion: string;
  nodeCount: number;
  podName: string;
  podNamespace: string;
}

export class TokenRejectedError extends Error {}

export interface ProxyGrant {
  agentId: string;
  agentName: string;
  actor: { type: "user" | "ci_job"; id: string; name: string };
  accessAs: "agent" | "user" | "ci_job";
  impersonation: { user: string; groups: string[] } | null;
}

export class ProxyRefusedError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class WebApi {
  private readonly cache = new Map<string, { at: number; identity: AgentIdentity | null }>();

  constructor(
    private readonly webUrl: string,
    private readonly secret: string,
    private readonly cacheMs: number,
    private readonly kasId: string,
  ) {}

  private async post(path: string, body: unknown): Promise<Response> {
    const jwt = await signInternalJwt(this.secret, "tether-kas", "tether-web");
    return fetch(new URL(path, this.webUrl), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${jwt}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  }

  /** The agent for a token, or TokenRejectedError. `fresh` skips the cache (periodic re-checks). */
  async verifyAgentToken(token: string, fresh = false): Promise<AgentIdentity> {
    const cached = this.cache.get(token);
    if (!fresh && cached && Date.now() - cached.at < this.cacheMs) {
      if (!cached.identity) throw new TokenRejectedError("agent token is not valid (unknown or revoked)");
      return cached.identity;
    }
    const res = await this.post("/api/internal/kas/verify-agent-token", { token });
    if (res.status === 401 || res.status === 404) {
      this.cache.set(token, { at: Date.now(), identity: null });
      throw new TokenRejectedError("agent token is not valid (unknown or revoked)");
    }
    if (res.status === 429) throw new TokenRejectedError("too many failed token lookups; try again later");
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to a token check`);
    const identity = (await res.json()) as AgentIdentity;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { at: Date.now(), identity });
    return identity;
  }

  private readonly grants = new Map<string, { at: number; grant: ProxyGrant }>();

  /** May this credential use its agent, and as whom? Grants are cached briefly; refusals never are. */
  async authorizeProxy(credential: string): Promise<ProxyGrant> {
    const cached = this.grants.get(credential);
    if (cached && Date.now() - cached.at < this.cacheMs) return cached.grant;
    const res = await this.post("/api/internal/kas/authorize-proxy", { credential });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      if (res.status >= 500) throw new Error(`web's internal API answered ${res.status} to a proxy authorization`);
      throw new ProxyRefusedError(res.status, body.error ?? `refused (${res.status})`);
    }
    const grant = (await res.json()) as ProxyGrant;
    if (this.grants.size > 10_000) this.grants.clear();
    this.grants.set(credential, { at: Date.now(), grant });
    return grant;
  }

  async auditProxyRequest(record: { agentId: string; actor: ProxyGrant["actor"]; method: string; path: string; status: number }): Promise<void> {
    const res = await this.post("/api/internal/kas/proxy-audit", record);
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to an audit record`);
  }

  async recordContact(agentId: string, info: ReportedInfo): Promise<void> {
    const res = await this.post("/api/internal/kas/agent-contact", { agentId, info: { ...info, kasId: this.kasId } });
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to an agent contact report`);
  }

  async agentConfiguration(agentId: string): Promise<{ yaml: string; version: number }> {
    const res = await this.post("/api/internal/kas/agent-configuration", { agentId });
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to a configuration request`);
    return (await res.json()) as { yaml: string; version: number };
  }
}
