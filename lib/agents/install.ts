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
 * A plain manifest with its placeholders filled in: KAS_ADDRESS and AGENT_TOKEN, and for the receptive
 * one JWT_PUBLIC_KEY when the key is known (a line of its own, replaced by the key's lines at its
 * indentation; left for the user otherwise, as the manifest's header explains). Only YAML lines are
 * touched; the template's header comment is replaced by one for this agent.
 */
export function fillManifest(
  template: string,
  agentName: string,
  kasAddress: string,
  token: string,
  publicKey?: string,
): string {
  const lines = template.split("\n");
  const firstYaml = lines.findIndex((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  const body = lines.slice(Math.max(firstYaml, 0)).flatMap((l) => {
    if (l.trimStart().startsWith("#")) return [l];
    const indent = /^(\s*)JWT_PUBLIC_KEY$/.exec(l)?.[1];
    if (indent !== undefined && publicKey)
      return publicKey
        .trim()
        .split("\n")
        .map((k) => `${indent}${k}`);
    return [l.replaceAll("KAS_ADDRESS", kasAddress).replaceAll("AGENT_TOKEN", token)];
  });
  const receptive = body.some((l) => /^\s*JWT_PUBLIC_KEY$/.test(l));
  const header = [
    `# Tether agent "${agentName}": apply with  kubectl apply -f <this file>`,
    "# It holds the agent token: keep it like a password, and delete the file once applied.",
    ...(receptive
      ? [
          "# Before applying: replace JWT_PUBLIC_KEY with the public key from the agent's Receptive tab (each line",
          "# indented as the placeholder is), and create the Secret tether-agent-receptive-tls with the agent's TLS",
          "# certificate and key:  kubectl -n tether-agent create secret tls tether-agent-receptive-tls --cert=agent.crt --key=agent.key",
        ]
      : []),
  ];
  return [...header, ...body].join("\n");
}

export function manifestTemplatePath(receptive = false): string {
  return path.join(process.cwd(), "deploy", "agent", receptive ? "manifest-receptive.yaml" : "manifest.yaml");
}

export interface InstallInstructions extends InstallCommands {
  /** What the commands are made of; the wizard makes them again with the admin's own image. */
  params: Omit<InstallParams, "image">;
  kasAddress: string;
  /** What will not work with the public addresses as set, and which setting fixes it. */
  warnings: AddressWarning[];
  manifest: string;
  /** The receptive agent's plain manifest (kas dials it), the token filled in, the public key still a placeholder. */
  receptiveManifest: string;
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
  const [template, receptiveTemplate] = await Promise.all([
    fs.readFile(manifestTemplatePath(), "utf8"),
    fs.readFile(manifestTemplatePath(true), "utf8"),
  ]);
  return {
    ...installCommands(params),
    params,
    kasAddress: params.kasAddress,
    warnings: addressWarnings(urls, "agent-install"),
    manifest: fillManifest(template, agentName, params.kasAddress, token),
    receptiveManifest: fillManifest(receptiveTemplate, agentName, params.kasAddress, token),
  };
}
