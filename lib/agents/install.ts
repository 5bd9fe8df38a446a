// How to install an agent with a freshly created token: the commands for Tether's own Helm repository
// and the plain manifest with its placeholders filled in, all pointing at this installation's public
// addresses, with what will not work while those are loopback.
import fs from "node:fs/promises";
import path from "node:path";
import { installCommands, type InstallCommands, type InstallParams } from "@/lib/agent-install";
import { KAS_VERSION } from "@/lib/common/release";
import { addressWarnings, publicUrls, type AddressWarning } from "@/lib/public-urls";

/** The address agents dial: TETHER_KAS_PUBLIC_AGENT_URL, else kas's agent listener (lib/public-urls). */
export function kasPublicAddress(env: Record<string, string | undefined> = process.env): string {
  return publicUrls(env).kasAgent.url;
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
    .map((l) =>
      l.trimStart().startsWith("#") ? l : l.replaceAll("KAS_ADDRESS", kasAddress).replaceAll("AGENT_TOKEN", token),
    );
  const header = [
    `# Tether agent "${agentName}": apply with  kubectl apply -f <this file>`,
    "# It holds the agent token: keep it like a password, and delete the file once applied.",
  ];
  return [...header, ...body].join("\n");
}

export function manifestTemplatePath(): string {
  return path.join(process.cwd(), "deploy", "agent", "manifest.yaml");
}

export interface InstallInstructions extends InstallCommands {
  /** What the commands are made of; the wizard makes them again with the admin's own image. */
  params: Omit<InstallParams, "image">;
  kasAddress: string;
  /** What will not work with the public addresses as set, and which setting fixes it. */
  warnings: AddressWarning[];
  manifest: string;
}

export async function installInstructions(
  agentName: string,
  token: string,
  env: Record<string, string | undefined> = process.env,
): Promise<InstallInstructions> {
  const urls = publicUrls(env);
  // The chart is versioned with the product (lib/chart-repo's test holds Chart.yaml to KAS_VERSION).
  const params = {
    agentName,
    kasAddress: urls.kasAgent.url,
    chartRepoUrl: `${urls.web.url}/charts`,
    chartVersion: KAS_VERSION,
    token,
  };
  const template = await fs.readFile(manifestTemplatePath(), "utf8");
  return {
    ...installCommands(params),
    params,
    kasAddress: params.kasAddress,
    warnings: addressWarnings(urls, "agent-install"),
    manifest: fillManifest(template, agentName, params.kasAddress, token),
  };
}
