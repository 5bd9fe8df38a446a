// Kubeconfigs for kubectl through kas's k8s-proxy: one cluster (the proxy, with its CA embedded), and
// one user and one context per agent, the context named `<project-path>:<agent-name>` as GitLab does.
// The credential (`pat:<agent-id>:<token>` or `ci:<agent-id>:<token>`) is the user's token; this module
// never logs and never puts a credential into an error message.
import fs from "node:fs";
import { stringify } from "yaml";
import { publicUrls } from "@/lib/public-urls";

export const KUBECONFIG_CLUSTER_NAME = "tether";

/** Where kubectl reaches the k8s-proxy: TETHER_KAS_K8S_PROXY_PUBLIC_URL, else https:// and kas's listener (lib/public-urls). */
export function k8sProxyServerUrl(env: Record<string, string | undefined> = process.env): string {
  return publicUrls(env).k8sProxy.url;
}

/**
 * The proxy's certificate as certificate-authority-data (base64 of the PEM), read from
 * TETHER_KAS_K8S_PROXY_TLS_CERT_FILE; null when none is configured (the public URL then carries a
 * certificate kubectl already trusts).
 */
export function k8sProxyCaData(env: Record<string, string | undefined> = process.env): string | null {
  const file = env.TETHER_KAS_K8S_PROXY_TLS_CERT_FILE?.trim();
  if (!file) return null;
  let pem: string;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(
      `cannot read the k8s-proxy certificate ${file} (TETHER_KAS_K8S_PROXY_TLS_CERT_FILE): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----"))
    throw new Error(`the k8s-proxy certificate ${file} is not a PEM certificate`);
  return Buffer.from(pem, "utf8").toString("base64");
}

/** `<project-path>:<agent-name>`, the context name kubectl users type after --context. */
export function kubeconfigContextName(projectPath: string, agentName: string): string {
  return `${projectPath}:${agentName}`;
}

export interface KubeconfigEntry {
  /** The project the agent is registered to. */
  projectPath: string;
  agentName: string;
  agentId: string;
  /** `pat:<agent-id>:<token>` or `ci:<agent-id>:<token>`. */
  credential: string;
  /** The context's namespace (a CI project's default_namespace), if any. */
  namespace?: string | null;
}

export interface KubeconfigOptions {
  server: string;
  /** certificate-authority-data, or null to rely on kubectl's trusted roots. */
  caData: string | null;
  entries: KubeconfigEntry[];
  /** The context kubectl uses without --context; the first entry's by default. */
  currentContext?: string;
}

export interface Kubeconfig {
  apiVersion: "v1";
  kind: "Config";
  preferences: Record<string, never>;
  clusters: { name: string; cluster: { server: string; "certificate-authority-data"?: string } }[];
  users: { name: string; user: { token: string } }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  "current-context": string;
}

const CREDENTIAL = /^(pat|ci):([a-z0-9]{1,64}):\S+$/;

export function buildKubeconfig(opts: KubeconfigOptions): Kubeconfig {
  if (opts.entries.length === 0) throw new Error("a kubeconfig needs at least one agent");
  if (!/^https:\/\//.test(opts.server))
    throw new Error(`the k8s-proxy URL must be https:// (kubectl sends tokens only over TLS), got ${opts.server}`);
  const names = new Set<string>();
  for (const e of opts.entries) {
    const m = CREDENTIAL.exec(e.credential);
    // The message names the agent, never the credential.
    if (!m)
      throw new Error(
        `the credential for agent ${e.agentName} is not of the form pat:<agent-id>:<token> or ci:<agent-id>:<token>`,
      );
    if (m[2] !== e.agentId) throw new Error(`the credential for agent ${e.agentName} names another agent`);
    const name = kubeconfigContextName(e.projectPath, e.agentName);
    if (names.has(name)) throw new Error(`two agents would share the context name ${name}`);
    names.add(name);
  }
  const current =
    opts.currentContext ?? kubeconfigContextName(opts.entries[0]!.projectPath, opts.entries[0]!.agentName);
  if (!names.has(current)) throw new Error(`no context named ${current} in this kubeconfig`);
  return {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: [
      {
        name: KUBECONFIG_CLUSTER_NAME,
        cluster: { server: opts.server, ...(opts.caData ? { "certificate-authority-data": opts.caData } : {}) },
      },
    ],
    users: opts.entries.map((e) => ({ name: `agent:${e.agentId}`, user: { token: e.credential } })),
    contexts: opts.entries.map((e) => ({
      name: kubeconfigContextName(e.projectPath, e.agentName),
      context: {
        cluster: KUBECONFIG_CLUSTER_NAME,
        user: `agent:${e.agentId}`,
        ...(e.namespace ? { namespace: e.namespace } : {}),
      },
    })),
    "current-context": current,
  };
}

/** The kubeconfig as text: YAML (what people save and read) or JSON (also valid YAML). */
export function kubeconfigText(config: Kubeconfig, format: "yaml" | "json" = "yaml"): string {
  return format === "json" ? JSON.stringify(config, null, 2) + "\n" : stringify(config, { lineWidth: 0 });
}

/** The kubeconfig for this installation's proxy (server and CA from the environment) as YAML. */
export function proxyKubeconfig(
  entries: KubeconfigEntry[],
  env: Record<string, string | undefined> = process.env,
  currentContext?: string,
): string {
  return kubeconfigText(
    buildKubeconfig({ server: k8sProxyServerUrl(env), caData: k8sProxyCaData(env), entries, currentContext }),
  );
}
