// An OIDC issuer's discovery document and key set, fetched over HTTPS with deadlines and cached: the key
// set is jose's remote JWKS (cached, fetched again when a token names an unknown kid, after a cooldown).
// Extra CAs (a self-hosted GitLab behind a private CA) come from TETHER_CI_OIDC_CA_FILE.
import fs from "node:fs";
import https from "node:https";
import tls from "node:tls";
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { Unavailable } from "@/lib/errors";

/** Each fetch (discovery, key set) gets this long; both together stay well under the 10 s a CI job waits. */
export const ISSUER_FETCH_TIMEOUT_MS = 4_000;
const DISCOVERY_TTL_MS = 60 * 60_000;
const MAX_DOCUMENT_BYTES = 512 * 1024;

const discoverySchema = z.object({
  issuer: z.string(),
  jwks_uri: z.string().refine((v) => v.startsWith("https://"), "jwks_uri must be an https:// URL"),
});

export interface IssuerClientOptions {
  /** PEM certificates trusted besides the system's roots. */
  extraCa?: string;
  timeoutMs?: number;
}

/** GET over HTTPS with the trusted roots, as a fetch Response; rejects with the signal's reason when it aborts. */
function httpsGet(ca: string[], url: string, signal: AbortSignal, headers?: Headers): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const req = https.get(url, { ca, headers: Object.fromEntries(headers?.entries() ?? []), signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_DOCUMENT_BYTES) req.destroy(new Error(`${url} answered more than 512 KiB`));
        else chunks.push(c);
      });
      res.on("end", () =>
        resolve(
          new Response(Buffer.concat(chunks), {
            status: res.statusCode ?? 500,
            headers: { "content-type": String(res.headers["content-type"] ?? "") },
          }),
        ),
      );
      res.on("error", reject);
    });
    req.on("error", (e) => reject(signal.aborted ? signal.reason : e));
  });
}

export class IssuerClient {
  private readonly ca: string[];
  private readonly timeoutMs: number;
  private readonly discovery = new Map<string, { jwksUri: string; at: number }>();
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(opts: IssuerClientOptions = {}) {
    this.ca = [...tls.rootCertificates, ...(opts.extraCa ? [opts.extraCa] : [])];
    this.timeoutMs = opts.timeoutMs ?? ISSUER_FETCH_TIMEOUT_MS;
  }

  private readonly fetchImpl = (url: string, init: { signal: AbortSignal; headers?: Headers }) =>
    httpsGet(this.ca, url, init.signal, init.headers);

  /** The issuer's jwks_uri from its discovery document; Unavailable when the issuer cannot be asked. */
  async jwksUri(issuer: string): Promise<string> {
    const cached = this.discovery.get(issuer);
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.jwksUri;
    const url = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new Unavailable(
        e instanceof Error && e.name === "TimeoutError"
          ? `the issuer's discovery document ${url} did not answer within ${this.timeoutMs / 1000} s; try again later`
          : `the issuer's discovery document ${url} could not be fetched (${e instanceof Error ? e.message : String(e)}); try again later`,
      );
    }
    if (res.status !== 200) throw new Unavailable(`the issuer's discovery document ${url} answered ${res.status}`);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new Unavailable(`the issuer's discovery document ${url} is not JSON`);
    }
    const parsed = discoverySchema.safeParse(body);
    if (!parsed.success)
      throw new Unavailable(`the issuer's discovery document ${url} is not usable: ${parsed.error.issues[0]?.message}`);
    if (parsed.data.issuer !== issuer)
      throw new Unavailable(`the discovery document ${url} names issuer ${parsed.data.issuer}, not ${issuer}`);
    this.discovery.set(issuer, { jwksUri: parsed.data.jwks_uri, at: Date.now() });
    return parsed.data.jwks_uri;
  }

  /** jose's key getter for the issuer's key set (one per jwks_uri, kept across requests). */
  keySet(jwksUri: string): JWTVerifyGetKey {
    let set = this.keySets.get(jwksUri);
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUri), {
        timeoutDuration: this.timeoutMs,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
        [customFetch]: this.fetchImpl,
      });
      this.keySets.set(jwksUri, set);
    }
    return set;
  }
}

const g = globalThis as unknown as { tetherIssuerClient?: IssuerClient };

/** The process's issuer client (its caches are shared by every request). */
export function defaultIssuerClient(env: Record<string, string | undefined> = process.env): IssuerClient {
  if (!g.tetherIssuerClient) {
    const file = env.TETHER_CI_OIDC_CA_FILE?.trim();
    g.tetherIssuerClient = new IssuerClient({ extraCa: file ? fs.readFileSync(file, "utf8") : undefined });
  }
  return g.tetherIssuerClient;
}
