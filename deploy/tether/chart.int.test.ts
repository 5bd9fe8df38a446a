// Tether's own chart (web, kas, the migration Job): it lints with both values files, renders what a user relies
// on (replicas, disruption budgets, probes, the secrets only by reference, kas's Redis and pod-IP settings with
// several replicas, listening on :: for IPv6, the network policies, kas behind a gRPC Ingress or a
// TLS-terminating load balancer), refuses incomplete values with a message naming the setting, and the testbed's
// real API server accepts the renderings (server-side dry run with strict field validation).
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ensureHelm } from "../../testbed/helm";

const chartDir = __dirname;
const MINIMAL = path.join(chartDir, "values-minimal.yaml");
const PRODUCTION = path.join(chartDir, "values-production.yaml");
const NS = "tether-chart-test";
const DB_URL = "postgres://tether:s3cret-pw@postgres.example.test:5432/tether";

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}
/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are read field by field */
type Any = any;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exec(cmd: string, args: string[], input?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

function parse(yamlText: string): Obj[] {
  // Plain objects as helm wrote them (the client's typed models would rename fields, e.g. a rule's from to _from).
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null && typeof o === "object");
}

function find(objs: Obj[], kind: string, name: string): Any {
  const found = objs.find((o) => o.kind === kind && o.metadata.name === name);
  expect(found, `${kind}/${name} in ${objs.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`).toBeDefined();
  return found;
}

const container = (dep: Any): Any => dep.spec.template.spec.containers[0];
const envOf = (dep: Any): Any[] => container(dep).env;
const envVar = (dep: Any, name: string): Any => envOf(dep).find((e: Any) => e.name === name);
const decode = (b64: string) => Buffer.from(b64, "base64").toString("utf8");

