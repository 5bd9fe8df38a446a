import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import {
  buildKubeconfig,
  k8sProxyCaData,
  k8sProxyServerUrl,
  kubeconfigContextName,
  kubeconfigText,
  proxyKubeconfig,
  type KubeconfigEntry,
} from "./kubeconfig";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-kubeconfig-test-"));
const certFile = path.join(dir, "kas-proxy.crt");
fs.writeFileSync(certFile, PEM);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const secret = "tthr_pat_" + "S".repeat(43);
const prod: KubeconfigEntry = {
  projectPath: "platform/app",
  agentName: "prod",
  agentId: "cagent1",
  credential: `pat:cagent1:${secret}`,
};
const staging: KubeconfigEntry = {
  projectPath: "platform/infra",
  agentName: "staging",
  agentId: "cagent2",
  credential: `pat:cagent2:${secret}`,
  namespace: "ci",
};
const caData = Buffer.from(PEM).toString("base64");

describe("where kubectl connects", () => {
  it("is TETHER_KAS_K8S_PROXY_PUBLIC_URL, else https:// and kas's proxy listener, else the default", () => {
    expect(
      k8sProxyServerUrl({
        TETHER_KAS_K8S_PROXY_PUBLIC_URL: "https://kas.example.com/k8s-proxy/",
        TETHER_KAS_K8S_PROXY_ADDRESS: "0.0.0.0:8154",
      }),
    ).toBe("https://kas.example.com/k8s-proxy");
    expect(k8sProxyServerUrl({ TETHER_KAS_K8S_PROXY_ADDRESS: "127.0.0.1:8164" })).toBe("https://127.0.0.1:8164");
    expect(k8sProxyServerUrl({ TETHER_KAS_K8S_PROXY_ADDRESS: "0.0.0.0:8154" })).toBe("https://127.0.0.1:8154");
    expect(k8sProxyServerUrl({ TETHER_KAS_K8S_PROXY_PUBLIC_URL: " " })).toBe("https://127.0.0.1:8154");
    expect(k8sProxyServerUrl({})).toBe("https://127.0.0.1:8154");
  });

  it("embeds the proxy's certificate file as certificate-authority-data; none configured is null", () => {
    expect(k8sProxyCaData({ TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: certFile })).toBe(caData);
    expect(k8sProxyCaData({})).toBeNull();
    expect(() => k8sProxyCaData({ TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: path.join(dir, "missing.crt") })).toThrow(
      /cannot read the k8s-proxy certificate .*missing\.crt \(TETHER_KAS_K8S_PROXY_TLS_CERT_FILE\): ENOENT/,
    );
    const notPem = path.join(dir, "not.pem");
    fs.writeFileSync(notPem, "hello");
    expect(() => k8sProxyCaData({ TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: notPem })).toThrow("is not a PEM certificate");
  });
});

describe("kubeconfig", () => {
  it("names the context <project-path>:<agent-name>, embeds the CA and carries the credential as the user's token", () => {
    const cfg = buildKubeconfig({ server: "https://127.0.0.1:8154", caData, entries: [prod] });
    expect(kubeconfigContextName("platform/app", "prod")).toBe("platform/app:prod");
    expect(cfg).toEqual({
      apiVersion: "v1",
      kind: "Config",
      preferences: {},
      clusters: [
        { name: "tether", cluster: { server: "https://127.0.0.1:8154", "certificate-authority-data": caData } },
      ],
      users: [{ name: "agent:cagent1", user: { token: `pat:cagent1:${secret}` } }],
      contexts: [{ name: "platform/app:prod", context: { cluster: "tether", user: "agent:cagent1" } }],
      "current-context": "platform/app:prod",
    });
  });

  it("has one context per agent, with the namespace when one is given, and a chosen current context", () => {
    const cfg = buildKubeconfig({
      server: "https://kas.example.com",
      caData: null,
      entries: [prod, staging],
      currentContext: "platform/infra:staging",
    });
    expect(cfg.contexts.map((c) => c.name)).toEqual(["platform/app:prod", "platform/infra:staging"]);
    expect(cfg.contexts[1]!.context).toEqual({ cluster: "tether", user: "agent:cagent2", namespace: "ci" });
    expect(cfg.clusters[0]!.cluster).toEqual({ server: "https://kas.example.com" });
    expect(cfg["current-context"]).toBe("platform/infra:staging");
  });

  it("is valid YAML and JSON that a Kubernetes client loads as written", () => {
    const cfg = buildKubeconfig({ server: "https://127.0.0.1:8154", caData, entries: [prod, staging] });
    for (const format of ["yaml", "json"] as const) {
      const text = kubeconfigText(cfg, format);
      expect(parse(text)).toEqual(cfg);
      if (format === "json") expect(JSON.parse(text)).toEqual(cfg);
      const kc = new KubeConfig();
      kc.loadFromString(text);
      expect(kc.getCurrentContext()).toBe("platform/app:prod");
      expect(kc.getCurrentCluster()).toMatchObject({ name: "tether", server: "https://127.0.0.1:8154", caData });
      expect(kc.getCurrentUser()).toMatchObject({ name: "agent:cagent1", token: `pat:cagent1:${secret}` });
      expect(kc.getContextObject("platform/infra:staging")).toMatchObject({
        cluster: "tether",
        user: "agent:cagent2",
        namespace: "ci",
      });
    }
  });

  it("refuses what kubectl could not use, naming the agent but never the credential", () => {
    const bad = (entries: KubeconfigEntry[], server = "https://127.0.0.1:8154", currentContext?: string) => {
      try {
        buildKubeconfig({ server, caData, entries, currentContext });
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    expect(bad([])).toBe("a kubeconfig needs at least one agent");
    expect(bad([prod], "http://127.0.0.1:8154")).toBe(
      "the k8s-proxy URL must be https:// (kubectl sends tokens only over TLS), got http://127.0.0.1:8154",
    );
    expect(bad([{ ...prod, credential: secret }])).toBe(
      "the credential for agent prod is not of the form pat:<agent-id>:<token> or ci:<agent-id>:<token>",
    );
    expect(bad([{ ...prod, credential: `pat:other:${secret}` }])).toBe(
      "the credential for agent prod names another agent",
    );
    expect(bad([prod, { ...prod }])).toBe("two agents would share the context name platform/app:prod");
    expect(bad([prod], undefined, "nope")).toBe("no context named nope in this kubeconfig");
  });
});

describe("no secret leaves through logs", () => {
  afterEach(() => vi.restoreAllMocks());
  it("generating a kubeconfig writes nothing to the console or the process's output", () => {
    const spies = [
      ...(["log", "info", "warn", "error", "debug", "trace"] as const).map((m) => vi.spyOn(console, m)),
      vi.spyOn(process.stdout, "write"),
      vi.spyOn(process.stderr, "write"),
    ];
    const text = proxyKubeconfig([prod, staging], {
      TETHER_KAS_K8S_PROXY_TLS_CERT_FILE: certFile,
      TETHER_KAS_K8S_PROXY_ADDRESS: "127.0.0.1:8164",
    });
    expect(text).toContain(secret);
    expect(text).toContain(caData);
    expect(text).toContain("server: https://127.0.0.1:8164");
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });
});
