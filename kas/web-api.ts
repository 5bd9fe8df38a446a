// kas's calls to web's internal API (lib/common/kas-web-contract: the paths, and the schemas web's
// answers are checked with): whose token is this, what did the agent report, its configuration, may
// this credential use the k8s-proxy, and the proxy's audit records. Each call carries a fresh
// short-lived JWT signed with the shared secret. Token answers are cached briefly so that an agent
// opening many streams does not mean many lookups.
import { signInternalJwt } from "../lib/common/internal-jwt";
import {
  kasWebCalls,
  kasWebErrorSchema,
  kasWebPath,
  type AgentInfo,
  type KasWebCall,
  type KasWebRequest,
  type KasWebResponse,
  type ProxyGrant,
} from "../lib/common/kas-web-contract";

export type AgentIdentity = KasWebResponse<"verify-agent-token">;
export type { ProxyGrant };

/** What the agent reported; kas adds which replica heard it. */
export type ReportedInfo = Omit<AgentInfo, "kasId">;

export class TokenRejectedError extends Error {}

export class ProxyRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** web answered with a body the contract does not allow: a version mismatch or a bug, never retried into sense. */
export class MalformedAnswerError extends Error {}

export class WebApi {
  private readonly cache = new Map<string, { at: number; identity: AgentIdentity | null }>();

  constructor(
    private readonly webUrl: string,
    private readonly secret: string,
    private readonly cacheMs: number,
    private readonly kasId: string,
  ) {}

  private async post<C extends KasWebCall>(call: C, body: KasWebRequest<C>, timeoutMs = 10_000): Promise<Response> {
    const jwt = await signInternalJwt(this.secret, "tether-kas", "tether-web");
    return fetch(new URL(kasWebPath(call), this.webUrl), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${jwt}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  /** web's answer to `call`, checked against the contract. */
  private async answer<C extends KasWebCall>(call: C, res: Response): Promise<KasWebResponse<C>> {
    const body: unknown = await res.json().catch(() => undefined);
    const parsed = kasWebCalls[call].response.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new MalformedAnswerError(
        `web's internal API sent a malformed answer to ${call}: ${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "not JSON"}`,
      );
    }
    return parsed.data as KasWebResponse<C>;
  }

  /** The agent for a token, or TokenRejectedError. `fresh` skips the cache (periodic re-checks). */
  async verifyAgentToken(token: string, fresh = false): Promise<AgentIdentity> {
    const cached = this.cache.get(token);
    if (!fresh && cached && Date.now() - cached.at < this.cacheMs) {
      if (!cached.identity) throw new TokenRejectedError("agent token is not valid (unknown or revoked)");
      return cached.identity;
    }
    const res = await this.post("verify-agent-token", { token });
    if (res.status === 401 || res.status === 404) {
      this.cache.set(token, { at: Date.now(), identity: null });
      throw new TokenRejectedError("agent token is not valid (unknown or revoked)");
    }
    if (res.status === 429) throw new TokenRejectedError("too many failed token lookups; try again later");
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to a token check`);
    const identity = await this.answer("verify-agent-token", res);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { at: Date.now(), identity });
    return identity;
  }

  private readonly grants = new Map<string, { at: number; grant: ProxyGrant }>();

  /** May this credential use its agent, and as whom? Grants are cached briefly; refusals never are. */
  async authorizeProxy(credential: string): Promise<ProxyGrant> {
    const cached = this.grants.get(credential);
    if (cached && Date.now() - cached.at < this.cacheMs) return cached.grant;
    const res = await this.post("authorize-proxy", { credential });
    if (!res.ok) {
      if (res.status >= 500) throw new Error(`web's internal API answered ${res.status} to a proxy authorization`);
      const refusal = kasWebErrorSchema.safeParse(await res.json().catch(() => undefined));
      throw new ProxyRefusedError(res.status, refusal.success ? refusal.data.error : `refused (${res.status})`);
    }
    const grant = await this.answer("authorize-proxy", res);
    if (this.grants.size > 10_000) this.grants.clear();
    this.grants.set(credential, { at: Date.now(), grant });
    return grant;
  }

  /** Sends a k8s-proxy request to the audit log; the caller decides with isAuditedProxyRequest whether to. */
  async auditProxyRequest(record: KasWebRequest<"proxy-audit">): Promise<void> {
    const res = await this.post("proxy-audit", record);
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to an audit record`);
    await this.answer("proxy-audit", res);
  }

  async recordContact(
    agentId: string,
    info: ReportedInfo,
    via: { tokenId?: string; peerAddress?: string } = {},
  ): Promise<void> {
    const res = await this.post("agent-contact", {
      agentId,
      info: { ...info, kasId: this.kasId },
      ...(via.tokenId ? { tokenId: via.tokenId } : {}),
      ...(via.peerAddress ? { peerAddress: via.peerAddress.slice(0, 200) } : {}),
    });
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to an agent contact report`);
    await this.answer("agent-contact", res);
  }

  async agentConfiguration(agentId: string): Promise<KasWebResponse<"agent-configuration">> {
    const res = await this.post("agent-configuration", { agentId });
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to a configuration request`);
    return this.answer("agent-configuration", res);
  }

  /** The receptive agents to dial; web holds the answer up to `waitMs` while nothing changed since `since`. */
  async receptiveAgents(since: string, waitMs: number): Promise<KasWebResponse<"receptive-agents">> {
    const res = await this.post("receptive-agents", { since, waitMs }, waitMs + 10_000);
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to the receptive agents request`);
    return this.answer("receptive-agents", res);
  }

  /** Pushes web still holds for the agent (unanswered, under 10 minutes old). */
  async fluxPendingPushes(agentId: string): Promise<KasWebResponse<"flux-pending-pushes">> {
    const res = await this.post("flux-pending-pushes", { agentId });
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to a pending pushes request`);
    return this.answer("flux-pending-pushes", res);
  }

  /** What the agent did about pushes. */
  async reportPushOutcomes(report: KasWebRequest<"flux-push-outcomes">): Promise<void> {
    const res = await this.post("flux-push-outcomes", report);
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to a push outcome report`);
    await this.answer("flux-push-outcomes", res);
  }

  /** kas's word on its connection to a receptive agent, for the agent page. */
  async reportReceptiveState(state: KasWebRequest<"receptive-state">): Promise<void> {
    const res = await this.post("receptive-state", state);
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to a receptive state report`);
    await this.answer("receptive-state", res);
  }
}