describe("Tether's chart (deploy/tether)", () => {
  const tb = inject("testbed");
  let helm = "";
  const kubectl = (args: string[], input?: string) =>
    exec(tb.kubectlPath, ["--kubeconfig", tb.kubeconfig, ...args], input);

  async function template(valuesFile: string | null, sets: Record<string, string> = {}): Promise<Result> {
    const args = ["template", "tether", chartDir, "--namespace", NS];
    if (valuesFile) args.push("-f", valuesFile);
    for (const [k, v] of Object.entries(sets)) args.push("--set", `${k}=${v}`);
    return exec(helm, args);
  }
  async function render(valuesFile: string | null, sets: Record<string, string> = {}) {
    const r = await template(valuesFile, sets);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return { text: r.stdout, objs: parse(r.stdout) };
  }
  const minimalSets = { "secrets.databaseUrl": DB_URL };

  beforeAll(async () => {
    helm = await ensureHelm();
    const ns = await kubectl(["create", "namespace", NS]);
    expect(ns.stderr).toBe("");
  }, 20 * 60_000);
  afterAll(async () => {
    await kubectl(["delete", "namespace", NS, "--wait=false"]);
  });

  it("helm lint --strict passes with values-minimal.yaml and with values-production.yaml", async () => {
    for (const [file, sets] of [
      [MINIMAL, ["--set", `secrets.databaseUrl=${DB_URL}`]],
      [PRODUCTION, []],
    ] as const) {
      const r = await exec(helm, ["lint", "--strict", chartDir, "-f", file, ...sets]);
      expect(r.stdout + r.stderr, path.basename(file)).toContain("1 chart(s) linted, 0 chart(s) failed");
      expect(r.code).toBe(0);
    }
  });

  it("minimal: one web and one kas, no disruption budgets, probes on /healthz and /readyz, secrets generated", async () => {
    const { objs } = await render(MINIMAL, minimalSets);
    const web = find(objs, "Deployment", "tether-web");
    const kas = find(objs, "Deployment", "tether-kas");
    expect(web.spec.replicas).toBe(1);
    expect(kas.spec.replicas).toBe(1);
    expect(objs.filter((o) => o.kind === "PodDisruptionBudget")).toEqual([]);

    expect(container(web).livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container(web).readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(container(web).startupProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container(web).ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
    expect(container(kas).livenessProbe.httpGet).toEqual({ path: "/healthz", port: "observability" });
    expect(container(kas).readinessProbe.httpGet).toEqual({ path: "/readyz", port: "observability" });
    for (const dep of [web, kas]) {
      expect(container(dep).resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container(dep).resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container(dep).securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
      // No secret value in a Deployment: only references.
      expect(JSON.stringify(dep)).not.toContain("s3cret-pw");
    }
    expect(container(web).image).toBe("tether/web:0.1.0");
    expect(container(kas).image).toBe("tether/kas:0.1.0");

    // One kas: no Redis, no peer secret, no private address.
    for (const name of ["TETHER_REDIS_URL", "TETHER_KAS_PEER_SECRET_FILE", "TETHER_KAS_POD_IP"])
      expect(envVar(kas, name), name).toBeUndefined();
    expect(envVar(kas, "TETHER_KAS_ID")).toEqual({
      name: "TETHER_KAS_ID",
      valueFrom: { fieldRef: { fieldPath: "metadata.name" } },
    });
    expect(envVar(kas, "TETHER_WEB_URL").value).toBe("http://tether-web:80");
    expect(envVar(web, "TETHER_KAS_INTERNAL_ADDRESS").value).toBe("tether-kas-internal:8153");
    expect(envVar(web, "TETHER_PUBLIC_URL").value).toBe("https://tether.example.com");
    expect(envVar(web, "DATABASE_URL").valueFrom.secretKeyRef).toEqual({ name: "tether-secrets", key: "database-url" });

    // The chart's Secret: the given database URL, and the shared secrets generated (long enough for their readers).
    const secret = find(objs, "Secret", "tether-secrets");
    expect(secret.metadata.annotations["helm.sh/resource-policy"]).toBe("keep");
    expect(decode(secret.data["database-url"])).toBe(DB_URL);
    expect(secret.data["redis-url"]).toBeUndefined();
    for (const key of ["nextauth-secret", "kas-shared-secret", "kas-peer-secret"])
      expect(decode(secret.data[key]).length, key).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(decode(secret.data["receptive-encryption-key"]), "base64")).toHaveLength(32);
    // Two renderings generate different secrets (an upgrade reads the stored ones back instead).
    const again = find((await render(MINIMAL, minimalSets)).objs, "Secret", "tether-secrets");
    expect(again.data["kas-shared-secret"]).not.toBe(secret.data["kas-shared-secret"]);

    // kas's self-signed certificate names the kas host, and web puts it into the kubeconfigs it hands out.
    const tls = find(objs, "Secret", "tether-kas-tls");
    expect(tls.type).toBe("kubernetes.io/tls");
    const cert = new X509Certificate(decode(tls.data["tls.crt"]));
    expect(cert.subjectAltName).toContain("DNS:kas.example.com");
    expect(envVar(kas, "TETHER_KAS_TLS_CERT_FILE").value).toBe("/etc/tether/kas-tls/tls.crt");
    expect(envVar(web, "TETHER_KAS_K8S_PROXY_TLS_CERT_FILE").value).toBe("/etc/tether/kas-ca/tls.crt");

    const ingress = find(objs, "Ingress", "tether-web");
    expect(ingress.spec.rules).toEqual([
      {
        host: "tether.example.com",
        http: {
          paths: [
            { path: "/", pathType: "Prefix", backend: { service: { name: "tether-web", port: { name: "http" } } } },
          ],
        },
      },
    ]);
    expect(find(objs, "Service", "tether-kas").spec.type).toBe("LoadBalancer");
    expect(find(objs, "Service", "tether-kas-internal").spec).toMatchObject({
      type: "ClusterIP",
      ports: [{ name: "internal", port: 8153, targetPort: "internal", protocol: "TCP" }],
    });
  });

  it("minimal: the migrations run first, as a hook Job of the web image with the database URL from a hook Secret", async () => {
    const { objs } = await render(MINIMAL, minimalSets);
    const job = find(objs, "Job", "tether-migrate");
    expect(job.metadata.annotations).toMatchObject({
      "helm.sh/hook": "pre-install,pre-upgrade",
      "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
    });
    const c = job.spec.template.spec.containers[0];
    expect(c.image).toBe("tether/web:0.1.0");
    expect(c.command).toEqual(["node", "--enable-source-maps", "dist/migrate/db-migrate.js"]);
    expect(c.env).toEqual([
      { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "tether-migrate", key: "database-url" } } },
    ]);
    expect(job.spec.template.spec.restartPolicy).toBe("Never");
    // Its Secret exists before it (a lower weight): the release's own Secret does not exist yet on a first install.
    const hookSecret = find(objs, "Secret", "tether-migrate");
    expect(Number(hookSecret.metadata.annotations["helm.sh/hook-weight"])).toBeLessThan(
      Number(job.metadata.annotations["helm.sh/hook-weight"]),
    );
    expect(hookSecret.metadata.annotations["helm.sh/hook"]).toBe("pre-install,pre-upgrade");
    expect(decode(hookSecret.data["database-url"])).toBe(DB_URL);
  });

  it("production: two web and three kas replicas with disruption budgets, kas on Redis with pod-IP addresses", async () => {
    const { objs } = await render(PRODUCTION);
    const web = find(objs, "Deployment", "tether-web");
    const kas = find(objs, "Deployment", "tether-kas");
    expect(web.spec.replicas).toBe(2);
    expect(kas.spec.replicas).toBe(3);
    expect(find(objs, "PodDisruptionBudget", "tether-kas").spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: kas.spec.selector.matchLabels },
    });
    expect(find(objs, "PodDisruptionBudget", "tether-web").spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: web.spec.selector.matchLabels },
    });
    expect(kas.spec.selector.matchLabels).toEqual(kas.spec.template.metadata.labels);

    // kas joins its pod IP with the internal port itself, in brackets when it is IPv6 (kas/config.ts).
    expect(envVar(kas, "TETHER_KAS_POD_IP").valueFrom).toEqual({ fieldRef: { fieldPath: "status.podIP" } });
    expect(envVar(kas, "TETHER_KAS_PRIVATE_ADDRESS")).toBeUndefined();
    expect(envVar(kas, "TETHER_KAS_INTERNAL_ADDRESS").value).toBe("[::]:8153");
    expect(envVar(kas, "TETHER_REDIS_URL").valueFrom.secretKeyRef).toEqual({
      name: "tether-secrets",
      key: "redis-url",
    });
    expect(envVar(kas, "TETHER_KAS_PEER_SECRET_FILE").value).toBe("/etc/tether/secrets/kas-peer-secret");
    const secretsVolume = kas.spec.template.spec.volumes.find((v: Any) => v.name === "secrets");
    expect(secretsVolume.secret.secretName).toBe("tether-secrets");
    expect(secretsVolume.secret.items.map((i: Any) => i.key)).toEqual(["kas-shared-secret", "kas-peer-secret"]);
    // Spread over nodes: the chart fills in the selector of kas's own pods.
    expect(kas.spec.template.spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: "kubernetes.io/hostname",
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: { matchLabels: kas.spec.selector.matchLabels },
      },
    ]);
    expect(find(objs, "Service", "tether-kas").spec.ports.map((p: Any) => [p.name, p.port])).toEqual([
      ["agent", 443],
      ["k8s-proxy", 8154],
    ]);
    const ingress = find(objs, "Ingress", "tether-web");
    expect(ingress.spec.ingressClassName).toBe("nginx");
    expect(ingress.spec.tls).toEqual([{ hosts: ["tether.example.com"], secretName: "tether-web-tls" }]);
    expect(ingress.metadata.annotations["nginx.ingress.kubernetes.io/proxy-buffering"]).toBe("off");
  });

  it("production (existingSecret): renders no Secret at all; web, kas and the migration Job read the user's", async () => {
    const { objs } = await render(PRODUCTION);
    expect(objs.filter((o) => o.kind === "Secret")).toEqual([]);
    const job = find(objs, "Job", "tether-migrate");
    expect(job.spec.template.spec.containers[0].env).toEqual([
      { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "tether-secrets", key: "database-url" } } },
    ]);
    const kas = find(objs, "Deployment", "tether-kas");
    for (const dep of [find(objs, "Deployment", "tether-web"), kas]) {
      const refs = envOf(dep).flatMap((e: Any) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : []));
      expect(new Set(refs)).toEqual(new Set(["tether-secrets"]));
      expect(dep.spec.template.spec.volumes.find((v: Any) => v.name === "secrets").secret.secretName).toBe(
        "tether-secrets",
      );
    }
    // kas's certificate is the user's TLS Secret.
    expect(kas.spec.template.spec.volumes.find((v: Any) => v.name === "kas-tls").secret.secretName).toBe(
      "tether-kas-tls",
    );
    // Optional keys do not stop a pod when the user's Secret lacks them.
    const smtp = envVar(find(objs, "Deployment", "tether-web"), "TETHER_SMTP_URL");
    expect(smtp.valueFrom.secretKeyRef).toEqual({ name: "tether-secrets", key: "smtp-url", optional: true });
  });

  it("IPv6: web and kas listen on :: (IPv4 and IPv6), or on listenHost", async () => {
    const kasAddresses = (objs: Obj[]) =>
      Object.fromEntries(
        envOf(find(objs, "Deployment", "tether-kas"))
          .filter((e: Any) => /^TETHER_KAS_\w+_ADDRESS$/.test(e.name))
          .map((e: Any) => [e.name, e.value]),
      );
    const { objs } = await render(MINIMAL, minimalSets);
    expect(kasAddresses(objs)).toEqual({
      TETHER_KAS_AGENT_ADDRESS: "[::]:8150",
      TETHER_KAS_OBSERVABILITY_ADDRESS: "[::]:8151",
      TETHER_KAS_INTERNAL_ADDRESS: "[::]:8153",
      TETHER_KAS_K8S_PROXY_ADDRESS: "[::]:8154",
    });
    expect(envVar(find(objs, "Deployment", "tether-web"), "HOSTNAME").value).toBe("::");
    // Nodes without IPv6 in their kernel: IPv4 only.
    const v4 = (await render(MINIMAL, { ...minimalSets, listenHost: "0.0.0.0" })).objs;
    expect(kasAddresses(v4).TETHER_KAS_AGENT_ADDRESS).toBe("0.0.0.0:8150");
    expect(envVar(find(v4, "Deployment", "tether-web"), "HOSTNAME").value).toBe("0.0.0.0");
    // A dual-stack Service for agents, on request.
    const dual = (await render(MINIMAL, { ...minimalSets, "kas.service.ipFamilyPolicy": "PreferDualStack" })).objs;
    expect(find(dual, "Service", "tether-kas").spec.ipFamilyPolicy).toBe("PreferDualStack");
    expect(find(objs, "Service", "tether-kas").spec.ipFamilyPolicy).toBeUndefined();
  });

  const policySets = {
    "networkPolicy.enabled": "true",
    "networkPolicy.ingressController.namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name": "ingress-system",
    "networkPolicy.ingressController.podSelector.matchLabels.app\\.kubernetes\\.io/name": "ingress-nginx",
  };

  it("network policies: off by default; web only from the ingress controller and kas, kas's internal port only from web and kas", async () => {
    expect((await render(PRODUCTION)).objs.filter((o) => o.kind === "NetworkPolicy")).toEqual([]);
    const { objs } = await render(PRODUCTION, policySets);
    const web = find(objs, "Deployment", "tether-web");
    const kas = find(objs, "Deployment", "tether-kas");
    const webSel = { podSelector: { matchLabels: web.spec.selector.matchLabels } };
    const kasSel = { podSelector: { matchLabels: kas.spec.selector.matchLabels } };
    const controller = {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-system" } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } },
    };

    const webPolicy = find(objs, "NetworkPolicy", "tether-web");
    expect(webPolicy.spec.podSelector).toEqual(web.spec.selector);
    // Egress stays open unless rules are given.
    expect(webPolicy.spec.policyTypes).toEqual(["Ingress"]);
    expect(webPolicy.spec.ingress).toEqual([
      { from: [controller, kasSel], ports: [{ port: "http", protocol: "TCP" }] },
    ]);

    const kasPolicy = find(objs, "NetworkPolicy", "tether-kas");
    expect(kasPolicy.spec.podSelector).toEqual(kas.spec.selector);
    expect(kasPolicy.spec.policyTypes).toEqual(["Ingress"]);
    const rulesFor = (port: string) =>
      kasPolicy.spec.ingress.filter((r: Any) => r.ports.some((p: Any) => p.port === port));
    // Agents dial in from other clusters: the agent and proxy ports take anyone (no from).
    expect(rulesFor("agent")).toEqual([
      {
        ports: [
          { port: "agent", protocol: "TCP" },
          { port: "k8s-proxy", protocol: "TCP" },
        ],
      },
    ]);
    // The internal port (web's tunnel client, kas-to-kas forwarding): web and kas pods only, in one rule.
    expect(rulesFor("internal")).toEqual([{ from: [webSel, kasSel], ports: [{ port: "internal", protocol: "TCP" }] }]);
    // Named ports name the containers' ports.
    expect(container(kas).ports.map((p: Any) => p.name)).toEqual(
      expect.arrayContaining(["agent", "k8s-proxy", "internal"]),
    );

    // Restricted: the public ports from given CIDRs (IPv4 and IPv6) and the gRPC Ingress's controller; metrics
    // scrapers; egress to the user's rules plus web <-> kas.
    const restricted = (
      await render(PRODUCTION, {
        ...policySets,
        "networkPolicy.kasPublicCidrs": "{203.0.113.0/24,2001:db8::/48}",
        "kas.ingress.enabled": "true",
        "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name": "monitoring",
        "networkPolicy.egress[0].to[0].ipBlock.cidr": "10.0.5.0/24",
        "networkPolicy.egress[0].ports[0].port": "5432",
      })
    ).objs;
    const kasR = find(restricted, "NetworkPolicy", "tether-kas");
    expect(kasR.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(kasR.spec.ingress[0].from).toEqual([
      { ipBlock: { cidr: "203.0.113.0/24" } },
      { ipBlock: { cidr: "2001:db8::/48" } },
      controller,
    ]);
    const monitoring = [{ namespaceSelector: { matchLabels: { name: "monitoring" } } }];
    expect(kasR.spec.ingress).toContainEqual({ from: monitoring, ports: [{ port: "observability", protocol: "TCP" }] });
    const userEgress = { to: [{ ipBlock: { cidr: "10.0.5.0/24" } }], ports: [{ port: 5432 }] };
    expect(kasR.spec.egress).toEqual([
      { to: [webSel], ports: [{ port: 3000, protocol: "TCP" }] },
      { to: [kasSel], ports: [{ port: 8153, protocol: "TCP" }] },
      userEgress,
    ]);
    const webR = find(restricted, "NetworkPolicy", "tether-web");
    expect(webR.spec.ingress).toContainEqual({ from: monitoring, ports: [{ port: "http", protocol: "TCP" }] });
    expect(webR.spec.egress).toEqual([{ to: [kasSel], ports: [{ port: 8153, protocol: "TCP" }] }, userEgress]);
  });

  const grpcIngressSets = {
    ...minimalSets,
    "kas.tls.selfSigned": "false",
    "kas.ingress.enabled": "true",
    "kas.ingress.className": "nginx",
    "kas.ingress.tlsSecretName": "kas-example-tls",
    "kas.ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/proxy-read-timeout": "3600",
    "publicUrls.kasAgent": "grpcs://kas.example.com:443",
  };

  it("kas behind a gRPC Ingress: TLS ends there, kas listens in plaintext, agents dial grpcs://", async () => {
    const { objs } = await render(MINIMAL, grpcIngressSets);
    const ingress = find(objs, "Ingress", "tether-kas");
    expect(ingress.metadata.annotations).toEqual({
      "nginx.ingress.kubernetes.io/backend-protocol": "GRPC",
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
    });
    expect(ingress.spec).toEqual({
      ingressClassName: "nginx",
      tls: [{ hosts: ["kas.example.com"], secretName: "kas-example-tls" }],
      rules: [
        {
          host: "kas.example.com",
          http: {
            paths: [
              { path: "/", pathType: "Prefix", backend: { service: { name: "tether-kas", port: { name: "agent" } } } },
            ],
          },
        },
      ],
    });
    const kas = find(objs, "Deployment", "tether-kas");
    expect(envVar(kas, "TETHER_KAS_TLS_CERT_FILE")).toBeUndefined();
    expect(objs.filter((o) => o.kind === "Secret").map((o) => o.metadata.name)).not.toContain("tether-kas-tls");
    // Agents are told the public grpcs:// address.
    expect(envVar(find(objs, "Deployment", "tether-web"), "TETHER_KAS_PUBLIC_AGENT_URL").value).toBe(
      "grpcs://kas.example.com:443",
    );
    // kas with a certificate of its own behind the Ingress: re-encrypted (GRPCS).
    const production = (
      await render(PRODUCTION, { "kas.ingress.enabled": "true", "kas.ingress.host": "kas.example.com" })
    ).objs;
    expect(find(production, "Ingress", "tether-kas").metadata.annotations).toEqual({
      "nginx.ingress.kubernetes.io/backend-protocol": "GRPCS",
    });
    // A TLS-terminating load balancer instead of an Ingress: no Ingress, no certificate, grpcs:// accepted.
    const lb = (
      await render(MINIMAL, {
        ...minimalSets,
        "kas.tls.selfSigned": "false",
        "kas.tls.terminatedInFront": "true",
        "publicUrls.kasAgent": "grpcs://kas.example.com:443",
      })
    ).objs;
    expect(lb.filter((o) => o.kind === "Ingress").map((o) => o.metadata.name)).toEqual(["tether-web"]);
    expect(envVar(find(lb, "Deployment", "tether-kas"), "TETHER_KAS_TLS_CERT_FILE")).toBeUndefined();
  });

  it("refuses incomplete or contradictory values, naming the setting", async () => {
    const cases: [string | null, Record<string, string>, string][] = [
      [MINIMAL, {}, "secrets.databaseUrl is required"],
      [
        MINIMAL,
        { "secrets.databaseUrl": "file:data/tether.db" },
        "secrets.databaseUrl must be a postgres:// or postgresql:// URL",
      ],
      [MINIMAL, { ...minimalSets, "kas.replicas": "3" }, "secrets.redisUrl is required with kas.replicas=3"],
      [
        MINIMAL,
        { ...minimalSets, "kas.tls.selfSigned": "false" },
        "publicUrls.kasAgent is grpcs:// but kas has no certificate",
      ],
      [
        MINIMAL,
        { ...minimalSets, "publicUrls.kasK8sProxy": "http://kas.example.com:8154" },
        "publicUrls.kasK8sProxy must be an https:// address",
      ],
      [null, minimalSets, "publicUrls.web is required"],
      [
        MINIMAL,
        { ...grpcIngressSets, "publicUrls.kasAgent": "grpc://kas.example.com:443" },
        "publicUrls.kasAgent must be grpcs:// when TLS ends in front of kas (kas.ingress.enabled or kas.tls.terminatedInFront)",
      ],
      [
        MINIMAL,
        {
          ...minimalSets,
          "kas.tls.selfSigned": "false",
          "kas.tls.terminatedInFront": "true",
          "publicUrls.kasAgent": "grpc://kas.example.com:8150",
        },
        "publicUrls.kasAgent must be grpcs:// when TLS ends in front of kas",
      ],
      [
        MINIMAL,
        { ...grpcIngressSets, "kas.ingress.host": "agents.example.com" },
        "kas.ingress.host (agents.example.com) must be the host of publicUrls.kasAgent (grpcs://kas.example.com:443)",
      ],
      [
        MINIMAL,
        {
          ...grpcIngressSets,
          "kas.ingress.host": "tether.example.com",
          "publicUrls.kasAgent": "grpcs://tether.example.com",
        },
        "kas.ingress.host (tether.example.com) must differ from web's Ingress host",
      ],
      [MINIMAL, { ...minimalSets, listenHost: "localhost" }, "listenHost must be an IP address to listen on"],
    ];
    for (const [file, sets, message] of cases) {
      const r = await template(file, sets);
      expect(r.code, message).not.toBe(0);
      expect(r.stderr).toContain(message);
    }
    // A valid variant: several kas replicas once Redis is given.
    const ok = await render(MINIMAL, { ...minimalSets, "kas.replicas": "3", "secrets.redisUrl": "redis://redis:6379" });
    expect(decode(find(ok.objs, "Secret", "tether-secrets").data["redis-url"])).toBe("redis://redis:6379");
  });

  it("the API server accepts both renderings (server-side dry run, strict field validation)", async () => {
    for (const [file, sets] of [
      [MINIMAL, minimalSets],
      [PRODUCTION, {}],
    ] as const) {
      const { text } = await render(file, sets);
      const r = await kubectl(["apply", "--dry-run=server", "--validate=strict", "-n", NS, "-f", "-"], text);
      expect(r.stderr, path.basename(file)).toBe("");
      expect(r.code).toBe(0);
      for (const line of [
        "deployment.apps/tether-web created (server dry run)",
        "deployment.apps/tether-kas created (server dry run)",
        "service/tether-web created (server dry run)",
        "service/tether-kas created (server dry run)",
        "service/tether-kas-internal created (server dry run)",
        "ingress.networking.k8s.io/tether-web created (server dry run)",
        "job.batch/tether-migrate created (server dry run)",
      ])
        expect(r.stdout, `${path.basename(file)}: ${line}`).toContain(line);
      if (file === PRODUCTION) {
        expect(r.stdout).toContain("poddisruptionbudget.policy/tether-kas created (server dry run)");
        expect(r.stdout).toContain("poddisruptionbudget.policy/tether-web created (server dry run)");
      } else {
        expect(r.stdout).toContain("secret/tether-secrets created (server dry run)");
        expect(r.stdout).toContain("secret/tether-kas-tls created (server dry run)");
      }
    }
    // The network policies (restricted: CIDRs of both families, egress rules) and kas's gRPC Ingress.
    const variants: [string, Record<string, string>, string[]][] = [
      [
        PRODUCTION,
        {
          ...policySets,
          "networkPolicy.kasPublicCidrs": "{203.0.113.0/24,2001:db8::/48}",
          "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name": "monitoring",
          "networkPolicy.egress[0].to[0].ipBlock.cidr": "10.0.5.0/24",
          "networkPolicy.egress[0].ports[0].port": "5432",
          "kas.ingress.enabled": "true",
          "kas.ingress.host": "kas.example.com",
          // A number given with --set still becomes the string an annotation must be.
          "ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/proxy-connect-timeout": "30",
          "kas.service.ipFamilyPolicy": "PreferDualStack",
        },
        [
          "networkpolicy.networking.k8s.io/tether-web created (server dry run)",
          "networkpolicy.networking.k8s.io/tether-kas created (server dry run)",
          "ingress.networking.k8s.io/tether-kas created (server dry run)",
        ],
      ],
      [
        MINIMAL,
        { ...grpcIngressSets, ...policySets },
        [
          "networkpolicy.networking.k8s.io/tether-kas created (server dry run)",
          "ingress.networking.k8s.io/tether-kas created (server dry run)",
        ],
      ],
    ];
    for (const [file, sets, lines] of variants) {
      const { text } = await render(file, sets);
      const r = await kubectl(["apply", "--dry-run=server", "--validate=strict", "-n", NS, "-f", "-"], text);
      expect(r.stderr, path.basename(file)).toBe("");
      expect(r.code).toBe(0);
      for (const line of lines) expect(r.stdout, line).toContain(line);
    }
    // The dry run really validates: a misspelt field in a copy of the rendering is refused, not dropped.
    const { text } = await render(PRODUCTION);
    const typo = text.replace("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true");
    expect(typo).not.toBe(text);
    const refused = await kubectl(["apply", "--dry-run=server", "--validate=strict", "-n", NS, "-f", "-"], typo);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'unknown field "spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem"',
    );
    // A dry run persists nothing.
    const get = await kubectl(["-n", NS, "get", "deployment", "tether-kas"]);
    expect(get.code).not.toBe(0);
    expect(get.stderr).toContain("NotFound");
  });
});
