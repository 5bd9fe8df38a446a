// Small JSON requests to the API server over the agent's own connections (KubeApi), for the Lease and
// the GitRepository objects: the answer's status and parsed body.
import { randomUUID } from "node:crypto";
import type { KubeApi } from "../kube-proxy";

export interface KubeAnswer {
  status: number;
  /** The parsed JSON body (a Status object on errors), or null when there was none. */
  body: unknown;
}

export function kubeJson(
  kube: KubeApi,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
  timeoutMs = 15_000,
): Promise<KubeAnswer> {
  return new Promise((resolve, reject) => {
    const headers = [{ name: "accept", values: ["application/json"] }];
    if (body !== undefined) headers.push({ name: "content-type", values: [contentType] });
    const req = kube.request({ requestId: randomUUID(), method, path, headers, noBody: body === undefined });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${method} ${path}: no answer from the API server within ${timeoutMs} ms`));
    }, timeoutMs);
    req.onError((e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.onResponse((res) => {
      const chunks: Buffer[] = [];
      res.body.on("data", (c: Buffer) => chunks.push(c));
      res.body.on("error", (e: Error) => {
        clearTimeout(timer);
        reject(e);
      });
      res.body.on("end", () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          parsed = { message: text.slice(0, 300) };
        }
        resolve({ status: res.status, body: parsed });
      });
    });
    if (body !== undefined) req.write(Buffer.from(JSON.stringify(body)));
    if (body !== undefined) req.end();
  });
}

/** The API server's own words for a failed answer. */
export function statusMessage(a: KubeAnswer): string {
  const m = (a.body as { message?: unknown } | null)?.message;
  return typeof m === "string" && m ? m : `HTTP ${a.status}`;
}
