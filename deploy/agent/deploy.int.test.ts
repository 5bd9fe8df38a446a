// The agent's install artefacts: the Helm chart lints and renders what the brief promises (non-root,
// probes, token only in a mounted Secret, safe RBAC unless cluster-admin is asked for), the plain
// manifest stays in sync with it, and the real API server accepts both (server-side dry run).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadAllYaml } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureHelm } from "../../testbed/helm";

const chartDir = path.join(__dirname, "chart");
const manifestFile = path.join(__dirname, "manifest.yaml");
const receptiveManifestFile = path.join(__dirname, "manifest-receptive.yaml");

const KAS = "grpcs://kas.example.test:8150";
const TOKEN = "tta_itTokenValue0123456789abcdefghijklmnopqrstuv";

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
  return (loadAllYaml(yamlText) as (Obj | null)[]).filter((o): o is Obj => o !== null && typeof o === "object");
}

function one(objs: Obj[], kind: string): Any {
  const found = objs.filter((o) => o.kind === kind);
  expect(
    found.map((o) => o.metadata.name),
    `exactly one ${kind}`,
  ).toHaveLength(1);
  return found[0];
}

describe("agent install artefacts", () => {
  const tb = inject("testbed");
  let helm = "";
  const kubectl = (args: string[], input?: string) =>
    exec(tb.kubectlPath, ["--kubeconfig", tb.kubeconfig, ...args], input);

  async function template(
    sets: Record<string, string>,
    opts: { release?: string; namespace?: string } = {},
  ): Promise<Result> {
    const args = [
      "template",
      opts.release ?? "tether-agent",
      chartDir,
      "--namespace",
      opts.namespace ?? "tether-agent",
    ];
    for (const [k, v] of Object.entries(sets)) args.push("--set", `${k}=${v}`);
    return exec(helm, args);
  }
  async function render(
    sets: Record<string, string>,
    opts?: { release?: string; namespace?: string },
  ): Promise<{ text: string; objs: Obj[] }> {
    const r = await template(sets, opts);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return { text: r.stdout, objs: parse(r.stdout) };
  }
  const defaults = { "config.kasAddress": KAS, "config.token": TOKEN };

  beforeAll(async () => {
    // Built by `npm run testbed:build`; built here (a few minutes, once) when it is not cached yet.
    helm = await ensureHelm();
    const ns = await kubectl(["create", "namespace", "tether-agent", "--save-config"]);
    expect(ns.stderr).toBe("");
  }, 20 * 60_000);
  afterAll(async () => {
    await kubectl(["delete", "namespace", "tether-agent", "--wait=false"]);
  });

  it("helm lint passes (strict)", async () => {
    const r = await exec(helm, [
      "lint",
      "--strict",
      chartDir,
      "--set",
      `config.kasAddress=${KAS}`,
      "--set",
      `config.token=${TOKEN}`,
    ]);
    expect(r.stdout + r.stderr).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(r.code).toBe(0);
    const version = await exec(helm, ["version", "--short"]);
    expect(version.stdout).toMatch(/^v3\.\d+\.\d+/);
  });

  it("renders a non-root Deployment with probes, the token only in a mounted Secret, and safe RBAC", async () => {
    const { objs } = await render(defaults);
    expect(objs.map((o) => o.kind).sort()).toEqual([
      "ClusterRole",
      "ClusterRoleBinding",
      "Deployment",
      "Role",
      "RoleBinding",
      "Secret",
      "ServiceAccount",
    ]);
    for (const o of objs) if (!o.kind.startsWith("Cluster")) expect(o.metadata.namespace, o.kind).toBe("tether-agent");

    const secret = one(objs, "Secret");
    expect(secret.metadata.name).toBe("tether-agent-token");
    expect(secret.stringData).toEqual({ token: TOKEN });

    const dep = one(objs, "Deployment");
    expect(dep.metadata.name).toBe("tether-agent");
    expect(dep.spec.replicas).toBe(1);
    const pod = dep.spec.template.spec;
    expect(pod.serviceAccountName).toBe("tether-agent");
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0];
    expect(c.image).toBe("tether/agent:0.1.0");
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.args).toEqual([`--kas-address=${KAS}`, "--token-file=/etc/tether-agent/token/token"]);
    expect(c.env).toEqual([
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
    ]);

    // The token file is the Secret's `token` key, mounted read-only.
    const mount = c.volumeMounts.find((m: Any) => m.mountPath === "/etc/tether-agent/token");
    expect(mount).toMatchObject({ readOnly: true });
    const vol = pod.volumes.find((v: Any) => v.name === mount.name);
    expect(vol.secret).toMatchObject({ secretName: "tether-agent-token", items: [{ key: "token", path: "token" }] });
    // ...and appears nowhere else: not in args, env or annotations of the Deployment.
    expect(JSON.stringify(dep)).not.toContain(TOKEN);

    const role = one(objs, "ClusterRole");
    const rules = role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    expect(rules).toContainEqual({
      apiGroups: [""],
      resources: ["users", "groups", "serviceaccounts"],
      verbs: ["impersonate"],
    });
    // The only writes cluster-wide: asking Flux to reconcile (a patch of GitRepository objects). Everything else
    // is read-only; the Lease that makes one agent pod the one that does it is in the agent's namespace only.
    const writes = [
      { apiGroups: ["source.toolkit.fluxcd.io"], resources: ["gitrepositories"], verbs: ["get", "list", "patch"] },
    ];
    for (const w of writes) expect(rules).toContainEqual(w);
    expect(JSON.stringify(rules)).not.toContain("leases");
    const leader = one(objs, "Role");
    expect(leader.metadata.namespace).toBe("tether-agent");
    expect(leader.rules).toEqual([
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] },
    ]);
    const leaderBinding = one(objs, "RoleBinding");
    expect(leaderBinding.metadata.namespace).toBe("tether-agent");
    expect(leaderBinding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: leader.metadata.name,
    });
    expect(leaderBinding.subjects).toEqual([
      { kind: "ServiceAccount", name: "tether-agent", namespace: "tether-agent" },
    ]);
    for (const r of rules) {
      expect(r.resources).not.toContain("secrets");
      expect(r.resources).not.toContain("*");
      if (r.verbs.includes("impersonate")) continue;
      if (writes.some((w) => JSON.stringify(w) === JSON.stringify(r))) continue;
      expect(r.verbs, JSON.stringify(r)).toEqual(["get", "list", "watch"]);
    }
    const binding = one(objs, "ClusterRoleBinding");
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "tether-agent", namespace: "tether-agent" }]);
    expect(objs.some((o: Any) => o.roleRef?.name === "cluster-admin")).toBe(false);
  });

  it("binds cluster-admin only when rbac.clusterAdmin is true", async () => {
    const { objs } = await render({ ...defaults, "rbac.clusterAdmin": "true" });
    expect(objs.filter((o) => o.kind === "ClusterRole")).toEqual([]);
    const binding = one(objs, "ClusterRoleBinding");
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: "cluster-admin",
    });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "tether-agent", namespace: "tether-agent" }]);
  });

  it("uses an existing Secret instead of creating one, and mounts a private kas CA when given", async () => {
    const ca = "-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----";
    const { objs } = await render({
      "config.kasAddress": KAS,
      "config.existingSecret": "my-agent-token",
      "config.caCert": ca,
    });
    expect(objs.filter((o) => o.kind === "Secret")).toEqual([]);
    const cm = one(objs, "ConfigMap");
    expect(cm.data["ca.crt"].trim()).toBe(ca);
    const pod = one(objs, "Deployment").spec.template.spec;
    const c = pod.containers[0];
    expect(c.args).toContain("--kas-ca-file=/etc/tether-agent/kas-ca/ca.crt");
    expect(c.volumeMounts).toContainEqual({ name: "kas-ca", mountPath: "/etc/tether-agent/kas-ca", readOnly: true });
    expect(pod.volumes).toContainEqual({
      name: "kas-ca",
      configMap: { name: cm.metadata.name, items: [{ key: "ca.crt", path: "ca.crt" }] },
    });
    expect(pod.volumes.find((v: Any) => v.name === "token").secret.secretName).toBe("my-agent-token");
  });

  it("refuses to render without kasAddress or without a token, saying what to set", async () => {
    const noKas = await template({ "config.token": TOKEN });
    expect(noKas.code).not.toBe(0);
    expect(noKas.stderr).toContain("config.kasAddress is required");
    const noToken = await template({ "config.kasAddress": KAS });
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toContain("config.token or config.existingSecret is required");
  });

  /** The manifest's objects are the chart's rendering with `sets`, field for field (less Helm's bookkeeping). */
  async function expectManifestIsChart(file: string, sets: Record<string, string>) {
    const manifest = parse(fs.readFileSync(file, "utf8"));
    const { objs: chart } = await render({ ...sets, "namespace.create": "true" });
    const key = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    expect(manifest.map(key).sort()).toEqual(chart.map(key).sort());
    for (const m of manifest as Any[]) {
      const c: Any = chart.find((o) => key(o) === key(m));
      expect(c.apiVersion, key(m)).toBe(m.apiVersion);
      // The manifest's labels are the chart's, less Helm's bookkeeping.
      expect(c.metadata.labels, key(m)).toMatchObject(m.metadata.labels ?? {});
      switch (m.kind) {
        case "Deployment": {
          expect(c.spec.replicas).toBe(m.spec.replicas);
          expect(c.spec.selector).toEqual(m.spec.selector);
          expect(c.spec.template.metadata.labels).toEqual(m.spec.template.metadata.labels);
          expect(c.spec.template.spec).toEqual(m.spec.template.spec);
          break;
        }
        case "ClusterRole":
        case "Role":
          expect(c.rules).toEqual(m.rules);
          break;
        case "ClusterRoleBinding":
        case "RoleBinding":
          expect({ roleRef: c.roleRef, subjects: c.subjects }).toEqual({ roleRef: m.roleRef, subjects: m.subjects });
          break;
        case "Secret":
          expect({ type: c.type, stringData: c.stringData }).toEqual({ type: m.type, stringData: m.stringData });
          break;
        case "ConfigMap":
          expect(c.data, key(m)).toEqual(m.data);
          break;
        case "Service":
          expect(c.spec, key(m)).toEqual(m.spec);
          break;
      }
    }
  }

  it("manifest.yaml is the chart's default rendering with placeholders", async () => {
    await expectManifestIsChart(manifestFile, { "config.kasAddress": "KAS_ADDRESS", "config.token": "AGENT_TOKEN" });
    const text = fs.readFileSync(manifestFile, "utf8");
    expect(text.split("\n").slice(0, 10).join("\n")).toMatch(/replace[\s\S]*KAS_ADDRESS[\s\S]*AGENT_TOKEN/);
  });

  it("manifest-receptive.yaml is the chart's receptive rendering with placeholders", async () => {
    await expectManifestIsChart(receptiveManifestFile, {
      "config.token": "AGENT_TOKEN",
      "receptive.enabled": "true",
      "receptive.tlsSecretName": "tether-agent-receptive-tls",
      "receptive.jwtPublicKey": "JWT_PUBLIC_KEY",
    });
    const text = fs.readFileSync(receptiveManifestFile, "utf8");
    const header = text.slice(0, text.indexOf("apiVersion:"));
    expect(header).toContain("kubectl -n tether-agent create secret tls tether-agent-receptive-tls");
    expect(header).toMatch(/AGENT_TOKEN[\s\S]*JWT_PUBLIC_KEY/);
    expect(text).not.toContain("KAS_ADDRESS");
  });

  const PUBLIC_KEY =
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAcFZPbcl4KjEL6ZUlAPrPO5lB7L6cC0PjCyX7uDBBDq8=\n-----END PUBLIC KEY-----";
  const receptiveSets = {
    "config.token": TOKEN,
    "receptive.enabled": "true",
    "receptive.tlsSecretName": "agent-receptive-tls",
    "receptive.jwtPublicKey": PUBLIC_KEY,
  };

  it("receptive.enabled: the agent listens with its TLS Secret and the tab's public key behind a Service, with no kas address", async () => {
    const { objs } = await render(receptiveSets, { release: "prod" });
    expect(objs.map((o) => o.kind).sort()).toEqual([
      "ClusterRole",
      "ClusterRoleBinding",
      "ConfigMap",
      "Deployment",
      "Role",
      "RoleBinding",
      "Secret",
      "Service",
      "ServiceAccount",
    ]);
    const cm = one(objs, "ConfigMap");
    expect(cm.metadata.name).toBe("prod-tether-agent-receptive");
    expect(cm.data).toEqual({ "jwt-public-key.pem": `${PUBLIC_KEY}\n` });
    const svc = one(objs, "Service");
    expect(svc.metadata.name).toBe("prod-tether-agent-receptive");
    expect(svc.spec).toEqual({
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "tether-agent", "app.kubernetes.io/instance": "prod" },
      ports: [{ name: "receptive", port: 443, targetPort: "receptive", protocol: "TCP" }],
    });
    const dep = one(objs, "Deployment");
    const pod = dep.spec.template.spec;
    const c = pod.containers[0];
    expect(c.args).toEqual([
      "--receptive",
      "--receptive-address=0.0.0.0:8082",
      "--receptive-cert-file=/etc/tether-agent/receptive-tls/tls.crt",
      "--receptive-key-file=/etc/tether-agent/receptive-tls/tls.key",
      "--receptive-jwt-public-key-file=/etc/tether-agent/receptive/jwt-public-key.pem",
      "--token-file=/etc/tether-agent/token/token",
    ]);
    expect(c.ports).toContainEqual({ name: "receptive", containerPort: 8082, protocol: "TCP" });
    expect(c.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: "receptive-tls", mountPath: "/etc/tether-agent/receptive-tls", readOnly: true },
        { name: "receptive", mountPath: "/etc/tether-agent/receptive", readOnly: true },
      ]),
    );
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: "receptive-tls", secret: expect.objectContaining({ secretName: "agent-receptive-tls" }) },
        { name: "receptive", configMap: { name: "prod-tether-agent-receptive" } },
      ]),
    );
    expect(JSON.stringify(dep)).not.toContain(TOKEN);

    // mTLS instead: the client CA in the ConfigMap, and its flag instead of the key's.
    const mtls = await render(
      { ...receptiveSets, "receptive.jwtPublicKey": "", "receptive.clientCaCert": PUBLIC_KEY },
      { release: "prod" },
    );
    expect(one(mtls.objs, "ConfigMap").data).toEqual({ "client-ca.crt": `${PUBLIC_KEY}\n` });
    const mtlsArgs = one(mtls.objs, "Deployment").spec.template.spec.containers[0].args;
    expect(mtlsArgs).toContain("--receptive-client-ca-file=/etc/tether-agent/receptive/client-ca.crt");
    expect(mtlsArgs.some((a: string) => a.startsWith("--receptive-jwt-public-key-file"))).toBe(false);
  });

  it("a new public key (key rotation) rolls the receptive agent's pods", async () => {
    const annotations = async (key: string) =>
      one((await render({ ...receptiveSets, "receptive.jwtPublicKey": key })).objs, "Deployment").spec.template.metadata
        .annotations as Record<string, string>;
    const before = await annotations(PUBLIC_KEY);
    const after = await annotations(PUBLIC_KEY.replace("MCow", "MCox"));
    expect(before["checksum/receptive"]).toMatch(/^[0-9a-f]{64}$/);
    expect(after["checksum/receptive"]).not.toBe(before["checksum/receptive"]);
    expect(after["checksum/config"]).toBe(before["checksum/config"]);
  });

  it("refuses a receptive agent without its TLS Secret or without a key, saying what to set", async () => {
    const noTls = await template({ ...receptiveSets, "receptive.tlsSecretName": "" });
    expect(noTls.code).not.toBe(0);
    expect(noTls.stderr).toContain("receptive.tlsSecretName is required for a receptive agent");
    const noKey = await template({ ...receptiveSets, "receptive.jwtPublicKey": "" });
    expect(noKey.code).not.toBe(0);
    expect(noKey.stderr).toContain(
      "receptive.jwtPublicKey (from the agent's Receptive tab) or receptive.clientCaCert (mTLS) is required",
    );
  });

  it("the API server accepts the rendered chart and the manifest (server-side dry run)", async () => {
    for (const sets of [defaults, { ...defaults, "rbac.clusterAdmin": "true" }, receptiveSets]) {
      const { text } = await render(sets);
      const r = await kubectl(["apply", "--dry-run=server", "-f", "-"], text);
      expect(r.stderr, JSON.stringify(sets)).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("deployment.apps/tether-agent created (server dry run)");
    }
    const manifest = fs
      .readFileSync(manifestFile, "utf8")
      .replaceAll("KAS_ADDRESS", KAS)
      .replaceAll("AGENT_TOKEN", TOKEN);
    const r = await kubectl(["apply", "--dry-run=server", "-f", "-"], manifest);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const line of [
      "namespace/tether-agent configured (server dry run)",
      "serviceaccount/tether-agent created (server dry run)",
      "clusterrole.rbac.authorization.k8s.io/tether-agent created (server dry run)",
      "clusterrolebinding.rbac.authorization.k8s.io/tether-agent created (server dry run)",
      "secret/tether-agent-token created (server dry run)",
      "deployment.apps/tether-agent created (server dry run)",
    ]) {
      expect(r.stdout).toContain(line);
    }
    const receptive = fs
      .readFileSync(receptiveManifestFile, "utf8")
      .replaceAll("AGENT_TOKEN", TOKEN)
      .replace(/^ {4}JWT_PUBLIC_KEY$/m, PUBLIC_KEY.replace(/^/gm, "    "));
    const rr = await kubectl(["apply", "--dry-run=server", "-f", "-"], receptive);
    expect(rr.stderr).toBe("");
    expect(rr.code).toBe(0);
    for (const line of [
      "configmap/tether-agent-receptive created (server dry run)",
      "service/tether-agent-receptive created (server dry run)",
      "deployment.apps/tether-agent created (server dry run)",
    ])
      expect(rr.stdout).toContain(line);
    // A dry run persists nothing.
    const get = await kubectl(["-n", "tether-agent", "get", "deployment", "tether-agent"]);
    expect(get.code).not.toBe(0);
    expect(get.stderr).toContain("NotFound");
  });

  it("the server dry run really validates: a broken copy of the manifest is rejected", async () => {
    const manifest = fs
      .readFileSync(manifestFile, "utf8")
      .replaceAll("KAS_ADDRESS", KAS)
      .replaceAll("AGENT_TOKEN", TOKEN);
    // A selector that does not match the pod template's labels: well-formed YAML that only the API
    // server's validation catches.
    const broken = manifest.replace(
      /(  selector:\n    matchLabels:\n      app\.kubernetes\.io\/name: )tether-agent/,
      "$1not-the-agent",
    );
    expect(broken).not.toBe(manifest);
    const r = await kubectl(["apply", "--dry-run=server", "-f", "-"], broken);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /Deployment "tether-agent" is invalid: spec\.template\.metadata\.labels: Invalid value.*`selector` does not match template `labels`/,
    );

    // A misspelt field is refused too (strict field validation on the server), not silently dropped.
    const typo = manifest.replace("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true");
    expect(typo).not.toBe(manifest);
    const t = await kubectl(["apply", "--dry-run=server", "-f", "-"], typo);
    expect(t.code).not.toBe(0);
    expect(t.stderr).toContain(
      'unknown field "spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem"',
    );
  });
});
