// kas's calls to web's internal API (lib/common/kas-web-contract: the paths, and the schemas web's
// answers are checked with): whose token is this, what did the agent report, its configuration, may
// this credential use the k8s-proxy, and the proxy's audit records. Each call carries a fresh
// short-lived JWT signed with the shared secret. Token answers are cached briefly so that an agent
// opening many streams does not mean many lookups.
import { internalJwt } from "../lib/common/internal-jwt";
import {
  KAS_WEB_BATCH_PATH,
  kasWebBatchSchema,
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

/** An answer of web: a fetch Response, or one call's answer out of a batch. */
interface Answer {
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
}

/** Calls nobody waits on interactively: they may wait `batchMs` to travel with others (KAS_WEB_BATCH_PATH). */
const BATCHED: ReadonlySet<KasWebCall> = new Set([
  "verify-agent-token",
  "agent-contact",
  "agent-configuration",
  "flux-pending-pushes",
]);
/** Calls per batch request (each under a few KB, far below web's 1 MiB batch body limit). */
const BATCH_ITEMS = 100;

interface Queued {
  call: KasWebCall;
  body: unknown;
  resolve(a: Answer): void;
  reject(e: unknown): void;
}

export interface WebApiOptions {
  /** How long a batched call may wait for others (ms); 0 sends every call alone. */
  batchMs?: number;
  /** How long a token confirmed by a periodic re-check stays trusted (until the next re-check has run). */
  recheckMs?: number;
}

export class WebApi {
  private readonly cache = new Map<string, { at: number; until: number; identity: AgentIdentity | null }>();
  private queue: Queued[] = [];
  private batchTimer: NodeJS.Timeout | null = null;
  /** web without the batch call (an older version during an upgrade): every call goes alone. */
  private batchUnsupported = false;
  private readonly batchMs: number;
  private readonly recheckMs: number;

  constructor(
    private readonly webUrl: string,
    private readonly secret: string,
    private readonly cacheMs: number,
    private readonly kasId: string,
    options: WebApiOptions = {},
  ) {
    this.batchMs = options.batchMs ?? 0;
    this.recheckMs = options.recheckMs ?? 0;
  }

  private async fetchJson(path: string, body: unknown, timeoutMs: number): Promise<Response> {
    const jwt = await internalJwt(this.secret, "tether-kas", "tether-web");
    return fetch(new URL(path, this.webUrl), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${jwt}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  private post<C extends KasWebCall>(call: C, body: KasWebRequest<C>, timeoutMs = 10_000): Promise<Answer> {
    if (this.batchMs <= 0 || this.batchUnsupported || !BATCHED.has(call))
      return this.fetchJson(kasWebPath(call), body, timeoutMs);
    return new Promise<Answer>((resolve, reject) => {
      this.queue.push({ call, body, resolve, reject });
      if (this.queue.length >= BATCH_ITEMS) this.flush();
      else this.batchTimer ??= setTimeout(() => this.flush(), this.batchMs);
    });
  }

  /** Sends the queued calls, BATCH_ITEMS to a request; each caller gets its own call's answer. */
  private flush(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    while (this.queue.length > 0) void this.sendBatch(this.queue.splice(0, BATCH_ITEMS));
  }

  private async sendBatch(items: Queued[]): Promise<void> {
    try {
      const res = await this.fetchJson(
        KAS_WEB_BATCH_PATH,
        { calls: items.map((q) => ({ call: q.call, body: q.body })) },
        // As long as one call alone, and a little more for each further call web answers in the batch.
        10_000 + 50 * items.length,
      );
      if (res.status === 404 || res.status === 405 || res.status === 413) {
        // web predates batches: send these (and every later call) alone.
        this.batchUnsupported = true;
        for (const q of items) this.fetchJson(kasWebPath(q.call), q.body, 10_000).then(q.resolve, q.reject);
        return;
      }
      if (!res.ok) throw new Error(`web's internal API answered ${res.status} to a batch of ${items.length} calls`);
      const parsed = kasWebBatchSchema.response.safeParse(await res.json().catch(() => undefined));
      if (!parsed.success || parsed.data.answers.length !== items.length)
        throw new MalformedAnswerError(
          `web's internal API sent a malformed answer to a batch of ${items.length} calls`,
        );
      parsed.data.answers.forEach((a, i) =>
        items[i]!.resolve({
          status: a.status,
          ok: a.status >= 200 && a.status < 300,
          json: () => Promise.resolve(a.body),
        }),
      );
    } catch (e) {
      for (const q of items) q.reject(e);
    }
  }

  /** web's answer to `call`, checked against the contract. */
  private async answer<C extends KasWebCall>(call: C, res: Answer): Promise<KasWebResponse<C>> {
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

  /**
   * The agent for a token, or TokenRejectedError. Answers come from a cache (TETHER_KAS_TOKEN_CACHE_MS);
   * `recheck`: a periodic re-check, which accepts only an answer younger than `recheck.maxAgeMs` (0: ask
   * web now, as a published revocation does) and whose yes then stays trusted until the next re-check is
   * due (recheckMs), so the heartbeats and configuration polls of connected agents need no lookups.
   */
  async verifyAgentToken(token: string, recheck?: { maxAgeMs: number }): Promise<AgentIdentity> {
    const cached = this.cache.get(token);
    const now = Date.now();
    const usable = cached && (recheck ? now - cached.at < recheck.maxAgeMs : now < cached.until);
    if (cached && usable) {
      if (!cached.identity) throw new TokenRejectedError("agent token is not valid (unknown or revoked)");
      return cached.identity;
    }
    // An agent opens its streams all at once: the lookups of one token while one is under way share it.
    // A re-check asks web itself (it must not take an answer older than it allows).
    const pending = recheck ? undefined : this.lookups.get(token);
    if (pending) return pending;
    const lookup = this.lookup(token, recheck !== undefined);
    if (!recheck) {
      this.lookups.set(token, lookup);
      void lookup.catch(() => undefined).finally(() => this.lookups.delete(token));
    }
    return lookup;
  }

  private readonly lookups = new Map<string, Promise<AgentIdentity>>();

  private async lookup(token: string, recheck: boolean): Promise<AgentIdentity> {
    const res = await this.post("verify-agent-token", { token });
    if (res.status === 401 || res.status === 404) {
      this.cache.set(token, { at: Date.now(), until: Date.now() + this.cacheMs, identity: null });
      throw new TokenRejectedError("agent token is not valid (unknown or revoked)");
    }
    if (res.status === 429) throw new TokenRejectedError("too many failed token lookups; try again later");
    if (!res.ok) throw new Error(`web's internal API answered ${res.status} to a token check`);
    const identity = await this.answer("verify-agent-token", res);
    if (this.cache.size > 10_000) this.cache.clear();
    const at = Date.now();
    const keep = recheck ? this.recheckMs + this.cacheMs : this.cacheMs;
    this.cache.set(token, { at, until: at + keep, identity });
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
