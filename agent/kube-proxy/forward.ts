// Sends one tunnelled request to the Kubernetes API server with the agent's own credentials, plus the
// impersonation that kas put in the request metadata (never a caller's own Impersonate-* headers).
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { isDroppedRequestHeader, isHopByHopHeader } from "../../lib/common/tunnel-errors";
import type { HeaderField, Impersonation, RequestHeader } from "../../proto/gen/tether/v1/tunnel";

export class KubeApi {
  private readonly agent: https.Agent | http.Agent;
  private readonly base: URL;

  private constructor(
    private readonly kc: KubeConfig,
    private readonly tls: https.RequestOptions,
  ) {
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new Error("the kubeconfig has no current cluster");
    this.base = new URL(server);
    this.agent = this.base.protocol === "https:" ? new https.Agent({ keepAlive: true, maxSockets: Infinity }) : new http.Agent({ keepAlive: true });
  }

  static async create(kc: KubeConfig): Promise<KubeApi> {
    const tls: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    return new KubeApi(kc, tls);
  }

  get server(): string {
    return this.base.toString();
  }

  /** Starts a request; the caller writes the body and handles the response. */
  request(header: RequestHeader): http.ClientRequest {
    const url = new URL(header.path, this.base);
    const headers = upstreamHeaders(header.headers, header.impersonation);
    // Credentials from the kubeconfig / service account (applyToHTTPSOptions puts them in headers).
    for (const [k, v] of Object.entries((this.tls.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
    const opts: https.RequestOptions = {
      ...this.tls,
      method: header.method,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers,
      agent: this.agent,
    };
    return this.base.protocol === "https:" ? https.request(opts) : http.request(opts);
  }
}

export function upstreamHeaders(fields: HeaderField[], imp: Impersonation | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const f of fields) {
    if (isDroppedRequestHeader(f.name)) continue;
    out[f.name.toLowerCase()] = f.values.length === 1 ? f.values[0]! : f.values;
  }
  // A connection upgrade (exec, attach, port-forward): the protocol kas passed on, and the Connection
  // header that goes with it on this hop.
  const upgrade = fields.find((f) => f.name.toLowerCase() === "upgrade")?.values[0];
  if (upgrade) {
    out.upgrade = upgrade;
    out.connection = "Upgrade";
  }
  if (imp && imp.user) {
    out["impersonate-user"] = imp.user;
    if (imp.groups.length) out["impersonate-group"] = imp.groups;
    if (imp.uid) out["impersonate-uid"] = imp.uid;
    for (const [k, v] of Object.entries(imp.extra)) out[`impersonate-extra-${encodeURIComponent(k)}`] = v.values;
  }
  return out;
}

export function responseHeaders(res: http.IncomingMessage): HeaderField[] {
  const out: HeaderField[] = [];
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || isHopByHopHeader(name)) continue;
    out.push({ name, values: Array.isArray(value) ? value : [value] });
  }
  return out;
}
