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
