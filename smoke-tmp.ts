import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { registerTestAgent, startAgentProcess, startKasProcess, startWebInternal, tunnelClientFor } from "@/testbed/tunnel-stack";

async function main() {
  const api = http.createServer((req, res) => {
    if (req.url?.includes("watch=1")) { res.writeHead(200, {"content-type":"application/json"}); res.write('{"type":"ADDED","object":{"metadata":{"name":"x","resourceVersion":"5"}}}\n'); return; }
    res.writeHead(200, { "content-type": "application/json" }); res.end(JSON.stringify({ kind: "Status", path: req.url, big: "q".repeat(Number(new URL(req.url!, "http://x").searchParams.get("n") ?? 10)) }));
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  const port = (api.address() as { port: number }).port;
  console.log("start"); const web = await startWebInternal(); console.log("web");
  const kc = path.join(web.dir, "kc");
  fs.writeFileSync(kc, JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: "c", cluster: { server: `http://127.0.0.1:${port}` } }], users: [{ name: "u", user: { token: "t" } }], contexts: [{ name: "c", context: { cluster: "c", user: "u" } }], "current-context": "c" }));
  const reg = await registerTestAgent(web.db);
  const peer = path.join(web.dir, "peer"); fs.writeFileSync(peer, randomBytes(32).toString("hex"));
  const env = (id: string) => ({ TETHER_KAS_ID: id, TETHER_REDIS_URL: "redis://127.0.0.1:6379/9", TETHER_KAS_PEER_SECRET_FILE: peer, TETHER_KAS_REGISTRY_TTL_MS: "3000", TETHER_KAS_AGENT_WAIT_MS: "5000" });
  const a = await startKasProcess(web, env("smoke-a"));
  const b = await startKasProcess(web, env("smoke-b"));
  console.log("kas up"); const agent = await startAgentProcess({ kasAgentPort: a.agentPort, token: reg.token, kubeconfig: kc, dir: web.dir });
  const cb = tunnelClientFor(web, b);
  const t0 = Date.now();
  for (let k = 0;; k++) { const s = await cb.agentStatus(reg.agentId); if (k % 20 === 0) console.log(JSON.stringify(s)); if (k === 600) { console.log("AGENT", agent.output().slice(-2500)); console.log("A", a.output().slice(-2500)); } if (s.connected) { console.log("status via b", JSON.stringify(s), Date.now() - t0); break; } await new Promise((r) => setTimeout(r, 100)); }
  const r = await cb.agentFetch(reg.agentId, { path: "/api/v1/namespaces?n=5000000" });
  const body = await r.text();
  console.log("via b", r.status, body.length);
  const ac = new AbortController();
  const w = await cb.agentFetch(reg.agentId, { path: "/api/v1/x?watch=1", signal: ac.signal });
  const rd = w.body!.getReader(); const first = await rd.read(); console.log("watch", w.status, Buffer.from(first.value!).toString().slice(0, 60));
  ac.abort();
  let t1 = Date.now(); for (let i = 0; i < 200; i++) await (await cb.agentFetch(reg.agentId, { path: "/x" })).text(); const fwd = Date.now() - t1;
  const ca = tunnelClientFor(web, a);
  t1 = Date.now(); for (let i = 0; i < 200; i++) await (await ca.agentFetch(reg.agentId, { path: "/x" })).text(); const loc = Date.now() - t1;
  console.log("200 sequential GETs: forwarded", fwd, "ms, local", loc, "ms");
  await agent.kill();
  const e = await cb.agentFetch(reg.agentId, { path: "/x", timeoutMs: 1500 }).catch((e: Error) => e.message);
  console.log("after agent stop:", e);
  await b.kill(); await a.kill();
  console.log(a.output().split("\n").filter((l) => /warn|error/.test(l)).slice(0, 5).join("\n"));
  console.log(b.output().split("\n").filter((l) => /warn|error/.test(l)).slice(0, 5).join("\n"));
  await web.close(); api.close(); cb.close(); ca.close();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
