// How to install an agent with a freshly created token: a ready-to-paste Helm command and the plain
// manifest with its placeholders filled in, both pointing at this installation's kas.
import fs from "node:fs/promises";
import path from "node:path";
import { addressWarnings, publicUrls, type AddressWarning } from "@/lib/public-urls";

/** The address agents dial: TETHER_KAS_PUBLIC_AGENT_URL, else kas's agent listener (lib/public-urls). */
export function kasPublicAddress(env: Record<string, string | undefined> = process.env): string {
  return publicUrls(env).kasAgent.url;
}

/** Helm release names are at most 53 characters; agent names (DNS labels) may have 63. */
export function helmReleaseName(agentName: string): string {
  return agentName.length <= 53 ? agentName : agentName.slice(0, 53).replace(/-+$/, "");
}

/** Quotes a value for a POSIX shell only when it needs it (tokens and addresses normally do not). */
export function shellQuote(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replaceAll("'", `'"'"'`)}'`;
}

export function helmCommand(agentName: string, kasAddress: string, token: string): string {
  return [
    `helm upgrade --install ${helmReleaseName(agentName)} ./deploy/agent/chart`,
    "  --namespace tether-agent --create-namespace",
    `  --set config.kasAddress=${shellQuote(kasAddress)}`,
    `  --set config.token=${shellQuote(token)}`,
  ].join(" \\\n");
}

/**
 * The plain manifest with KAS_ADDRESS and AGENT_TOKEN replaced. Only YAML lines are touched; the
 * template's header comment (which explains the placeholders) is replaced by one for this agent.
 */
export function fillManifest(template: string, agentName: string, kasAddress: string, token: string): string {
  const lines = template.split("\n");
  const firstYaml = lines.findIndex((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  const body = lines
    .slice(Math.max(firstYaml, 0))
    .map((l) => (l.trimStart().startsWith("#") ? l : l.replaceAll("KAS_ADDRESS", kasAddress).replaceAll("AGENT_TOKEN", token)));
  const header = [
    `# Tether agent "${agentName}": apply with  kubectl apply -f <this file>`,
    "# It holds the agent token: keep it like a password, and delete the file once applied.",
  ];
  return [...header, ...body].join("\n");
}

export function manifestTemplatePath(): string {
  return path.join(process.cwd(), "deploy", "agent", "manifest.yaml");
}

export interface InstallInstructions {
  kasAddress: string;
  /** What will not work with the public addresses as set, and which setting fixes it. */
  warnings: AddressWarning[];
  helm: string;
  manifest: string;
}

export async function installInstructions(agentName: string, token: string, env: Record<string, string | undefined> = process.env): Promise<InstallInstructions> {
  const urls = publicUrls(env);
  const kasAddress = urls.kasAgent.url;
  const template = await fs.readFile(manifestTemplatePath(), "utf8");
  return { kasAddress, warnings: addressWarnings(urls, "agent-install"), helm: helmCommand(agentName, kasAddress, token), manifest: fillManifest(template, agentName, kasAddress, token) };
}
